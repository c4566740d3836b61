#!/bin/sh
# In a lab guest: churn against a known answer. The scratch disk goes
# behind dm-delay, which holds every IO for DELAY ms, so that
# bench/known-churn's first write of a pair is still in flight when the
# second is issued, whatever the emulation's speed: the schedule is set
# by the device, not by luck. The filesystem is made with no delay and
# the delay switched on only for the workload. A pair's first write has
# still been back before its second was queued (CI, one pair of eight,
# on 7.3 and on 5.10; cause not traced): such a pair is written again,
# PAIRS times at most, and known-churn says so on stderr (record.log).
#
#   known-churn.sh LABEL concurrent|serial [TIER]
#
# Writes to /out/kc-LABEL/: rc, driver.txt (known-churn's "pairs K
# overlapped N"), profile.csv (ftrace's calls), counts.csv, summary.csv
# and report.txt of dioscope's record of it.
label=$1
mode=$2
tier=${3:-}
PAIRS=${KC_PAIRS:-8}
DELAY=${KC_DELAY_MS:-1000}
name=ds-kc
O=/out/kc-$label
rec=/tmp/kc-$label

echo "== known churn: $label ($mode${tier:+, $tier})"
mkdir -p "$O"
umount /mnt 2> /dev/null
sectors=$(blockdev --getsz /dev/vdb)
table() {
	echo "0 $sectors delay /dev/vdb 0 $1"
}
if ! table 0 | dmsetup --noudevsync create $name; then
	echo "dmsetup create failed" > "$O/error"
	echo 1 > "$O/rc"
	mount /dev/vdb /mnt
	exit 0
fi
dev=/dev/mapper/$name
[ -b $dev ] || dev=/dev/$(dmsetup info -c --noheadings -o blkdevname $name)
rc=0
mkfs.ext4 -q -F $dev && mount $dev /mnt || rc=1
if [ $rc -eq 0 ]; then
	table "$DELAY" | dmsetup --noudevsync reload $name &&
		dmsetup --noudevsync resume $name || rc=1
fi
if [ $rc -eq 0 ]; then
	[ "$mode" = serial ] && ser=--serial || ser=
	sh /lab/profile-run.sh -o "$O/profile.csv" ext4_split_extent_at ext4_ext_insert_extent -- \
		dioscope record -f -o $rec ${tier:+--tier $tier} -- \
		/lab/bench/known-churn --pairs "$PAIRS" --retry "$PAIRS" $ser /mnt/kc \
		> "$O/driver.txt" 2> "$O/record.log" || rc=1
	dioscope report $rec > "$O/report.txt" 2>&1 || rc=1
	cp $rec/counts.csv $rec/summary.csv $rec/meta $rec/ios.csv $rec/events.csv "$O/" 2> /dev/null
fi
echo $rc > "$O/rc"
cat "$O/driver.txt" "$O/profile.csv" "$O/record.log" 2> /dev/null
umount /mnt
dmsetup --noudevsync remove $name
mount /dev/vdb /mnt
exit 0
