#!/usr/bin/env bash
# dioscope bench on this kernel, short: unwritten-seq and overwrite on a
# scratch loop device. dioscope's latency percentiles from joined IOs
# against fio's own, the join rate, the DIO windows against fio's IO
# count, the conversions and the extents left in the file against FIEMAP
# as filefrag sees it; then a bench stopped by SIGINT, which must leave no
# mount, loop device or image behind and a run that report still reads.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-bench.XXXXXX")
bench_pid=
cleanup() {
	[ -n "$bench_pid" ] && kill -KILL "$bench_pid" 2>/dev/null
	scratch_down
	leftovers_down "$work"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "bench tests"
command -v fio >/dev/null || { skip "bench tests" "fio is not installed"; tap_done; exit 0; }

col() {	# col CSV NAME [ROW]: the value of column NAME in data row ROW (1)
	awk -F, -v n="$2" -v r="${3:-1}" 'NR == 1 { for (i = 1; i <= NF; i++) { sub(/\r$/, "", $i); if ($i == n) c = i } }
		NR == r + 1 { sub(/\r$/, ""); print $c }' "$1"
}
within_1pct() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d / b <= 0.01) }'; }
meta() { sed -n "s/^$2=//p" "$1/meta"; }

# --- the errors a user meets first ---------------------------------------
out=$($DIOSCOPE bench -s nosuch -o "$work/r" 2>&1); rc=$?
check "an unknown scenario is refused" [ "$rc" -ne 0 ]
check "... and the valid ones are listed" grep -q "unwritten-concurrent" <<<"$out"
out=$($DIOSCOPE bench --size 12q -o "$work/r" 2>&1); rc=$?
check_eq "a bad size is refused with exit status 2" 2 "$rc"
check "... saying what a size looks like" grep -q "like 256M" <<<"$out"
out=$($DIOSCOPE bench --runs 0 -o "$work/r" 2>&1); rc=$?
check_eq "--runs 0 is refused with exit status 2" 2 "$rc"
out=$($DIOSCOPE bench --merge-guard maybe -o "$work/r" 2>&1); rc=$?
check_eq "--merge-guard takes its modes only (exit status 2)" 2 "$rc"
check "... and says which" grep -q "takes modes off, dio or all" <<<"$out"
out=$($DIOSCOPE bench --merge-guard off,dio,off -o "$work/r" 2>&1); rc=$?
check_eq "--merge-guard refuses a mode twice (exit status 2)" 2 "$rc"
check "nothing was written for refused runs" [ ! -e "$work/r" ]
if compgen -G "/sys/fs/ext4/*/dio_merge_guard" > /dev/null; then
	skip "--merge-guard on a kernel without the guard" "this kernel has it (patches/0002)"
else
	mkdir -p "$work/gtmp"
	out=$(TMPDIR=$work/gtmp $DIOSCOPE bench -s overwrite --runs 1 --runtime 1 --size 8M \
		--merge-guard off,dio -o "$work/g" 2>&1); rc=$?
	check "--merge-guard on a kernel without the guard fails ($rc)" [ "$rc" -ne 0 ]
	check "... naming the patch it needs" grep -q "needs patches/<kernel>/0002" <<<"$out"
	check "... and leaves no image, mount or loop device" \
		[ -z "$(ls -A "$work/gtmp"; grep "$work/gtmp" /proc/mounts; losetup -a | grep "$work/gtmp")" ]
fi

scratch_up 1G
out=$($DIOSCOPE bench -s overwrite --device "$SCRATCH_DEV" -o "$work/r" 2>&1); rc=$?
check "a mounted device is refused" grep -q "is mounted" <<<"$out"
check "... with a non-zero exit" [ "$rc" -ne 0 ]
umount "$SCRATCH_MNT"
out=$($DIOSCOPE bench -s overwrite --device "$SCRATCH_DEV" -o "$work/r" 2>&1); rc=$?
check "a device holding a filesystem is refused" grep -q "refusing" <<<"$out"
check "... with a non-zero exit" [ "$rc" -ne 0 ]

