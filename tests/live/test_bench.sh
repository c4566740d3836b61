#!/usr/bin/env bash
# A short bench of unwritten-seq and overwrite on a scratch loop device:
# dioscope's latency percentiles from joined IOs against fio's own, the
# join rate, the DIO windows against fio's IO count, and the extents
# left in the file against FIEMAP as filefrag sees it.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-bench.XXXXXX")
cleanup() {
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "bench tests"

# errors a user meets first
out=$($DIOSCOPE bench -s nosuch -o "$work/r" 2>&1); rc=$?
check "an unknown scenario is refused" [ "$rc" -ne 0 ]
check "... and the valid ones are listed" grep -q "unwritten-concurrent" <<<"$out"
out=$($DIOSCOPE bench --size 12q -o "$work/r" 2>&1); rc=$?
check "a bad size is refused with exit status 2" [ "$rc" -eq 2 ]

# a device that holds a filesystem is refused without --force
scratch_up 1G
umount "$SCRATCH_MNT"
out=$($DIOSCOPE bench -s overwrite --device "$SCRATCH_DEV" -o "$work/r" 2>&1); rc=$?
check "a device holding a filesystem is refused" grep -q "refusing" <<<"$out"
check "... with a non-zero exit" [ "$rc" -ne 0 ]

$DIOSCOPE bench -s overwrite -s unwritten-seq --runs 2 --runtime 2 --size 64M \
	--device "$SCRATCH_DEV" --force -o "$work/r" > "$work/bench.out" 2> "$work/bench.err"
rc=$?
check_eq "bench exits 0" 0 "$rc"
root=$(ls -d "$work"/r/*/)
check "bench writes summary.csv" [ -s "$root/summary.csv" ]

col() {	# col CSV NAME: the value of column NAME in the first data row
	awk -F, -v n="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i }
		NR == 2 { sub(/\r$/, ""); print $c }' "$1"
}
within_1pct() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d / b <= 0.01) }'; }

for run in "$root"/*/run-*; do
	name=${run#"$root"}
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
	check "$name: meta says complete" grep -qx "complete=yes" "$run/meta"
done

pre=$(col "$root/summary.csv" pre_io_splits_per_1k_ios)
# the last run's file is still on the device: FIEMAP through filefrag
last=$(ls -d "$root"/unwritten-seq*/run-* | tail -1)
mount "$SCRATCH_DEV" "$SCRATCH_MNT"
# filefrag's summary merges physically contiguous extents: count its rows
filefrag -v "$SCRATCH_MNT/dioscope.dat" > "$work/filefrag"
umount "$SCRATCH_MNT"
ff=$(grep -cE '^ *[0-9]+:' "$work/filefrag")
ffu=$(grep -E '^ *[0-9]+:' "$work/filefrag" | grep -c unwritten)
check_eq "extents left in the file = filefrag's rows" "$ff" "$(sed -n 's/^extents_after=//p' "$last/meta")"
check_eq "unwritten extents left = filefrag's" "$ffu" "$(sed -n 's/^unwritten_extents_after=//p' "$last/meta")"

# report reads the results back and writes the same summary
cp "$root/summary.csv" "$work/summary.before"
$DIOSCOPE report "$root" > "$work/report.out" 2>&1
check_eq "report exits 0" 0 "$?"
check "report prints both scenarios" grep -q "unwritten-seq" "$work/report.out"
check "report rewrites the same summary" cmp -s "$work/summary.before" "$root/summary.csv"
check "the tracepoint tier says merges are not observed" \
	grep -q "not observed" "$work/bench.out"
out=$($DIOSCOPE report "$work/nothing" 2>&1)
check "report on a missing directory fails clearly" grep -q "nothing" <<<"$out"

tap_done
