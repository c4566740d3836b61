#!/bin/sh
# In a lab guest: the insert-time merge against an independent count.
# 64 fallocate calls of 4 KiB, one after the other, into an empty file:
# each one inserts an unwritten extent (ext4_ext_insert_extent, without
# PRE_IO), which either becomes an extent of its own or extends the one
# before it in place. FIEMAP (filefrag) afterwards says how many extents
# are left, so N - extents boundaries went away, by an insert-time merge
# or by a try_to_merge merge, and ftrace counts the calls.
#
#   insert.sh LABEL [TIER]    TIER for --tier (fentry, kprobe); none: best
#
# Writes to /out/insert-LABEL/: rc, profile.csv (ftrace's calls), counts.csv,
# extents (FIEMAP's count after), merges ("insert N" and "merge N": the
# boundaries dioscope saw go, by site).
label=$1
tier=${2:-}
N=64
rec=/tmp/insert-$label
O=/out/insert-$label

echo "== insert-time merges: $label"
mkdir -p $rec $O
rm -f /mnt/ins
: > /mnt/ins
sync
sh /lab/profile-run.sh -o $O/profile.csv ext4_ext_insert_extent ext4_ext_try_to_merge_right -- \
	dioscope record -f -o $rec ${tier:+--tier $tier} -- \
	sh -c "i=0; while [ \$i -lt $N ]; do fallocate -o \$((i * 4096)) -l 4096 /mnt/ins || exit 1; i=\$((i + 1)); done" \
	> $O/record.log 2>&1
echo $? > $O/rc
filefrag /mnt/ins | sed -n 's/.*: \([0-9]*\) extents\{0,1\} found/\1/p' > $O/extents
dioscope report $rec > $O/report.txt 2>&1
cp $rec/counts.csv $rec/meta $O/ 2> /dev/null
# events.csv: type 3, target 4, flags 13, aux2 16; DS_MERGE_DONE is 4
awk -F, 'NR > 1 && $3 == "merge" && and($13, 4) { n[$4] += ($16 ? $16 : 1) }
	END { printf "insert %d\nmerge %d\n", n["insert"], n["merge"] }' \
	$rec/events.csv > $O/merges
cat $O/record.log $O/profile.csv $O/counts.csv $O/extents $O/merges
