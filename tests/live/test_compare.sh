#!/usr/bin/env bash
# dioscope compare on synthetic results trees (tests/data/compare/synth.sh):
# a tree against itself shows no significant difference, against a tree
# 10 % slower it finds the shift, scenarios whose parameters differ are
# refused, differing tiers are warned about, unobserved metrics are n/a,
# emulated results are labelled, and the numbers are reproducible.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
SYNTH=tests/data/compare/synth.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-cmp.XXXXXX")
trap 'rm -rf "$work"' EXIT

# col FILE NAME: the column of NAME in a CSV's header
col() { head -1 "$1" | tr -d '\r' | tr ',' '\n' | grep -nx "$2" | cut -d: -f1; }
# get FILE SCENARIO METRIC COLUMN: one cell of compare.csv
get() {
	local f=$1 c
	c=$(col "$f" "$4")
	awk -F, -v s="$2" -v m="$3" -v c="$c" '$1 == s && $2 == m { sub(/\r$/, "", $c); print $c; exit }' "$f"
}

sc=unwritten-concurrent.4k.dioread_nolock
$SYNTH "$work/a" release=6.1.0-synth seed=17 runs=5
$SYNTH "$work/b" release=6.12.0-synth seed=23 runs=5 scale=1.1
$SYNTH "$work/bs" release=6.12.0-synth seed=23 bs=65536
$SYNTH "$work/tp" release=6.18.0-host seed=29 tier=tracepoint
$SYNTH "$work/emu" release=5.10.0-synth seed=31 emulated=yes

# a tree against itself
$DIOSCOPE compare "$work/a" "$work/a" -o "$work/self" > "$work/self.out" 2> "$work/self.err"
check_eq "compare of a tree with itself exits 0" 0 "$?"
n=$(grep -c . "$work/self/compare.csv")
check_eq "compare.csv: a header and 11 metrics of 2 scenarios" 23 "$n"
check "no significant difference is reported" grep -q "^0 of 22 differences significant" "$work/self.out"
sig=$(awk -F, -v c="$(col "$work/self/compare.csv" significant)" 'NR > 1 && $c == "yes"' "$work/self/compare.csv" | wc -l)
check_eq "compare.csv marks none significant" 0 "$sig"
check_eq "the p50 difference is 0" 0 "$(get "$work/self/compare.csv" $sc lat_p50_ns diff_pct)"
lo=$(get "$work/self/compare.csv" $sc lat_p50_ns ci_lo_pct)
hi=$(get "$work/self/compare.csv" $sc lat_p50_ns ci_hi_pct)
check "its interval [$lo, $hi] holds 0" awk -v l="$lo" -v h="$hi" 'BEGIN { exit !(l < 0 && h > 0) }'

# a tree against one 10 % slower
$DIOSCOPE compare "$work/a" "$work/b" -o "$work/shift" > "$work/shift.out" 2>&1
check_eq "compare of two kernels exits 0" 0 "$?"
for m in lat_p50_ns lat_p90_ns lat_mean_ns; do
	for s in $sc overwrite.4k.dioread_nolock; do
		d=$(get "$work/shift/compare.csv" "$s" $m diff_pct)
		lo=$(get "$work/shift/compare.csv" "$s" $m ci_lo_pct)
		hi=$(get "$work/shift/compare.csv" "$s" $m ci_hi_pct)
		check "$s $m: +10 % found: $d % in [$lo, $hi]" \
			awk -v d="$d" -v l="$lo" -v h="$hi" 'BEGIN { exit !(d > 7 && d < 13 && l > 0 && l < 10 && h > 10) }'
		check_eq "$s $m: marked significant" yes "$(get "$work/shift/compare.csv" "$s" $m significant)"
	done
done
p=$(get "$work/shift/compare.csv" $sc lat_p50_ns p_ios)
check "the per-IO Mann-Whitney p-value is tiny ($p)" awk -v p="$p" 'BEGIN { exit !(p < 1e-10) }'
check_eq "the test on thousands of IOs is the normal approximation" "mann-whitney normal" \
	"$(get "$work/shift/compare.csv" $sc lat_p50_ns test_ios)"