# perfetto_checks NAME TRACE IOS_CSV: the trace follows the trace-event
# format, and its IOs and churn pairs are those of ios.csv
perfetto_checks() {
	local name=$1 trace=$2 ios=$3 c rows churn
	if ! c=$(jq -c -f tests/live/perfetto_check.jq "$trace" 2>&1); then
		not_ok "$name: the Perfetto trace is valid JSON: $c"
		return
	fi
	check_eq "$name: every B of the trace has its E, every b its e" "0 0" \
		"$(jq -r '"\(.unmatched_B_E) \(.unmatched_b_e)"' <<<"$c")"
	check_eq "$name: timestamps never go back on a track" 0 "$(jq .nonmonotonic <<<"$c")"
	check_eq "$name: slices nest on every track" "0 0" \
		"$(jq -r '"\(.misnested) \(.async_misnested)"' <<<"$c")"
	check_eq "$name: flows are paired" 0 "$(jq .flows_unpaired <<<"$c")"
	rows=$(awk -F, 'NR > 1 && $1 != ""' "$ios" | wc -l)
	check_eq "$name: the trace's IOs = ios.csv's" "$rows" "$(jq .ios <<<"$c")"
	churn=$(awk -F, -v c="$(head -1 "$ios" | tr -d '\r' | tr ',' '\n' | grep -nx churn_pairs | cut -d: -f1)" \
		'NR > 1 && $1 != "" { s += $c } END { print s + 0 }' "$ios")
	check_eq "$name: the trace's churn arrows = ios.csv's churn pairs" "$churn" "$(jq .flows_s <<<"$c")"
}

# the checker itself refuses what breaks the format
printf '%s\n' '{"traceEvents":[' \
	'{"ph":"B","name":"a","pid":1,"tid":1,"ts":1},{"ph":"B","name":"b","pid":1,"tid":1,"ts":2},' \
	'{"ph":"E","name":"a","pid":1,"tid":1,"ts":3},{"ph":"X","name":"c","pid":2,"tid":2,"ts":5,"dur":4},' \
	'{"ph":"X","name":"d","pid":2,"tid":2,"ts":4,"dur":3},{"ph":"s","id":1,"pid":1,"tid":1,"ts":9}]}' > "$work/bad.json"
check_eq "the trace checker finds unpaired, misnested, unordered and unflowed events" \
	"3 1 1 1" "$(jq -r -f tests/live/perfetto_check.jq "$work/bad.json" | jq -r '"\(.unmatched_B_E) \(.misnested) \(.nonmonotonic) \(.flows_unpaired)"')"

# --- a short bench on the scratch device ---------------------------------
$DIOSCOPE bench -s overwrite -s unwritten-seq --runs 2 --runtime 2 --size 64M \
	--device "$SCRATCH_DEV" --force --perfetto -o "$work/r" > "$work/bench.out" 2> "$work/bench.err"
check_eq "bench exits 0" 0 "$?"
root=$(ls -d "$work"/r/*/ | head -1)
root=${root%/}
check_eq "results are filed under the kernel release" "$(uname -r)" "$(basename "$root")"
check "bench writes summary.csv" [ -s "$root/summary.csv" ]
check_eq "summary.csv has a row per scenario" 3 "$(grep -c . "$root/summary.csv")"
guard=absent
compgen -G "/sys/fs/ext4/*/dio_merge_guard" > /dev/null && guard=off
check_eq "summary.csv says what the merge guard was" "$guard" "$(col "$root/summary.csv" merge_guard)"

for run in "$root"/*/run-*; do
	name=${run#"$root"/}
	json=$run/fio.json
	for p in 50 99; do
		fio_p=$(jq -r ".jobs[0].write.lat_ns.percentile[\"$p.000000\"]" "$json")
		ds_p=$(col "$run/summary.csv" "lat_p${p}_ns")
		check "$name: p$p $ds_p ns within 1 % of fio's $fio_p ns" within_1pct "$ds_p" "$fio_p"
	done
	rate=$(col "$run/summary.csv" join_rate)
	check "$name: join rate $rate >= 99.9 %" awk -v r="$rate" 'BEGIN { exit !(r >= 0.999) }'
	fio_ios=$(jq '[.jobs[].write.total_ios] | add' "$json")
	windows=$(awk -F, '$1 == "dio_submit" { sub(/\r$/, ""); print $2 }' "$run/event_counts.csv")
	check_eq "$name: DIO windows = fio's IO count" "$fio_ios" "$windows"
	rows=$(awk -F, 'NR > 1 && $1 != "" && $16 == "done"' "$run/ios.csv" | wc -l)
	check_eq "$name: completed IOs in ios.csv = fio's IO count" "$fio_ios" "$rows"
	check_eq "$name: meta says complete" yes "$(meta "$run" complete)"
	# the conversions the events show = what FIEMAP saw turn written
	before=$(meta "$run" unwritten_bytes_before)
	after=$(meta "$run" unwritten_bytes_after)
	check_eq "$name: blocks converted = FIEMAP's unwritten blocks gone" \
		"$(( (before - after) / 4096 ))" "$(col "$run/summary.csv" converted_blocks)"
	check_eq "$name: scenario parameters in meta" "67108864 4096 defaults" \
		"$(meta "$run" size_bytes) $(meta "$run" block_size_bytes) $(meta "$run" mount_options)"
	perfetto_checks "$name" "$run/trace.perfetto.json" "$run/ios.csv"
	check "$name: summary.json beside summary.csv" jq -e '.scenarios | length == 1' "$run/summary.json"
done

# each run's start time is in its meta, in the order the runs ran
starts=$(for r in "$root"/overwrite*/run-1 "$root"/overwrite*/run-2 "$root"/unwritten-seq*/run-1 \
	"$root"/unwritten-seq*/run-2; do meta "$r" run_start_ns; done)
