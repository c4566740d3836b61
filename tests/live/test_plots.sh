#!/usr/bin/env bash
# dioscope plot on synthetic results of two kernels, one emulated: every
# expected PNG and SVG is written, valid and not trivially small, and
# gnuplot said nothing.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-plot.XXXXXX")
trap 'rm -rf "$work"' EXIT

command -v gnuplot >/dev/null || { skip "plots" "gnuplot is not installed"; tap_done; exit 0; }

# synth DIR RELEASE EMULATED SCALE
synth() {
	local d=$1/conc
	mkdir -p "$d/run-1"
	awk -v s="$4" 'BEGIN { srand(5); print "io,lat_ns,wasted_ns_total,joined"
		for (i = 0; i < 3000; i++) { w = (rand() < 0.2) ? int(20000 * rand()) : 0
			printf "%d,%d,%d,1\n", i, s * (200000 + 100000 * rand()) + w, w } }' > "$d/run-1/ios.csv"
	awk 'BEGIN { srand(9); print "ts_ns,type,flags"
		for (i = 0; i < 4000; i++) { t = int(i * 500000)
			printf "%d,map_blocks,8\n%d,split,0\n", t, t + 1
			if (rand() < 0.5) printf "%d,merge,4\n", t + 2 } }' > "$d/run-1/events.csv"
	{
		echo "scenario,kernel_release,emulated,merges_observed,lat_p50_ns,lat_p50_lo_ns,lat_p50_hi_ns,lat_p90_ns,lat_p90_lo_ns,lat_p90_hi_ns,lat_p99_ns,lat_p99_lo_ns,lat_p99_hi_ns,lat_p999_ns,lat_p999_lo_ns,lat_p999_hi_ns"
		awk -v r="$2" -v e="$3" -v s="$4" 'BEGIN { printf "conc,%s,%s,yes", r, e
			split("250 270 290 300 310 320 330 340 350 360 380 400", v, " ")
			for (i = 1; i <= 12; i++) printf ",%d", v[i] * 1000 * s; print "" }'
	} > "$1/summary.csv"
}
synth "$work/a" 6.1.0-lab yes 1.0
synth "$work/b" 6.18.0-host no 0.8

$DIOSCOPE plot "$work/a" "$work/b" -o "$work/out" > "$work/plot.out" 2> "$work/plot.err"
check_eq "plot exits 0" 0 "$?"
check "gnuplot printed no warning" [ ! -s "$work/plot.err" ]
for p in cdf percentiles wasted timeline scatter; do
	png=$work/out/conc-$p.png
	svg=$work/out/conc-$p.svg
	check "$p: a PNG (magic bytes)" bash -c "head -c 8 '$png' | od -An -tx1 | grep -q '89 50 4e 47 0d 0a 1a 0a'"
	check "$p: PNG not trivially small ($(stat -c %s "$png" 2>/dev/null) bytes)" [ "$(stat -c %s "$png" 2>/dev/null || echo 0)" -gt 8000 ]
	check "$p: an SVG" grep -q "<svg" "$svg"
	check "$p: the SVG names both kernels" bash -c "grep -q '6.1.0-lab (emulated)' '$svg' && grep -q '6.18.0-host' '$svg'"
done
$DIOSCOPE plot "$work/nothing" -o "$work/x" > /dev/null 2> "$work/err2"
check "a missing results directory is named" grep -q "nothing/summary.csv" "$work/err2"

tap_done
