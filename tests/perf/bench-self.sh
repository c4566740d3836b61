#!/usr/bin/env bash
# make bench-self: what dioscope costs the system it measures, beside
# what bpftrace counting the same tracepoints costs, in the same run.
#   - in-kernel cost per IO and per event (bpf_stats: run_time_ns and
#     run_cnt of every program), dioscope's and bpftrace's, rounds
#     interleaved (COST_ROUNDS; COST_ONLY=1 stops after it);
#   - overhead on fio 4 KiB randwrite, direct=1, sync=1 on a loop device
#     over tmpfs: triplets plain / under `dioscope record` / under
#     bpftrace, until the 95 % interval of each median ratio is within
#     +-1 % (MIN_PAIRS to MAX_PAIRS);
#   - bytes per event in events.bin;
#   - per-event cost per tier, and collector throughput (selfbench);
#   - report speed, when `dioscope report` can read a synthetic run;
#   - the in-kernel cost per IO in instructions on lab kernels under
#     QEMU's instruction counter, per tier, beside bpftrace's
#     (tests/perf/tier-cost.sh, COST_LAB_KERNELS);
#   - compare's A/A check: false positives of the same kernel compared
#     with itself, and the noise floor (tests/perf/aa.sh).
# Prints a table and writes bench-self.csv (metric,tier,value,unit).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

PAIRS=${PAIRS:-5}
RUNTIME=${RUNTIME:-5}
LAB_PAIRS=${LAB_PAIRS:-3}
OUT=${OUT:-bench-self.csv}
DIOSCOPE=./dioscope
SELF=build/perf/selfbench
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-self.XXXXXX")
trap 'scratch_down; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP

[ "$(id -u)" -eq 0 ] || { echo "bench-self needs root" >&2; exit 1; }
command -v fio >/dev/null || { echo "bench-self needs fio (make deps)" >&2; exit 1; }

