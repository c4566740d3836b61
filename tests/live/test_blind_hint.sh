#!/usr/bin/env bash
# make bench's last words (plots/blind-hint.sh): on results whose tier
# could not see merges and splits, the one command that does here and how
# long it took the last time; nothing on results that saw them. Needs no
# root: the results are a synthetic run's.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-hint.XXXXXX")
trap 'rm -rf "$work"' EXIT
export LAB_CACHE=$work/cache
mkdir -p "$LAB_CACHE"

$DIOSCOPE report --synthetic 2000 "$work/run" > /dev/null 2>&1 &&
	$DIOSCOPE report "$work/run" > /dev/null 2>&1
check "a synthetic run is summed up" test -s "$work/run/summary.json"

out=$(plots/blind-hint.sh "$work/run")
check "a blind tier is told the command that sees merges" \
	grep -q "make bench-kernels LAB_KERNELS='7.3 6.1'" <<< "$out"
check "untimed, it says the time is not known yet" \
	grep -q "not known" <<< "$out"

printf '2712\t7.3 6.1\t--runs 3 --runtime 3 --size 64M\t2026-12-01\n' \
	> "$LAB_CACHE/bench-kernels.times"
printf '99\t6.1\t--runs 1\t2026-12-02\n' >> "$LAB_CACHE/bench-kernels.times"
out=$(plots/blind-hint.sh "$work/run")
check "timed, it says how long the same kernels took" \
	grep -q "It took 45 min 12 s here the last time (2026-12-01, KERNELS_BENCH_ARGS='--runs 3 --runtime 3 --size 64M')" <<< "$out"

jq '.scenarios[].coverage.merges_observed = true' "$work/run/summary.json" \
	> "$work/seen.json" && mv "$work/seen.json" "$work/run/summary.json"
check_eq "a tier that saw merges gets no hint" "" "$(plots/blind-hint.sh "$work/run")"
check_eq "nor do results without a summary" "" "$(plots/blind-hint.sh "$work/none")"

tap_done
