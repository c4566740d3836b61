#!/usr/bin/env bash
# What a careless or hostile user did to dioscope, command by command:
# each case once printed wrong numbers with exit status 0, destroyed data
# or left something behind. Everything made here is named after this
# test's own directory or pid, and only that is looked at and removed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-$PWD/dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-rel.XXXXXX")
tag=dioscope-rel-$$
pids=()
tiny=
on_top=
cleanup() {
	local p
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
	[ -n "$on_top" ] && losetup -d "$on_top"
	pkill -KILL -f "$tag" 2>/dev/null
	[ -n "$tiny" ] && mountpoint -q "$tiny" && umount "$tiny"
	grep -o "$work/[^ ]*" /proc/mounts 2>/dev/null | xargs -r -n1 umount 2>/dev/null
	losetup -a 2>/dev/null | grep "$work" | cut -d: -f1 | xargs -r -n1 losetup -d
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

meta() { sed -n "s/^$2=//p" "$1/meta"; }
synth() { $DIOSCOPE report --synthetic "$1" "$2" > /dev/null 2>&1; }

# --- report: a run is checked before it is believed; nothing is lost ---

synth 200 "$work/syn" || not_ok "synthetic run"
before=$(meta "$work/syn" events)
$DIOSCOPE report --synthetic 50 "$work/syn" > /dev/null 2> "$work/e"
check "report --synthetic over a run is refused" [ $? -ne 0 ]
check_eq "the run is left as it was" "$before" "$(meta "$work/syn" events)"
check "--synthetic -1 is refused" fails $DIOSCOPE report --synthetic -1 "$work/neg"
check "... and writes nothing" [ ! -e "$work/neg" ]

# the threads that read ahead change nothing: the same files, byte for
# byte, with them and without (--one-thread); enough IOs for many chunks
synth 30000 "$work/thr" || not_ok "synthetic run of 30000 IOs"
rm -f "$work"/thr/*.csv
cp -r "$work/thr" "$work/thr1"
$DIOSCOPE report --perfetto "$work/thr.trace" "$work/thr" > "$work/thr.out" 2>&1
$DIOSCOPE report --one-thread --perfetto "$work/thr1.trace" "$work/thr1" > "$work/thr1.out" 2>&1
for f in summary.csv summary.json ios.csv inodes.csv events.csv; do
	check "report --one-thread writes the same $f" cmp -s "$work/thr/$f" "$work/thr1/$f"
done
check "... the same summary on stdout" cmp -s <(sed "s#$work/thr##g" "$work/thr.out") <(sed "s#$work/thr1##g" "$work/thr1.out")
check "... the same trace" cmp -s <(sed "s#$work/thr1*##g" "$work/thr.trace") <(sed "s#$work/thr1*##g" "$work/thr1.trace")
# without ios.csv the join runs in a thread too
$DIOSCOPE report --no-csv "$work/thr" > "$work/thr.out" 2>&1
$DIOSCOPE report --no-csv --one-thread "$work/thr" > "$work/thr1.out" 2>&1
check "report --no-csv --one-thread prints the same summary" cmp -s "$work/thr.out" "$work/thr1.out"

# a tree with one damaged run: summary.csv keeps every scenario's row
for s in a b; do synth 100 "$work/tree/rel/$s/run-1"; done
$DIOSCOPE report "$work/tree" > /dev/null 2>&1
cp "$work/tree/rel/summary.csv" "$work/summary.good"
truncate -s -1040 "$work/tree/rel/b/run-1/events.bin"
$DIOSCOPE report "$work/tree" > "$work/o" 2> "$work/e"
check "report of a tree with a cut run exits non-zero" [ $? -ne 0 ]
check "it says the run was refused" grep -q "refused" "$work/e"
check "the tree's summary.csv is not rewritten" cmp -s "$work/summary.good" "$work/tree/rel/summary.csv"
check "no temporary file is left" [ -z "$(find "$work/tree" -name '*.tmp')" ]

# --no-csv: the same summary printed, not a file written or touched
for s in a b; do synth 100 "$work/nc/rel/$s/run-1"; done
$DIOSCOPE report "$work/nc" > "$work/nc.csv.out" 2>&1
find "$work/nc" -type f -printf '%p %s %T@\n' | sort > "$work/nc.before"
$DIOSCOPE report --no-csv "$work/nc" > "$work/nc.out" 2>&1
check_eq "report --no-csv exits 0" 0 "$?"
check "... prints the summary report prints" cmp -s "$work/nc.csv.out" "$work/nc.out"
find "$work/nc" -type f -printf '%p %s %T@\n' | sort > "$work/nc.after"
check "... and writes no file" cmp -s "$work/nc.before" "$work/nc.after"
rm -f "$work/nc/rel/a/run-1/ios.csv" "$work/nc/rel/summary.csv"
$DIOSCOPE report --no-csv "$work/nc" > /dev/null 2>&1
check "... nor one that was missing" [ ! -e "$work/nc/rel/a/run-1/ios.csv" ] && [ ! -e "$work/nc/rel/summary.csv" ]
truncate -s -1040 "$work/nc/rel/b/run-1/events.bin"
$DIOSCOPE report --no-csv "$work/nc" > /dev/null 2> "$work/e"
check "... and still refuses a cut run" [ $? -ne 0 ]
check "--no-csv with --synthetic is refused" fails $DIOSCOPE report --no-csv --synthetic 10 "$work/nc-syn"
check "... and writes nothing" [ ! -e "$work/nc-syn" ]

# a writer killed before its rename leaves its aside file: the next report
# into that directory removes it, saying so, and no other file
synth 100 "$work/left/rel/a/run-1"
$DIOSCOPE report "$work/left" > /dev/null 2>&1
dead=$(sh -c 'echo $$')	# a pid that has exited
touch "$work/left/rel/summary.csv.dioscope-$dead.tmp" \
	"$work/left/rel/a/run-1/ios.csv.dioscope-$dead.tmp" \
	"$work/left/rel/a/run-1/ios.csv.dioscope-$$.tmp" \
	"$work/left/rel/notes.tmp" "$work/left/rel/a/run-1/ios.csv.tmp"
$DIOSCOPE report "$work/left" > /dev/null 2> "$work/e"
check_eq "report removes the aside files a killed writer left" "" \
	"$(find "$work/left" -name "*.dioscope-$dead.tmp")"
check "... saying so, with the file" grep -q "removed $work/left/rel/a/run-1/ios.csv.dioscope-$dead.tmp, left by a dioscope that was killed (pid $dead)" "$work/e"
check "... not those of a live writer" [ -f "$work/left/rel/a/run-1/ios.csv.dioscope-$$.tmp" ]
check "... nor the user's *.tmp" [ -f "$work/left/rel/notes.tmp" ] && [ -f "$work/left/rel/a/run-1/ios.csv.tmp" ]

# more than 100 runs: all are read and counted
for j in $(seq 120); do synth 4 "$work/many/run-$j" || break; done
$DIOSCOPE report "$work/many" > "$work/o" 2>&1
check "report reads all 120 runs of a scenario" grep -q " 120/120 " "$work/o"

# a FIFO in place of events.bin: refused at once, not waited on
synth 10 "$work/fifo"
rm "$work/fifo/events.bin" && mkfifo "$work/fifo/events.bin"
timeout 20 $DIOSCOPE report "$work/fifo" > /dev/null 2> "$work/e"
rc=$?
check "report refuses a FIFO events.bin (rc $rc)" [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]
check "... and says it is a FIFO" grep -q "a FIFO" "$work/e"

# principle 4: every number read from meta is checked like an option
for kv in bpf_run_time_ns=-1 kretprobe_missed=-5 bpf_runs=1e3 bpf_runs=NaN \
	bpf_recursion_misses=12abc block_size_bytes=-1; do
	rm -rf "$work/mn" && cp -r "$work/syn" "$work/mn"
	sed -i "/^${kv%%=*}=/d" "$work/mn/meta" && echo "$kv" >> "$work/mn/meta"
	$DIOSCOPE report "$work/mn" > /dev/null 2> "$work/e"
	rc=$?
	check "report refuses meta $kv ($rc)" [ "$rc" -ne 0 ]
	check "... naming the line" grep -q "meta:[0-9]*: $kv: not a non-negative decimal" "$work/e"
done
rm -rf "$work/mn" && cp -r "$work/syn" "$work/mn" && echo bpf_runs=unknown >> "$work/mn/meta"
check "... and takes unknown for a count not kept" sh -c "$DIOSCOPE report '$work/mn' > /dev/null 2>&1"

# what a complete run always has, taken away, is not taken as absent
rm -rf "$work/nl" && cp -r "$work/syn" "$work/nl" && rm "$work/nl"/fio_lat.*.log
$DIOSCOPE report "$work/nl" > /dev/null 2> "$work/e"
check "report refuses a complete run whose fio logs were deleted ($?)" [ $? -ne 0 ]
check "... saying how many were found" grep -q "latency logs, 0 found" "$work/e"
rm -rf "$work/nl" && cp -r "$work/syn" "$work/nl"
sed -i '/^events=/d; /^events_digest=/d' "$work/nl/meta"
$DIOSCOPE report "$work/nl" > /dev/null 2> "$work/e"
check "report refuses a complete run whose meta lost events= and events_digest=" [ $? -ne 0 ]
check "... saying events.bin cannot be checked" grep -q "events.bin cannot be checked" "$work/e"

# escape sequences from meta or a directory's name never reach the terminal
for key in kernel_release mount_options fio_version; do
	rm -rf "$work/esc" && cp -r "$work/syn" "$work/esc"
	sed -i "/^$key=/d" "$work/esc/meta" && printf '%s=a\033]0;owned\007b\n' "$key" >> "$work/esc/meta"
	$DIOSCOPE report "$work/esc" > "$work/o" 2> "$work/e"
	check "report refuses an escape sequence in meta's $key" [ $? -ne 0 ]
	check "... and prints no ESC" fails grep -q $'\033' "$work/o" "$work/e"
done
esc=$'rel\033[2J'
for s in a b; do synth 100 "$work/escdir/$esc/$s/run-1"; done
$DIOSCOPE report "$work/escdir" > "$work/o" 2>&1
check "report escapes a directory's name on the terminal" fails grep -q $'\033' "$work/o"
$DIOSCOPE compare "$work/escdir/$esc" "$work/escdir/$esc" -o "$work/co" > "$work/o" 2>&1
check "compare escapes a directory's name on the terminal" fails grep -q $'\033' "$work/o"
# a scenario's name from summary.csv: escaped, and never a plot's file name
sed -i 's/^synthetic,/a\x1b[2Jx,/' "$work/escdir/$esc/summary.csv"
$DIOSCOPE compare "$work/escdir/$esc" "$work/escdir/$esc" -o "$work/co" > "$work/o" 2>&1
check "compare escapes a scenario's name from summary.csv" fails grep -q $'\033' "$work/o"
check "... showing it escaped" grep -q 'a\\x1b\[2Jx' "$work/o"
$DIOSCOPE plot "$work/escdir/$esc" -o "$work/plesc" > "$work/o" 2>&1
check "plot leaves out a scenario whose name holds an escape, exiting non-zero ($?)" [ $? -ne 0 ]
check "... and prints no ESC" fails grep -q $'\033' "$work/o"

# --- principle 1: only a regular file dioscope made is replaced ---

kind() { stat -c %F "$1" 2>/dev/null; }
synth 50 "$work/pf"
sum=$(md5sum < "$work/pf/events.bin")
$DIOSCOPE report --perfetto "$work/pf/events.bin" "$work/pf" > /dev/null 2> "$work/e"
check "report --perfetto RUN/events.bin is refused" [ $? -ne 0 ]
check_eq "... and the run's events.bin is left whole" "$sum" "$(md5sum < "$work/pf/events.bin")"
check "... saying it is a file of a run" grep -q "a file of a run" "$work/e"
mkfifo "$work/pf.fifo"
timeout 20 $DIOSCOPE report --perfetto "$work/pf.fifo" "$work/pf" > /dev/null 2> "$work/e"
rc=$?
check "report --perfetto into a FIFO nobody reads is refused (rc $rc)" [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]
check_eq "... and the FIFO is still one" fifo "$(kind "$work/pf.fifo")"
(timeout 20 cat "$work/pf.fifo" > "$work/pf.read") &
sleep 0.5
$DIOSCOPE report --perfetto "$work/pf.fifo" "$work/pf" > /dev/null 2>&1
check_eq "a FIFO with a reader is written through" 0 "$?"
wait
check "... the reader gets the trace" grep -q traceEvents "$work/pf.read"
# nodes of our own: a dioscope that renames over them must not take the
# machine's /dev/null with it
if mknod "$work/null" c 1 3 2>/dev/null && mknod "$work/full" c 1 7; then
	check "report --perfetto into a null device writes through" sh -c "$DIOSCOPE report --perfetto '$work/null' '$work/pf' > /dev/null 2>&1"
	check_eq "... and the device stays one" "character special file" "$(kind "$work/null")"
	check "report --perfetto into a full device exits non-zero" fails $DIOSCOPE report --perfetto "$work/full" "$work/pf"
	check_eq "... and the device stays one" "character special file" "$(kind "$work/full")"
else
	skip "--perfetto into a device" "mknod needs root"
fi
mkdir "$work/pf.dir" && touch "$work/pf.dir/keep"
check "report --perfetto DIR is refused" fails $DIOSCOPE report --perfetto "$work/pf.dir" "$work/pf"
check "... and the directory keeps its file" [ -f "$work/pf.dir/keep" ]
echo outside > "$work/outside"
ln -s "$work/outside" "$work/pf.link"
check "report --perfetto through a symlink to a file is refused" fails $DIOSCOPE report --perfetto "$work/pf.link" "$work/pf"
check_eq "... and the file it leads to is untouched" outside "$(cat "$work/outside")"
$DIOSCOPE report --perfetto "$work/pf.trace" "$work/pf" > /dev/null 2>&1
check "report --perfetto into a new name writes it" grep -q traceEvents "$work/pf.trace"

# empty output names once wrote into /
check "bench -o '' is refused" fails $DIOSCOPE bench -o ""
check "plot -o '' is refused" fails $DIOSCOPE plot "$work/tree/rel" -o ""

# --- compare: nothing compared, itself, values and samples that disagree ---

cmp_tree() {	# cmp_tree DIR SCENARIO: one synthetic run, reported
	synth 300 "$1/rel/$2/run-1"
	sed -i "s/^scenario=.*/scenario=$2/" "$1/rel/$2/run-1/meta"
	$DIOSCOPE report "$1/rel" > /dev/null 2>&1
}
cmp_tree "$work/c1" synthetic
cmp_tree "$work/c2" other
$DIOSCOPE compare "$work/c1/rel" "$work/c1/rel" -o "$work/co" > /dev/null 2> "$work/e"
check "compare of a tree with itself is flagged" grep -q "warning: A and B are the same results" "$work/e"
$DIOSCOPE compare "$work/c1/rel" "$work/c2/rel" -o "$work/co" > /dev/null 2> "$work/e"
check "compare with no common scenario exits non-zero" [ $? -ne 0 ]
check "... saying nothing was compared" grep -q "nothing was compared" "$work/e"
for bad in 0x10 -5 1e3; do
	rm -rf "$work/c4" && cp -r "$work/c1" "$work/c4"
	awk -F, -v OFS=, -v bad="$bad" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "lat_ns") c = i }
		NR == 3 { $c = bad } { print }' "$work/c1/rel/synthetic/run-1/ios.csv" \
		> "$work/c4/rel/synthetic/run-1/ios.csv"
	$DIOSCOPE compare "$work/c1/rel" "$work/c4/rel" -o "$work/co" > /dev/null 2> "$work/e"
	rc=$?
	check "compare refuses a latency of $bad in ios.csv ($rc)" [ "$rc" -ne 0 ]
	check "... naming the file and line" grep -q "ios.csv:3: lat_ns '$bad'" "$work/e"