p=$(get "$work/shift/compare.csv" $sc lat_p50_ns p_runs_holm)
check "the verdict's p on 5 runs a side is small ($p)" awk -v p="$p" 'BEGIN { exit !(p < 0.001) }'
check_eq "... over 5 runs in each arm" "5 5" \
	"$(get "$work/shift/compare.csv" $sc lat_p50_ns runs_a) $(get "$work/shift/compare.csv" $sc lat_p50_ns runs_b)"
s=$(get "$work/shift/compare.csv" $sc lat_p50_ns run_spread_a_pct)
check "the spread between runs of A is reported ($s %)" awk -v s="$s" 'BEGIN { exit !(s > 0 && s < 3) }'
d=$(get "$work/shift/compare.csv" $sc iops diff_pct)
check "IOPS 10 % lower at iodepth 4: $d %" awk -v d="$d" 'BEGIN { exit !(d < -6 && d > -12) }'
check_eq "IOPS is tested exactly over 5 runs a side" "mann-whitney exact" \
	"$(get "$work/shift/compare.csv" $sc iops test_ios)"
check_eq "... and found significant" yes "$(get "$work/shift/compare.csv" $sc iops significant)"
check "the table marks significant rows with *" grep -qE '^  p50 latency \(us\) .*\*$' "$work/shift.out"

# compare.json holds what compare.csv holds, as one valid document
js=$work/shift/compare.json
check "compare.json is one valid JSON document" bash -c "jq -e . '$js' > /dev/null"
check_eq "compare.json has a row per row of compare.csv" \
	"$(($(grep -c . "$work/shift/compare.csv") - 1))" "$(jq '.rows | length' "$js")"
jd=$(jq -r --arg s "$sc" '.rows[] | select(.scenario == $s and .metric == "lat_p50_ns") | .diff_pct' "$js")
# compare.csv rounds to 6 digits
check "compare.json's p50 difference is compare.csv's ($jd)" awk \
	-v a="$jd" -v b="$(get "$work/shift/compare.csv" $sc lat_p50_ns diff_pct)" \
	'BEGIN { e = (a - b) / b; exit !(e < 1e-5 && e > -1e-5) }'
check_eq "compare.json marks it significant" true \
	"$(jq -r --arg s "$sc" '.rows[] | select(.scenario == $s and .metric == "lat_p50_ns") | .significant' "$js")"
nsig=$(grep -oE "^[0-9]+ of [0-9]+ differences significant" "$work/shift.out" | cut -d' ' -f1)
check_eq "compare.json counts the significant differences the footer counts" \
	"$nsig" "$(jq '.totals.significant' "$js")"
check_eq "compare.json names both kernels" "6.1.0-synth 6.12.0-synth" \
	"$(jq -r '[.kernels[].kernel] | join(" ")' "$js")"

# runs that drift from run to run (sd 10 %), no effect: per-IO tests
# reject, the verdict on runs does not
$SYNTH "$work/d1" release=6.1.0-synth seed=17 runs=5 runsd=0.1 start=1000 step=2
$SYNTH "$work/d2" release=6.1.0-synth seed=41 runs=5 runsd=0.1 start=1001 step=2
$DIOSCOPE compare "$work/d1" "$work/d2" -o "$work/drift" > "$work/drift.out" 2>&1
check_eq "drift without effect: compare exits 0" 0 "$?"
check "... no difference is significant" grep -q "^0 of 22 differences significant" "$work/drift.out"
n=$(awk -F, -v c="$(col "$work/drift/compare.csv" p_ios)" 'NR > 1 && $c != "" && $c < 0.05' "$work/drift/compare.csv" | wc -l)
check "... where the per-IO test rejects for $n metrics" test "$n" -ge 4
check "... the runs were interleaved in time, and compare says so" \
	grep -q "runs of the arms interleaved in time" "$work/drift.out"
$SYNTH "$work/d3" release=6.1.0-synth seed=43 runs=5 runsd=0.1 start=100000000000
$DIOSCOPE compare "$work/d1" "$work/d3" -o "$work/seq" > "$work/seq.out" 2>&1
check "sets one after the other are named as such" grep -q "one arm's runs all before the other's" "$work/seq.out"

# fewer than 3 runs in an arm: nothing is decided, however large the shift
$SYNTH "$work/two" release=6.12.0-synth seed=23 runs=2 scale=1.5
$DIOSCOPE compare "$work/a" "$work/two" -o "$work/few" > "$work/few.out" 2>&1
check_eq "two runs: p50 is not decidable" "not decidable" "$(get "$work/few/compare.csv" $sc lat_p50_ns significant)"
check "... marked ? in the table" grep -qE '^  p50 latency \(us\) .*\?$' "$work/few.out"
check "... and counted in the footer" grep -q "; 22 not decidable" "$work/few.out"