check "every run's meta has run_start_ns" [ "$(grep -cE '^[0-9]{19}$' <<<"$starts")" -eq 4 ]
check "... growing in the order the runs ran" bash -c "sort -n -c <<<'$starts'"

# the last run's file is still on the device: FIEMAP through filefrag
last=$(ls -d "$root"/unwritten-seq*/run-* | tail -1)
mount "$SCRATCH_DEV" "$SCRATCH_MNT"
filefrag -v "$SCRATCH_MNT/dioscope.dat" > "$work/filefrag"
umount "$SCRATCH_MNT"
# filefrag's count merges physically contiguous extents: count its rows
ff=$(grep -cE '^ *[0-9]+:' "$work/filefrag")
ffu=$(grep -E '^ *[0-9]+:' "$work/filefrag" | grep -c unwritten)
check_eq "extents left in the file = filefrag's" "$ff" "$(meta "$last" extents_after)"
check_eq "unwritten extents left = filefrag's" "$ffu" "$(meta "$last" unwritten_extents_after)"

sum=$root/summary.csv
check_eq "the tracepoint tier says merges are not observed" no "$(col "$sum" merges_observed)"
check_eq "... and leaves waste unknown, not 0" "" "$(col "$sum" wasted_ns_total)"
check "... and says so in the table" grep -q "merges_observed=no" "$work/bench.out"
check "the summary states the tracer's in-kernel cost and misses per scenario" \
	grep -qE "^unwritten-seq[^ ]* +[0-9]+ ns per IO, [0-9.]+ % of mean latency, [0-9]+ recursion misses, [0-9]+ kretprobe misses$" "$work/bench.out"
check "summary.json has the tracer's cost per IO" \
	jq -e '.scenarios[0].tracer_cost.bpf_ns_per_io > 0 and .scenarios[0].losses.lost_events >= 0' "$root/summary.json"
check "PRE_IO splits are counted where it sees them" awk -v v="$(col "$sum" pre_io_splits_per_1k_ios 2)" 'BEGIN { exit !(v > 900) }'

# an A/A bench: the same scenario as two arms, alternated run by run
$DIOSCOPE bench --aa -s overwrite --runs 2 --runtime 1 --size 16M \
	--device "$SCRATCH_DEV" --force -o "$work/aa" > "$work/aa.out" 2> "$work/aa.err"
check_eq "bench --aa exits 0" 0 "$?"
aa=$work/aa/A/$(uname -r) ab=$work/aa/B/$(uname -r)
check "... writes a results tree per arm" [ -s "$aa/summary.csv" -a -s "$ab/summary.csv" ]
check_eq "... each run's meta names its arm" "A A B B" \
	"$(echo $(for r in "$aa"/*/run-1 "$aa"/*/run-2 "$ab"/*/run-1 "$ab"/*/run-2; do meta "$r" arm; done))"
order=$(for r in "$aa"/*/run-* "$ab"/*/run-*; do echo "$(meta "$r" run_start_ns) $(meta "$r" arm)$(meta "$r" run)"; done |
	sort -n | cut -d' ' -f2 | tr '\n' ' ')