done
# a run's summary.csv that is not of its ios.csv: refused, naming it
srun=synthetic/run-1
rm -rf "$work/c4" && cp -r "$work/c1" "$work/c4"
sed -i '$d' "$work/c4/rel/$srun/ios.csv"
$DIOSCOPE compare "$work/c1/rel" "$work/c4/rel" -o "$work/co" > /dev/null 2> "$work/e"
rc=$?
check "compare refuses a run whose ios.csv lost a row ($rc)" [ "$rc" -ne 0 ]
check "... naming its summary.csv and both counts" \
	grep -q "$work/c4/rel/$srun/summary.csv: ios is 300, but $work/c4/rel/$srun/ios.csv has 299" "$work/e"
for col in joined pre_io_splits_per_1k_ios; do
	rm -rf "$work/c4" && cp -r "$work/c1" "$work/c4"
	awk -F, -v OFS=, -v col="$col" '{ sub(/\r$/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i }
		NR == 2 { $c = $c - 1 } { printf "%s\r\n", $0 }' \
		"$work/c1/rel/$srun/summary.csv" > "$work/c4/rel/$srun/summary.csv"
	check "compare refuses a run summary whose $col is off by one" \
		fails $DIOSCOPE compare "$work/c1/rel" "$work/c4/rel" -o "$work/co"
