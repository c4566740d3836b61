#!/usr/bin/env bash
# bench/torture, the data-integrity torture, on a scratch ext4 of the
# running kernel: its options, a short run with every operation type and
# no mismatch, that it finds a byte changed behind its model's back
# (--corrupt) and exits 1 naming the offset, and that --replay of the
# logged run reproduces the same mismatch in one thread.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

T=${TORTURE:-bench/torture}
work=""
cleanup() {
	scratch_down
	[ -z "$work" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

[ -x "$T" ] || { skip "torture tests" "$T not built (make)"; tap_done; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-torture.XXXXXX")

check "--help exits 0" sh -c "'$T' --help | grep -q replay"
check "a directory is required" fails "$T" -n 10
check "-t 0 is refused" fails "$T" -t 0 "$work"
check "-n with junk is refused" fails "$T" -n 5x "$work"
check "--chunk not a multiple of 4096 is refused" fails "$T" --chunk 1000 "$work"
check "-n and -d together are refused" fails "$T" -n 10 -d 1 "$work"
check "--corrupt past -n is refused" fails "$T" -n 10 --corrupt 11 "$work"
out=$("$T" -n 10 /no/such/dir 2>&1)
check_eq "a directory it cannot use: exit status 2" 2 "$?"
check "... and it is named" grep -q "/no/such/dir" <<<"$out"
echo "junk" > "$work/bad.log"
check "--replay of a file that is not a log is refused" fails "$T" --replay "$work/bad.log" "$work"

require_root "torture runs"
scratch_up 256M "-b 4096"
d=$SCRATCH_MNT
out=$("$T" -t 4 -n 4000 -s 1M --seed 7 --log "$work/ok.log" "$d" 2>&1)
check_eq "a clean run exits 0" 0 "$?"
echo "$out" | grep -E "^result" | sed 's/^/# /'
check "... and reports no mismatch" grep -qE "^result ops [0-9]+ mismatches 0 errors 0 " <<<"$out"
for op in write_direct write_buffered read_direct read_buffered fallocate \
	fallocate_keep_size punch_hole zero_range zero_range_keep_size fsync truncate; do
	n=$(awk -v o="$op" '$1 == "ops" && $2 == o { print $3 }' <<<"$out")
	check "... and ran $op (${n:-0} times)" [ "${n:-0}" -gt 0 ]
done
rm -f "$d"/torture.*
check "the clean run replays clean" sh -c "'$T' --replay '$work/ok.log' '$d' > /dev/null"

rm -f "$d"/torture.*
out=$("$T" -t 4 -n 4000 -s 1M --seed 7 --corrupt 2000 --log "$work/bad.log" "$d" 2>&1)
check_eq "a byte changed behind the model's back: exit status 1" 1 "$?"
off=$(awk '$4 == "corrupt" { print $5; exit }' "$work/bad.log")
check "... the log holds the corruption" [ -n "$off" ]
check "... and the mismatch names its offset ($off)" grep -qE "MISMATCH op [0-9]+ \(read_(direct|buffered)\) file [0-9]+ offset $off:" <<<"$out"
rm -f "$d"/torture.*
rout=$("$T" --replay "$work/bad.log" "$d" 2>&1)
check_eq "the replay exits 1 too" 1 "$?"
check_eq "... with the same first mismatch" \
	"$(grep -m1 MISMATCH <<<"$out")" "$(grep -m1 MISMATCH <<<"$rout")"
tap_done
