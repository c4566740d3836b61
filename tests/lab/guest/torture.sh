#!/bin/sh
# In a lab guest: bench/torture on the scratch ext4 (/mnt, /dev/vdb) for
# TORTURE_SECS seconds (60), TORTURE_THREADS threads (4) on files of
# TORTURE_SIZE (8M), seed TORTURE_SEED (1). With "switch", the merge
# guard of patches/ (dio_merge_guard) is set to 0, 1 and 2 in turn every
# half second while it runs. The kernel's log is checked afterwards.
#
#   torture.sh LABEL [switch]
#
# Writes to /out/torture-LABEL/: rc (torture's exit status), out.txt (its
# summary and mismatches), calls.csv (ftrace's count of the extent
# functions over the run), switches (how often the guard was set),
# dmesg.txt, warnings (how many WARNING/BUG/Call Trace/EXT4-fs error
# lines the kernel logged) and, when a read mismatched, the operation log.
label=$1
mode=${2:-}
O=/out/torture-$label
knob=/sys/fs/ext4/vdb/dio_merge_guard
mkdir -p "$O" /mnt/torture-$label
echo 0 > "$O/switches"
sw=""
if [ "$mode" = switch ]; then
	if [ ! -w $knob ]; then
		echo "no $knob: this kernel has no merge guard" | tee "$O/error"
		echo 2 > "$O/rc"
		exit 0
	fi
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
fi
echo "== torture $label: ${TORTURE_SECS:-60} s${mode:+, guard switched}"
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
	echo 0 > $knob
fi
echo $rc > "$O/rc"
[ $rc -eq 1 ] && cp /tmp/torture-$label.log "$O/"
rm -rf /tmp/torture-$label.log /mnt/torture-$label
sync
dmesg > "$O/dmesg.txt"
grep -cE 'WARNING|BUG|Call Trace|EXT4-fs error' "$O/dmesg.txt" > "$O/warnings"
cat "$O/out.txt" "$O/calls.csv"
echo "guard switches: $(cat "$O/switches"), kernel warnings: $(cat "$O/warnings")"
grep -E -A20 'WARNING|BUG|Call Trace|EXT4-fs error' "$O/dmesg.txt" | head -60
exit 0
