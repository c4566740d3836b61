#!/bin/sh
# In a lab guest: ZERO_RANGE over the block that holds i_size, without
# KEEP_SIZE, so that it extends the file, replayed by bench/torture from
# a log of a few operations (the pattern of the torture's one mismatch
# on 7.3, patches/README.md). Each case on a file of its own:
#
#   aligned    block-aligned zero range over a written, synced block that
#              holds i_size in its middle (the mismatch's pattern)
#   keep-size  the same with KEEP_SIZE: the size does not move
#   unaligned  the same range starting one byte later
#   dirty      the same as aligned, the block not synced before
#   eof-block  the same as aligned, but the write ends at the end of its
#              block: i_size is block-aligned
#
# A buffered read right after the zero range and a direct read after an
# fsync are checked against the model (zeros); then, after dropping the
# caches, the first bytes the buffered write put there are read from the
# disk again.
#
# Writes to /out/zero-eof/CASE/: rc (the replay's exit status), out.txt
# (its summary and mismatches) and disk.txt (4 bytes at the written
# offset after the cache drop, in hex: 00 00 00 00 when zeroed).
O=/out/zero-eof
T=/lab/bench/torture
# the mismatch's numbers: a buffered write at W, LEN bytes, ends in the
# block at Z (i_size then W + LEN, inside that block); the zero range is
# two blocks from Z
W=8053071
LEN=2182
Z=8052736
mkdir -p $O

# log CASE: the replay log of one case
log() {
	echo "# torture threads 1 files 1 size 8388608 chunk 16384 seed 1"
	echo "1 0 0 truncate $Z 0 1"
	if [ "$1" = eof-block ]; then
		echo "2 0 0 write_buffered $W $((Z + 4096 - W)) 7"
	else
		echo "2 0 0 write_buffered $W $LEN 7"
	fi
	[ "$1" = dirty ] || echo "3 0 0 fsync 0 0 1"
	case $1 in
	keep-size) echo "4 0 0 zero_range_keep_size $Z 8192 1" ;;
	unaligned) echo "4 0 0 zero_range $((Z + 1)) 8191 1" ;;
	*) echo "4 0 0 zero_range $Z 8192 1" ;;
	esac
	echo "5 0 0 read_buffered $Z 8192 1"
	echo "6 0 0 fsync 0 0 1"
	echo "7 0 0 read_direct $Z 8192 1"
}

for c in aligned keep-size unaligned dirty eof-block; do
	d=/mnt/zero-eof-$c
	mkdir -p $O/$c $d
	log $c > $O/$c/replay.log
	$T --replay $O/$c/replay.log $d > $O/$c/out.txt 2>&1
	echo $? > $O/$c/rc
	sync
	echo 3 > /proc/sys/vm/drop_caches
	dd if=$d/torture.0 bs=1 skip=$W count=4 2> /dev/null | od -An -tx1 |
		tr -s ' ' | sed 's/^ //' > $O/$c/disk.txt
	echo "== zero-eof $c: exit $(cat $O/$c/rc), on disk after the cache drop: $(cat $O/$c/disk.txt)"
	grep -E 'MISMATCH|^result' $O/$c/out.txt
	rm -rf $d
done
exit 0