echo "metric,tier,value,unit" > "$OUT"
row() { echo "$1,$2,$3,$4" >> "$OUT"; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# pairs_table TIER FILE: FILE holds "i a50 b50 a99 b99 aiops biops lost"
pairs_table() {
	local tier=$1 file=$2 i a50 b50 a99 b99 aiops biops lost r50 r99 rio
	: > "$work/ratios"
	printf "%-5s %12s %12s %8s %12s %12s %8s %10s %10s %8s %6s\n" pair \
		"p50 A ns" "p50 B ns" "B/A" "p99 A ns" "p99 B ns" "B/A" "IOPS A" "IOPS B" "B/A" lost
	while read -r i a50 b50 a99 b99 aiops biops lost; do
		r50=$(awk -v a="$a50" -v b="$b50" 'BEGIN { printf "%.4f", b / a }')
		r99=$(awk -v a="$a99" -v b="$b99" 'BEGIN { printf "%.4f", b / a }')
		rio=$(awk -v a="$aiops" -v b="$biops" 'BEGIN { printf "%.4f", b / a }')
		printf "%-5s %12s %12s %8s %12s %12s %8s %10.0f %10.0f %8s %6s\n" "$i" \
			"$a50" "$b50" "$r50" "$a99" "$b99" "$r99" "$aiops" "$biops" "$rio" "$lost"
		row "overhead_pair${i}_p50_ratio" "$tier" "$r50" ratio
		row "overhead_pair${i}_p99_ratio" "$tier" "$r99" ratio
		row "overhead_pair${i}_iops_ratio" "$tier" "$rio" ratio
		echo "$r50 $r99 $rio" >> "$work/ratios"
	done < "$file"
	m50=$(cut -d' ' -f1 "$work/ratios" | median)
	m99=$(cut -d' ' -f2 "$work/ratios" | median)
	mio=$(cut -d' ' -f3 "$work/ratios" | median)
	printf "median B/A: p50 %s, p99 %s, IOPS %s\n" "$m50" "$m99" "$mio"
	row overhead_median_p50_ratio "$tier" "$m50" ratio
	row overhead_median_p99_ratio "$tier" "$m99" ratio
	row overhead_median_iops_ratio "$tier" "$mio" ratio
}

# --- a low-noise scratch filesystem: ext4 on a loop device over tmpfs ---
# The loop device's backing file lives in memory: no disk below it whose
# own noise would drown a 1 % difference.
mkdir -p "$work/shm"
mount -t tmpfs -o size=1400M dioscope-self "$work/shm" || { echo "bench-self: cannot mount a tmpfs" >&2; exit 1; }
shm_down() { scratch_down; mountpoint -q "$work/shm" && umount "$work/shm"; }
trap 'shm_down; rm -rf "$work"' EXIT
TMPDIR=$work/shm scratch_up 1G

# bpftrace counting the tracepoints dioscope's tracepoint tier attaches,
# those this kernel has: the same events, a count map instead of records.
# That includes sched_switch, where `record` times tasks off the CPU
# (it runs on every context switch of the machine, many per IO here:
# the loop device's worker, the journal, fio), and sched_process_exit,
# where it frees exited tasks' state.
tracefs_up || { echo "bench-self: tracefs is not mounted and cannot be" >&2; exit 1; }
bt=$work/count.bt
: > "$bt"
for tp in iomap/iomap_dio_rw_begin iomap/iomap_dio_complete iomap/iomap_iter \
	iomap/iomap_iter_dstmap ext4/ext4_ext_map_blocks_enter \
	ext4/ext4_ext_map_blocks_exit ext4/ext4_ext_convert_to_initialized_enter \
	sched/sched_switch sched/sched_process_exit; do
	[ -d "/sys/kernel/tracing/events/$tp" ] || continue
	[ -s "$bt" ] && echo "," >> "$bt"
	printf "tracepoint:%s" "${tp/\//:}" >> "$bt"
done
printf "\n{ @[probe] = count(); }\n" >> "$bt"
have_bt=no
command -v bpftrace > /dev/null && have_bt=yes

# bt_start: bpftrace under BPF statistics; sets bt_pid once it attached
bt_start() {
	$SELF with-stats bpftrace "$bt" > "$work/bt.out" 2>&1 &
	bt_parent=$!
	bt_pid=
	for _ in $(seq 150); do
		sleep 0.2
		bt_pid=$(pgrep -P "$bt_parent" -x bpftrace)
		[ -n "$bt_pid" ] && grep -q '^Attaching' "$work/bt.out" && break
	done
	# "Attaching" is printed before the probes are
	sleep 1
}
# bpftrace can miss a SIGINT that comes while it settles: repeat it
bt_stop() {
	local i
	for i in $(seq 100); do
		[ -n "$bt_pid" ] && kill -INT "$bt_pid" 2> /dev/null || break
		sleep 0.2
	done
	wait "$bt_parent" 2> /dev/null
}
bt_cost() { $SELF prog-cost "$bt_pid" | awk -F, '$1 == "runs" { r = $2 } $1 == "run_time_ns" { t = $2 } END { print r, t }'; }

# --- in-kernel cost per IO and per event, dioscope beside bpftrace -------
# The same fio job under `dioscope record` (its prog_stats.csv, and in
# its meta the programs outside the plan: sched_switch, sched_process_exit
# and the one that writes out CPUs' batches) and under bpftrace (its
# programs' bpf_prog_info), rounds interleaved. The kernel's counters are
# exact; what differs from round to round is the machine.
COST_ROUNDS=${COST_ROUNDS:-5}
COST_IOS=8192
cost_prep() {
	rm -f "$SCRATCH_MNT/c"
	fallocate -l 32M "$SCRATCH_MNT/c"
	sync
}
cost_fio() {
	"$@" fio --name=cost --filename="$SCRATCH_MNT/c" --rw=randwrite --bs=4k \
		--size=32M --number_ios=$COST_IOS --direct=1 --sync=1 \
		--ioengine=libaio --iodepth=1 --output=/dev/null > /dev/null 2>&1
}
echo
echo "in-kernel cost, $COST_IOS 4 KiB randwrite IOs (libaio, direct=1, sync=1), $COST_ROUNDS rounds interleaved"
printf "%-6s %-9s %10s %10s %10s %10s %12s\n" round tracer "runs/IO" "ns/IO" "ns/run" "events/IO" "ns/event"
: > "$work/cost"
# cost_record WHO [OPTIONS]: one round of record, its cost per IO
cost_record() {
	local who=$1; shift
	cost_prep
	cost_fio $DIOSCOPE record -f "$@" -o "$work/cost.rec" -d "$SCRATCH_MNT" --
	ev=$(sed -n 's/^events=//p' "$work/cost.rec/meta")
	# the programs outside the plan: meta's bpf_*.sched_switch, ...
	read -r xt xn <<<"$(awk -F= '
		$1 ~ /^bpf_run_time_ns\.(sched_switch|batch_flush|task_exit)$/ { t += $2 }
		$1 ~ /^bpf_runs\.(sched_switch|batch_flush|task_exit)$/ { n += $2 }
		END { print t + 0, n + 0 }' "$work/cost.rec/meta")"
	awk -F, -v r="$r" -v who="$who" -v ios=$COST_IOS -v ev="$ev" -v xt="$xt" -v xn="$xn" '
		NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ t += $col["run_time_ns"]; n += $col["runs"] }
		END { t += xt; n += xn; printf "%s %s %.2f %.0f %.0f %.2f %.0f\n", r, who, n / ios, t / ios, n ? t / n : 0, ev / ios, ev ? t / ev : 0 }' \
		"$work/cost.rec/prog_stats.csv" >> "$work/cost"
	echo "$ev $(stat -c %s "$work/cost.rec/events.bin")" >> "$work/bytes"
}
# dioscope: an event per call; io-records: one record per IO where the
# tier assembles them (--io-records)
for r in $(seq "$COST_ROUNDS"); do
	cost_record dioscope
	cost_record io-records --io-records
	if [ $have_bt = yes ]; then
		cost_prep
		bt_start
		read -r n0 t0 <<<"$(bt_cost)"
		cost_fio env
		read -r n1 t1 <<<"$(bt_cost)"
		bt_stop
		# bpftrace's events are its runs: each counts one
		awk -v r="$r" -v ios=$COST_IOS -v n=$((n1 - n0)) -v t=$((t1 - t0)) \
			'BEGIN { printf "%s bpftrace %.2f %.0f %.0f %.2f %.0f\n", r, n / ios, t / ios, n ? t / n : 0, n / ios, n ? t / n : 0 }' >> "$work/cost"
	fi