# counts per 1k IOs include what no IO was charged with (a split outside
# any IO, a merge event of 3 pairs): the difference is that of the values
for m in splits_per_1k_ios merges_per_1k_ios churn_pairs_per_1k_ios wasted_ns_per_io; do
	a=$(get "$work/shift/compare.csv" $sc $m value_a)
	b=$(get "$work/shift/compare.csv" $sc $m value_b)
	d=$(get "$work/shift/compare.csv" $sc $m diff_pct)
	check "$m: the difference $d % is that of $a and $b" \
		awk -v a="$a" -v b="$b" -v d="$d" 'BEGIN { e = 100 * (b - a) / a - d; exit !(e < 0.01 && e > -0.01) }'
done

# 0 -> N: a kernel without churn against one with about 293 churn pairs
# per 1000 IOs, 3 runs each, the runs as far apart as measured in the lab
# (QEMU, sparse-concurrent on 7.3: 575, 636 and 517 pairs per 1000 IOs,
# 463, 757 and 350 us wasted per IO with a pair), at half that rate
$SYNTH "$work/z0" release=6.12.0-synth seed=17 waste=0
$SYNTH "$work/zn" release=7.3.0-synth seed=23 waste=0.2876,0.3179,0.2585 \
	wastens=463300,756800,349800
$DIOSCOPE compare "$work/z0" "$work/zn" -o "$work/kind" > "$work/kind.out" 2>&1
check_eq "0 -> N: compare exits 0" 0 "$?"
kc=$work/kind/compare.csv
for m in churn_pairs_per_1k_ios wasted_ns_per_io; do
	check_eq "0 -> N: $m is marked significant" yes "$(get "$kc" $sc $m significant)"
	check_eq "... by the kind rule" kind "$(get "$kc" $sc $m test_runs)"
	check_eq "... without a relative difference" "" "$(get "$kc" $sc $m diff_pct)"
	d=$(get "$kc" $sc $m diff_abs)
	lo=$(get "$kc" $sc $m ci_lo_abs)
	hi=$(get "$kc" $sc $m ci_hi_abs)
	b=$(get "$kc" $sc $m value_b)
	check "... B - A $d in [$lo, $hi], B's value $b" \
		awk -v d="$d" -v l="$lo" -v h="$hi" -v b="$b" 'BEGIN { e = d - b; exit !(e < 1e-3 * b && -e < 1e-3 * b && l > 0 && l < d && h > d) }'
done
d=$(get "$kc" $sc churn_pairs_per_1k_ios diff_abs)
check "... about 293 churn pairs per 1000 IOs ($d)" awk -v d="$d" 'BEGIN { exit !(d > 260 && d < 320) }'
check "the table shows B - A with its interval, marked *" \
	grep -qE '^  churn pairs/1k IOs +0\.00 +[0-9.]+ +\+[0-9.]+ \[\+[0-9.]+, \+[0-9.]+\] .*\*  of kind' "$work/kind.out"
check_eq "compare.json holds B - A" "$(get "$kc" $sc churn_pairs_per_1k_ios diff_abs)" \
	"$(jq -r --arg s "$sc" '.rows[] | select(.scenario == $s and .metric == "churn_pairs_per_1k_ios") | .diff_abs' "$work/kind/compare.json" | awk '{ printf "%.6g", $1 }')"
check_eq "... and the test" kind \
	"$(jq -r --arg s "$sc" '.rows[] | select(.scenario == $s and .metric == "churn_pairs_per_1k_ios") | .runs.test' "$work/kind/compare.json")"
