#!/usr/bin/env bash
# Time off the CPU inside timed calls: recordings of direct writes into
# the holes of a sparse file right after a mount, whose first
# allocations read the block bitmaps from the disk, so that calls sleep.
# Every timed event's offcpu_ns lies within its duration, some are above
# 0, meta says it was measured, and ios.csv, summary.csv, report, compare
# and the Perfetto trace carry the on-CPU time beside the wall time. A
# recording whose meta does not say so reads as unknown, never 0.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
COUNT=200
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-offcpu.XXXXXX")
cleanup() {
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "time off the CPU inside timed calls"
scratch_up 256M

record() {	# record NAME: COUNT direct writes into every other block
	mkdir -p "$work/$1"
	truncate -s $((COUNT * 8))k "$SCRATCH_MNT/$1"
	# ext4 reads the bitmaps ahead after a mount unless told not to:
	# then the first allocations would find them in memory
	umount "$SCRATCH_MNT" &&
		mount -o no_prefetch_block_bitmaps "$SCRATCH_DEV" "$SCRATCH_MNT" ||
		return 1
	sync && echo 3 > /proc/sys/vm/drop_caches
	$DIOSCOPE record -o "$work/$1/w" -d "$SCRATCH_DEV" -- sh -c '
		for i in $(seq 0 2 $(('"$COUNT"' * 2 - 1))); do
			dd if=/dev/zero of="$1" bs=4k count=1 seek=$i \
				oflag=direct conv=notrunc status=none || exit
		done' sh "$SCRATCH_MNT/$1" > /dev/null 2> "$work/$1.err"
}
record a
check_eq "record exits 0" 0 $?
record b
check_eq "a second record exits 0" 0 $?
# report writes events.csv, ios.csv and summary.csv from events.bin;
# the runs are both named w: compare pairs them as one scenario
$DIOSCOPE report "$work/a/w" --perfetto "$work/trace.json" > "$work/report" 2>&1
check_eq "report exits 0" 0 $?
$DIOSCOPE report "$work/b/w" > /dev/null 2>&1
check "meta says time off the CPU was measured" \
	grep -qx "offcpu=sched_switch" "$work/a/w/meta"

ev=$work/a/w/events.csv
check "events.csv has offcpu_ns and nested_calls" \
	head -1 "$ev" | grep -q ",offcpu_ns,nested_calls"
# timed: dur_ns > 0; every one has a measured offcpu_ns within dur_ns
read -r timed inside off unknown <<< "$(awk -F, '
	NR == 1 { for (i = 1; i <= NF; i++) { sub(/\r$/, "", $i); c[$i] = i }; next }
	{ sub(/\r$/, "") }
	$c["dur_ns"] > 0 { t++; o = $c["offcpu_ns"]
		if (o == "") u++; else if (o + 0 <= $c["dur_ns"] + 0) n++
		if (o != "" && o + 0 > 0) s++ }
	END { print t + 0, n + 0, s + 0, u + 0 }' "$ev")"
check "timed calls were recorded ($timed)" test "$timed" -gt 0
check_eq "every timed call has 0 <= offcpu_ns <= dur_ns" "$timed" "$inside"
check_eq "none of them unmeasured" 0 "$unknown"
check "some timed calls spent time switched out ($off of $timed)" \
	test "$off" -gt 0

col() {	# col FILE NAME: the column's number in FILE's header
	head -1 "$1" | tr -d '\r' | tr , '\n' | grep -nx "$2" | cut -d: -f1
}
ios=$work/a/w/ios.csv
for c in pre_io_cpu_ns map_blocks_cpu_ns iomap_begin_cpu_ns wasted_cpu_ns \
	 wasted_nested_calls work_cpu_ns work_nested_calls; do
	check "ios.csv has $c" test -n "$(col "$ios" "$c")"
done
# on the CPU is part of the wall time, IO by IO
w=$(col "$ios" map_blocks_ns) c=$(col "$ios" map_blocks_cpu_ns)
bad=$(awk -F, -v w="$w" -v c="$c" 'NR > 1 && $w != "" && ($c == "" || $c + 0 > $w + 0) { n++ } END { print n + 0 }' "$ios")
check_eq "each IO's map_blocks_cpu_ns is known and <= map_blocks_ns" 0 "$bad"
# an IO's own work: its iomap_begin and its end_io, or its conversion
# where no end_io holds it, IO by IO
b=$(col "$ios" iomap_begin_cpu_ns) e=$(col "$ios" end_io_cpu_ns)
n=$(col "$ios" end_io_count) v=$(col "$ios" convert_cpu_ns)
w=$(col "$ios" work_cpu_ns)
read -r works bad <<< "$(awk -F, -v b="$b" -v e="$e" -v n="$n" -v v="$v" \
	-v w="$w" 'NR > 1 && $b != "" { t++; d = $n + 0 ? $e : $v
		if ($w == "" || $w != $b + d) x++ }
	END { print t + 0, x + 0 }' "$ios")"