done
while read -r r who rpi npi npr epi npe; do
	printf "%-6s %-9s %10s %10s %10s %10s %12s\n" "$r" "$who" "$rpi" "$npi" "$npr" "$epi" "$npe"
	row "bpf_ns_per_io_round$r" "$who" "$npi" ns
	row "bpf_runs_per_io_round$r" "$who" "$rpi" runs
	row "bpf_ns_per_event_round$r" "$who" "$npe" ns
done < "$work/cost"
for who in dioscope io-records bpftrace; do
	grep -q " $who " "$work/cost" || continue
	m=$(awk -v w=$who '$2 == w { print $4 }' "$work/cost" | median)
	lo=$(awk -v w=$who '$2 == w { print $4 }' "$work/cost" | sort -g | head -1)
	hi=$(awk -v w=$who '$2 == w { print $4 }' "$work/cost" | sort -g | tail -1)
	me=$(awk -v w=$who '$2 == w { print $7 }' "$work/cost" | median)
	printf "  %-9s median %s ns per IO (rounds %s to %s), %s ns per event\n" "$who" "$m" "$lo" "$hi" "$me"
	row bpf_ns_per_io_median "$who" "$m" ns
	row bpf_ns_per_event_median "$who" "$me" ns
done
if grep -q " bpftrace " "$work/cost"; then
	for who in dioscope io-records; do
		ratio=$(awk -v w=$who '$2 == w { d[$1] = $4 } $2 == "bpftrace" { b[$1] = $4 } END { for (r in d) if (b[r]) print d[r] / b[r] }' "$work/cost" | median)
		printf "  %s / bpftrace per IO, median over rounds: %.3f\n" "$who" "$ratio"
		row bpf_ns_per_io_ratio_to_bpftrace "$who" "$ratio" ratio
	done
else
	echo "  bpftrace: not installed (make deps), not measured"
fi

# COST_ONLY=1: the in-kernel cost alone, for a before/after of a change
# to the programs (the rest takes tens of minutes)
[ "${COST_ONLY:-0}" = 1 ] && exit 0

