#!/bin/sh
# In a lab guest: bench/unwritten-concurrent.fio recorded by dioscope,
# under profile-run.sh counting the calls of the traced functions over
# the same run, then `dioscope report` on the recording.
#
#   concurrent.sh LABEL     LABEL: best or again (the best tier per
#                           function) or a tier for --tier (fentry, kprobe);
#                           best is a first run: planned with nothing that
#                           earlier runs measured (a state folder of its own)
#
# Writes to /out/conc-LABEL/: rc, profile.csv, counts.csv, summary.csv,
# meta, kprobe-events-left (dioscope's probe events still in tracefs
# after it exited), report.txt and boundaries.txt ("merge|split START END" rows of the
# first events that have boundaries).
label=$1
# the functions the lab counts, one a line
FUNCS=$(cat /lab/functions)
tier=
case $label in
best | again) ;;
*) tier=$label ;;
esac
rec=/tmp/conc-$label
O=/out/conc-$label
[ "$label" = best ] && export DIOSCOPE_STATE_DIR=/tmp/conc-best-state

echo "== unwritten-concurrent: $label"
mkdir -p $rec $O
rm -f /mnt/f
fallocate -l 32M /mnt/f
sync
export DS_FILE=/mnt/f DS_BS=4k DS_SIZE=32M DS_RUNTIME=3 DS_LOG=$rec/fio
sh /lab/profile-run.sh -o $O/profile.csv $FUNCS -- \
	dioscope record -f -o $rec ${tier:+--tier $tier} -- \
	fio --eta=never --output-format=json --output=$rec/fio.json /lab/bench/unwritten-concurrent.fio \
	> $O/record.log 2>&1
rc=$?
echo $rc > $O/rc
[ $rc -eq 0 ] || cat $O/record.log
dioscope report $rec > $O/report.txt 2>&1
cat $O/report.txt
# the report adds summary.csv and events.csv to the recording
cp $rec/counts.csv $rec/summary.csv $rec/meta $rec/prog_stats.csv $O/ 2> /dev/null
# the return probes dioscope made in tracefs must be gone with it
grep -c "dioscope/" /sys/kernel/tracing/kprobe_events > $O/kprobe-events-left
cat $O/profile.csv $O/counts.csv
{
	awk -F, 'NR > 1 && $3 == "merge" && and($13, 4) { print "merge", $10, $11 }' $rec/events.csv | head -3
	awk -F, 'NR > 1 && $3 == "split" { print "split", $10, $11 }' $rec/events.csv | head -3
} > $O/boundaries.txt
cat $O/boundaries.txt
