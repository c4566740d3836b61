#!/usr/bin/env bash
# make bench's last words (plots/blind-hint.sh): on results whose tier
# could not see merges and splits, the one command that does here and how
# long it takes: the last time it finished here, else an estimate from its
# jobs timed one by one, for as many jobs as it would run; nothing on
# results that saw them. Needs no root: the results are a synthetic run's.
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

# estimate_ok TEXT HOST K73 K61: the hint names that many jobs of each
# kernel, and its total is their count times the seconds it says a job
# took on each, to the minute
estimate_ok() {
	local text s_h s_73 s_61 n total
	text=$(tr '\n' ' ' <<< "$1")
	read -r s_h s_73 s_61 <<< "$(sed -nE 's/.*a job took ([0-9]+) s on the host, ([0-9]+) s on 7\.3 and ([0-9]+) s on 6\.1.*/\1 \2 \3/p' <<< "$text")"
	n=$(sed -nE 's/.*jobs \(([0-9]+) on the host, ([0-9]+) on 7\.3, ([0-9]+) on 6\.1[;)].*/\1 \2 \3/p' <<< "$text")
	# "1 h 09 min" or "3 min": in minutes
	total=$(sed -nE 's/.*come to about (([0-9]+) h )?([0-9]+) min.*/\2 \3/p' <<< "$text" |
		awk 'NF { print ($2 == "" ? $1 : $1 * 60 + $2) }')
	[ -n "$s_61" ] && [ "$n" = "$2 $3 $4" ] || return 1
	[ "$total" = $(( ($2 * s_h + $3 * s_73 + $4 * s_61) / 60 )) ]
}

out=$(plots/blind-hint.sh "$work/run")
check "a blind tier is told the command that sees merges" \
	grep -q "make bench-kernels LAB_KERNELS='7.3 6.1'" <<< "$out"
check "untimed here, it says so and when and where its jobs were timed" \
	grep -q "It has not finished on this machine yet. Timed one job at a time" <<< "$out"
n=$($DIOSCOPE bench --list-jobs --kernel host --kernel 7.3 --kernel 6.1 \
	--runs 3 --runtime 3 --size 64M | awk '{ n[$1]++ }
	END { print n["kernel=host"] + 0, n["kernel=7.3"] + 0, n["kernel=6.1"] + 0 }')
# shellcheck disable=SC2086 # three counts
check "... and estimates the time of the jobs it would run ($n)" estimate_ok "$out" $n

# a bench of fewer jobs: the estimate follows the list
cat > "$work/lister" <<'SH'
#!/bin/sh
printf 'kernel=host scenario=a\nkernel=host scenario=b\nkernel=7.3 scenario=a\nkernel=6.1 scenario=a\n'
SH
chmod +x "$work/lister"
out=$(DIOSCOPE=$work/lister plots/blind-hint.sh "$work/run")
check "the estimate counts the jobs listed (2, 1, 1)" estimate_ok "$out" 2 1 1
out=$(DIOSCOPE=/bin/false plots/blind-hint.sh "$work/run")
check "without a list, the jobs of the default arguments as timed, said so" \
	grep -q "as the default arguments made then: /bin/false lists none" <<< "$(tr '\n' ' ' <<< "$out")"
check "... and still a time" estimate_ok "$out" 36 36 36

printf '2712\t7.3 6.1\t--runs 3 --runtime 3 --size 64M\t2026-12-01\n' \
	> "$LAB_CACHE/bench-kernels.times"
printf '99\t6.1\t--runs 1\t2026-12-02\n' >> "$LAB_CACHE/bench-kernels.times"
out=$(plots/blind-hint.sh "$work/run")
check "timed, it says how long the same kernels took" \
	grep -q "It took 45 min 12 s here the last time (2026-12-01, KERNELS_BENCH_ARGS='--runs 3 --runtime 3 --size 64M')" <<< "$out"
check "... and no estimate beside it" not grep -q "not finished" <<< "$out"

jq '.scenarios[].coverage.merges_observed = true' "$work/run/summary.json" \
	> "$work/seen.json" && mv "$work/seen.json" "$work/run/summary.json"
check_eq "a tier that saw merges gets no hint" "" "$(plots/blind-hint.sh "$work/run")"
check_eq "nor do results without a summary" "" "$(plots/blind-hint.sh "$work/none")"

tap_done