# --- overhead on fio: plain, under record, under bpftrace, interleaved ----
# Triplets A (plain), B (dioscope record), C (bpftrace) until the 95 %
# interval of the median ratio is within +-1 % for B/A and C/A, or
# MAX_PAIRS. The interval is distribution-free: order statistics of the
# ratios chosen by the binomial distribution.
MIN_PAIRS=${MIN_PAIRS:-9}
MAX_PAIRS=${MAX_PAIRS:-${PAIRS:-30}}
fio_run() {	# fio_run JSONFILE: a fresh fallocated file every run
	rm -f "$SCRATCH_MNT/f"
	fallocate -l 256M "$SCRATCH_MNT/f"
	sync
	"$@" fio --name=ab --filename="$SCRATCH_MNT/f" --rw=randwrite --bs=4k \
		--size=256M --direct=1 --sync=1 --ioengine=psync \
		--time_based --runtime="$RUNTIME" --output-format=json \
		--output="$json" > /dev/null
}
stat_of() {	# stat_of JSON -> "p50 p99 iops"
	jq -r '.jobs[0].write | "\(.clat_ns.percentile["50.000000"]) \(.clat_ns.percentile["99.000000"]) \(.iops)"' "$1"
}
# median_ci: ratios on stdin -> "median low high"
median_ci() {
	sort -g | awk '{ v[NR] = $1 } END {
		n = NR; med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		# largest k with P(Binomial(n, 1/2) < k) <= 0.025
		p = 0.5 ^ n; cdf = 0; k = 0
		for (i = 0; i < n; i++) { if (cdf + p > 0.025) break; cdf += p; k = i + 1; p = p * (n - i) / (i + 1) }
		if (k < 1) print med, v[1], v[n]; else print med, v[k], v[n - k + 1] }'
}
# within1: "median low high" -> success if [low, high] within median +-1 %
within1() { awk -v m="$1" -v l="$2" -v h="$3" 'BEGIN { exit !(l >= m * 0.99 && h <= m * 1.01) }'; }
: > "$work/pairs"
: > "$work/pairs.bt"
echo
echo "overhead on fio 4 KiB randwrite direct=1 sync=1 psync, ${RUNTIME}s runs on a tmpfs-backed loop device"
for i in $(seq "$MAX_PAIRS"); do
	echo "overhead triplet $i (at most $MAX_PAIRS)" >&2
	json=$work/a$i.json; fio_run env
	json=$work/b$i.json
	fio_run $DIOSCOPE record -f -o "$work/rec" -d "$SCRATCH_MNT" -- 2>/dev/null
	read -r a50 a99 aiops <<<"$(stat_of "$work/a$i.json")"
	read -r b50 b99 biops <<<"$(stat_of "$work/b$i.json")"
	lost=$(sed -n 's/^lost_events=//p' "$work/rec/meta")
	echo "$(sed -n 's/^events=//p' "$work/rec/meta") $(stat -c %s "$work/rec/events.bin")" >> "$work/bytes"
	echo "$i $a50 $b50 $a99 $b99 $aiops $biops $lost" >> "$work/pairs"
	if [ $have_bt = yes ]; then
		bt_start
		json=$work/c$i.json; fio_run env
		bt_stop
		read -r c50 c99 ciops <<<"$(stat_of "$work/c$i.json")"
		echo "$i $a50 $c50 $a99 $c99 $aiops $ciops 0" >> "$work/pairs.bt"
	fi
	[ "$i" -lt "$MIN_PAIRS" ] && continue
	done_all=yes
	for f in "$work/pairs" "$work/pairs.bt"; do
		[ -s "$f" ] || continue
		within1 $(awk '{ print $3 / $2 }' "$f" | median_ci) || done_all=no
	done
	[ $done_all = yes ] && break
done

# pairs_ci TIER FILE: the median ratios with their 95 % intervals
pairs_ci() {
	local tier=$1 file=$2 what col_a col_b
	for what in p50:2:3 p99:4:5 iops:6:7; do
		IFS=: read -r name col_a col_b <<<"$what"
		read -r m l h <<<"$(awk -v a=$col_a -v b=$col_b '{ print $b / $a }' "$file" | median_ci)"
		printf "  %-9s %-5s median ratio %.4f, 95 %% interval [%.4f, %.4f] (%+.2f %% / %+.2f %%), %d pairs\n" \
			"$tier" "$name" "$m" "$l" "$h" "$(awk -v m=$m -v l=$l 'BEGIN { print (l / m - 1) * 100 }')" \
			"$(awk -v m=$m -v h=$h 'BEGIN { print (h / m - 1) * 100 }')" "$(wc -l < "$file")"
		row "overhead_median_${name}_ratio" "$tier" "$m" ratio
		row "overhead_median_${name}_ratio_ci_low" "$tier" "$l" ratio
		row "overhead_median_${name}_ratio_ci_high" "$tier" "$h" ratio
	done
}
pairs_table tracepoint "$work/pairs" > "$work/pairs.table"
pairs_ci dioscope "$work/pairs"
if [ -s "$work/pairs.bt" ]; then
	pairs_table bpftrace "$work/pairs.bt" > "$work/pairs.bt.table"
	pairs_ci bpftrace "$work/pairs.bt"