done
# principle 3: the value printed and its difference come from one source
rm -rf "$work/c4" && cp -r "$work/c1" "$work/c4"
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "lat_ns") c = i }
	NR > 1 && $c != "" { $c = int($c / 2) } { print }' "$work/c1/rel/$srun/ios.csv" \
	> "$work/c4/rel/$srun/ios.csv"
$DIOSCOPE compare "$work/c1/rel" "$work/c4/rel" -o "$work/co" > "$work/o" 2> "$work/e"
check "compare refuses B whose ios.csv latencies were halved ($?)" [ $? -ne 0 ]
check "... naming the summary's mean and the rows'" grep -q "lat_mean_ns is .*, but .*ios.csv has" "$work/e"
check "... and prints no +0.00 % beside a doubled value" fails grep -q "+0.00%" "$work/o"
rm -rf "$work/c4" && cp -r "$work/c1" "$work/c4"
check "... and takes a copy whose summaries agree" \
	sh -c "$DIOSCOPE compare '$work/c1/rel' '$work/c4/rel' -o '$work/co' > /dev/null 2>&1"
rm -rf "$work/c4" && cp -r "$work/c1" "$work/c4"
printf '1,2\0,3\r\n' >> "$work/c4/rel/$srun/ios.csv"
check "compare refuses a NUL in ios.csv" fails $DIOSCOPE compare "$work/c1/rel" "$work/c4/rel" -o "$work/co"

