#!/usr/bin/env bash
# bench/known-churn, the lab's known answer for churn, on a scratch ext4
# of the running kernel: its options, that it writes K pairs of adjacent
# blocks with a hole after each (FIEMAP then shows K extents of 2 blocks),
# and that --serial never overlaps. Whether pairs overlap without
# --serial depends on the device; the lab holds them with dm-delay.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

KC=${KNOWN_CHURN:-bench/known-churn}
cleanup() {
	scratch_down
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

[ -x "$KC" ] || { skip "known-churn tests" "$KC not built (make)"; tap_done; exit 0; }

check "--help exits 0 and names dm-delay" sh -c "'$KC' --help | grep -q dm-delay"
check "--pairs 0 is refused" fails "$KC" --pairs 0 /dev/null
check "--pairs with junk is refused" fails "$KC" --pairs 4x /dev/null
check "--bs not a multiple of 4096 is refused" fails "$KC" --bs 1000 /dev/null
check "a file is required" fails "$KC" --pairs 2
out=$("$KC" --pairs 2 /no/such/dir/f 2>&1)
check "a file it cannot open is named" grep -q "/no/such/dir/f" <<<"$out"

require_root "known-churn runs"
scratch_up 512M "-b 4096"
for mode in concurrent serial; do
	f=$SCRATCH_MNT/kc.$mode
	[ $mode = serial ] && ser=--serial || ser=
	out=$("$KC" --pairs 6 $ser "$f")
	check_eq "$mode: exits 0" 0 "$?"
	check "$mode: says what it did ($out)" grep -qE "^pairs 6 overlapped [0-6] mode $mode retried 0$" <<<"$out"
	ext=$(filefrag -v "$f" | awk '$1 ~ /^[0-9]+:$/ && $6 + 0 == 2 { n++ } END { print n + 0 }')
	check_eq "$mode: FIEMAP shows 6 extents of 2 blocks" 6 "$ext"
done
check "serial: no pair overlapped" grep -q "overlapped 0 " <<<"$("$KC" --pairs 3 --serial "$SCRATCH_MNT/kc.s2")"

# --retry: a pair that did not overlap is written again on the next
# blocks, and said so; on a loop device most do not overlap
f=$SCRATCH_MNT/kc.retry
out=$("$KC" --pairs 3 --retry 5 "$f" 2> "$f.err")
check_eq "--retry: exits 0" 0 "$?"
read -r _ pairs _ ov _ _ _ retried <<<"$out"
check "--retry: says what it did ($out)" grep -qE "^pairs 3 overlapped [0-3] mode concurrent retried [0-5]$" <<<"$out"
check_eq "--retry: one note per pair written again" "${retried:-?}" "$(grep -c "; retry [1-5] of 5$" "$f.err")"
check "--retry: pairs that did not overlap are retried first ($ov overlapped, $retried retried)" \
	[ "${retried:-0}" -eq 5 -o "${ov:-0}" -eq 3 ]
ext=$(filefrag -v "$f" | awk '$1 ~ /^[0-9]+:$/ && $6 + 0 == 2 { n++ } END { print n + 0 }')
check_eq "--retry: FIEMAP shows an extent of 2 blocks per pair written" "$((3 + ${retried:-0}))" "$ext"
check "--retry -1 is refused" fails "$KC" --retry -1 "$f"
check "serial ignores --retry" grep -q "retried 0$" <<<"$("$KC" --pairs 2 --serial --retry 3 "$SCRATCH_MNT/kc.s3")"
tap_done
