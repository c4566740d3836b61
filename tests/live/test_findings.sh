#!/usr/bin/env bash
# The findings table (tests/perf/findings.sh table, build/perf/findings)
# on a small results tree made by hand (tests/data/findings): each
# metric's mean over the runs and its 95 % t interval, the waste's share
# of the IOs' outermost calls on the CPU from ios.csv, a run without a
# value left out of that metric, the estimate through a calibration. The
# expected numbers were worked out apart from the program. No kernel is
# traced.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DATA=tests/data/findings
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-findings-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ ! -x build/perf/findings ]; then
	make -s build/perf/findings > /dev/null 2>&1 ||
		{ not_ok "build/perf/findings builds"; tap_done; exit 1; }
fi

tests/perf/findings.sh table --csv "$work/f.csv" "$DATA/tree" > "$work/out" 2> "$work/err"
check_eq "the table step exits 0" 0 "$?"
# row SCENARIO KERNEL METRIC [CSV]: "runs mean lo hi" of the CSV
row() {
	awk -F, -v s="$1" -v k="$2" -v m="$3" '$1 == s && $2 == k && $3 == m {
		print $5, $6, $7, $8 }' "${4:-$work/f.csv}"
}
# near DESCRIPTION EXPECTED ACTUAL: the same numbers within 1e-4 of each
# (the CSV has 6 digits, the t quantile is found to about 1e-6)
near() {
	if awk -v e="$2" -v a="$3" 'BEGIN {
		n = split(e, x, " "); if (split(a, y, " ") != n) exit 1
		for (i = 1; i <= n; i++) {
			d = x[i] - y[i]; d = d < 0 ? -d : d
			m = x[i] < 0 ? -x[i] : x[i]
			if (d > 1e-4 * (m > 1 ? m : 1)) exit 1
		}
	}'; then ok "$1 ($3)"; else not_ok "$1: expected '$2', got '$3'"; fi
}
sc=sparse-concurrent.4k.default
# 7.3.4: 3 runs; t(0.975, 2) = 4.302653, half width t sd / sqrt(3)
near "IOs a run: 100, 200, 300" "3 200.00 -48.41 448.41" "$(row $sc 7.3.4 ios)"
near "churn pairs: 500, 600, 400 per 1k" "3 500.00 251.59 748.41" \
	"$(row $sc 7.3.4 churn_pairs_per_1k_ios)"
near "on-CPU waste per IO, the tracer out" "3 40000.00 20126.94 59873.06" \
	"$(row $sc 7.3.4 wasted_cpu_ns_per_io)"
near "waiting: wall - on-CPU - tracer" "3 15000.00 12515.87 17484.13" \
	"$(row $sc 7.3.4 wasted_wait_ns_per_io)"
near "share of iomap_begin + end_io on the CPU: 10, 25, 10 %" "3 15 -6.51327 36.51327" \
	"$(row $sc 7.3.4 wasted_share_of_cpu_pct)"
near "per churn pair: the same in every run, no spread" "3 80000.00 80000.00 80000.00" \
	"$(row $sc 7.3.4 wasted_cpu_ns_per_churn_pair)"
# writeback: (map_blocks - convert_map + convert) = 350 an IO; 35 and 70 of 700
near "a writeback IO's work is its allocation and its conversion: 5, 10 %" \
	"2 7.5 -24.26551 39.26551" \
	"$(row writeback-fallocate-ahead.4k.default 7.3.4 wasted_share_of_cpu_pct)"
near "a run whose end_io time is unknown is left out of the share" "2 0.00 0.00 0.00" \
	"$(row $sc 6.12.1 wasted_share_of_cpu_pct)"
near "no churn pair: no time per pair" "0" \
	"$(row $sc 6.12.1 wasted_cpu_ns_per_churn_pair | cut -d' ' -f1)"
check_eq "times are instructions under icount" "instructions" \
	"$(awk -F, '$3 == "wasted_cpu_ns_per_io" { print $4; exit }' "$work/f.csv")"
check "the table prints the interval" grep -q '40000 \[20127, 59873\]' "$work/out"
check "and how many runs count where some had no value" grep -q '0.00 \[0.00, 0.00\] n=2' "$work/out"
check "and the events lost" grep -q '(2 events lost)' "$work/out"
check "no CSV is left aside" not compgen -G "$work/.f.csv*"

tests/perf/findings.sh table --calibration "$DATA/calibration.txt" --csv "$work/c.csv" \
	"$DATA/tree" > "$work/cout" 2>&1
check_eq "with a calibration it exits 0" 0 "$?"
near "the estimate: x 0.5, the interval's ends x 0.4 and x 0.6" \
	"3 20000 8050.776 35923.84" \
	"$(row $sc 7.3.4 wasted_cpu_ns_per_io_estimated "$work/c.csv")"
check "labelled an estimate for the calibration's CPU" \
	grep -q 'est. ns/IO: cpu/IO as estimated ns on Test CPU 9000' "$work/cout"

printf 'format=dioscope-calibration 1\nfrom=wall\n' > "$work/bad.txt"
tests/perf/findings.sh table --calibration "$work/bad.txt" "$DATA/tree" > "$work/bout" 2>&1
check_eq "a calibration for another clock is refused" 2 "$?"
tests/perf/findings.sh table "$work" > "$work/eout" 2>&1
check_eq "a directory without runs is an error" 1 "$?"
check "that says what it looked for" grep -q 'no run-<j>/summary.csv' "$work/eout"
tests/perf/findings.sh table > /dev/null 2>&1
check_eq "no directory: usage" 2 "$?"

tap_done
