#!/bin/sh
# In a lab guest: two programs that are not fio, from Debian's packages,
# recorded by dioscope under profile-run.sh (ftrace's count of the traced
# functions over the same run), then reported. A recording without fio
# gets the kernel's latency percentiles and IOPS.
#
#   programs.sh            both programs
#   programs.sh NAME       one of them: xfs_io or qemu-img
#
# xfs_io (xfsprogs) fallocates a file and writes it front to back in
# synchronous 16 KiB direct writes: every write goes into an unwritten
# extent, which is split (at submission up to 6.18, at completion on 7.x).
# qemu-img (qemu-utils) converts a raw image of random data into a new,
# sparse one with cache=none, 16 coroutines writing out of order: direct
# writes into holes, side by side and in flight together, which 7.x
# merges on insertion and splits again at completion.
#
# Writes to /out/prog-NAME/: rc, profile.csv (ftrace's calls), counts.csv,
# summary.csv, meta, report.txt and record.log; only "missing" when the
# guest lacks the program (the host lacks its package).
FUNCS=$(cat /lab/functions)
# a first run with the default plan, as a user's would be
export DIOSCOPE_STATE_DIR=/tmp/programs-state

# run NAME COMMAND...: COMMAND recorded and counted into /out/prog-NAME
run() {
	name=$1
	shift
	O=/out/prog-$name
	rec=/tmp/prog-$name
	echo "== $name: $*"
	mkdir -p "$O"
	if ! command -v "$1" > /dev/null; then
		echo "$1: not in the guest" | tee "$O/missing"
		return
	fi
	t0=$(date +%s)
	# shellcheck disable=SC2086 # one word per function
	sh /lab/profile-run.sh -o "$O/profile.csv" $FUNCS -- \
		dioscope record -f -o "$rec" -- "$@" > "$O/record.log" 2>&1
	rc=$?
	dioscope report "$rec" > "$O/report.txt" 2>&1 || rc=1
	echo $rc > "$O/rc"
	echo "$name: recorded and reported in $(($(date +%s) - t0)) s of guest time"
	cp "$rec/counts.csv" "$rec/summary.csv" "$rec/meta" "$O/" 2> /dev/null
	cat "$O/record.log" "$O/profile.csv" "$O/counts.csv" "$O/report.txt"
}

xfs_io_run() {
	rm -f /mnt/xfs_io.dat
	sync
	run xfs_io xfs_io -d -f -c 'falloc 0 8m' -c 'pwrite -q -b 16k 0 8m' /mnt/xfs_io.dat
	rm -f /mnt/xfs_io.dat
}

qemu_img_run() {
	rm -f /mnt/src.raw /mnt/dst.raw
	# 64 MiB that no zero detection skips (32 writes of 2 MiB, qemu-img's
	# buffer), read through the page cache
	dd if=/dev/urandom of=/mnt/src.raw bs=1M count=64 2> /dev/null
	sync
	run qemu-img qemu-img convert -t none -W -m 16 -f raw -O raw /mnt/src.raw /mnt/dst.raw
	rm -f /mnt/src.raw /mnt/dst.raw
}

case ${1:-all} in
xfs_io) xfs_io_run ;;
qemu-img) qemu_img_run ;;
all) xfs_io_run; qemu_img_run ;;
*) echo "programs.sh: unknown program '$1'" >&2; exit 2 ;;
esac
exit 0
