#!/usr/bin/env bash
# The bench on this machine's kernel and on each kernel of the lab (under
# QEMU: emulated, so their times compare among themselves, not with the
# host's), then one comparison and one set of plots of them all:
#
#   plots/bench-kernels.sh OUT "KERNELS" [BENCH_ARGS...]
#
# KERNELS "all" is every lab kernel (tests/lab/lab.sh kernels); a kernel
# whose package cannot be had (lab.sh's status 69) is skipped with the
# reason. KERNELS_HOST=no leaves this machine's kernel out.
#
# The bench is listed as jobs (dioscope bench --list-jobs, OUT/jobs.txt),
# one run of one cell on one kernel each, round by round (host 1, lab A
# 1, lab B 1, host 2, ...) so that drift of the machine falls on every
# kernel alike; GNU parallel runs them (plots/bench-job.sh), JOBS at a
# time (default 1: one guest at a time, in the list's order). With more,
# lab guests run side by side; jobs on the host still take turns.
# dioscope report then sums each kernel's runs up.
#
# LAB_ICOUNT=1 runs the lab kernels under QEMU's instruction counter
# (tests/lab/lab.sh --icount): their times are instructions, which the
# host's wall-clock times are not, so the host is benched but left out of
# the comparison and the plots.
#
# OUT/host/<release>/ and OUT/lab-<kernel>/<release>/ hold the results
# (replaced), OUT/jobs.log parallel's log of every job, OUT/compare.csv
# the comparison with the oldest lab kernel first, OUT/plots the plots. A
# kernel a job of which fails is still compared with what it has; the
# script then exits 1 at the end.
set -u
cd "$(dirname "$0")/.."

out=$1 kernels=$2
shift 2
lab=tests/lab/lab.sh
dioscope=${DIOSCOPE:-./dioscope}
jobs=${JOBS:-1}
trees=() failed=() live=()
# the guests run the same program as the host
DIOSCOPE_BIN=${DIOSCOPE_BIN:-$(realpath "$dioscope")}
export DIOSCOPE_BIN DIOSCOPE

say() { echo "bench-kernels: $*" >&2; }

for a in "$@"; do
	case $a in
	--first-run|--first-run=*|-f|--kernel|--kernel=*|--job|--job=*|--shard|--shard=*)
		say "$a is bench-kernels' own: not an argument"; exit 2 ;;
	esac
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { say "JOBS takes a number of jobs at a time, not '$jobs'"; exit 2; }
# moreutils has a parallel of its own, which takes none of this
parallel --version 2>/dev/null | grep -q '^GNU parallel' ||
	{ say "GNU parallel is missing (make deps, or apt-get install parallel)"; exit 1; }
t0=$(date +%s)
[ -x "$lab" ] || { say "$lab is missing: the kernel lab is needed"; exit 1; }
mkdir -p "$out"
rm -rf "$out/host"

[ "$kernels" = all ] && kernels=$("$lab" kernels all)
for k in $kernels; do
	rm -rf "$out/lab-$k"
	why=$("$lab" fetch "$k" 2>&1 >/dev/null)
	case $? in
	0) live+=(--kernel "$k") ;;
	69) say "kernel $k skipped: $(echo "$why" | tail -1 | sed 's/^lab: //')" ;;
	*) say "kernel $k cannot be fetched: $(echo "$why" | tail -1)"; failed+=("$k") ;;
	esac
done
[ "${KERNELS_HOST:-yes}" = no ] || live=(--kernel host "${live[@]}")
[ ${#live[@]} -gt 0 ] || { say "no kernel to bench"; exit 1; }

"$dioscope" bench --list-jobs "${live[@]}" "$@" > "$out/jobs.txt" || exit 2
say "$(wc -l < "$out/jobs.txt") jobs, $jobs at a time"
start=$SECONDS
# a failed job does not stop the others; each line is one argument
parallel -j "$jobs" --joblog "$out/jobs.log" --line-buffer \
	plots/bench-job.sh "$out" {} :::: "$out/jobs.txt"
nfailed=$?
say "the jobs took $((SECONDS - start)) s of wall time"
[ "$nfailed" -eq 0 ] || failed+=("$nfailed job(s), see $out/jobs.log")

# Every run of a kernel, summed up into its summary.csv.
sum_up() {	# sum_up DIR
	local rel

	for rel in "$1"/*/; do
		[ -d "$rel" ] || continue
		"$dioscope" report "${rel%/}" > /dev/null || return 1
		trees+=("${rel%/}")
		return 0
	done
	return 1
}
for k in $kernels; do
	[ -d "$out/lab-$k" ] || continue
	sum_up "$out/lab-$k" || say "no results from lab kernel $k"
done
if [ "${KERNELS_HOST:-yes}" = no ]; then
	:
elif [ "${LAB_ICOUNT:-0}" = 1 ]; then
	# instructions and the host's nanoseconds do not compare
	say "LAB_ICOUNT=1: the host's wall-clock results ($out/host) are left out of the comparison"
else
	sum_up "$out/host" || say "no results from the host"
fi

if [ ${#trees[@]} -lt 2 ]; then
	say "fewer than two kernels have results: nothing to compare"
	exit 1
fi
# a compare.txt that could not be written fails the script
plots/compare-txt.sh "$out" "${trees[@]}"
rc=$?
"$dioscope" plot "${trees[@]}" -o "$out/plots" || rc=1
say "comparison: $out/compare.csv (table: $out/compare.txt), plots: $out/plots"
if [ ${#failed[@]} -gt 0 ]; then
	say "failed: ${failed[*]}"
	exit 1
fi
# how long a whole one took, for make bench's hint (plots/blind-hint.sh)
if [ "$rc" -eq 0 ]; then
	times=${LAB_CACHE:-/var/cache/dioscope/lab}/bench-kernels.times
	printf '%s\t%s\t%s\t%s\n' "$(( $(date +%s) - t0 ))" "$kernels" \
		"$*" "$(date -u +%Y-%m-%d)" >> "$times" 2> /dev/null ||
		say "cannot note the time taken in $times"
fi
exit "$rc"
