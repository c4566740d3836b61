#!/bin/sh
# In a lab guest: what patches/7.3's fix costs and saves, without the
# tracer in the way. bench/sparse-concurrent.fio (four writers filling
# the holes of a sparse file side by side, 16 IOs in flight each) runs
# RUNS times (3) on a fresh ext4, each under profile-run.sh; after each
# run FIEMAP counts the file's extents. One CSV row per run:
#   run,ios,split_extent_at,try_to_merge_right,insert_extent,extents_after,mean_lat_us
# ios and mean_lat_us from fio's per-IO latency logs (emulated time).
runs=${RUNS:-3}
funcs="ext4_split_extent_at ext4_ext_try_to_merge_right ext4_ext_insert_extent"
umount /mnt 2> /dev/null
echo "run,ios,split_extent_at,try_to_merge_right,insert_extent,extents_after,mean_lat_us"
i=1
while [ $i -le "$runs" ]; do
	mkfs.ext4 -q -F /dev/vdb 2> /dev/null && mount /dev/vdb /mnt || exit 1
	truncate -s 32M /mnt/f
	sync
	rm -rf /tmp/fc && mkdir -p /tmp/fc
	# the function tracer: on the lab's own 7.3 build the guest died at
	# the second use of the function profiler in a boot (an instruction
	# fetch at 0x8800 from the patched entry of ext4_ext_insert_extent)
	DS_FILE=/mnt/f DS_SIZE=32M DS_BS=4k DS_RUNTIME=${RUNTIME:-3} DS_LOG=/tmp/fc/l \
		sh /lab/profile-run.sh -m tracer -o /tmp/fc/calls.csv $funcs -- \
		fio --eta=never --output=/dev/null /lab/bench/sparse-concurrent.fio || exit 1
	sync
	ext=$(filefrag /mnt/f | sed -n 's/.*: \([0-9]*\) extents\{0,1\} found/\1/p')
	lat=$(cat /tmp/fc/l_lat.*.log | awk -F, '{ n++; s += $2 } END { printf "%d,%.0f", n, n ? s / n / 1000 : 0 }')
	c() { awk -F, -v f="$1" '$1 == f { print $2 }' /tmp/fc/calls.csv; }
	echo "$i,${lat%%,*},$(c ext4_split_extent_at),$(c ext4_ext_try_to_merge_right),$(c ext4_ext_insert_extent),$ext,${lat#*,}"
	umount /mnt
	i=$((i + 1))
done
mount /dev/vdb /mnt
