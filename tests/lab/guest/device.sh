#!/bin/sh
# In a lab guest, last of the checks (it takes the scratch disk): bench
# --device refuses a disk a partition of which is mounted, even with
# --force, and keeps that partition's files. The host's kernel has no
# partition tables to try this with.
#
# Writes to /out/device/: rc (bench's status on /dev/vdb), err (what it
# said), kept ("yes" when the mounted partition's file is still there).
O=/out/device
mkdir -p $O /tmp/part
echo "== bench --device with a partition mounted"
umount /mnt 2>/dev/null
# an MBR of one Linux partition (type 0x83): sectors 2048 to 67583
printf '\000\040\041\000\203\000\000\000\000\010\000\000\000\000\001\000' |
	dd of=/dev/vdb bs=1 seek=446 conv=notrunc 2>/dev/null
printf '\125\252' | dd of=/dev/vdb bs=1 seek=510 conv=notrunc 2>/dev/null
blockdev --rereadpt /dev/vdb
mkfs.ext4 -q -F /dev/vdb1 && mount /dev/vdb1 /tmp/part && echo mine > /tmp/part/keep
dioscope bench --device /dev/vdb --force --bench-dir /lab/bench -o /tmp/dev-out \
	-s unwritten-seq --runs 1 --size 16M --runtime 1 > /dev/null 2> $O/err
echo $? > $O/rc
cat $O/err
[ "$(cat /tmp/part/keep 2>/dev/null)" = mine ] && echo yes > $O/kept || echo no > $O/kept
umount /tmp/part
