#!/usr/bin/env bash
# The tracer on the running kernel: probe's plan, record's counts against
# an independent count from tracefs and against fio, trace's summary and
# filters, and the errors users meet first.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
BLOCKS=1024		# 4 KiB blocks written for the first time per run
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-live.XXXXXX")
tfs=/sys/kernel/tracing
inst=

cleanup() {
	[ -n "$inst" ] && rmdir "$inst" 2>/dev/null
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "live tracer tests"

csv_get() {	# csv_get FILE KEYCOLUMN KEY VALUECOLUMN
	awk -F, -v k="$3" -v kc="$2" -v vc="$4" \
		'{ sub(/\r$/, "") } NR > 1 && $kc == k { print $vc }' "$1"
}

# --- errors users meet first ---------------------------------------------
out=$($DIOSCOPE probe --tier warp 2>&1); rc=$?
check "an unknown tier is refused with exit status 2" [ "$rc" -eq 2 ]
check "... and named" grep -q "unknown tier 'warp'" <<<"$out"
out=$($DIOSCOPE record -- true 2>&1); rc=$?
check "record without -o is refused" [ "$rc" -eq 2 ]
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups $DIOSCOPE probe 2>&1); rc=$?
check "not root: a clear error" grep -q "needs root" <<<"$out"
check "not root: non-zero exit" [ "$rc" -ne 0 ]
out=$($DIOSCOPE probe --btf /no/such/btf 2>&1); rc=$?
check "a missing --btf file is refused" grep -q "/no/such/btf" <<<"$out"
out=$($DIOSCOPE nosuchcommand 2>&1); rc=$?
check "an unknown command is refused" [ "$rc" -eq 2 ]

# --- probe ---------------------------------------------------------------
$DIOSCOPE probe --csv > "$work/probe.csv"; rc=$?
check "probe exits 0 when anything can be traced" [ "$rc" -eq 0 ]
covered=$(awk -F, 'NR > 1 && $3 != "-"' "$work/probe.csv" | wc -l)
check "probe covers at least one target ($covered)" [ "$covered" -gt 0 ]
# every tier passed over must say why
bad=$(awk -F, 'NR > 1 && $3 != "fentry" && $3 != "-" && $4 !~ /fentry:/ && $4 !~ /not in kallsyms/' "$work/probe.csv")
check "a target below fentry says why fentry was not used" [ -z "$bad" ]
bad=$(awk -F, 'NR > 1 && $3 == "tracepoint" && $4 !~ /kprobe:/ && $4 !~ /not in kallsyms/' "$work/probe.csv")
check "a target on tracepoints says why kprobe was not used" [ -z "$bad" ]
if ! [ -e /sys/bus/event_source/devices/kprobe ] && ! [ -e $tfs/kprobe_events ]; then
	check "without kprobes, probe says 'kprobes not built in'" \
		grep -q "kprobes not built in" "$work/probe.csv"
fi
$DIOSCOPE probe > "$work/probe.txt"
check "probe names the kernel release" grep -q "^kernel *$(uname -r)$" "$work/probe.txt"
check "probe names the DIO path" grep -qE "^DIO path +iomap" "$work/probe.txt"
$DIOSCOPE probe --json > "$work/probe.json" 2>/dev/null
check_eq "probe --json is one JSON document of every target" "$(($(wc -l < "$work/probe.csv") - 1))" \
	"$(jq '.targets | length' "$work/probe.json")"
check_eq "probe --json covers what probe --csv covers" \
	"$(awk -F, 'NR > 1 && $3 != "-"' "$work/probe.csv" | wc -l)" \
	"$(jq '[.targets[] | select(.covered)] | length' "$work/probe.json")"
check_eq "probe --json names the kernel release" "$(uname -r)" "$(jq -r .kernel_release "$work/probe.json")"
$DIOSCOPE probe --json --csv > /dev/null 2>&1
check_eq "probe refuses --json with --csv" 2 "$?"

