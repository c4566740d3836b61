#!/usr/bin/env bash
# make findings: the churn scenarios x lab kernels under QEMU's instruction
# counter (README, "Where the churn is: measured"), and their table.
#
#   findings.sh run [-o DIR] [KERNEL...]
#       for each kernel (default: FINDINGS_KERNELS), one boot of the lab
#       under --icount that benches the five churn scenarios, their runs
#       interleaved as bench does, into DIR/<kernel>/ (every run kept, its
#       log in DIR/<kernel>.log). DIR: FINDINGS_OUT, else build/findings.
#   findings.sh table [--calibration FILE] [--csv FILE] DIR...
#       per scenario and kernel, the mean over the runs and its 95 % t
#       interval of what each run's summary.csv and ios.csv say
#       (build/perf/findings; its usage says what each column is).
#
# FINDINGS_KERNELS ("7.3 6.18 6.12 5.10 6.1"), FINDINGS_RUNS (5),
# FINDINGS_RUNTIME (seconds of guest time a run, 25), FINDINGS_SIZE (64M),
# FINDINGS_TIMEOUT (a boot's limit, 3600 s), FINDINGS_BENCH_ARGS (more
# options for bench, e.g. "--tier fentry": one tier on every kernel; the
# writeback scenarios then see no IO where their window is a tracepoint).
set -u
cd "$(dirname "$0")/../.."

SCENARIOS="sparse-concurrent sparse-rand writeback-fallocate-ahead writeback-zero-range dio-zero-range"
KERNELS=${FINDINGS_KERNELS:-7.3 6.18 6.12 5.10 6.1}
RUNS=${FINDINGS_RUNS:-5}
RUNTIME=${FINDINGS_RUNTIME:-25}
SIZE=${FINDINGS_SIZE:-64M}
TIMEOUT=${FINDINGS_TIMEOUT:-3600}
BENCH_ARGS=${FINDINGS_BENCH_ARGS:-}
TABLE=build/perf/findings
# The guest keeps /out in memory and hands it back as a tar on a disk of
# LAB_OUT_SIZE: 25 runs of these scenarios overran the lab's 256M
# (a writeback-zero-range run has tens of thousands of IOs), and the tar
# came back cut. The disk is a sparse file: room costs nothing unused.
export LAB_OUT_SIZE=${LAB_OUT_SIZE:-1536M}

usage() {
	echo "usage: findings.sh run [-o DIR] [KERNEL...]" >&2
	echo "       findings.sh table [--calibration FILE] [--csv FILE] DIR..." >&2
	exit 2
}

# the guest's command: one bench of every scenario; events.csv is left
# out (events.bin, from which report makes it, stays) to keep /out small
bench_cmd() {
	local s args=""

	for s in $SCENARIOS; do
		args="$args -s $s"
	done
	echo "umount /mnt && DIOSCOPE_EMULATED=1 dioscope bench --device /dev/vdb" \
		"--force --bench-dir /lab/bench -o /out --no-events --runs $RUNS$args" \
		"--runtime $RUNTIME --size $SIZE${BENCH_ARGS:+ $BENCH_ARGS}"
}

run() {
	local out=${FINDINGS_OUT:-build/findings} k rc=0 t0

	if [ "${1:-}" = -o ]; then
		[ $# -ge 2 ] || usage
		out=$2
		shift 2
	fi
	[ $# -gt 0 ] || set -- $KERNELS
	mkdir -p "$out" || exit 1
	for k in "$@"; do
		if [ -e "$out/$k" ]; then
			echo "findings: $out/$k exists: not overwritten (move it away)" >&2
			rc=1
			continue
		fi
		t0=$(date +%s)
		echo "findings: $k: $(bench_cmd)"
		if tests/lab/lab.sh run "$k" --icount --disk-size 2G \
			--timeout "$TIMEOUT" --out "$out/$k" -- "$(bench_cmd)" \
			> "$out/$k.log" 2>&1; then
			echo "findings: $k: done in $(($(date +%s) - t0)) s (real)"
		else
			echo "findings: $k: the lab failed (status $?), see $out/$k.log" >&2
			rc=1
		fi
	done
	return $rc
}

table() {
	[ -x "$TABLE" ] || { echo "findings: no $TABLE (make findings builds it)" >&2; exit 2; }
	exec "$TABLE" "$@"
}

case ${1:-} in
run) shift; run "$@" ;;
table) shift; table "$@" ;;
*) usage ;;
esac