fi
echo "  (per pair: see $OUT; dioscope's recordings lost $(awk '{ s += $8 } END { print s + 0 }' "$work/pairs") events)"
scratch_down
umount "$work/shm"

# --- bytes per event in events.bin, over the recordings above -----------
awk '{ e += $1; b += $2 - 40 } END { if (e) printf "\nevents.bin: %.2f bytes per event over %d recordings (%d events)\n", b / e, NR, e }' "$work/bytes"
row bytes_per_event_recorded dioscope "$(awk '{ e += $1; b += $2 - 40 } END { if (e) printf "%.2f", b / e }' "$work/bytes")" bytes

# --- per-event cost per tier, collector throughput ------------------------
echo
echo "per-event cost (getppid loop, one event per call)"
for tier in fentry kprobe tracepoint; do
	if $SELF event-cost --tier "$tier" > "$work/cost.$tier" 2> "$work/cost.$tier.err"; then
		tr -d '\r' < "$work/cost.$tier" >> "$OUT"
		awk -F, '$1 == "event_cost_ns" { printf "  %-10s %8s ns per event\n", $2, $3 }' "$work/cost.$tier"
	else
		printf "  %-10s not available here: %s\n" "$tier" "$(head -1 "$work/cost.$tier.err")"
	fi
done
echo
echo "collector throughput (paced bursts through the ring buffer into a record file)"
$SELF throughput --seconds 2 --out "$work/tp.bin" > "$work/tp" 2> "$work/tp.err"
cat "$work/tp" >> "$OUT"
awk -F, '{ printf "  %-22s %14s %s\n", $1, $3, $4 }' "$work/tp"

# --- report speed on a synthetic run of 10 million IOs --------------------
if $DIOSCOPE report --help 2>&1 | grep -q -- "--synthetic"; then
	echo
	echo "report speed (10 million synthetic IOs)"
	$DIOSCOPE report --synthetic 10000000 "$work/synth" > /dev/null 2>&1
	# its 5 GB written back first, not while report runs
	sync
	# correlated and summarised only (--no-csv); then ios.csv, inodes.csv
	# and summary.csv written too; then also events.csv, a row per
	# kernel event (50 million here)
	# report uses a second CPU when there is one free: say how busy they were
	load=$(cut -d' ' -f1 /proc/loadavg)
	echo "  (load average $load on $(nproc) CPUs before the first)"
	row report_10m_ios_load_average - "$load" load
	for what in no-csv no-events events; do
		flag=
		[ $what != events ] && flag=--$what
		/usr/bin/time -f "%e %U %S %M" -o "$work/time" $DIOSCOPE report $flag "$work/synth" > /dev/null
		read -r secs usr sys kib < "$work/time"
		case $what in
		no-csv) label="correlated, no CSV written" ;;
		no-events) label="... and ios.csv, summary" ;;
		*) label="... and events.csv" ;;
		esac
		printf "  %-28s %6s s (CPU %s s user, %s s system), peak %s MiB\n" \
			"$label" "$secs" "$usr" "$sys" "$((kib / 1024))"
		row "report_10m_ios_${what//-/_}_seconds" - "$secs" s
		row "report_10m_ios_${what//-/_}_cpu_seconds" - "$(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')" s
		row "report_10m_ios_${what//-/_}_peak_rss" - "$((kib / 1024))" MiB
		[ $what = no-csv ] || continue
		target=$(awk -v s="$secs" -v k="$kib" 'BEGIN { print (s < 3 && k < 256 * 1024) ? "met" : "not met" }')
		echo "  target, no CSV: < 3 s and < 256 MiB: $target"
	done
	# the floor under the CSV passes: the kernel taking ios.csv's bytes
	# into the page cache, with no formatting at all
	mib=$(( $(stat -c %s "$work/synth/ios.csv") >> 20 ))
	/usr/bin/time -f "%e %S" -o "$work/time" dd if=/dev/zero of="$work/synth/dd" bs=1M count=$mib 2> /dev/null
	read -r secs sys < "$work/time"
	rm -f "$work/synth/dd"
	printf "  %-28s %6s s (%s s system): dd of ios.csv's %s MiB into the page cache\n" \
		"(the write alone)" "$secs" "$sys" "$mib"
	row page_cache_write_ios_csv_seconds - "$secs" s
	bin=$(stat -c %s "$work/synth/events.bin")
	echo "  (events.bin $((bin >> 20)) MiB, $(awk -v b=$bin 'BEGIN { printf "%.2f", (b - 40) / 50000000 }') bytes per event; ios.csv $(( $(stat -c %s "$work/synth/ios.csv") >> 20 )) MiB)"
	row bytes_per_event_synthetic dioscope "$(awk -v b=$bin 'BEGIN { printf "%.2f", (b - 40) / 50000000 }')" bytes
