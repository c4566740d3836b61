#!/usr/bin/env bash
# The data-integrity torture (bench/torture, tests/lab/guest/torture.sh)
# in the lab, TORTURE_SECS seconds (60) per arm, on:
#   stock   Debian's 7.3 as packaged (lab.sh's kernel 7.3)
#   fixed   the kernel of patches/7.3 (the fix, the guard at 0)
#   switch  the same kernel with dio_merge_guard set to 1, 2 and 0 in turn
#           while the torture runs
#   with TORTURE_DEBUG=1, the same series built with lockdep and
#   atomic-sleep checks (build-kernel.sh --debug), in three boots, as the
#   lab's own build dies when ftrace or a BPF trampoline is attached a
#   second time in a boot (patches/README.md):
#   debug-kc       known-churn (churn pairs 0, splits = ftrace's)
#   debug-churn    sparse-concurrent (churn pairs 0, splits = ftrace's)
#   debug-torture  zero-eof.sh, and the torture with the guard at 0, 1, 2
#                  and switched (TORTURE_SECS each)
#   in each lockdep must still be on at the end (debug_locks 1) and the
#   boot's log hold no splat
# TORTURE_ARMS picks some ("stock fixed switch"). Every arm must end with
# no mismatch, no error and nothing in the kernel's log that looks like a
# WARNING, BUG, Call Trace or EXT4-fs error. The patched kernels are
# built first when missing (PATCHES_CACHE, default .cache/patches).
# Results stay in TORTURE_OUT (default build/torture). TAP lines, then
# "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

require_root "torture in the lab"
cache=${PATCHES_CACHE:-.cache/patches}
secs=${TORTURE_SECS:-60}
out=${TORTURE_OUT:-build/torture}
arms=${TORTURE_ARMS:-stock fixed switch}
[ "${TORTURE_DEBUG:-0}" = 1 ] && arms="$arms debug-kc debug-churn debug-torture"
mkdir -p "$out"

# image ARM: the kernel to boot (built when missing), empty for stock
image() {
	local flag="" img=$cache/bzImage-7.3
	case $1 in
	stock) return 0 ;;
	debug-*) flag=--debug img=$cache/bzImage-7.3-debug ;;
	esac
	[ -r "$img" ] || patches/build-kernel.sh --kernel 7.3 $flag > "$out/build-$1.log" 2>&1 ||
		{ echo "# build failed: $out/build-$1.log" >&2; return 1; }
	echo "$img"
}

# what in a kernel's log is a splat: lockdep's and the atomic-sleep
# check's reports begin with WARNING: or BUG:, and the page cache's
# complaint about direct and buffered IO colliding is a pr_crit
SPLAT='WARNING|BUG|Call Trace|EXT4-fs error|Oops|Page cache invalidation failure'

csv() { tr -d '\r' < "$1" 2> /dev/null; }

# csv_get FILE KEY [COLUMN]: the COLUMN (2) of the row whose first field is KEY
csv_get() {
	csv "$1" | awk -F, -v k="$2" -v c="${3:-2}" '$1 == k { print $c; exit }'
}

# summary_col FILE COLUMN: that column of a summary.csv's first row
summary_col() {
	csv "$1" | awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
		{ print (c in h) ? $h[c] : "missing"; exit }'
}

check_torture() {	# check_torture LABEL DIR
	local a=$1 d=$2/torture-$1 res
	res=$(grep '^result ' "$d/out.txt" 2> /dev/null)
	echo "# $a: $res"
	grep '^ops ' "$d/out.txt" 2> /dev/null | tr '\n' ' ' | sed 's/^/# /; s/$/\n/'
	tail -n +2 "$d/calls.csv" 2> /dev/null | tr '\n' ' ' | sed 's/^/# calls: /; s/$/\n/'
	check_eq "$a: torture exit status" 0 "$(cat "$d/rc" 2> /dev/null)"
	check "$a: no mismatch, no error" grep -qE '^result ops [1-9][0-9]* mismatches 0 errors 0 ' <<<"$res"
	check_eq "$a: nothing in the kernel's log looks like a warning" 0 \
		"$(cat "$d/warnings" 2> /dev/null)"
	grep -E -A12 "$SPLAT" "$d/dmesg.txt" 2> /dev/null |
		head -40 | sed 's/^/# /'
}

# check_splits WHAT FTRACE_CSV COUNTS_CSV: dioscope's splits = ftrace's
check_splits() {
	check_eq "$1: splits: dioscope's = ftrace's" \
		"$(csv_get "$2" ext4_split_extent_at)" "$(csv_get "$3" split 4)"
}

# check_lockdep ARM DIR: lockdep still on at the end of the boot (it
# turns itself off at its first report), and no splat in the boot's log
check_lockdep() {
	check_eq "$1: lockdep was still on at the end (debug_locks)" 1 \
		"$(awk '$1 == "debug_locks:" { print $2 }' "$2/lockdep_stats" 2> /dev/null)"
	local n=missing
	[ -r "$2/dmesg.txt" ] && n=$(grep -cE "$SPLAT" "$2/dmesg.txt")
	check_eq "$1: no splat in the boot's log" 0 "$n"
	grep -E -A20 "$SPLAT" "$2/dmesg.txt" 2> /dev/null | head -60 | sed 's/^/# /'
}

