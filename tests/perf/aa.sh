#!/usr/bin/env bash
# The A/A check of compare (part of make bench-self; a benchmark, not a
# test): the same kernel benched again and again, and compared with
# itself.
#   - AA_REPEATS + 1 back-to-back sets of `dioscope bench`, set i compared
#     with set i + 1: every metric compare marks significant is a false
#     positive, since nothing changed but the machine's state;
#   - one `bench --aa` (arms alternated run by run) compared, for the null
#     comparison where drift falls on both arms alike;
#   - the spread between runs of an arm per metric (the noise floor) and
#     the runs per arm a 5 % difference needs with it.
#
#   tests/perf/aa.sh [CSV]   append metric,tier,value,unit rows to CSV
#
# AA_REPEATS (10), AA_RUNS (3), AA_RUNTIME (4), AA_SIZE (256M) and
# AA_SCENARIOS ("unwritten-rand overwrite") set the sets' shape.
set -u
cd "$(dirname "$0")/../.."

REPEATS=${AA_REPEATS:-10}
RUNS=${AA_RUNS:-3}
RUNTIME=${AA_RUNTIME:-4}
SIZE=${AA_SIZE:-256M}
SCENARIOS=${AA_SCENARIOS:-unwritten-rand overwrite}
OUT=${1:-}
DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-aa.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP

[ "$(id -u)" -eq 0 ] || { echo "aa.sh needs root (bench)" >&2; exit 1; }
row() { [ -z "$OUT" ] || echo "$1,$2,$3,$4" >> "$OUT"; }
sargs=()
for s in $SCENARIOS; do sargs+=(-s "$s"); done

bench_set() {	# bench_set DIR [ARGS...]
	local dir=$1
	shift
	"$DIOSCOPE" bench "${sargs[@]}" --runs "$RUNS" --runtime "$RUNTIME" \
		--size "$SIZE" -o "$dir" "$@" > "$dir.log" 2>&1
}

# verdicts CSV -> "significant noise undecidable compared old_rule"; the
# old rule: per-IO p < 0.05 and an interval that excludes 0
verdicts() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { sub(/\r$/, "", $i); h[$i] = i }; next }
		{ v = $h["significant"] }
		v == "yes" { s++ } v == "noise" { n++ } v == "not decidable" { u++ } v != "" { c++ }
		$h["p_ios"] != "" && $h["p_ios"] < 0.05 && ($h["ci_lo_pct"] > 0 || $h["ci_hi_pct"] < 0) { o++ }
		END { printf "%d %d %d %d %d\n", s, n, u, c, o }' "$1"
}

echo "A/A: $((REPEATS + 1)) back-to-back sets of $RUNS runs of $RUNTIME s ($SCENARIOS)" >&2
for i in $(seq $((REPEATS + 1))); do
	echo "  set $i of $((REPEATS + 1))" >&2
	bench_set "$work/set-$i" || { echo "aa.sh: bench failed, see below" >&2; tail -5 "$work/set-$i.log" >&2; exit 1; }
done
tot=(0 0 0 0 0)
: > "$work/spreads"
printf "%-10s %12s %8s %8s %10s\n" "A/A pair" significant noise compared "per-IO rule"
for i in $(seq "$REPEATS"); do
	"$DIOSCOPE" compare "$work/set-$i" "$work/set-$((i + 1))" -o "$work/cmp-$i" \
		> "$work/cmp-$i.txt" 2>&1
	read -r -a v <<<"$(verdicts "$work/cmp-$i/compare.csv")"
	printf "%-10s %12s %8s %8s %10s\n" "$i vs $((i + 1))" "${v[0]}" "${v[1]}" "${v[3]}" "${v[4]}"
	for k in 0 1 2 3 4; do tot[k]=$((tot[k] + v[k])); done
	grep -h '\*$' "$work/cmp-$i.txt" | sed "s/^/    $i vs $((i + 1)): /"
	# the spread between runs of set i, per scenario and metric
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { sub(/\r$/, "", $i); h[$i] = i }; next }
		$h["run_spread_a_pct"] != "" && $h["significant"] != "" { print $h["scenario"], $h["metric"], $h["run_spread_a_pct"] }' \
		"$work/cmp-$i/compare.csv" >> "$work/spreads"
