#!/usr/bin/env bash
# dioscope top on the running kernel, as lines: the file fio writes shows
# up by path with PRE_IO splits and conversions per second, the totals at
# exit equal what `dioscope record` counts over the same run, and top
# stops cleanly however it is told to.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
BLOCKS=4096		# 4 KiB direct sync writes into unwritten extents
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-top.XXXXXX")
top_pid=

cleanup() {
	if [ -n "$top_pid" ]; then
		kill "$top_pid" 2>/dev/null
		wait "$top_pid" 2>/dev/null
	fi
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "live top tests"


# start_top OUT ARGS...: top in the background; returns once it traces
start_top() {
	local out=$1; shift
	$DIOSCOPE top "$@" > "$out" 2> "$out.err" &
	top_pid=$!
	for _ in $(seq 150); do
		grep -q '^time ' "$out" && return 0
		kill -0 "$top_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# stop_top SIGNAL: sets top_rc
stop_top() {
	kill -"$1" "$top_pid"
	wait "$top_pid"
	top_rc=$?
	top_pid=
}

# field OUT FIRST INODE COLUMN: COLUMN of the lines whose first field is
# FIRST ("total", or "*" for the interval lines) and whose inode is INODE;
# columns are named by the header line that precedes them
field() {
	awk -v first="$2" -v ino="$3" -v name="$4" '
		/^#/ { next }
		$3 == "inode" { for (i = 1; i <= NF; i++) col[$i] = i; next }
		(first == "*" ? $1 != "total" : $1 == first) && $3 == ino {
			print $(col[name])
		}' "$1"
}

csv_get() {	# csv_get FILE KEYCOLUMN KEY VALUECOLUMN
	awk -F, -v k="$3" -v kc="$2" -v vc="$4" \
		'{ sub(/\r$/, "") } NR > 1 && $kc == k { print $vc }' "$1"
}

# --- options users get wrong ---------------------------------------------
$DIOSCOPE top -i 0 > /dev/null 2>&1
check_eq "an interval of 0 is refused" 2 "$?"
$DIOSCOPE top --min-us 5 > /dev/null 2>&1
check_eq "--min-us is refused (top counts every call)" 2 "$?"
$DIOSCOPE top -s Z > /dev/null 2>&1
check_eq "an unknown sort key is refused" 2 "$?"
check "--help names the interval option" \
	bash -c "$DIOSCOPE top --help | grep -q -- '-i, --interval'"

# --- the file fio writes, and the totals against record --------------------
scratch_up 512M
fallocate -l $((BLOCKS * 4096)) "$SCRATCH_MNT/f"
ino=$(stat -c %i "$SCRATCH_MNT/f")
merge_tier=$($DIOSCOPE probe --csv | awk -F, '$1 == "merge" { print $3 }')

start_top "$work/top.out" --batch -i 1 -d "$SCRATCH_MNT"
check "top --batch prints its header once it traces" [ -n "$top_pid" ]
$DIOSCOPE record -o "$work/rec" -d "$SCRATCH_MNT" -- \
	fio --name=top --filename="$SCRATCH_MNT/f" --rw=write --bs=4k \
	--size=$((BLOCKS * 4096)) --direct=1 --sync=1 --ioengine=psync \
	--output-format=json --output="$work/fio.json" 2> "$work/record.err"
check_eq "record runs fio to the end" 0 "$?"
# one more interval, so the last second of the run has its line too
sleep 1.2
stop_top INT
check_eq "top exits 0 on Ctrl-C" 0 "$top_rc"

check "the tiers are named" grep -q '^# tiers: ' "$work/top.out"
rows=$(field "$work/top.out" '*' "$ino" pre_io/s | wc -l)
check "the file has lines of its own ($rows)" [ "$rows" -gt 0 ]
path=$(field "$work/top.out" '*' "$ino" path | sort -u)
check_eq "... named by its path" "$SCRATCH_MNT/f" "$path"
max_pre=$(field "$work/top.out" '*' "$ino" pre_io/s | sort -g | tail -1)
max_conv=$(field "$work/top.out" '*' "$ino" conv/s | sort -g | tail -1)
max_wr=$(field "$work/top.out" '*' "$ino" wr/s | sort -g | tail -1)
check "PRE_IO splits/s are non-zero ($max_pre)" awk "BEGIN { exit !($max_pre > 0) }"
check "conversions/s are non-zero ($max_conv)" awk "BEGIN { exit !($max_conv > 0) }"
check "writes/s are non-zero ($max_wr)" awk "BEGIN { exit !($max_wr > 0) }"
p99=$(field "$work/top.out" '*' "$ino" conv_p99_us | sort -g | tail -1)
check "a conversion latency p99 is shown ($p99 us)" awk "BEGIN { exit !($p99 > 0) }"
merges=$(field "$work/top.out" '*' "$ino" merge/s | sort -u)
if [ "$merge_tier" = "-" ]; then
	check_eq "merges are '-' where they cannot be seen" "-" "$merges"
	check "... and the header says why" grep -q '^# not observable here (-): MERGE' "$work/top.out"
else
	check "merges are numbers where they can be seen" grep -qE '^[0-9.]+$' <<<"$merges"
fi

rec_pre=$(csv_get "$work/rec/event_counts.csv" 1 pre_io_split 2)
rec_conv=$(csv_get "$work/rec/event_counts.csv" 1 conversion 2)
rec_done=$(csv_get "$work/rec/event_counts.csv" 1 dio_complete 2)
fio_ios=$(jq '[.jobs[].write.total_ios] | add' "$work/fio.json")
check "no event lost by top, of any kind" grep -qE '^# totals over .* 0 lost \(0 ring buffer full, 0 recursion misses, 0 missed returns\)$' "$work/top.out"
check "no event lost by record" grep -qx "lost_events=0" "$work/rec/meta"
check_eq "top's PRE_IO total = record's" "$rec_pre" "$(field "$work/top.out" total all pre_io)"
check_eq "top's conversion total = record's" "$rec_conv" "$(field "$work/top.out" total all conv)"
check_eq "the file's PRE_IO total = record's" "$rec_pre" "$(field "$work/top.out" total "$ino" pre_io)"
check_eq "the file's conversion total = record's" "$rec_conv" "$(field "$work/top.out" total "$ino" conv)"
check_eq "PRE_IO total = blocks written for the first time" "$BLOCKS" "$rec_pre"
check_eq "the file's writes = fio's IO count" "$fio_ios" "$(field "$work/top.out" total "$ino" writes)"
check_eq "... = the DIO windows record closed" "$rec_done" "$(field "$work/top.out" total "$ino" writes)"
check_eq "the file's reads = 0" 0 "$(field "$work/top.out" total "$ino" reads)"
check_eq "unwritten extents seen = blocks written into them" "$BLOCKS" \
	"$(field "$work/top.out" total "$ino" unwritten)"

# --- -n, and lines without --batch when stdout is not a terminal ----------
start=$(date +%s%N)
$DIOSCOPE top -i 0.3 -n 3 -d "$SCRATCH_MNT" > "$work/n.out" 2>/dev/null
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check_eq "top -n 3 stops by itself with status 0" 0 "$rc"
check_eq "... after 3 intervals" 3 "$(field "$work/n.out" '*' all wr/s | wc -l)"
check "... of 0.3 s each (${ms} ms in all)" [ "$ms" -ge 900 ]
check "a pipe gets lines without --batch" grep -q '^time ' "$work/n.out"
check "... and the totals at exit" grep -q '^total ' "$work/n.out"

# --- a refresh makes no map syscall ------------------------------------
# A map syscall holds its CPU's BPF guard: on a preemptible kernel a top
# preempted there would make the kprobe programs on that CPU skip. Its
# refreshes read the lost count through a mapping instead of a lookup.
if command -v strace > /dev/null; then
	for n in 2 12; do
		calls[$n]=$(bpf_map_calls "$work/strace.$n" $DIOSCOPE top \
			--batch -i 0.1 -n $n -d "$SCRATCH_MNT")
	done
	check_eq "12 refreshes make as many map lookups as 2" "${calls[2]}" \
		"${calls[12]}"
else
	skip "12 refreshes make as many map lookups as 2" "strace is not installed"
fi

# --- the inode filter ---------------------------------------------------
fallocate -l 1M "$SCRATCH_MNT/g"
start_top "$work/ino.out" --batch -i 0.5 -d "$SCRATCH_MNT" --inode "$ino"
for f in f g; do
	fio --name=$f --filename="$SCRATCH_MNT/$f" --rw=randwrite --bs=4k \
		--size=256k --direct=1 --sync=1 --output=/dev/null
done
sleep 0.7
stop_top INT
others=$(awk -v i="$ino" '!/^#/ && $3 ~ /^[0-9]+$/ && $3 != i' "$work/ino.out" | wc -l)
check_eq "--inode keeps other files out" 0 "$others"
check "... and keeps the file" [ "$(field "$work/ino.out" total "$ino" writes)" = 64 ]

# --- clean stops ---------------------------------------------------------
for sig in TERM HUP; do
	start_top "$work/sig.out" --batch -i 0.2 -d "$SCRATCH_MNT"
	sleep 0.5
	stop_top "$sig"
	check_eq "SIG$sig: top exits 0" 0 "$top_rc"
	check "SIG$sig: the totals are printed" grep -q '^total ' "$work/sig.out"
	check_eq "SIG$sig: no BPF program of ours left loaded" 0 "$(leaked_progs)"
done
# a reader that goes away ends top instead of leaving it writing
timeout 20 bash -c "$DIOSCOPE top --batch -i 0.1 2>/dev/null | head -n 6 > /dev/null; exit \${PIPESTATUS[0]}"
rc=$?
check "a closed pipe ends top (status $rc)" [ "$rc" -ne 124 ]
check_eq "... with no BPF program of ours left loaded" 0 "$(leaked_progs)"

tap_done
