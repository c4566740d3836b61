#!/bin/sh
# In the guest, on the kernel built from patches/: the merge-guard A/B.
# dioscope bench runs the unwritten scenarios on /dev/vdb with
# dio_merge_guard off, then on, and compare sets the two side by side; the
# results are left in /out for the host to check. The tier is the best per
# function (on 6.1 iomap_dio_rw has too many arguments for fentry).
scenarios="-s unwritten-concurrent -s unwritten-rand"
umount /mnt 2> /dev/null
for g in off on; do
	echo "== bench, guard $g"
	# shellcheck disable=SC2086
	dioscope bench $scenarios --runs "${GUARD_RUNS:-3}" --runtime 3 \
		--size 64M --device /dev/vdb --force \
		--merge-guard $g --bench-dir /lab/bench -o /out/guard-$g ||
		exit 1
done
echo "== compare"
dioscope compare /out/guard-off /out/guard-on -o /out/compare