# the same two kernels without churn, A/A: nothing is marked
$SYNTH "$work/z1" release=6.12.0-synth seed=41 waste=0
$DIOSCOPE compare "$work/z0" "$work/z1" -o "$work/kind-aa" > "$work/kind-aa.out" 2>&1
check "0 against 0: no difference is significant" grep -q "^0 of 22 differences significant" "$work/kind-aa.out"
check_eq "... churn: B - A is 0" 0 "$(get "$work/kind-aa/compare.csv" $sc churn_pairs_per_1k_ios diff_abs)"
check_eq "... not significant" no "$(get "$work/kind-aa/compare.csv" $sc churn_pairs_per_1k_ios significant)"
# with 2 runs a side nothing is decided, of kind or not
$SYNTH "$work/zn2" release=7.3.0-synth seed=23 runs=2 waste=0.2876,0.3179
$DIOSCOPE compare "$work/z0" "$work/zn2" -o "$work/kind2" > /dev/null 2>&1
check_eq "0 -> N with 2 runs: not decidable" "not decidable" \
	"$(get "$work/kind2/compare.csv" $sc churn_pairs_per_1k_ios significant)"

# the same seed gives the same numbers; another seed other intervals
$DIOSCOPE compare "$work/a" "$work/b" -o "$work/again" > /dev/null 2>&1
check "the same comparison gives the same compare.csv" cmp -s "$work/shift/compare.csv" "$work/again/compare.csv"
$DIOSCOPE compare "$work/a" "$work/b" -o "$work/seed" --seed 2 > /dev/null 2>&1
check "--seed 2 gives other intervals" bash -c "! cmp -s '$work/shift/compare.csv' '$work/seed/compare.csv'"

# parameters that differ are refused, naming them
$DIOSCOPE compare "$work/a" "$work/bs" -o "$work/bad" > "$work/bad.out" 2>&1
check_eq "different block sizes are refused (exit 3)" 3 "$?"
check "... naming the parameter and both values" \
	grep -q "refused: block_size_bytes differs: 4096 in $work/a, 65536 in $work/bs" "$work/bad.out"
check_eq "... and compare.csv holds no row of them" 1 "$(grep -c . "$work/bad/compare.csv")"

# tiers that differ are a warning; what a tier cannot see is n/a
$DIOSCOPE compare "$work/a" "$work/tp" -o "$work/tp-out" > "$work/tp.out" 2>&1
check_eq "different tiers are compared (exit 0)" 0 "$?"
check "... with a warning naming the targets" \
	grep -q "attach tiers differ between A and B: .*split (fentry vs -), merge (fentry vs -)" "$work/tp.out"
check "merges not observed show n/a in the table" \
	grep -qE '^  merges/1k IOs +[0-9.]+ +n/a +n/a .*not observed' "$work/tp.out"
check_eq "... and are empty in compare.csv" "" "$(get "$work/tp-out/compare.csv" $sc merges_per_1k_ios value_b)"
check_eq "... and null in compare.json" null \
	"$(jq -r --arg s "$sc" '.rows[] | select(.scenario == $s and .metric == "merges_per_1k_ios") | .b.value' "$work/tp-out/compare.json")"
check_eq "... not 0" "not observed: the tier sees no merges or splits" \
	"$(get "$work/tp-out/compare.csv" $sc merges_per_1k_ios note)"

# emulated results are labelled
$DIOSCOPE compare "$work/emu" "$work/a" -o "$work/emu-out" > "$work/emu.out" 2>&1
check "the emulated kernel is labelled in the table" grep -q "^A  5.10.0-synth (emulated)" "$work/emu.out"
check "... warned about against a real one" grep -q "emulated and real kernels are compared" "$work/emu.out"
check_eq "... and in compare.csv" yes "$(get "$work/emu-out/compare.csv" $sc lat_p50_ns emulated_a)"

# results whose guest clock counted instructions (lab.sh --icount)
$SYNTH "$work/ic1" release=7.3.0-synth seed=17 emulated=yes clock=icount
$SYNTH "$work/ic2" release=7.3.0-synth seed=23 emulated=yes clock=icount scale=1.1
$DIOSCOPE compare "$work/ic1" "$work/ic2" -o "$work/ic" > "$work/ic.out" 2>&1
check_eq "icount against icount: compared (exit 0)" 0 "$?"
check "... labelled in the kernels' list" grep -q "^A  7.3.0-synth (emulated, icount)" "$work/ic.out"
check "... times in instructions, not us" grep -qE '^  p50 latency \(kins\) ' "$work/ic.out"
check "... the table says what kins are" grep -q "times are instructions" "$work/ic.out"
check_eq "... compare.csv's unit" instructions "$(get "$work/ic/compare.csv" $sc lat_p50_ns unit)"
check_eq "... and clock" "icount icount" \
	"$(get "$work/ic/compare.csv" $sc lat_p50_ns clock_a) $(get "$work/ic/compare.csv" $sc lat_p50_ns clock_b)"
