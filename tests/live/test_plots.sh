#!/usr/bin/env bash
# dioscope plot (and make plots) on synthetic results of three kernels:
# two that observe merges (one emulated), one whose tier does not. Every
# expected PNG and SVG is written, valid and not trivially small, names the
# kernels; gnuplot says nothing on stderr; and what gnuplot complains about
# fails the command.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
SYNTH=tests/data/compare/synth.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-plot.XXXXXX")
trap 'rm -rf "$work"' EXIT

command -v gnuplot >/dev/null || { skip "plots" "gnuplot is not installed"; tap_done; exit 0; }

scenarios='unwritten-concurrent.4k.dioread_nolock overwrite.4k.dioread_nolock'
$SYNTH "$work/a" release=6.1.0-lab emulated=yes seed=3
$SYNTH "$work/b" release=6.12.0-lab emulated=yes seed=5 scale=1.1 waste=0.35
$SYNTH "$work/c" release=6.18.0-host seed=7 tier=tracepoint scale=0.6

is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
is_svg() {
	grep -q '<svg' "$1" && grep -q '</svg>' "$1" || return 1
	! command -v xmllint >/dev/null || xmllint --noout "$1" 2>/dev/null
}
size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# check_plots DIR PLOT...: each plot of each scenario as PNG and SVG
check_plots() {
	local dir=$1 s p; shift
	for s in $scenarios; do
		for p in "$@"; do
			check "$s-$p.png is a PNG ($(size "$dir/$s-$p.png") bytes)" \
				bash -c "$(declare -f is_png); is_png '$dir/$s-$p.png' && [ $(size "$dir/$s-$p.png") -gt 10000 ]"
			check "$s-$p.svg is SVG ($(size "$dir/$s-$p.svg") bytes)" \
				bash -c "$(declare -f is_svg); is_svg '$dir/$s-$p.svg' && [ $(size "$dir/$s-$p.svg") -gt 8000 ]"
		done
	done
}

$DIOSCOPE plot "$work/a" "$work/b" "$work/c" -o "$work/out" > "$work/plot.out" 2> "$work/plot.err"
check_eq "plot exits 0" 0 "$?"
check "gnuplot printed nothing on stderr" [ ! -s "$work/plot.err" ]
check_plots "$work/out" cdf percentiles wasted timeline scatter
s=unwritten-concurrent.4k.dioread_nolock
for p in cdf percentiles timeline; do
	check "$p: the legend names the kernels, the emulated ones as such" \
		bash -c "grep -q '6.1.0-lab (emulated)' '$work/out/$s-$p.svg' &&
			grep -q '6.12.0-lab (emulated)' '$work/out/$s-$p.svg' &&
			grep -q '6.18.0-host' '$work/out/$s-$p.svg'"
done
for p in wasted scatter; do
	check "$p: only the kernels that observe merges" \
		bash -c "grep -q '6.12.0-lab (emulated)' '$work/out/$s-$p.svg' &&
			! grep -q '6.18.0-host' '$work/out/$s-$p.svg'"
done
check "the percentile plot's caption states B - A of p50 with its interval" \
	grep -qE '6\.12\.0-lab - 6\.1\.0-lab: p50 [-+][0-9.]+ \[[-+][0-9.]+, [-+][0-9.]+\] µs' "$work/out/$s-percentiles.svg"
check "... for each kernel against the first" \
	grep -qE '6\.18\.0-host - 6\.1\.0-lab: p50 [-+][0-9.]+ \[' "$work/out/$s-percentiles.svg"
check "the waste plot's caption states B - A of the wasted time, where both observe it" \
	grep -qE '6\.12\.0-lab - 6\.1\.0-lab: wasted time per IO [-+][0-9.]+ \[[-+][0-9.]+, [-+][0-9.]+\] ns' "$work/out/$s-wasted.svg"
