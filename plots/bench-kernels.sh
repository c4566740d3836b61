#!/usr/bin/env bash
# The bench on this machine's kernel and on each kernel of the lab (under
# QEMU: emulated, so their times compare among themselves, not with the
# host's), then one comparison and one set of plots of them all:
#
#   plots/bench-kernels.sh OUT "KERNELS" [BENCH_ARGS...]
#
# KERNELS "all" is every lab kernel (tests/lab/lab.sh kernels); a kernel
# whose package cannot be had (lab.sh's status 69) is skipped with the
# reason.
#
# The kernels are benched round-robin, run by run (host 1, lab A 1, lab B
# 1, host 2, ...: bench --runs 1 --first-run J each time), so that drift of
# the machine falls on every kernel alike rather than on whichever ran
# last; dioscope report then sums each kernel's runs up.
#
# LAB_ICOUNT=1 runs the lab kernels under QEMU's instruction counter
# (tests/lab/lab.sh --icount): their times are instructions, which the
# host's wall-clock times are not, so the host is benched but left out of
# the comparison and the plots.
#
# OUT/host/<release>/ and OUT/lab-<kernel>/<release>/ hold the results
# (each lab kernel's are replaced), OUT/compare.csv the comparison with the
# oldest lab kernel first, OUT/plots the plots. A kernel whose bench fails
# is left out of the comparison; the script then exits 1 at the end.
set -u
cd "$(dirname "$0")/.."

out=$1 kernels=$2
shift 2
lab=tests/lab/lab.sh
dioscope=${DIOSCOPE:-./dioscope}
trees=() failed=() live=()
# the guests run the same program as the host
DIOSCOPE_BIN=${DIOSCOPE_BIN:-$(realpath "$dioscope")}
export DIOSCOPE_BIN

say() { echo "bench-kernels: $*" >&2; }

# --runs N is taken out of the arguments: the rounds are the runs
runs=3 pass=()
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--runs=*) runs=${1#--runs=}; shift ;;
	--first-run|--first-run=*|-f) say "$1 is bench-kernels' own: not an argument"; exit 2 ;;
	*) pass+=("$1"); shift ;;
	esac
done
args=${pass[*]}

[ -x "$lab" ] || { say "$lab is missing: the kernel lab is needed"; exit 1; }
mkdir -p "$out"
rm -rf "$out/host"

[ "$kernels" = all ] && kernels=$("$lab" kernels all)
for k in $kernels; do
	rm -rf "$out/lab-$k"
	why=$("$lab" fetch "$k" 2>&1 >/dev/null)
	case $? in
	0) live+=("$k") ;;
	69) say "kernel $k skipped: $(echo "$why" | tail -1 | sed 's/^lab: //')" ;;
	*) say "kernel $k cannot be fetched: $(echo "$why" | tail -1)"; failed+=("$k") ;;
	esac
done

# One run of a lab kernel: in the guest the bench runs on the lab's scratch
# disk; what it writes is compressed for the trip back through the lab's
# fixed-size out disk, then added to the kernel's results.
lab_run() {	# lab_run KERNEL J
	local k=$1 j=$2 dir=$out/lab-$1 round=$out/lab-$1.round
	local cmd="umount /mnt && DIOSCOPE_EMULATED=1 dioscope bench --device /dev/vdb --force \
--bench-dir /lab/bench -o /out --runs 1 --first-run $j $args; rc=\$?; find /out -type f -exec gzip {} +; exit \$rc"

	rm -rf "$round"
	"$lab" run "$k" --timeout "${LAB_TIMEOUT:-3600}" --disk-size "${LAB_DISK:-2G}" \
		--out "$round" -- "$cmd" || return 1
	find "$round" -name '*.gz' -exec gunzip -f {} +
	mkdir -p "$dir"
	cp -a "$round"/. "$dir"/ && rm -rf "$round"
}

# A kernel whose run fails is left out of the rounds after it.
for j in $(seq "$runs"); do
	say "round $j of $runs"
	if [ -z "${host_failed:-}" ] &&
	   ! "$dioscope" bench -o "$out/host" --runs 1 --first-run "$j" "${pass[@]}"; then
		say "the bench on the host failed"
		failed+=(host) host_failed=1
	fi
	next=()
	for k in "${live[@]}"; do
		say "kernel $k under QEMU, run $j"
		if lab_run "$k" "$j"; then
			next+=("$k")
		else
			say "the bench on lab kernel $k failed"
			failed+=("$k")
		fi
	done
	live=("${next[@]}")
done

# Every run of a kernel, summed up into its summary.csv.
sum_up() {	# sum_up DIR
	local sums=("$1"/*/summary.csv)

	[ -f "${sums[0]}" ] || return 1
	"$dioscope" report "$(dirname "${sums[0]}")" > /dev/null || return 1
	trees+=("$(dirname "${sums[0]}")")
}
for k in $kernels; do
	[ -d "$out/lab-$k" ] || continue
	sum_up "$out/lab-$k" || say "no results from lab kernel $k"
done
if [ -n "${host_failed:-}" ]; then
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
"$dioscope" compare "${trees[@]}" -o "$out" | tee "$out/compare.txt"
rc=${PIPESTATUS[0]}
"$dioscope" plot "${trees[@]}" -o "$out/plots" || rc=1
say "comparison: $out/compare.csv (table: $out/compare.txt), plots: $out/plots"
if [ ${#failed[@]} -gt 0 ]; then
	say "failed: ${failed[*]}"
	exit 1
fi
exit "$rc"