check_eq "... compare.json's kernels" "icount icount" "$(jq -r '[.kernels[].clock] | join(" ")' "$work/ic/compare.json")"
$DIOSCOPE compare "$work/ic1" "$work/emu" -o "$work/icmix" > "$work/icmix.out" 2>&1
check_eq "icount against wall clock: refused (exit 3)" 3 "$?"
check "... saying why and how to compare anyway" grep -q "refused: instruction counts and wall times do not compare (--mix-clocks" "$work/icmix.out"
check "... writing no compare.csv" test ! -e "$work/icmix/compare.csv"
$DIOSCOPE compare "$work/ic1" "$work/emu" -o "$work/icmix" --mix-clocks > "$work/icmix.out" 2>&1
check_eq "... --mix-clocks compares them (exit 0)" 0 "$?"
check "... with a warning" grep -q "warning: 1 of 2 results count instructions" "$work/icmix.out"
check_eq "... and each side's clock in compare.csv" "icount wall" \
	"$(get "$work/icmix/compare.csv" $sc lat_p50_ns clock_a) $(get "$work/icmix/compare.csv" $sc lat_p50_ns clock_b)"
check_eq "... the unit stays ns" ns "$(get "$work/icmix/compare.csv" $sc lat_p50_ns unit)"

# three kernels: each against the first
$DIOSCOPE compare "$work/a" "$work/b" "$work/a" -o "$work/three" > "$work/three.out" 2>&1
check_eq "three trees: two comparisons of 11 metrics in 2 scenarios" 45 "$(grep -c . "$work/three/compare.csv")"

# compare.csv goes to the current directory by default
abs=$(cd "$(dirname "$DIOSCOPE")" && pwd)/$(basename "$DIOSCOPE")
(cd "$work" && "$abs" compare a a > /dev/null 2>&1)
check "without -o, compare.csv is written to the current directory" test -s "$work/compare.csv"

# a merge-guard A/B: one kernel, the guard off and in mode dio (a
# summary of before the modes says on; 10 % faster), and in mode all
$SYNTH "$work/goff" release=6.1.0-synth seed=17 guard=off
$SYNTH "$work/gon" release=6.1.0-synth seed=23 guard=on scale=0.9
$SYNTH "$work/gall" release=6.1.0-synth seed=29 guard=all scale=0.9
$DIOSCOPE compare "$work/goff" "$work/gon" "$work/gall" -o "$work/guard" > "$work/guard.out" 2>&1
check_eq "compare of the three arms of a guard A/B exits 0" 0 "$?"
check_eq "... states the guard's difference for each scenario" 2 \
	"$(grep -c "merge guard A/B on 6.1.0-synth (guard off: A, dio: B)" "$work/guard.out")"
check_eq "... and for each mode" 2 \
	"$(grep -c "merge guard A/B on 6.1.0-synth (guard off: A, all: C)" "$work/guard.out")"
check "... with the p99 latency" grep -q "^    p99 latency" "$work/guard.out"
check "... and says whether the traces agree with the difference" \
	grep -qE "^    wasted time vs mean latency: (agree|disagree|cannot tell)" "$work/guard.out"
d=$(awk '/merge guard A\/B/ { in_ab = 1 } in_ab && $1 == "mean" { print $3; exit }' "$work/guard.out")
check "... off - on of the mean latency is the +10 % put in ($d ns/IO)" \
	awk -v d="$d" 'BEGIN { exit !(d > 14000 && d < 26000) }'
check "... next to the traced estimate of the unguarded arm" \
	grep -q "estimated from the traces, guard off" "$work/guard.out"
$DIOSCOPE compare "$work/a" "$work/gon" -o "$work/noguard" > "$work/noguard.out" 2>&1
check "a tree without the guard's column is no guard A/B" not grep -q "merge guard A/B" "$work/noguard.out"

$DIOSCOPE compare "$work/a" > /dev/null 2>&1
check_eq "one tree is a usage error (exit 2)" 2 "$?"
$DIOSCOPE compare "$work/a" "$work/none" > "$work/none.out" 2>&1
check_eq "a missing tree fails (exit 1)" 1 "$?"
check "... naming it" grep -q "none/summary.csv: not found" "$work/none.out"

tap_done
