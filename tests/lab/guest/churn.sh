#!/bin/sh
# In the guest: the churn scenarios recorded one by one on a fresh ext4
# on /dev/vdb, each under profile-run.sh, so that dioscope's split, merge
# and insert counts stand beside ftrace's for the same run. Results in
# /out/<scenario>/ (rec/, calls.csv, report.txt).
#   CHURN_SCENARIOS  (default: the five churn scenarios)
#   CHURN_TIER       (default: best per function)
#   CHURN_RUNTIME    seconds per scenario (default 3)
scenarios=${CHURN_SCENARIOS:-sparse-concurrent sparse-rand writeback-fallocate-ahead writeback-zero-range dio-zero-range}
runtime=${CHURN_RUNTIME:-3}
size=${CHURN_SIZE:-32M}
tier=${CHURN_TIER:+--tier $CHURN_TIER}
funcs="ext4_split_extent_at ext4_ext_try_to_merge_right ext4_ext_insert_extent ext4_ext_map_blocks"
umount /mnt 2> /dev/null
rc=0
for s in $scenarios; do
	out=/out/$s
	mkdir -p "$out"
	mkfs.ext4 -q -F /dev/vdb && mount /dev/vdb /mnt || exit 1
	f=/mnt/f
	case $s in
	sparse-*) truncate -s "$size" $f ;;
	*-zero-range) dd if=/dev/zero of=$f bs=1M count=${size%M} conv=fsync 2> /dev/null ;;
	esac
	sync
	export DS_FILE=$f DS_SIZE=$size DS_BS=4k DS_RUNTIME=$runtime DS_LOG=$out/fio
	if [ -f /lab/bench/$s.fio ]; then
		set -- fio --output-format=json --output=$out/fio.json /lab/bench/$s.fio
	else
		set -- /lab/bench/zero-range --output-format=json --output=$out/fio.json /lab/bench/$s.zr
	fi
	echo "== $s"
	# shellcheck disable=SC2086
	sh /lab/profile-run.sh -o $out/calls.csv $funcs -- \
		dioscope record -o $out/rec $tier -- "$@" || rc=1
	dioscope report $out/rec > $out/report.txt 2>&1 || rc=1
	cat $out/calls.csv
	grep -E "^(split|merge|insert|map_blocks)," $out/rec/counts.csv
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ print "summary: ios=" $h["ios"] " churn_pairs_per_1k=" $h["churn_pairs_per_1k_ios"] \
		  " completion_splits_per_1k=" $h["completion_splits_per_1k_ios"] \
		  " wasted_ns_per_io=" $h["wasted_ns_per_io"] " splits=" $h["splits_total"] \
		  " merges=" $h["merges_total"] " wb_ios=" $h["writeback_ios"] \
		  " by_zero_range=" $h["churn_pairs_by_zero_range"] " by_fallocate=" $h["churn_pairs_by_fallocate"] \
		  " by_dio=" $h["churn_pairs_by_dio"] " by_writeback=" $h["churn_pairs_by_writeback"] }' \
		$out/rec/summary.csv
	umount /mnt
done
exit $rc
