#!/bin/sh
# In a lab guest: bench/torture on the scratch ext4 (/mnt, /dev/vdb) for
# TORTURE_SECS seconds (60), TORTURE_THREADS threads (4) on files of
# TORTURE_SIZE (8M), seed TORTURE_SEED (1). With "switch", the merge
# guard of patches/ (dio_merge_guard) is set to 1, 2 and 0 in turn every
# half second while it runs; with 0, 1 or 2 it stays at that value for the
# run. The kernel's log is checked afterwards.
#
#   torture.sh LABEL [switch|0|1|2]
#
# Writes to /out/torture-LABEL/: rc (torture's exit status), out.txt (its
# summary and mismatches), calls.csv (ftrace's count of the extent
# functions over the run), switches (how often the guard was set),
# dmesg.txt, warnings (how many lines of the kernel's log look like a
# splat: WARNING, BUG, Call Trace, EXT4-fs error, Oops, a page cache
# invalidation failure) and, when a read mismatched, the operation log.
label=$1
mode=${2:-}
O=/out/torture-$label
knob=/sys/fs/ext4/vdb/dio_merge_guard
mkdir -p "$O" /mnt/torture-$label
echo 0 > "$O/switches"
sw=""
case $mode in
"") ;;
switch | [012])
	if [ ! -w $knob ]; then
		echo "no $knob: this kernel has no merge guard" | tee "$O/error"
		echo 2 > "$O/rc"
		exit 0
	fi ;;
*)
	echo "torture.sh: unknown mode '$mode' (switch, 0, 1 or 2)" | tee "$O/error"
	echo 2 > "$O/rc"
	exit 0 ;;
esac
case $mode in
[012])
	echo "$mode" > $knob
	echo "$mode" > "$O/guard" ;;
switch)
	(
		n=0
		while :; do
			for m in 1 2 0; do
				echo $m > $knob
				n=$((n + 1))
				echo $n > "$O/switches"
				usleep 500000
			done
		done
	) &
	sw=$!
	echo switch > "$O/guard" ;;
esac
echo "== torture $label: ${TORTURE_SECS:-60} s${mode:+, guard $mode}"
# ftrace counts the extent work it made (profile-run.sh exits 125 when
# it could not count, else with the torture's status)
sh /lab/profile-run.sh -o "$O/calls.csv" ext4_split_extent_at ext4_ext_insert_extent \
	ext4_ext_try_to_merge_right ext4_ext_map_blocks -- \
	/lab/bench/torture -d "${TORTURE_SECS:-60}" -t "${TORTURE_THREADS:-4}" \
	-s "${TORTURE_SIZE:-8M}" --seed "${TORTURE_SEED:-1}" \
	--log /tmp/torture-$label.log /mnt/torture-$label > "$O/out.txt" 2>&1
rc=$?
if [ -n "$sw" ]; then
	kill $sw
	wait $sw 2> /dev/null
fi
[ -z "$mode" ] || echo 0 > $knob
echo $rc > "$O/rc"
[ $rc -eq 1 ] && cp /tmp/torture-$label.log "$O/"
rm -rf /tmp/torture-$label.log /mnt/torture-$label
sync
dmesg > "$O/dmesg.txt"
# lockdep's and the atomic-sleep check's reports begin with WARNING: or
# BUG:; the page cache's complaint of direct and buffered IO colliding
# is a line of its own
splat='WARNING|BUG|Call Trace|EXT4-fs error|Oops|Page cache invalidation failure'
grep -cE "$splat" "$O/dmesg.txt" > "$O/warnings"
cat "$O/out.txt" "$O/calls.csv"
echo "guard switches: $(cat "$O/switches"), kernel warnings: $(cat "$O/warnings")"
grep -E -A20 "$splat" "$O/dmesg.txt" | head -60
exit 0