# a run copied is one run: three copies per arm are refused, not counted
for j in 1 2 3; do	# B's runs differ; A's are one run copied
	synth $((400 + j)) "$work/dup/b/rel/synthetic/run-$j"
	sed -i "s/^scenario=.*/scenario=synthetic/" "$work/dup/b/rel/synthetic/run-$j/meta"
done
synth 300 "$work/dup/a/rel/synthetic/run-1"
sed -i "s/^scenario=.*/scenario=synthetic/" "$work/dup/a/rel/synthetic/run-1/meta"
cp -r "$work/dup/a/rel/synthetic/run-1" "$work/dup/a/rel/synthetic/run-2"
cp -r "$work/dup/a/rel/synthetic/run-1" "$work/dup/a/rel/synthetic/run-3"
$DIOSCOPE report "$work/dup/a/rel" > /dev/null 2>&1
$DIOSCOPE report "$work/dup/b/rel" > /dev/null 2>&1
$DIOSCOPE compare "$work/dup/a/rel" "$work/dup/b/rel" -o "$work/co" > "$work/o" 2> "$work/e"
rc=$?
check "compare refuses an arm whose runs are one run copied ($rc)" [ "$rc" -ne 0 ]
check "... naming both runs" grep -q "dup/a/rel/synthetic/run-1 and .*run-2 hold the same IOs" "$work/e"
check "... and takes B's distinct runs" fails grep -q "dup/b/rel.*hold the same IOs" "$work/e"
check "... and marks nothing significant" fails grep -q "[1-9][0-9]* of [0-9]* differences significant" "$work/o"