else
	echo
	echo "report speed: not measured (dioscope report --synthetic is not available)"
fi

# --- the fentry and kprobe tiers, on lab kernels under QEMU ---------------
# Emulated (TCG): the ratios say what the tracer adds relative to an
# emulated system, the costs are in emulated nanoseconds.
for k in ${LAB_KERNELS-6.1}; do
	lab=$work/lab-$k
	mkdir -p "$lab"
	echo
	echo "lab kernel $k (QEMU, emulated): fentry and kprobe tiers, $LAB_PAIRS pairs of 3 s runs"
	if ! tests/lab/lab.sh run "$k" --out "$lab" --timeout 1200 -- \
		"sh /lab/selfbench.sh $LAB_PAIRS 3" > "$lab.log" 2>&1; then
		echo "  not measured: the lab run failed ($(tail -n 1 "$lab.log"))"
		continue
	fi
	rel=$(cat "$lab/release" 2> /dev/null)
	for tier in fentry kprobe; do
		if [ -s "$lab/cost.$tier" ]; then
			tr -d '\r' < "$lab/cost.$tier" | sed "s/,$tier,/,$tier@$k,/" >> "$OUT"
			awk -F, '$1 == "event_cost_ns" { printf "  %-10s %8s ns per event (emulated)\n", $2, $3 }' "$lab/cost.$tier"
		else
			printf "  %-10s cost per event not available: %s\n" "$tier" "$(head -1 "$lab/cost.$tier.err" 2> /dev/null)"
		fi
		: > "$work/pairs.$tier"
		for i in $(seq "$LAB_PAIRS"); do
			[ -s "$lab/$tier.a$i.json" ] && [ -s "$lab/$tier.b$i.json" ] || continue
			read -r a50 a99 aiops <<<"$(stat_of "$lab/$tier.a$i.json")"
			read -r b50 b99 biops <<<"$(stat_of "$lab/$tier.b$i.json")"
			echo "$i $a50 $b50 $a99 $b99 $aiops $biops $(cat "$lab/$tier.lost$i" 2> /dev/null)" >> "$work/pairs.$tier"
		done
		echo "  overhead, $tier tier${rel:+ ($rel)}:"
		if [ -s "$work/pairs.$tier" ]; then
			pairs_table "$tier@$k" "$work/pairs.$tier" | sed 's/^/    /'
		else
			echo "    no pair completed"
		fi
	done
done

# --- in-kernel cost per IO in instructions, on lab kernels under icount ---
# Beside the host's bpf_stats above: the same job's cost on every tier a
# lab kernel offers, dioscope beside bpftrace, as instruction counts
# (tests/perf/tier-cost.sh; COST_LAB_KERNELS= leaves it out).
if [ -n "${COST_LAB_KERNELS-7.3 6.12}" ]; then
	OUT=$OUT COST_ROUNDS=$COST_ROUNDS tests/perf/tier-cost.sh ${COST_LAB_KERNELS-7.3 6.12} ||
		echo "the instruction counts of some lab kernel were not measured"
fi

# --- compare's A/A check (tests/perf/aa.sh; AA=0 leaves it out) ----------
if [ "${AA:-1}" != 0 ]; then
	echo
	tests/perf/aa.sh "$OUT" || echo "the A/A check failed"
fi

echo
echo "kernel $(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%d); written to $OUT"
