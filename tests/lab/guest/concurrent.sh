#!/bin/sh
# In the guest: bench/unwritten-concurrent.fio recorded by dioscope in
# tier $1 with ftrace's function tracer counting merges and splits over
# the same window (switched on and off inside the recorded command), then
# `dioscope report` on the recording. Prints "function,ftrace,dioscope"
# rows and the report.
tier=$1		# empty: the best tier per function
T=/sys/kernel/tracing
rec=/tmp/conc-$tier

rm -f /mnt/f
fallocate -l 32M /mnt/f
sync
echo ext4_split_extent_at > $T/set_ftrace_filter
echo ext4_ext_try_to_merge_right >> $T/set_ftrace_filter
echo 32768 > $T/buffer_size_kb
echo function > $T/current_tracer
echo 0 > $T/tracing_on
echo > $T/trace

export DS_FILE=/mnt/f DS_BS=4k DS_SIZE=32M DS_RUNTIME=3 DS_LOG=$rec/fio
mkdir -p $rec
dioscope record -f -o $rec ${tier:+--tier $tier} -- sh -c "
	echo 1 > $T/tracing_on
	fio --output-format=json --output=$rec/fio.json /lab/bench/unwritten-concurrent.fio
	rc=\$?
	echo 0 > $T/tracing_on
	exit \$rc" > /tmp/conc.log 2>&1 || { cat /tmp/conc.log; exit 1; }
overrun=$(cat $T/per_cpu/cpu*/stats | awk '/^overrun:/ { n += $2 } END { print n + 0 }')
awk '{ for (i = 1; i < NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { n[$(i + 1)]++; break } }
     END { for (f in n) print f, n[f] }' $T/trace > /tmp/ftrace.counts
echo nop > $T/current_tracer
: > $T/set_ftrace_filter
echo "overrun,$overrun"
for f in ext4_split_extent_at ext4_ext_try_to_merge_right; do
	ft=$(awk -v f="$f" '$1 == f { print $2 }' /tmp/ftrace.counts)
	ds=$(awk -F, -v f="$f" '$2 == f { sub(/\r$/, "", $4); print $4 }' $rec/counts.csv)
	echo "$f,${ft:-0},$ds"
done
echo "-- report"
dioscope report $rec
echo "-- boundaries"
awk -F, 'NR > 1 && $3 == "merge" && and($13, 4) { print "merge", $10, $11 }' $rec/events.csv | head -3
awk -F, 'NR > 1 && $3 == "split" { print "split", $10, $11 }' $rec/events.csv | head -3
grep -E '^(churn_pairs|merges|splits)' $rec/summary.csv 2>/dev/null
mkdir -p /out/conc-$tier && cp $rec/summary.csv $rec/counts.csv /out/conc-$tier/