# a FIFO in place of a run's file is refused at once, not waited on
rm -rf "$work/c5" && cp -r "$work/c1" "$work/c5"
rm "$work/c5/rel/$srun/ios.csv" && mkfifo "$work/c5/rel/$srun/ios.csv"
timeout 20 $DIOSCOPE compare "$work/c1/rel" "$work/c5/rel" -o "$work/co" > /dev/null 2> "$work/e"
rc=$?
check "compare refuses a FIFO ios.csv (rc $rc)" [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]
check "... saying it is a FIFO" grep -q "a FIFO" "$work/e"
timeout 20 $DIOSCOPE plot "$work/c5/rel" -o "$work/pl" > /dev/null 2>&1
rc=$?
check "plot refuses a FIFO ios.csv (rc $rc)" [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]
# an ios.csv that is not one: refused, not taken for a run of no IO
rm -rf "$work/c6" && cp -r "$work/c1" "$work/c6"
echo garbage > "$work/c6/rel/$srun/ios.csv"
$DIOSCOPE plot "$work/c6/rel" -o "$work/pl6" > /dev/null 2> "$work/e"
check "plot exits non-zero when ios.csv cannot be read as one ($?)" [ $? -ne 0 ]
check "... naming it" grep -q "$srun/ios.csv: no lat_ns or io column" "$work/e"
check "compare refuses it too" fails $DIOSCOPE compare "$work/c1/rel" "$work/c6/rel" -o "$work/co"
# plots counted are plots gnuplot wrote: a script that writes none fails
mkdir "$work/gp" && cp plots/*.gp "$work/gp/" && echo exit > "$work/gp/cdf.gp"
$DIOSCOPE plot --plots-dir "$work/gp" "$work/c1/rel" -o "$work/pl7" > "$work/o" 2> "$work/e"
check "plot exits non-zero when gnuplot wrote no plot ($?)" [ $? -ne 0 ]
drawn=$(ls "$work/pl7" | grep -c '\.\(png\|svg\)$')
check "... and counts only the $drawn plots written" grep -q "^$drawn plots " "$work/o"
check "... saying which it did not write" grep -q "gnuplot wrote no $work/pl7/synthetic-cdf.png" "$work/e"
check "... and leaves no aside file" [ -z "$(find "$work/pl7" -name '*.tmp')" ]
mkfifo "$work/btf.fifo"
timeout 20 $DIOSCOPE probe --btf "$work/btf.fifo" > /dev/null 2> "$work/e"
rc=$?
check "probe --btf refuses a FIFO (rc $rc)" [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]

# the UX cases: what is asked and cannot be done is said, not ignored
$DIOSCOPE report --synthetic 10 --perfetto "$work/x.pf" "$work/syn-pf" > /dev/null 2>&1
check_eq "report --synthetic --perfetto exits 0" 0 "$?"
check "... and writes the synthetic run's trace" grep -q traceEvents "$work/x.pf"
mkdir "$work/pf-dir"
check "report --synthetic --perfetto DIR is refused" fails $DIOSCOPE report --synthetic 10 --perfetto "$work/pf-dir" "$work/syn-pf2"
check "... before it writes the run" [ ! -e "$work/syn-pf2" ]
# a synthetic run's files are written aside, never through a link left there
mkdir "$work/syn-link" && ln -s "$work/outside" "$work/syn-link/events.bin"
$DIOSCOPE report -f --synthetic 10 "$work/syn-link" > /dev/null 2> "$work/e"
check "report -f --synthetic over a symlinked events.bin is refused ($?)" [ $? -ne 0 ]
check_eq "... and the file it leads to is untouched" outside "$(cat "$work/outside")"
check "... and no aside file is left" [ -z "$(find "$work/syn-link" -name '*.tmp')" ]
check "report --no-events --no-csv is refused" fails $DIOSCOPE report --no-events --no-csv "$work/syn"
$DIOSCOPE compare "$work/c1/rel" "$work/c2/rel" -o "$work/co" > /dev/null 2> "$work/e"
check "compare says a scenario B has and A lacks is left out" grep -q "other: in B, not in A: left out" "$work/e"
check "... and one A has and B lacks" grep -q "synthetic: in A, not in B: left out" "$work/e"
$DIOSCOPE compare "$work/c1/rel" "$work/c2/rel" "$work/c2/rel" -o "$work/co" > /dev/null 2> "$work/e"
check_eq "... once for every tree that has it" 1 "$(grep -c "other: in B,C, not in A: left out" "$work/e")"

# compare.csv: written aside, never through a symlink
mkdir -p "$work/co-link"
ln -s "$work/outside" "$work/co-link/compare.csv"
$DIOSCOPE compare "$work/c1/rel" "$work/c1/rel" -o "$work/co-link" > /dev/null 2> "$work/e"
check "compare refuses a compare.csv that is a symlink" [ $? -ne 0 ]
check_eq "... and the file it leads to is untouched" outside "$(cat "$work/outside")"
check "... and still a symlink" [ -L "$work/co-link/compare.csv" ]
dead=$(sh -c 'echo $$')
touch "$work/co/compare.csv.dioscope-$dead.tmp"
$DIOSCOPE compare "$work/c1/rel" "$work/c1/rel" -o "$work/co" > /dev/null 2>&1
check "compare writes compare.csv aside (a killed writer's is cleaned)" [ ! -e "$work/co/compare.csv.dioscope-$dead.tmp" ]

# plot's data files are written aside too, never through a symlink
$DIOSCOPE plot "$work/c1/rel" -o "$work/plo" > /dev/null 2>&1
pct=$(ls "$work/plo/data/" | grep pct | head -1)
if [ -n "$pct" ]; then
	rm "$work/plo/data/$pct" && ln -s "$work/outside" "$work/plo/data/$pct"
	check "plot refuses a data file that is a symlink" fails $DIOSCOPE plot "$work/c1/rel" -o "$work/plo"
	check_eq "... and the file it leads to is untouched" outside "$(cat "$work/outside")"
else
	not_ok "plot wrote no percentile data to test with"
fi

# principle 6: what could not be printed is a failure
check "report into a full standard output exits non-zero" fails sh -c "$DIOSCOPE report '$work/pf' > /dev/full"
check "compare into a full standard output exits non-zero" fails sh -c "$DIOSCOPE compare '$work/c1/rel' '$work/c1/rel' -o '$work/co' > /dev/full"
check "probe into a full standard output exits non-zero" fails sh -c "$DIOSCOPE probe > /dev/full"
$DIOSCOPE report "$work/pf" 2>&1 > /dev/full | grep -q "standard output: No space left on device"
check "... saying why" [ $? -eq 0 ]

# --- input: numbers and files are what they say ---

check "bench --size 1T is taken as a size" fails sh -c "$DIOSCOPE bench --size 1T -s nosuch 2>&1 | grep -q -- --size"
check "bench --size 010 is refused (no base 0)" fails $DIOSCOPE bench --size 010 -s nosuch
$DIOSCOPE top --openmetrics 99999 > /dev/null 2> "$work/e"
check_eq "top --openmetrics with no ADDR:PORT exits 2, before tracing" 2 "$?"
check "... naming it" grep -q "'99999' is no ADDR:PORT" "$work/e"
check "trace --min-us past 2^64 ns is refused" fails $DIOSCOPE trace --min-us 99999999999999999999
printf 'garbage' > "$work/garbage.btf"
$DIOSCOPE probe --btf "$work/garbage.btf" > /dev/null 2> "$work/e"
check "probe --btf garbage is refused" [ $? -ne 0 ]
check "... in words, not as Unknown error 4001" sh -c "grep -q 'not a BTF file' '$work/e' && ! grep -q 'Unknown error' '$work/e'"

require_root "record and bench cases"
command -v fio > /dev/null || { skip "record and bench cases" "fio is not installed"; tap_done; exit 0; }
command -v bpftool > /dev/null || { skip "record and bench cases" "bpftool missing"; tap_done; exit 0; }

# --- record: a command that did not complete is not recorded complete ---

$DIOSCOPE record -o "$work/killed" -- sh -c 'kill -KILL $$' > /dev/null 2>&1
check_eq "a command killed by SIGKILL is recorded incomplete" no "$(meta "$work/killed" complete)"
check_eq "... naming the signal" Killed "$(meta "$work/killed" killed_by)"
$DIOSCOPE record -o "$work/nf" -- "$work/no-such-command" > /dev/null 2>&1
rc=$?
check_eq "a command not found exits 127" 127 "$rc"
check_eq "... and is recorded incomplete" no "$(meta "$work/nf" complete)"
# principle 5: --tier T means only T, or a refusal
for t in kprobe fentry; do
	$DIOSCOPE probe --tier $t > "$work/o" 2>&1
	check "probe --tier $t plans no target on another tier" \
		fails grep -qE "^[a-z_]+ +[a-z_0-9]+ +(tracepoint|fentry|kprobe) " <(grep -vE "^[a-z_]+ +[a-z_0-9]+ +$t " "$work/o")
done
$DIOSCOPE record --tier fentry -o "$work/tf" -- true > /dev/null 2>&1
rc=$?
check "record --tier fentry records only fentry, or refuses ($rc)" \
	sh -c "[ $rc -ne 0 ] || ! grep -qE '^tier\.[a-z_]+=(tracepoint|kprobe)\$' '$work/tf/meta'"

# a daemon the command started is not left running under a complete run
$DIOSCOPE record -o "$work/daemon" -- sh -c "setsid bash -c 'exec -a $tag-daemon sleep 60' & exit 0" > /dev/null 2>&1
sleep 0.5
check_eq "record kills a daemon the command left running" 0 "$(pgrep -fc "$tag-daemon")"
check_eq "... and does not call the run complete" no "$(meta "$work/daemon" complete)"
check "... saying what it killed" grep -q "^left_running=1 " "$work/daemon/meta"

mkdir "$work/own" && echo keep > "$work/own/meta" && echo keep > "$work/own/counts.csv"
check "record -o into a directory of other files is refused" fails $DIOSCOPE record -o "$work/own" -- true
check "... even with -f" fails $DIOSCOPE record -f -o "$work/own" -- true
check "... and its meta and counts.csv are left" sh -c "grep -q keep '$work/own/meta' && grep -q keep '$work/own/counts.csv'"
check "record -o into a results tree is refused" fails $DIOSCOPE record -o "$work/tree" -- true
check "... and no run is made in it" [ ! -e "$work/tree/events.bin" ]
check "record --min-us is refused, not ignored" fails $DIOSCOPE record --min-us 5 -o "$work/mu" -- true

scratch_up 256M
fallocate -l 32M "$SCRATCH_MNT/f"
# top on a filesystem with no IO: its cost line says so, not "runs0"
$DIOSCOPE top --batch -i 0.5 -n 2 -d "$SCRATCH_MNT" > /dev/null 2> "$work/e"
check "top with no IO seen says so in its cost line" grep -q "program runs (no direct IO seen)" "$work/e"
check "... and prints no 'program runs0'" fails grep -q "program runs0" "$work/e"
# top: a terminal it cannot drive gives lines; its HTTP server's
# complaints about a client stay off stderr; an address it cannot serve
# is a usage error
if command -v script > /dev/null; then
	script -eqc "env TERM=nosuchterm $DIOSCOPE top -n 1 -i 0.5 -d $SCRATCH_MNT" \
		/dev/null < /dev/null > "$work/o" 2>&1
	check_eq "top with an unknown TERM exits 0" 0 "$?"
	check "... falling back to lines, saying so" grep -q "TERM=nosuchterm): lines instead" "$work/o"
	check "... and prints the totals" grep -q "^total " "$work/o"
else
	skip "top with an unknown TERM" "script (util-linux) is missing"
fi
$DIOSCOPE top --batch -i 1 -n 4 --openmetrics 127.0.0.1:0 -d "$SCRATCH_MNT" \
	> /dev/null 2> "$work/om.err" &
om=$!
pids+=("$om")
for i in $(seq 100); do grep -q "serving OpenMetrics" "$work/om.err" && break; sleep 0.1; done
port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$work/om.err")
if [ -n "$port" ] && exec 3<> "/dev/tcp/127.0.0.1/$port"; then
	printf 'GARBAGE / HTTP/9.9\r\n\r\n' >&3
	timeout 5 cat <&3 > "$work/om.reply"
	exec 3<&-
fi
$DIOSCOPE top --batch -n 1 --openmetrics "127.0.0.1:${port:-1}" -d "$SCRATCH_MNT" > /dev/null 2> "$work/e"
check_eq "top --openmetrics on a port in use exits 2" 2 "$?"
check_eq "... saying why, once" 1 "$(grep -c 'in use' "$work/e")"
wait "$om"
check "a bad request to top --openmetrics gets its HTTP error" grep -q "^HTTP/1.1 505" "$work/om.reply"
check "... and no HTML page reaches top's stderr" fails grep -qi "<html" "$work/om.err"
fio_job() {
	fio --name="$tag-$1" --filename="$SCRATCH_MNT/f" --rw=randwrite --bs=4k \
		--size=32M --direct=1 --numjobs=2 --time_based --runtime="$2" \
		--output=/dev/null
}

# principle 5: -c/-p keep only the work done for the IOs of the tasks
# they name; another's async completions and writeback stay out
fio --name="$tag-other" --filename="$SCRATCH_MNT/f" --rw=randwrite --bs=4k \
	--size=32M --direct=1 --ioengine=libaio --iodepth=8 --time_based \
	--runtime=60 --output=/dev/null &
other=$!
pids+=("$other")
(while :; do
	dd if=/dev/zero of="$SCRATCH_MNT/g" bs=64k count=4 conv=notrunc 2>/dev/null
	sync "$SCRATCH_MNT/g"; sleep 0.2
done) &
writer=$!
pids+=("$writer")
sleep 1
$DIOSCOPE record -o "$work/fc" -c nosuchcomm -d "$SCRATCH_MNT" -- sleep 2 > /dev/null 2>&1
calls=$(awk -F, 'NR > 1 { n += $4 } END { print n + 0 }' "$work/fc/counts.csv" 2>/dev/null)
check_eq "record -c nosuchcomm beside another's direct IO records none of its work" 0 "$calls"
$DIOSCOPE report "$work/fc" > "$work/o" 2>&1
check "... and report counts no IO for the command" grep -qE "^fc +1/1 +0 " "$work/o"
timeout -s INT 3 $DIOSCOPE trace --json -c nosuchcomm -d "$SCRATCH_MNT" > "$work/tj" 2>/dev/null
check_eq "trace --json -c nosuchcomm prints no event of another's" 0 "$(grep -c '"kind":"event"' "$work/tj")"
timeout -s INT 3 $DIOSCOPE trace --json -p $$ -d "$SCRATCH_MNT" > "$work/tj" 2>/dev/null
check_eq "trace --json -p of a process doing no IO prints no event of another's" 0 "$(grep -c '"kind":"event"' "$work/tj")"
check "... while the other's IO went on" kill -0 "$other"
kill "$writer" "$other" 2>/dev/null
wait
$DIOSCOPE record -o "$work/fw" -c fio -d "$SCRATCH_MNT" -- fio --name="$tag-mine" \
	--filename="$SCRATCH_MNT/f" --rw=randwrite --bs=4k --size=32M --direct=1 \
	--ioengine=libaio --iodepth=8 --time_based --runtime=1 --output=/dev/null \
	> /dev/null 2>&1
sub=$(awk -F, '{ sub(/\r$/, "") } $1 == "dio_submit" { print $4 }' "$work/fw/counts.csv")
check "record -c fio keeps fio's own direct IOs (${sub:-none})" [ "${sub:-0}" -gt 0 ]
check_eq "... and the completion of each, done elsewhere" "$sub" \
	"$(awk -F, '{ sub(/\r$/, "") } $1 == "dio_complete" { print $4 }' "$work/fw/counts.csv")"

# ... and of another task's direct IO into the very file the named task
# writes, -c keeps no work: the other's conversions, done in a workqueue,
# pass the kernel's filter by the file and are set aside by report
# (into unwritten extents, slowly enough that it converts all along)
fallocate -l 128M "$SCRATCH_MNT/h"
fio --name="$tag-near" --filename="$SCRATCH_MNT/h" --rw=randwrite --bs=4k \
	--size=128M --direct=1 --ioengine=libaio --iodepth=8 --rate_iops=2000 \
	--time_based --runtime=60 --fallocate=none --output=/dev/null &
other=$!
pids+=("$other")
sleep 1
$DIOSCOPE record -o "$work/fn" -c dd -d "$SCRATCH_MNT" -- dd if=/dev/zero \
	of="$SCRATCH_MNT/h" bs=4k count=64 seek=1024 oflag=direct conv=notrunc \
	> /dev/null 2>&1
kill "$other" 2>/dev/null
wait "$other"
$DIOSCOPE report "$work/fn" > /dev/null 2>&1
sum_col() {	# sum_col COLUMN: its value in the run's summary.csv
	awk -F, -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i }
		NR == 2 && k { print $k }' "$work/fn/summary.csv"
}
# blocks converted by CONVERT calls (flag 0x10) of comm $1, or of others
conv_blocks() {
	awk -F, -v c="$1" -v not="${2:-0}" 'NR > 1 && $3 == "map_blocks" &&
		int($13 / 16) % 2 && (($6 == c) != not) { n += $17 }
		END { print n + 0 }' "$work/fn/events.csv"
}
check_eq "record -c dd beside another's direct IO into its file: dd's 64 IOs" 64 "$(sum_col ios)"
check "... the other's conversions were seen in the file ($(conv_blocks dd 1) blocks)" \
	[ "$(conv_blocks dd 1)" -gt 0 ]
check_eq "... and only dd's own count as converted" "$(conv_blocks dd)" \
	"$(sum_col converted_blocks)"
check "... the other's work set aside ($(sum_col unattributed_events))" \
	[ "$(sum_col unattributed_events)" -gt 0 ]
check "... and the filter is in meta" grep -qx "filter_comm=dd" "$work/fn/meta"

# SIGKILL of record: its workload dies with it
$DIOSCOPE record -o "$work/rk" -d "$SCRATCH_MNT" -- \
	bash -c "$(declare -f fio_job); SCRATCH_MNT=$SCRATCH_MNT tag=$tag fio_job rk 30" \
	> /dev/null 2>&1 &
rec=$!
pids+=("$rec")
for i in $(seq 50); do [ "$(pgrep -fc "$tag-rk")" -ge 3 ] && break; sleep 0.2; done
kill -KILL "$rec"
wait "$rec" 2>/dev/null
for i in $(seq 50); do [ "$(pgrep -fc "$tag-rk")" -eq 0 ] && break; sleep 0.1; done
check_eq "SIGKILL of record: no process of its workload is left" 0 "$(pgrep -fc "$tag-rk")"
check_eq "SIGKILL of record: no BPF program is left" 0 "$(leaked_progs)"

# a full disk: named, incomplete, non-zero
tiny=$work/tiny
mkdir -p "$tiny" && mount -t tmpfs -o size=256k tmpfs "$tiny"
$DIOSCOPE record -o "$tiny/r" -d "$SCRATCH_MNT" -- \
	bash -c "$(declare -f fio_job); SCRATCH_MNT=$SCRATCH_MNT tag=$tag fio_job full 3" \
	> /dev/null 2> "$work/e"
rc=$?
check "record on a full filesystem exits non-zero ($rc)" [ "$rc" -ne 0 ]
check "... and names ENOSPC" grep -q "No space left on device" "$work/e"
check "... and the run is not marked complete" [ "$(meta "$tiny/r" complete)" != yes ]
check "... and leaves no temporary file" [ -z "$(find "$tiny" -name '*.tmp')" ]
umount "$tiny"
tiny=

# report into a full filesystem: its CSVs do not fit beside the recording
$DIOSCOPE report --synthetic 20000 -f "$work/syn" > /dev/null 2>&1
kb=$(du -sk "$work/syn" | cut -f1)
tiny=$work/tiny
mount -t tmpfs -o size=$((kb + 200))k tmpfs "$tiny" && cp -a "$work/syn" "$tiny/s"
$DIOSCOPE report "$tiny/s" > /dev/null 2> "$work/e"
rc=$?
check "report on a full filesystem exits non-zero ($rc)" [ "$rc" -ne 0 ]
check "... names the file and ENOSPC" grep -qE "$tiny/s/[a-z]+\.csv: No space left on device" "$work/e"
check "... and leaves no file half written" [ -z "$(find "$tiny" -name '*.tmp')" ]
check "... nor a CSV cut short" [ ! -e "$tiny/s/events.csv" ]
umount "$tiny"
tiny=

# compare's table on a full disk: an error, never a table cut short. The
# tmpfs holds compare.csv and compare.json (4 pages), not the table too.
tiny=$work/tiny
mount -t tmpfs -o size=16k tmpfs "$tiny"
DIOSCOPE=$DIOSCOPE plots/compare-txt.sh "$tiny" "$work/c1/rel" "$work/c1/rel" \
	> /dev/null 2> "$work/e"
rc=$?
check "bench-kernels' compare.txt on a full filesystem fails ($rc)" [ "$rc" -ne 0 ]
check "... saying it was not written" grep -q "compare.txt not written" "$work/e"
check "... and leaves no table, whole or cut" [ -z "$(find "$tiny" -name 'compare.txt*')" ]
rm -f "$tiny"/*
head -c 16k /dev/zero > "$tiny/fill" 2> /dev/null
$DIOSCOPE compare "$work/c1/rel" "$work/c1/rel" -o "$work/co" > "$tiny/compare.txt" 2> "$work/e"
check "compare > a full filesystem exits non-zero ($?)" [ $? -ne 0 ]
check "... naming ENOSPC" grep -q "standard output: No space left on device" "$work/e"
umount "$tiny"
tiny=

# --- bench: locked while written, no overwrite without -f, nothing left ---

bench_args=(-s unwritten-seq --runs 1 --size 16M)
bench() { TMPDIR=$work/btmp $DIOSCOPE bench "${bench_args[@]}" "$@"; }
mkdir -p "$work/btmp"
bench --runtime 4 -o "$work/b" > /dev/null 2> "$work/b1.err" &
b1=$!
pids+=("$b1")
for i in $(seq 150); do compgen -G "$work/b/*/*/run-1/meta" > /dev/null && break; sleep 0.1; done
bench --runtime 1 -o "$work/b" > /dev/null 2> "$work/b2.err"
rc=$?
check "a second bench into the same -o is refused ($rc)" [ "$rc" -ne 0 ]
check "... saying another is writing it" grep -q "being written by another" "$work/b2.err"
run1=$(compgen -G "$work/b/*/*/run-1" | head -1)
$DIOSCOPE report "$run1" > /dev/null 2> "$work/e"
check "report of a run the bench is writing is refused ($?)" [ $? -ne 0 ]
check "... saying the run is being written" grep -q "run is being written" "$work/e"
check "... and the release it is in too" fails $DIOSCOPE report "$(dirname "$(dirname "$run1")")"
wait "$b1"
check_eq "the first bench completes" 0 "$?"
run1=$(compgen -G "$work/b/*/*/run-1" | head -1)
echo mine > "$run1/notes.txt"
bench --runtime 1 -o "$work/b" > /dev/null 2> "$work/e"
check "bench into an -o with earlier runs is refused" [ $? -ne 0 ]
check "... and the user's file in a run is still there" [ -f "$run1/notes.txt" ]