check_debug_kc() {	# check_debug_kc DIR
	local kc=$1/kc-debug pairs ov
	check_eq "debug-kc: known-churn ran (exit status)" 0 "$(cat "$kc/rc" 2> /dev/null)"
	read -r _ pairs _ ov _ _ _ re _ <<<"$(cat "$kc/driver.txt" 2> /dev/null)"
	check_eq "debug-kc: dm-delay kept every first write in flight (${re:-?} retried)" \
		"${pairs:-?}" "${ov:-none}"
	check_eq "debug-kc: no churn pair on the fix" 0 \
		"$(summary_col "$kc/summary.csv" churn_pairs_by_dio)"
	check_splits "debug-kc" "$kc/profile.csv" "$kc/counts.csv"
}

check_debug_churn() {	# check_debug_churn DIR
	local s=$1/sparse-concurrent
	echo "# sparse-concurrent: IOs $(summary_col "$s/rec/summary.csv" ios)," \
		"ftrace: $(csv "$s/calls.csv" | tail -n +2 | tr '\n' ' ')"
	check_eq "debug-churn: sparse-concurrent: no churn pair on the fix" 0 \
		"$(summary_col "$s/rec/summary.csv" churn_pairs_per_1k_ios)"
	check_splits "debug-churn: sparse-concurrent" "$s/calls.csv" "$s/rec/counts.csv"
}

check_debug_torture() {	# check_debug_torture DIR
	local d=$1 s m
	# zero-eof's first case shows a defect of 7.3 itself (README); the
	# others must read back zeros
	for s in aligned keep-size unaligned dirty eof-block; do
		echo "# zero-eof $s: exit $(cat "$d/zero-eof/$s/rc" 2> /dev/null)," \
			"on disk $(cat "$d/zero-eof/$s/disk.txt" 2> /dev/null)"
		grep MISMATCH "$d/zero-eof/$s/out.txt" 2> /dev/null | sed 's/^/# /'
	done
	for s in keep-size unaligned dirty eof-block; do
		check_eq "debug-torture: zero-eof $s reads zeros" 0 \
			"$(cat "$d/zero-eof/$s/rc" 2> /dev/null)"
	done
	for m in 0 1 2 switch; do
		check_torture "debug-$m" "$d"
	done
	check "debug-torture: the guard was switched while it ran ($(cat "$d/torture-debug-switch/switches" 2> /dev/null) times)" \
		[ "$(cat "$d/torture-debug-switch/switches" 2> /dev/null || echo 0)" -gt 2 ]
}

for a in $arms; do
	img=$(image "$a") || { not_ok "$a: the kernel builds"; continue; }
	case $a in
	stock) cmd="sh /lab/torture.sh $a" ;;
	fixed) cmd="sh /lab/torture.sh $a" ;;
	switch) cmd="sh /lab/torture.sh $a switch" ;;
	# ftrace counts in instances: the lab's own build dies when the
	# profiler or the tracer starts a second time
	debug-kc) cmd="export PROFILE_RUN_METHOD=instance;
		sh /lab/known-churn.sh debug concurrent" ;;
	debug-churn) cmd="export PROFILE_RUN_METHOD=instance;
		CHURN_SCENARIOS=sparse-concurrent sh /lab/churn.sh" ;;
	debug-torture) cmd="export PROFILE_RUN_METHOD=instance PROFILE_RUN_BUFFER_KB=65536;
		sh /lab/zero-eof.sh;
		for m in 0 1 2 switch; do sh /lab/torture.sh debug-\$m \$m; done" ;;
	*) not_ok "$a: a known arm (stock fixed switch debug-kc debug-churn debug-torture)"
		continue ;;
	esac
	timeout=$((secs + 900))
	case $a in
	debug-*)
		cmd="$cmd; cat /proc/lockdep_stats > /out/lockdep_stats; dmesg > /out/dmesg.txt"
		# four tortures under lockdep
		timeout=$((4 * secs + 1500)) ;;
	esac
	rm -rf "${out:?}/$a"
	tests/lab/lab.sh run "${img:+patched-}7.3" ${img:+--kernel-image "$img"} \
		--timeout "$timeout" --out "$out/$a" -- \
		"export TORTURE_SECS=$secs; $cmd" > "$out/$a.log" 2>&1
	rc=$?
	check_eq "$a: the guest ran (lab.sh's exit status)" 0 "$rc"
	[ "$rc" -eq 0 ] || tail -n 20 "$out/$a.log" | sed 's/^/# /'
	case $a in
	debug-*)
		"check_${a//-/_}" "$out/$a"
		check_lockdep "$a" "$out/$a"
		continue ;;
	esac
	check_torture "$a" "$out/$a"
	if [ "$a" = switch ]; then
		check "$a: the guard was switched while it ran ($(cat "$out/$a/torture-$a/switches" 2> /dev/null) times)" \
			[ "$(cat "$out/$a/torture-$a/switches" 2> /dev/null || echo 0)" -gt 2 ]
	fi
done
tap_done
