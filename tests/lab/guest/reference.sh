#!/bin/sh
# In the guest: the reference workload (fio, 4 KiB, direct=1, sync=1,
# sequential then random writes into a fallocated file on /mnt) recorded
# by dioscope in tier $1, while ftrace's function tracer counts calls of
# the same functions independently. Prints "function,ftrace,dioscope"
# rows; the recording is copied to /out/$1.
# (Debian's kernels do not build the function profiler, so the function
# tracer's own records are counted instead; an overrun voids the count.)
tier=$1
T=/sys/kernel/tracing
funcs="iomap_dio_rw iomap_dio_complete ext4_iomap_begin ext4_dio_write_end_io
ext4_ext_map_blocks ext4_convert_unwritten_extents ext4_split_extent_at
ext4_ext_try_to_merge_right ext4_ext_try_to_merge"
rec=/tmp/rec-$tier

rm -f /mnt/f
fallocate -l 16M /mnt/f
sync
: > $T/set_ftrace_filter
for f in $funcs; do
	grep -q "^$f\$" $T/available_filter_functions && echo "$f" >> $T/set_ftrace_filter
done
echo 32768 > $T/buffer_size_kb
echo function > $T/current_tracer
echo > $T/trace
echo 1 > $T/tracing_on

# the recording goes to tmpfs: its own writes must not touch ext4
dioscope record -o $rec --tier "$tier" -- sh -c '
	fio --name=seq --filename=/mnt/f --rw=write --bs=4k --size=1M \
		--direct=1 --sync=1 --ioengine=psync --output=/dev/null &&
	fio --name=rand --filename=/mnt/f --rw=randwrite --bs=4k --size=2M \
		--offset=2M --direct=1 --sync=1 --ioengine=psync --randrepeat=0 \
		--output=/dev/null' > /tmp/record.log 2>&1
rc=$?
echo 0 > $T/tracing_on
if [ $rc -ne 0 ]; then
	echo "record failed ($rc):"
	cat /tmp/record.log
	exit 1
fi
overrun=$(cat $T/per_cpu/cpu*/stats | awk '/^overrun:/ { n += $2 } END { print n + 0 }')
awk '{ for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { n[$(i + 1)]++; break } }
     END { for (f in n) print f, n[f] }' $T/trace > /tmp/ftrace.counts
echo nop > $T/current_tracer
: > $T/set_ftrace_filter

echo "overrun,$overrun"
for f in $funcs; do
	ft=$(awk -v f="$f" '$1 == f { print $2 }' /tmp/ftrace.counts)
	grep -q "^$f\$" $T/available_filter_functions || ft=absent
	ds=$(awk -F, -v f="$f" '$2 == f { sub(/\r$/, "", $4); print $4 "/" $3 }' $rec/counts.csv)
	echo "$f,${ft:-0},$ds"
done
mkdir -p /out/$tier
cp $rec/* /out/$tier/