# a refused bench leaves no empty directory of its own behind
find "$work/b" -type d | sort > "$work/dirs.before"
bench --runtime 1 -o "$work/b" > /dev/null 2>&1
find "$work/b" -type d | sort > "$work/dirs.after"
check "bench refused for earlier runs makes no directory" cmp -s "$work/dirs.before" "$work/dirs.after"
# a bench whose fio refuses its job file ran nothing: it keeps nothing,
# no header-only summary.csv, no run or scenario directory
cp -r bench "$work/bd"
sed -i 's/^rw=.*/rw=nonsense/' "$work/bd/unwritten-seq.fio"
bench --bench-dir "$work/bd" --runtime 1 -o "$work/bf/out" > /dev/null 2> "$work/e"
check "bench whose fio job is invalid exits non-zero ($?)" [ $? -ne 0 ]
check "... saying fio ran no job" grep -q "before it ran a job" "$work/e"
check "... and leaves no summary.csv, run or directory of its own" [ ! -e "$work/bf" ]
check "bench --force without --device is refused" fails bench --force -o "$work/refused/deep"
check "bench --device on a mounted device is refused, even with --force" fails bench --device "$SCRATCH_DEV" --force -o "$work/refused/deep"
check "... and its filesystem is still there" [ -f "$SCRATCH_MNT/f" ]
# a device with a loop device on top is in use, mounted or not
truncate -s 64M "$work/held.img"
held=$(losetup -f --show "$work/held.img")
mkfs.ext4 -q "$held"
on_top=$(losetup -f --show "$held")
bench --device "$held" --force -o "$work/refused/deep" > /dev/null 2> "$work/e"
check "bench --device refuses a device a loop device is on top of, even with --force ($?)" [ $? -ne 0 ]
check "... naming it" grep -q "$held is in use ($(basename "$on_top") is on top of it)" "$work/e"
check "... and its filesystem is still there" sh -c "blkid -p '$held' | grep -q ext4"
losetup -d "$on_top" && on_top=
losetup -d "$held"
check "bench --device /dev/null is refused" fails bench --device /dev/null -o "$work/refused/deep"
check "... and leaves no directory it made" [ ! -e "$work/refused" ]
mkdir "$work/mine"
check "bench -o into a new directory of an existing one is refused the same" fails bench --device /dev/null -o "$work/mine/new"
check "... and takes only what it made" sh -c "[ -d '$work/mine' ] && [ ! -e '$work/mine/new' ]"