check "IOs with an iomap_begin were recorded ($works)" test "$works" -gt 0
check_eq "each IO's work_cpu_ns is its iomap_begin's + end_io's" 0 "$bad"
for c in wasted_cpu_ns_per_io work_cpu_ns_per_io; do
	check "summary.csv has $c" \
		test -n "$(col "$work/a/w/summary.csv" "$c")"
done
check "report's table has the cpu/IO column" grep -q "waste/IO    cpu/IO" "$work/report"
check "the Perfetto trace gives slices their on-CPU time" \
	grep -q '"on_cpu_ns":' "$work/trace.json"

$DIOSCOPE compare "$work/a/w" "$work/b/w" -o "$work/cmp" > "$work/cmp.out" 2>&1
check_eq "compare of the two exits 0" 0 $?
for c in wasted_cpu_ns_per_io work_cpu_ns_per_io; do
	check "compare.csv has a row of $c" grep -q ",$c," "$work/cmp/compare.csv"
done

# the same recording as an older dioscope wrote it: its meta without
# offcpu, its events.bin's header naming the older event size (104
# bytes, a little-endian word at byte 12)
cp -r "$work/a/w" "$work/old"
sed -i '/^offcpu/d' "$work/old/meta"
printf '\150\000\000\000' | dd of="$work/old/events.bin" bs=1 seek=12 \
	conv=notrunc status=none
$DIOSCOPE report "$work/old" > "$work/old.out" 2>&1
check_eq "report of the older recording exits 0" 0 $?
known=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { sub(/\r$/, "", $i); c[$i] = i }; next }
	{ sub(/\r$/, "") } $c["dur_ns"] > 0 && $c["offcpu_ns"] != "" { n++ }
	END { print n + 0 }' "$work/old/events.csv")
check_eq "none of its timed calls has an offcpu_ns: unknown, not 0" 0 "$known"
n=$(col "$work/old/ios.csv" map_blocks_cpu_ns)
v=$(awk -F, -v c="${n:-0}" 'NR > 1 && c && $c != "" { k++ } END { print k + 0 }' "$work/old/ios.csv")
check_eq "nor any IO a map_blocks_cpu_ns" 0 "$v"
check "its report shows cpu/IO as -" \
	awk '$1 == "old" && $8 == "-" { ok = 1 } END { exit !ok }' "$work/old.out"

# --no-offcpu: no sched_switch program, and the programs, built knowing
# it, leave each timed call's time off the CPU unknown (never 0)
mkdir -p "$work/no"
truncate -s $((COUNT * 8))k "$SCRATCH_MNT/no"
$DIOSCOPE record --no-offcpu -o "$work/no/w" -d "$SCRATCH_DEV" -- sh -c '
	bpftool -j prog show > "$2"
	for i in $(seq 0 2 63); do
		dd if=/dev/zero of="$1" bs=4k count=1 seek=$i \
			oflag=direct conv=notrunc status=none || exit
	done' sh "$SCRATCH_MNT/no" "$work/no/progs.json" > /dev/null 2>&1
check_eq "record --no-offcpu exits 0" 0 $?
check "its meta says offcpu=no" grep -qx "offcpu=no" "$work/no/w/meta"
check "and why" grep -q "^offcpu_why=.*--no-offcpu" "$work/no/w/meta"
check "no sched_switch program was loaded" \
	test "$(jq '[.[] | select(.name == "ds_sched_switch")] | length' "$work/no/progs.json")" = 0
$DIOSCOPE report "$work/no/w" > /dev/null 2>&1
read -r timed known <<< "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { sub(/\r$/, "", $i); c[$i] = i }; next }
	{ sub(/\r$/, "") } $c["dur_ns"] > 0 { t++; if ($c["offcpu_ns"] != "") n++ }
	END { print t + 0, n + 0 }' "$work/no/w/events.csv")"
check "it timed calls ($timed)" test "$timed" -gt 0
check_eq "none has an offcpu_ns: unknown, not 0" 0 "$known"

tap_done