done
rate=$(awk -v s="${tot[0]}" -v c="${tot[3]}" 'BEGIN { printf "%.1f", c ? 100 * s / c : 0 }')
orate=$(awk -v s="${tot[4]}" -v c="${tot[3]}" 'BEGIN { printf "%.1f", c ? 100 * s / c : 0 }')
echo "back-to-back: ${tot[0]} of ${tot[3]} metric comparisons significant ($rate %), ${tot[1]} noise;"
echo "  the per-IO rule compare used before would have marked ${tot[4]} ($orate %)"
row aa_significant host "${tot[0]}" metrics
row aa_compared host "${tot[3]}" metrics
row aa_false_positive_rate host "$rate" %
row aa_false_positive_rate_per_io_rule host "$orate" %

# the null comparison with the arms alternated run by run
echo "  bench --aa" >&2
if bench_set "$work/aa" --aa; then
	"$DIOSCOPE" compare "$work/aa/A" "$work/aa/B" -o "$work/cmp-aa" > "$work/cmp-aa.txt" 2>&1
	read -r -a v <<<"$(verdicts "$work/cmp-aa/compare.csv")"
	echo "bench --aa (alternated arms): ${v[0]} of ${v[3]} significant, ${v[1]} noise (per-IO rule: ${v[4]})"
	row aa_alternated_significant host "${v[0]}" metrics
	row aa_alternated_compared host "${v[3]}" metrics
else
	echo "bench --aa failed: $(tail -1 "$work/aa.log")"
fi

# the noise floor: the median spread between runs per metric, and the
# runs per arm a difference of 5 % and of 10 % needs with it: 80 % power
# for Welch's t on the runs (df 2n - 2) at Holm's first step over the M
# metrics of a scenario, alpha 0.05 / M two-sided. The normal
# approximation alone would say 3 runs where 5 are needed: with 3 runs an
# arm, t has 4 degrees of freedom and its quantile is twice the normal's.
# A difference within the spread is called noise whatever the runs.
echo
echo "noise floor: spread between runs of one arm (sd / mean, median over the sets)"
printf "  %-28s %-24s %8s %14s %14s\n" scenario metric "sd %" "runs for 5 %" "runs for 10 %"
sort -k1,1 -k2,2 -k3,3g "$work/spreads" | awk '
	# the normal quantile (Acklam'"'"'s rational approximation, |error| < 1.2e-9)
	function qnorm(p,   q, r) {
		if (p < 0.02425) {
			q = sqrt(-2 * log(p))
			return (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q + 4.374664141464968e+00) * q + 2.938163982698783e+00) / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1)
		}
		if (p > 1 - 0.02425)
			return -qnorm(1 - p)
		q = p - 0.5; r = q * q
		return (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577518672690e+02) * r - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r - 1.328068155288572e+01) * r + 1)
	}
	# the t quantile from the normal one (Cornish-Fisher, four terms)
	function qt(p, v,   z) {
		z = qnorm(p)
		return z + (z^3 + z) / (4 * v) + (5 * z^5 + 16 * z^3 + 3 * z) / (96 * v^2) + (3 * z^7 + 19 * z^5 + 17 * z^3 - 15 * z) / (384 * v^3) + (79 * z^9 + 776 * z^7 + 1482 * z^5 - 1920 * z^3 - 945 * z) / (92160 * v^4)
	}
	function runs(sd, d,   n, v) {
		if (sd >= d) return "noise"
		if (sd == 0) return 3
		for (n = 3; n <= 500; n++) {
			v = 2 * n - 2
			if (d / (sd * sqrt(2 / n)) >= qt(1 - 0.025 / m, v) + qt(0.8, v))
				return n
		}
		return "> 500"
	}
	function flush() {
		if (!n) return
		md = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		printf "  %-28s %-24s %8.1f %14s %14s\n", sc, me, md, runs(md, 5), runs(md, 10)
		printf "ROW aa_run_spread_pct,%s:%s,%.2f,%%\n", sc, me, md
	}
	NR == FNR { metrics[$1]++; next }
	$1 != sc || $2 != me { flush(); sc = $1; me = $2; n = 0; m = metrics[sc] / '"$REPEATS"' }
	{ v[++n] = $3 }
	END { flush() }' "$work/spreads" - > "$work/floor"
grep -v '^ROW ' "$work/floor"
[ -z "$OUT" ] || sed -n 's/^ROW //p' "$work/floor" >> "$OUT"
echo "kernel $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