# SIGKILL of bench: no mount, loop device, image or fio left; the next
# bench removes the empty mount point and says so
# not through the function: $! must be dioscope's pid, not a subshell's
TMPDIR=$work/btmp $DIOSCOPE bench "${bench_args[@]}" --runtime 30 -o "$work/bk" \
	> /dev/null 2>&1 &
bk=$!
pids+=("$bk")
for i in $(seq 150); do compgen -G "$work/bk/*/*/run-1/meta" > /dev/null && break; sleep 0.1; done
sleep 1
kill -KILL "$bk"
wait "$bk" 2>/dev/null
# fio's jobs may sit in uninterruptible IO for a moment before they die
for i in $(seq 150); do
	[ "$(pgrep -fc "$work/bk/")" -eq 0 ] &&
		! losetup -a 2>/dev/null | grep -q "$work/btmp" && break
	sleep 0.1
done
pgrep -fa "$work/bk/" | sed 's/^/# left: /'
check "SIGKILL of bench: no mount is left" fails grep -q "$work/btmp" /proc/mounts
check "SIGKILL of bench: no loop device is left" fails sh -c "losetup -a | grep -q '$work/btmp'"
check "SIGKILL of bench: no image is left" [ -z "$(compgen -G "$work/btmp/dioscope-bench.*")" ]
check_eq "SIGKILL of bench: no fio of it is left" 0 "$(pgrep -fc "$work/bk/")"
dead=$(sh -c 'echo $$')
mkdir -p "$work/bk2/$(uname -r)"
touch "$work/bk2/$(uname -r)/summary.csv.dioscope-$dead.tmp"
# principle 2: a name and a dead pid are no proof; what is not ours stays
decoy=$work/btmp/dioscope-mnt.$dead
mkdir "$decoy.keep" "$decoy.AbC123" "$decoy.XyZ789"
mount -t tmpfs -o size=64k tmpfs "$decoy.keep" && echo mine > "$decoy.keep/file"
echo mine > "$decoy.AbC123/file"
echo "dioscope-bench $dead" > "$decoy.XyZ789/.dioscope-bench"
echo mine > "$decoy.XyZ789/file"
echo mine > "$work/btmp/dioscope-bench.$dead.mydata"
echo mine > "$work/btmp/dioscope-bench.$dead.QwE456"
bench --runtime 1 -o "$work/bk2" > /dev/null 2> "$work/e"
check "bench cleanup leaves a tmpfs of another's mounted" mountpoint -q "$decoy.keep"
check "... with its file" [ -f "$decoy.keep/file" ]
check "... a directory named like its mount point, with a file" [ -f "$decoy.AbC123/file" ]
check "... and one with its token and a file" [ -f "$decoy.XyZ789/file" ]
check "... a file named like its image" [ -f "$work/btmp/dioscope-bench.$dead.mydata" ]
check "... and one without its token" [ -f "$work/btmp/dioscope-bench.$dead.QwE456" ]
umount "$decoy.keep"
rm -rf "$decoy".* "$work/btmp/dioscope-bench.$dead".*
check "the next bench removes an aside file a killed one left, saying so" \
	grep -q "removed $work/bk2/$(uname -r)/summary.csv.dioscope-$dead.tmp, left by" "$work/e"
check "... and it is gone" [ ! -e "$work/bk2/$(uname -r)/summary.csv.dioscope-$dead.tmp" ]
check "the next bench removes what the killed one left, saying so" \
	grep -q "left by a bench that was killed (pid $bk)" "$work/e"
check "... and leaves no mount point" [ -z "$(compgen -G "$work/btmp/dioscope-mnt.*")" ]

tap_done
