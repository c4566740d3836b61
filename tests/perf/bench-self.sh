#!/usr/bin/env bash
# make bench-self: what dioscope costs the system it measures.
#   - tracer overhead: fio 4 KiB randwrite, direct=1, sync=1, alternating
#     runs without and with `dioscope record` (A B A B ...);
#   - per-event cost per tier, and collector throughput (selfbench);
#   - report speed, when `dioscope report` can read a synthetic run.
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

# --- overhead: A (plain fio) and B (under dioscope record), alternating ---
scratch_up 1G
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
: > "$work/pairs"
for i in $(seq "$PAIRS"); do
	echo "overhead pair $i of $PAIRS" >&2
	json=$work/a$i.json; fio_run env
	json=$work/b$i.json
	fio_run $DIOSCOPE record -f -o "$work/rec" -d "$SCRATCH_MNT" -- 2>/dev/null
	read -r a50 a99 aiops <<<"$(stat_of "$work/a$i.json")"
	read -r b50 b99 biops <<<"$(stat_of "$work/b$i.json")"
	lost=$(sed -n 's/^lost_events=//p' "$work/rec/meta")
	echo "$i $a50 $b50 $a99 $b99 $aiops $biops $lost" >> "$work/pairs"
done
scratch_down

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

echo
echo "tracer overhead (tracepoint tier), fio 4 KiB randwrite direct=1 sync=1, ${RUNTIME}s runs"
pairs_table tracepoint "$work/pairs"

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
	# ios.csv, inodes.csv and summary.csv; then also events.csv, a row
	# per kernel event (50 million here)
	for what in no-events events; do
		flag=
		[ $what = no-events ] && flag=--no-events
		/usr/bin/time -f "%e %M" -o "$work/time" $DIOSCOPE report $flag "$work/synth" > /dev/null
		read -r secs kib < "$work/time"
		printf "  %-28s %6s s, peak %s MiB\n" \
			"$([ $what = no-events ] && echo "ios.csv and summary" || echo "... and events.csv")" \
			"$secs" "$((kib / 1024))"
		row "report_10m_ios_${what//-/_}_seconds" - "$secs" s
		row "report_10m_ios_${what//-/_}_peak_rss" - "$((kib / 1024))" MiB
	done
	echo "  (events.bin $(( $(stat -c %s "$work/synth/events.bin") >> 20 )) MiB, ios.csv $(( $(stat -c %s "$work/synth/ios.csv") >> 20 )) MiB)"
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

echo
echo "kernel $(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%d); written to $OUT"