# --- record against tracefs and fio ---------------------------------------
scratch_up 512M
fallocate -l $((BLOCKS * 2 * 4096)) "$SCRATCH_MNT/f"
ino=$(stat -c %i "$SCRATCH_MNT/f")
majmin=$(lsblk -no MAJ:MIN "$SCRATCH_DEV" | tr -d ' ')
kdev=$(( (${majmin%:*} << 20) | ${majmin#*:} ))

# an independent count: the same tracepoint in a tracefs instance of our own
tracefs_up
inst=$tfs/instances/dioscope-test-$$
mkdir "$inst"
echo 16384 > "$inst/buffer_size_kb"
echo "dev == $kdev" > "$inst/events/ext4/ext4_ext_map_blocks_enter/filter"
echo "dev == $kdev" > "$inst/events/iomap/iomap_dio_rw_begin/filter" 2>/dev/null
echo 1 > "$inst/events/ext4/ext4_ext_map_blocks_enter/enable"
echo 1 > "$inst/events/iomap/iomap_dio_rw_begin/enable" 2>/dev/null
echo > "$inst/trace"

fio_job() {	# fio_job NAME RW
	fio --name="$1" --filename="$SCRATCH_MNT/f" --rw="$2" --bs=4k \
		--size=$((BLOCKS * 4096)) --direct=1 --sync=1 --ioengine=psync \
		--randrepeat=0 --output-format=json --output="$work/$1.json"
}

stats_before=$(cat /proc/sys/kernel/bpf_stats_enabled)
$DIOSCOPE record -o "$work/rec" -d "$SCRATCH_MNT" -- \
	bash -c "$(declare -f fio_job); SCRATCH_MNT=$SCRATCH_MNT work=$work BLOCKS=$BLOCKS; fio_job seq write && fio_job rand randwrite" \
	2> "$work/record.err"
rc=$?
echo 0 > "$inst/events/ext4/ext4_ext_map_blocks_enter/enable"
echo 0 > "$inst/events/iomap/iomap_dio_rw_begin/enable" 2>/dev/null
check "record exits with the command's status" [ "$rc" -eq 0 ]
check "record marks the run complete" grep -qx "complete=yes" "$work/rec/meta"
check "record reports no lost events" grep -qx "lost_events=0" "$work/rec/meta"
# BPF atomics (5.12+): the events came in per-CPU batches, and the
# counts below, held to ftrace's, are what the batches carried
want=16
IFS=. read -r kmaj kmin _ <<< "$(uname -r)"
[ "$kmaj" -lt 5 ] || { [ "$kmaj" -eq 5 ] && [ "$kmin" -lt 12 ]; } && want=no
check "record wrote its events in per-CPU batches ($want)" \
	grep -qx "event_batches=$want" "$work/rec/meta"
check "record names the clock its times were taken by" grep -qx "clock=wall" "$work/rec/meta"
DIOSCOPE_CLOCK=icount DIOSCOPE_EMULATED=1 $DIOSCOPE record -o "$work/rec-icount" \
	-d "$SCRATCH_MNT" -- true > /dev/null 2>&1
check "... and says clock=icount where instructions are the time" \
	grep -qx "clock=icount" "$work/rec-icount/meta"
check "... and emulated=yes beside it" grep -qx "emulated=yes" "$work/rec-icount/meta"

tf_pre=$(grep -c "flags [A-Z_|]*PRE_IO" "$inst/trace")
tf_conv=$(grep -c "flags [A-Z_|]*CONVERT" "$inst/trace")
tf_dio=$(grep -c "iomap_dio_rw_begin:" "$inst/trace")
ds_pre=$(csv_get "$work/rec/event_counts.csv" 1 pre_io_split 2)
ds_conv=$(csv_get "$work/rec/event_counts.csv" 1 conversion 2)
ds_sub=$(csv_get "$work/rec/event_counts.csv" 1 dio_submit 2)
ds_done=$(csv_get "$work/rec/event_counts.csv" 1 dio_complete 2)
fio_ios=0
for j in seq rand; do
	n=$(jq '[.jobs[].write.total_ios] | add' "$work/$j.json")
	fio_ios=$((fio_ios + n))
done
# the sequential run writes the first half for the first time; the random
# run overwrites that same half, so it adds no first-time block
check_eq "PRE_IO splits = blocks written for the first time" "$BLOCKS" "$ds_pre"
check_eq "conversions = blocks written for the first time" "$BLOCKS" "$ds_conv"
check_eq "PRE_IO splits = tracefs count of the same tracepoint" "$tf_pre" "$ds_pre"
check_eq "conversions = tracefs count of the same tracepoint" "$tf_conv" "$ds_conv"
check_eq "DIO windows opened = fio's IO count" "$fio_ios" "$ds_sub"
check_eq "DIO windows closed = fio's IO count" "$fio_ios" "$ds_done"
if [ -e $tfs/events/iomap/iomap_dio_rw_begin ]; then
	check_eq "DIO windows = tracefs count of iomap_dio_rw_begin" "$tf_dio" "$ds_sub"
fi
calls=$(csv_get "$work/rec/counts.csv" 1 dio_submit 4)
check_eq "counts.csv agrees with event_counts.csv" "$ds_sub" "$calls"

# --- the tracer's own cost, from bpf_prog_info -----------------------------
meta_val() { sed -n "s/^$1=//p" "$work/rec/meta"; }
check_eq "record leaves kernel.bpf_stats_enabled as it was" "$stats_before" \
	"$(cat /proc/sys/kernel/bpf_stats_enabled)"
check "BPF statistics were on during the run ($(meta_val bpf_stats))" \
	grep -qxE "bpf_stats=(fd|sysctl)" "$work/rec/meta"
runs=$(meta_val bpf_runs.dio_submit)
# the program runs for other files' IOs too, and stops at the filter
check "dio_submit's program ran at least once per DIO window ($runs >= $ds_sub)" \
	[ "${runs:-0}" -ge "$ds_sub" ]
check "the tracer's run time is counted ($(meta_val bpf_run_time_ns) ns)" \
	[ "$(meta_val bpf_run_time_ns)" -gt 0 ]
csv_ns=$(awk -F, 'NR > 1 { s += $5 } END { print s + 0 }' "$work/rec/prog_stats.csv")
check_eq "prog_stats.csv sums to meta's bpf_run_time_ns" \
	"$(meta_val bpf_run_time_ns)" "$csv_ns"
csv_n=$(($(wc -l < "$work/rec/prog_stats.csv") - 1))
check_eq "prog_stats.csv has a row per loaded program" "$(meta_val bpf_programs)" "$csv_n"
# the programs outside the plan: their cost apart, in meta
aux="sched_switch task_exit"
[ "$want" = no ] || aux="$aux batch_flush"
for p in $aux; do
	check "meta states the cost of $p apart ($(meta_val bpf_runs.$p) runs)" \
		test -n "$(meta_val bpf_run_time_ns.$p)"
done

# --- the task table frees the state of exited threads --------------------
# Every thread with a traced call keeps its state (a slot per function
# and its clock); 3 rounds of 8 fio threads would leave 24 behind if an
# exiting task did not free its own (task_exit.bpf.c). A table that
# never frees them fills, and then loses every call of a new thread.
cat > "$work/slots.sh" <<EOS
for r in 1 2 3; do
	fio --name=s --filename=$SCRATCH_MNT/slots --size=8m --bs=4k --rw=randwrite \
		--direct=1 --numjobs=8 --thread --number_ios=64 --output=/dev/null || exit 1
done
bpftool -j map dump name tasks > $work/slots.json
EOS
$DIOSCOPE record -o "$work/slots" -d "$SCRATCH_MNT" -- sh "$work/slots.sh" 2>/dev/null
check_eq "record of 3 x 8 fio threads exits 0" 0 "$?"
slots=$(jq length "$work/slots.json" 2>/dev/null || echo unreadable)
check "task states after the threads exited: $slots, fewer than 8" \
	test "$slots" -lt 8 2>/dev/null
check "and no call was lost to a full table" grep -qx lost_events=0 "$work/slots/meta"

# --- the lost count: mapped, and counted --------------------------------
# The count of events the programs could not write is mapped into user
# space, so that top's refreshes read it without a map syscall.
cat > "$work/maps.sh" <<EOS
bpftool -j map show name lost > $work/lost.\$1.json
bpftool -j map show name ios > $work/ios.\$1.json
EOS
$DIOSCOPE record -o "$work/maps0" -d "$SCRATCH_MNT" -- sh "$work/maps.sh" off 2>/dev/null
check "the lost count is a mappable array (BPF_F_MMAPABLE, 1024)" \
	test "$(jq -s -r '(.[0].flags / 1024 | floor) % 2' "$work/lost.off.json" 2>/dev/null)" = 1
# a reader stopped while fio writes: the 1 MiB ring buffer fills, and
# what it refused is counted (read through the mapping), not dropped
# (the command's parent is record's keeper, whose parent is record)
$DIOSCOPE record --buffer-mb 1 -o "$work/full" -d "$SCRATCH_MNT" -- sh -c '
	rec=$(awk "/^PPid:/ { print \$2 }" /proc/$PPID/status)
	kill -STOP "$rec"
	fio --name=full --filename='"$SCRATCH_MNT"'/full --size=16m --bs=4k \
		--rw=randwrite --direct=1 --number_ios=8192 --output=/dev/null
	rc=$?
	kill -CONT "$rec"
	exit $rc' > /dev/null 2>&1
check_eq "record with its reader stopped exits 0" 0 "$?"
lost=$(sed -n 's/^lost_events=//p' "$work/full/meta")
ev=$(sed -n 's/^events=//p' "$work/full/meta")
check "a full ring buffer's refusals are counted (lost_events=$lost, events=$ev)" \
	test "${lost:-0}" -gt 0
rm -f "$SCRATCH_MNT/full"

# --- the table of IO records: made only when records are on -------------
# Without --io-records the table of IOs being assembled is never used:
# one element, not the thousands a record needs (and a map update each
# to seal them).
check_eq "without --io-records the IO table has one element" 1 \
	"$(jq -s -r '.[0].max_entries' "$work/ios.off.json" 2>/dev/null)"
$DIOSCOPE record --io-records -o "$work/maps1" -d "$SCRATCH_MNT" -- sh "$work/maps.sh" on 2>/dev/null
if grep -qx io_records=yes "$work/maps1/meta"; then
	check "with --io-records it has one element per IO slot (4096)" \
		test "$(jq -s -r '.[0].max_entries' "$work/ios.on.json" 2>/dev/null)" = 4096
else
	skip "with --io-records it has one element per IO slot" "no records on this kernel"
fi

# --- the record's exit status is the command's ----------------------------
$DIOSCOPE record -o "$work/rec3" -d "$SCRATCH_MNT" -- sh -c 'exit 7' 2>/dev/null
check_eq "record passes on the command's exit status" 7 "$?"
$DIOSCOPE record -o "$work/rec3" -- true 2>/dev/null
check "record refuses to overwrite a recording without -f" [ "$?" -ne 0 ]

# --- trace: lines, filters, and the summary on Ctrl-C ---------------------
fallocate -l 1M "$SCRATCH_MNT/other"
$DIOSCOPE trace -i "$ino" -d "$SCRATCH_MNT" > "$work/trace.out" 2> "$work/trace.err" &
tpid=$!
for _ in $(seq 50); do grep -q "tracing" "$work/trace.err" && break; sleep 0.1; done
fio --name=t --filename="$SCRATCH_MNT/f" --rw=write --bs=4k --offset=$((BLOCKS * 4096)) \
	--size=256k --direct=1 --sync=1 --output=/dev/null
fio --name=o --filename="$SCRATCH_MNT/other" --rw=write --bs=4k --size=256k \
	--direct=1 --sync=1 --output=/dev/null
kill -INT $tpid
wait $tpid
check_eq "trace exits 0 on Ctrl-C" 0 "$?"
lines=$(awk -v i="$ino" '$4 == i && $5 == "dio_submit"' "$work/trace.out" | wc -l)
check_eq "trace shows one dio_submit line per IO of the file" 64 "$lines"
others=$(awk -v i="$ino" 'NR > 1 && $4 ~ /^[0-9]+$/ && $4 != i' "$work/trace.out" | wc -l)
check_eq "the inode filter keeps other files out" 0 "$others"
check "the summary has a histogram per traced function" \
	grep -qE "^ext4_ext_map_blocks \(tracepoint\): [0-9]+ calls" "$work/trace.out"
check "the summary counts events" grep -qE "^dio_submit +64$" "$work/trace.out"
check "the summary states the tracer's in-kernel cost" \
	grep -qE "^in-kernel cost of the tracer: [0-9]+ ns in [0-9]+ program runs, [0-9]+ ns per DIO submitted$" "$work/trace.out"

# --- trace --json: NDJSON, flushed per line --------------------------------
$DIOSCOPE trace --json -i "$ino" -d "$SCRATCH_MNT" > "$work/trace.json" 2> "$work/trace-json.err" &
tpid=$!
for _ in $(seq 50); do grep -q "tracing" "$work/trace-json.err" && break; sleep 0.1; done
fio --name=t --filename="$SCRATCH_MNT/f" --rw=write --bs=4k --offset=$((BLOCKS * 4096 + 262144)) \
	--size=256k --direct=1 --sync=1 --output=/dev/null
# still running, its stdout a file: only a flush per line shows them now
n=0
for _ in $(seq 30); do
	n=$(grep -c '"event":"dio_submit"' "$work/trace.json")
	[ "$n" -ge 64 ] && break
	sleep 0.1
done
check_eq "trace --json writes each event while it runs" 64 "$n"
kill -INT $tpid
wait $tpid
check_eq "trace --json exits 0 on Ctrl-C" 0 "$?"
bad=$(jq -R -c 'try (fromjson | type) catch "invalid"' "$work/trace.json" | grep -vcx '"object"')
check_eq "every line of trace --json is one JSON object" 0 "$bad"
last=$(tail -1 "$work/trace.json")
check_eq "the last line is the summary" summary "$(jq -r .kind <<<"$last")"
check_eq "... counting the file's DIO submissions" 64 "$(jq -r .events.dio_submit <<<"$last")"
check_eq "... with the losses" 0 "$(jq -r .self.lost_events <<<"$last")"
check "... and the tracer's in-kernel cost ($(jq -r .self.bpf_run_time_ns <<<"$last") ns)" \
	jq -e '.self.bpf_run_time_ns > 0 and .self.bpf_runs > 0 and (.self.programs | length) > 0' <<<"$last"
first=$(grep -m1 '"event":"dio_submit"' "$work/trace.json")
check "a DIO event has its offset, length and direction in bytes" jq -e \
	--argjson off $((BLOCKS * 4096 + 262144)) --argjson ino "$ino" \
	'.offset_bytes == $off and .length_bytes == 4096 and .write and .ino == $ino' <<<"$first"
mb=$(grep -m1 '"event":"map_blocks"' "$work/trace.json")
check "a map_blocks event names its flags and counts blocks" jq -e \
	'(.flags | index("PRE_IO") != null or index("CONVERT") != null) and .len_blocks >= 1 and has("lblk")' <<<"$mb"

# A map operation from user space holds the CPU's BPF guard, and a kprobe
# program that fires while the holder is preempted (lazy or full
# preemption) is skipped: while it records, record must make none.
if command -v strace > /dev/null; then
	short=$(bpf_map_calls "$work/strace.short" $DIOSCOPE record -f \
		-o "$work/quiet.short" -- sleep 0.2)
	long=$(bpf_map_calls "$work/strace.long" $DIOSCOPE record -f \
		-o "$work/quiet.long" -- sleep 3.5)
	check_eq "record updates no map while it runs (a 3.5 s run as many as a 0.2 s one)" \
		"$short" "$long"
else
	skip "record updates no map while it runs" "strace is not installed"
fi

tap_done