check_eq "... the runs were interleaved, the order reversed every round: A1 B1 B2 A2" "A1 B1 B2 A2 " "$order"
$DIOSCOPE compare "$work/aa/A" "$work/aa/B" -o "$work/aa-cmp" > "$work/aa-cmp.out" 2>&1
check "compare of the arms says they were interleaved" \
	grep -q "runs of the arms interleaved in time" "$work/aa-cmp.out"

# report reads the results back and writes the same summary
cp "$sum" "$work/summary.before"
$DIOSCOPE report "$root" > "$work/report.out" 2>&1
check_eq "report exits 0" 0 "$?"
check "report prints both scenarios" grep -q "unwritten-seq" "$work/report.out"
check "report rewrites the same summary" cmp -s "$work/summary.before" "$sum"
check_eq "summary.json has a scenario per row of summary.csv" 2 "$(jq '.scenarios | length' "$root/summary.json")"
check_eq "... with summary.csv's IO counts" "$(col "$sum" ios) $(col "$sum" ios 2)" \
	"$(jq -r '[.scenarios[].ios] | join(" ")' "$root/summary.json")"
out=$($DIOSCOPE report "$work/nothing" 2>&1)
check "report on a missing directory fails clearly" grep -q "nothing" <<<"$out"

# a bench taken in turns: --first-run 3 adds run-3 beside runs 1 and 2
$DIOSCOPE bench -s overwrite --runs 1 --first-run 3 --runtime 1 --size 64M \
	--device "$SCRATCH_DEV" --force -o "$work/r" > "$work/fr.out" 2>&1
check_eq "bench --first-run 3 exits 0" 0 "$?"
check_eq "... keeping the runs below 3" "run-1 run-2 run-3" "$(echo $(ls "$root"/overwrite*/))"
check_eq "... numbering its run 3 in meta" 3 "$(meta "$(ls -d "$root"/overwrite*/run-3)" run)"
$DIOSCOPE bench -s overwrite --runs 1 --first-run 3 --runtime 1 --size 64M \
	--device "$SCRATCH_DEV" --force -o "$work/r" > "$work/fr2.out" 2>&1
check "... and a second one refuses to replace run 3" grep -q "already holds runs" "$work/fr2.out"
$DIOSCOPE report "$root" > /dev/null 2>&1
check_eq "report then sums up all 3 runs" 3 "$(col "$sum" runs 1)"
scratch_down

# --- stopped by SIGINT: cleaned up, the run marked, still readable --------
mkdir -p "$work/tmp"
TMPDIR=$work/tmp $DIOSCOPE bench -s unwritten-seq --runs 3 --runtime 20 --size 64M \
	-o "$work/int" > "$work/int.out" 2> "$work/int.err" &
bench_pid=$!
# stop it while fio runs: once the first run's meta exists
for i in $(seq 100); do
	ls "$work"/int/*/*/run-1/meta > /dev/null 2>&1 && break
	sleep 0.1
done
sleep 1
kill -INT "$bench_pid"
wait "$bench_pid"
rc=$?
bench_pid=
check "an interrupted bench exits non-zero ($rc)" [ "$rc" -ne 0 ]
check "... and says why" grep -q "stopped by" "$work/int.err"
mounted() { grep -q "$work/tmp" /proc/mounts; }
check "... leaves no mount behind" not mounted
check "... no loop device on its image" [ -z "$(losetup -j "$work/tmp" 2>/dev/null; losetup -a | grep "$work/tmp")" ]
check "... and no image or mount point" [ -z "$(ls -A "$work/tmp")" ]
irun=$(ls -d "$work"/int/*/unwritten-seq*/run-1)
check_eq "the interrupted run's meta says complete=no" no "$(meta "$irun" complete)"
check "... and no second run was started" [ ! -e "${irun%-1}-2" ]
$DIOSCOPE report "$irun" > "$work/int-report.out" 2> "$work/int-report.err"
check_eq "report reads the interrupted run" 0 "$?"
check "... and says it is incomplete" grep -q "incomplete" "$work/int-report.err"
check "... with the IOs it recorded" awk -v n="$(col "$irun/summary.csv" ios)" 'BEGIN { exit !(n > 0) }'

tap_done
