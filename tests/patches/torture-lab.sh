#!/usr/bin/env bash
# The data-integrity torture (bench/torture, tests/lab/guest/torture.sh)
# in the lab, TORTURE_SECS seconds (60) per arm, on:
#   stock   Debian's 7.3 as packaged (lab.sh's kernel 7.3)
#   fixed   the kernel of patches/7.3 (the fix, the guard at 0)
#   switch  the same kernel with dio_merge_guard set to 1, 2 and 0 in turn
#           while the torture runs
#   debug   with TORTURE_DEBUG=1: the same series built with lockdep and
#           atomic-sleep checks (build-kernel.sh --debug), running
#           known-churn, sparse-concurrent and the torture with the guard
#           switched
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
[ "${TORTURE_DEBUG:-0}" = 1 ] && arms="$arms debug"
mkdir -p "$out"

# image ARM: the kernel to boot (built when missing), empty for stock
image() {
	local flag="" img=$cache/bzImage-7.3
	case $1 in
	stock) return 0 ;;
	debug) flag=--debug img=$cache/bzImage-7.3-debug ;;
	esac
	[ -r "$img" ] || patches/build-kernel.sh --kernel 7.3 $flag > "$out/build-$1.log" 2>&1 ||
		{ echo "# build failed: $out/build-$1.log" >&2; return 1; }
	echo "$img"
}

check_torture() {	# check_torture ARM DIR
	local a=$1 d=$2/torture-$1 res
	res=$(grep '^result ' "$d/out.txt" 2> /dev/null)
	echo "# $a: $res"
	grep '^ops ' "$d/out.txt" 2> /dev/null | tr '\n' ' ' | sed 's/^/# /; s/$/\n/'
	tail -n +2 "$d/calls.csv" 2> /dev/null | tr '\n' ' ' | sed 's/^/# calls: /; s/$/\n/'
	check_eq "$a: torture exit status" 0 "$(cat "$d/rc" 2> /dev/null)"
	check "$a: no mismatch, no error" grep -qE '^result ops [1-9][0-9]* mismatches 0 errors 0 ' <<<"$res"
	check_eq "$a: nothing in the kernel's log looks like a warning" 0 \
		"$(cat "$d/warnings" 2> /dev/null)"
	grep -E -A12 'WARNING|BUG|Call Trace|EXT4-fs error' "$d/dmesg.txt" 2> /dev/null |
		head -40 | sed 's/^/# /'
}

for a in $arms; do
	img=$(image "$a") || { not_ok "$a: the kernel builds"; continue; }
	case $a in
	stock) cmd="sh /lab/torture.sh $a" ;;
	fixed) cmd="sh /lab/torture.sh $a" ;;
	switch) cmd="sh /lab/torture.sh $a switch" ;;
	debug) cmd="sh /lab/known-churn.sh debug concurrent fentry;
		CHURN_SCENARIOS=sparse-concurrent sh /lab/churn.sh;
		sh /lab/torture.sh $a switch" ;;
	*) not_ok "$a: a known arm (stock fixed switch debug)"; continue ;;
	esac
	rm -rf "${out:?}/$a"
	tests/lab/lab.sh run "${img:+patched-}7.3" ${img:+--kernel-image "$img"} \
		--timeout $((secs + 900)) --out "$out/$a" -- \
		"TORTURE_SECS=$secs $cmd" > "$out/$a.log" 2>&1
	rc=$?
	check_eq "$a: the guest ran (lab.sh's exit status)" 0 "$rc"
	[ "$rc" -eq 0 ] || tail -n 20 "$out/$a.log" | sed 's/^/# /'
	check_torture "$a" "$out/$a"
	if [ "$a" = switch ] || [ "$a" = debug ]; then
		check "$a: the guard was switched while it ran ($(cat "$out/$a/torture-$a/switches" 2> /dev/null) times)" \
			[ "$(cat "$out/$a/torture-$a/switches" 2> /dev/null || echo 0)" -gt 2 ]
	fi
done
tap_done