check "... and not for a kernel whose tier does not" not grep -q "6.18.0-host - 6.1.0-lab: wasted" "$work/out/$s-wasted.svg"
$DIOSCOPE compare "$work/a" "$work/b" -o "$work/cmp" > /dev/null 2>&1
d=$(awk -F, -v s="$s" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	$1 == s && $2 == "wasted_ns_per_io" { printf "%+.1f", $c["diff_abs"] }' "$work/cmp/compare.csv")
check "... the B - A compare.csv has ($d ns)" grep -qF "wasted time per IO $d [" "$work/out/$s-wasted.svg"
# results whose guest clock counted instructions: their times say so
$SYNTH "$work/i1" release=7.3.0-lab emulated=yes clock=icount seed=3 \
	scenarios=unwritten-concurrent.4k.dioread_nolock
$SYNTH "$work/i2" release=7.3.1-lab emulated=yes clock=icount seed=5 waste=0.35 \
	scenarios=unwritten-concurrent.4k.dioread_nolock
$DIOSCOPE plot "$work/i1" "$work/i2" -o "$work/icount" > /dev/null 2> "$work/icount.err"
check_eq "icount results: plot exits 0" 0 "$?"
check "... gnuplot printed nothing on stderr" [ ! -s "$work/icount.err" ]
for p in cdf percentiles scatter; do
	check "$p: the axis is in instructions" grep -q "thousand instructions" "$work/icount/$s-$p.svg"
	check "... not in µs" not grep -q "(µs" "$work/icount/$s-$p.svg"
done
check "the waste histogram's bins are instructions" grep -qE '[0-9.]+ kins' "$work/icount/$s-wasted.svg"
check "... and its caption" grep -q "wasted time per IO .* instructions" "$work/icount/$s-wasted.svg"
check "the timeline says what the tracepoint tier does not see" \
	grep -q "not observed" "$work/out/$s-timeline.svg"
check "axis labels carry units" bash -c "grep -q 'µs, log scale' '$work/out/$s-cdf.svg' &&
	grep -q 'events per second' '$work/out/$s-timeline.svg'"
check "the derived data are CSV with a header" \
	bash -c "head -1 '$work/out/data/$s.cdf.1.csv' | grep -q '^latency_us,fraction' &&
		head -1 '$work/out/data/$s.pct.csv' | grep -q '^percentile,k1_us,k1_lo_us,k1_hi_us'"
last=$(tail -1 "$work/out/data/$s.cdf.1.csv" | tr -d '\r')
check_eq "the CDF ends at 1" 1 "${last#*,}"
n=$(grep -c . "$work/out/data/$s.cdf.1.csv")
check "the CDF is thinned to a grid ($n rows for 6000 IOs)" [ "$n" -gt 500 -a "$n" -lt 3000 ]

# libgd's png where pngcairo is missing
$DIOSCOPE plot "$work/a" "$work/c" -o "$work/gd" --png-terminal png > /dev/null 2> "$work/gd.err"
check_eq "plot with the png terminal exits 0" 0 "$?"
check "... silently" [ ! -s "$work/gd.err" ]
check_plots "$work/gd" cdf percentiles

# a tier that sees no merges alone: no waste plots, and why
$DIOSCOPE plot "$work/c" -o "$work/tp" > "$work/tp.out" 2> "$work/tp.err"
check_eq "plot of a tracepoint-only tree exits 0" 0 "$?"
check "no waste plots for it" bash -c "! ls '$work/tp'/*-wasted.* '$work/tp'/*-scatter.* 2>/dev/null"
check "... and it says why" grep -q "no wasted plot: no kernel's tier observes merges and splits" "$work/tp.out"

# merges seen but no churn, and no PRE_IO work at all: empty histograms and
# timelines still render without a word from gnuplot; no scatter, and why
$SYNTH "$work/z" release=6.1.0-quiet seed=11 waste=0 preio=0
$DIOSCOPE plot "$work/z" -o "$work/quiet" > "$work/quiet.out" 2> "$work/quiet.err"
check_eq "plot of a tree without waste or PRE_IO work exits 0" 0 "$?"
check "... silently" [ ! -s "$work/quiet.err" ]
check_plots "$work/quiet" cdf percentiles wasted timeline
check "... no scatter, and it says why" grep -q "no scatter plot: no IO was charged wasted time" "$work/quiet.out"

# make plots
make -s plots RESULTS="$work/a $work/b" OUT="$work/made" > "$work/make.out" 2>&1
check_eq "make plots RESULTS=... OUT=... exits 0" 0 "$?"
check_plots "$work/made" cdf

# a gnuplot warning fails the command and is shown
cp -r plots "$work/plots"
echo 'set xrange [5:1]; set logscale y; set yrange [-1:1]; plot x' >> "$work/plots/cdf.gp"
$DIOSCOPE plot "$work/a" -o "$work/warn" --plots-dir "$work/plots" > /dev/null 2> "$work/warn.err"
check_eq "a gnuplot warning fails plot (exit 1)" 1 "$?"
check "... and is shown" grep -qi "warning" "$work/warn.err"

$DIOSCOPE plot "$work/nothing" -o "$work/x" > /dev/null 2> "$work/err2"
check "a missing results tree is named" grep -q "nothing/summary.csv" "$work/err2"

tap_done
