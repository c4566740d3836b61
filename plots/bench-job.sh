#!/usr/bin/env bash
# One job of a bench (a line of dioscope bench --list-jobs), wherever its
# kernel is: on this machine's kernel (kernel=host), or booted under QEMU
# (a lab kernel, tests/lab/lab.sh), so that lab kernels run side by side
# when a job runner starts several jobs at once:
#
#   plots/bench-job.sh OUT 'kernel=6.12 scenario=... runtime=3'
#
# Host jobs write OUT/host/<release>/..., a lab kernel's OUT/lab-<kernel>/
# <release>/...; a run already there is refused, not replaced. Jobs on
# the host take turns (bench waits for the lock of OUT/host): they would
# measure each other. The exit status is the job's (lab.sh's 69: the
# kernel's package cannot be had, 124: the guest timed out).
set -u
cd "$(dirname "$0")/.."

[ $# -eq 2 ] || { echo "usage: plots/bench-job.sh OUT LINE" >&2; exit 2; }
out=$1 line=$2
lab=tests/lab/lab.sh
dioscope=${DIOSCOPE:-./dioscope}
DIOSCOPE_BIN=${DIOSCOPE_BIN:-$(realpath "$dioscope")}
export DIOSCOPE_BIN

say() { echo "bench-job: $*" >&2; }

kernel=$(sed -n 's/^kernel=\([A-Za-z0-9._-]*\) .*/\1/p' <<< "$line")
[ -n "$kernel" ] || { say "not a job line: $line"; exit 2; }
mkdir -p "$out"

if [ "$kernel" = host ]; then
	exec "$dioscope" bench --job "$line" -o "$out/host"
fi

# The emulating host's machine stands for the guest's: its speed is
# what the guest's times are (bench/machine.h).
machine() {
	local cpu
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1 | tr -d "'|")
	printf '%s|%s|%s|%s' "${cpu:--}" "$(getconf _NPROCESSORS_ONLN)" \
		"$(awk '/^MemTotal:/ { printf "%.0f", $2 * 1024 }' /proc/meminfo)" \
		"$(uname -n)"
}

# In the guest the job runs on the lab's scratch disk; what it writes is
# compressed for the trip back through the lab's fixed-size out disk.
round=$(mktemp -d "$out/.job-$kernel.XXXXXX")
trap 'rm -rf "$round"' EXIT
cmd="umount /mnt && DIOSCOPE_EMULATED=1 DIOSCOPE_MACHINE='$(machine)' dioscope bench \
--device /dev/vdb --force --bench-dir /lab/bench -o /out --job '$line'; rc=\$?; \
find /out -type f -exec gzip {} +; exit \$rc"
"$lab" run "$kernel" --timeout "${LAB_TIMEOUT:-3600}" --disk-size "${LAB_DISK:-2G}" \
	--out "$round" -- "$cmd"
rc=$?
# a job that failed leaves nothing behind: run again, it is not a duplicate
[ "$rc" -eq 0 ] || exit "$rc"
find "$round" -name '*.gz' -exec gunzip -f {} +

# Into the kernel's tree, run by run, under the tree's lock (the one
# bench and report take): two jobs of one kernel finish side by side.
dest=$out/lab-$kernel
mkdir -p "$dest"
(
	flock 9 || exit 1
	find "$round" -type d -name 'run-*' -printf '%P\n' | while read -r rel; do
		if [ -e "$dest/$rel" ]; then
			say "$dest/$rel is there already: this job ran before; kept the first"
			exit 1
		fi
		mkdir -p "$(dirname "$dest/$rel")" && mv "$round/$rel" "$dest/$rel" || exit 1
	done
) 9< "$dest"
