#!/usr/bin/env bash
# A bench as jobs: a small matrix listed with bench --list-jobs, run as two
# shards into two separate results trees, merged by report -o; report and
# compare see every cell of the job list exactly once, and a run of a cell
# found in both trees (a job run twice) is refused.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-jobs.XXXXXX")
cleanup() {
	leftovers_down "$work"
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "bench job tests"
command -v fio >/dev/null || { skip "bench job tests" "fio is not installed"; tap_done; exit 0; }
mkdir -p "$work/tmp"
export TMPDIR=$work/tmp

args=(-s unwritten-seq -s sparse-rand --runs 2 --size 16M --runtime 1)
$DIOSCOPE bench --list-jobs "${args[@]}" > "$work/jobs.txt"
check_eq "--list-jobs exits 0" 0 "$?"
check_eq "2 scenarios x 2 runs: 4 jobs" 4 "$(wc -l < "$work/jobs.txt")"
check_eq "no job twice" 4 "$(sort -u "$work/jobs.txt" | wc -l)"
check "round by round: run 1 of both before run 2" \
	test "$(sed 's/.* run=\([0-9]*\) .*/\1/' "$work/jobs.txt" | tr -d '\n')" = 1122
$DIOSCOPE bench --list-jobs "${args[@]}" > "$work/jobs2.txt"
check "the list is the same each time" cmp -s "$work/jobs.txt" "$work/jobs2.txt"

# the two halves of the list, on "two machines"
$DIOSCOPE bench --shard 0/2 "${args[@]}" -o "$work/t1" > "$work/s1.out" 2>&1
check_eq "shard 0/2 exits 0" 0 "$?"
$DIOSCOPE bench --shard 1/2 "${args[@]}" -o "$work/t2" > "$work/s2.out" 2>&1
check_eq "shard 1/2 exits 0" 0 "$?"
n1=$(find "$work/t1" -type d -name 'run-*' | wc -l)
n2=$(find "$work/t2" -type d -name 'run-*' | wc -l)
check_eq "each shard ran 2 jobs" "2 2" "$n1 $n2"
meta=$(find "$work/t1" -name meta | head -1)
check "meta says the machine" grep -q '^machine_cpu_model=.' "$meta"
check_eq "meta's core count" "machine_cores=$(getconf _NPROCESSORS_ONLN)" \
	"$(grep '^machine_cores=' "$meta")"
check "meta says the run's start" grep -q '^run_start_ns=[0-9]' "$meta"

# the union: every job's run once
$DIOSCOPE report -o "$work/u" "$work/t1" "$work/t2" > "$work/u.out" 2> "$work/u.err"
check_eq "report -o UNION T1 T2 exits 0" 0 "$?"
rel=$(uname -r)
expected=$(sed 's/^kernel=[^ ]* scenario=\([^ ]*\) bs=\([^ ]*\) variant=\([^ ]*\) .* run=\([0-9]*\) .*/\1.\2.\3\/run-\4/' \
	"$work/jobs.txt" | sort)
got=$(cd "$work/u/$rel" && find . -maxdepth 2 -name 'run-*' | sed 's|^\./||' | sort)
check_eq "the union's runs are the job list" "$(echo $expected)" "$(echo $got)"
sum=$work/u/$rel/summary.csv
check_eq "summary.csv: a row per cell of the list" 2 "$(($(wc -l < "$sum") - 1))"
runs_col=$(head -1 "$sum" | tr ',' '\n' | grep -nx runs | cut -d: -f1)
check_eq "each cell sums up 2 runs" "2 2" \
	"$(awk -F, -v c="$runs_col" 'NR > 1 { printf "%s ", $c }' "$sum" | sed 's/ $//')"
$DIOSCOPE compare "$work/u" "$work/u" -o "$work/cmp" > "$work/cmp.out" 2>&1
check_eq "compare reads the union" 0 "$?"
c=$(head -1 "$work/cmp/compare.csv" | tr ',' '\n' | grep -nx runs_a | cut -d: -f1)
check_eq "compare: each cell once, with its 2 runs" \
	"sparse-rand.4k.default 2 unwritten-seq.4k.default 2" \
	"$(awk -F, -v c="$c" 'NR > 1 && $2 == "lat_p50_ns" { printf "%s %s ", $1, $c }' "$work/cmp/compare.csv" | sed 's/ $//')"

# a job run twice: refused by bench in its own tree, by report across trees
first=$(head -1 "$work/jobs.txt")
$DIOSCOPE bench --job "$first" -o "$work/t1" > /dev/null 2> "$work/again.err"
check_eq "the same job into the same tree is refused" 1 "$?"
check "and says it ran before" grep -q "ran before" "$work/again.err"
$DIOSCOPE bench --job "$first" -o "$work/t2" > /dev/null 2>&1
check_eq "the same job into the other tree runs" 0 "$?"
$DIOSCOPE report -o "$work/u2" "$work/t1" "$work/t2" > /dev/null 2> "$work/dup.err"
check_eq "a union with a run twice is refused" 1 "$?"
cell=$(sed 's/^kernel=[^ ]* scenario=\([^ ]*\) bs=\([^ ]*\) variant=\([^ ]*\) .*/\1.\2.\3/' <<< "$first")
check "naming the run ($cell/run-1)" grep -q "$cell/run-1 is in .* and in" "$work/dup.err"
check "and nothing is made" not test -e "$work/u2"
$DIOSCOPE bench --job "kernel=host scenario=sparse-rand" -o "$work/t3" > /dev/null 2>&1
check_eq "a bad job line is refused" 2 "$?"

tap_done
