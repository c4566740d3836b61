#!/usr/bin/env bash
# make bench-self: what dioscope costs the system it measures.
#   - tracer overhead: fio 4 KiB randwrite, direct=1, sync=1, alternating
#     runs without and with `dioscope record` (A B A B ...);
#   - per-event cost per tier, and collector throughput (selfbench);
#   - report speed, when `dioscope report` can read a synthetic run.
# Prints a table and writes bench-self.csv (metric,tier,value,unit).
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

PAIRS=${PAIRS:-5}
RUNTIME=${RUNTIME:-5}
OUT=${OUT:-bench-self.csv}
DIOSCOPE=./dioscope
SELF=build/perf/selfbench
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-self.XXXXXX")
trap 'scratch_down; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP

[ "$(id -u)" -eq 0 ] || { echo "bench-self needs root" >&2; exit 1; }
command -v fio >/dev/null || { echo "bench-self needs fio (make deps)" >&2; exit 1; }

echo "metric,tier,value,unit" > "$OUT"
row() { echo "$1,$2,$3,$4" >> "$OUT"; }

# --- overhead: A (plain fio) and B (under dioscope record), alternating ---
scratch_up 1G
fio_run() {	# fio_run JSONFILE: a fresh fallocated file every run
	rm -f "$SCRATCH_MNT/f"
	fallocate -l 256M "$SCRATCH_MNT/f"
	sync
	"$@" fio --name=ab --filename="$SCRATCH_MNT/f" --rw=randwrite --bs=4k \
		--size=256M --direct=1 --sync=1 --ioengine=psync \
		--time_based --runtime="$RUNTIME" --output-format=json \
		--output="$json" > /dev/null
}
stat_of() {	# stat_of JSON -> "p50 p99 iops"
	jq -r '.jobs[0].write | "\(.clat_ns.percentile["50.000000"]) \(.clat_ns.percentile["99.000000"]) \(.iops)"' "$1"
}
: > "$work/pairs"
for i in $(seq "$PAIRS"); do
	echo "overhead pair $i of $PAIRS" >&2
	json=$work/a$i.json; fio_run env
	json=$work/b$i.json
	fio_run $DIOSCOPE record -f -o "$work/rec" -d "$SCRATCH_MNT" -- 2>/dev/null
	read -r a50 a99 aiops <<<"$(stat_of "$work/a$i.json")"
	read -r b50 b99 biops <<<"$(stat_of "$work/b$i.json")"
	lost=$(sed -n 's/^lost_events=//p' "$work/rec/meta")
	echo "$i $a50 $b50 $a99 $b99 $aiops $biops $lost" >> "$work/pairs"
done
scratch_down

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
echo "tracer overhead (tracepoint tier), fio 4 KiB randwrite direct=1 sync=1, ${RUNTIME}s runs"
printf "%-5s %12s %12s %8s %12s %12s %8s %10s %10s %8s %6s\n" pair \
	"p50 A ns" "p50 B ns" "B/A" "p99 A ns" "p99 B ns" "B/A" "IOPS A" "IOPS B" "B/A" lost
while read -r i a50 b50 a99 b99 aiops biops lost; do
	r50=$(awk -v a="$a50" -v b="$b50" 'BEGIN { printf "%.4f", b / a }')
	r99=$(awk -v a="$a99" -v b="$b99" 'BEGIN { printf "%.4f", b / a }')
	rio=$(awk -v a="$aiops" -v b="$biops" 'BEGIN { printf "%.4f", b / a }')
	printf "%-5s %12s %12s %8s %12s %12s %8s %10.0f %10.0f %8s %6s\n" "$i" \
		"$a50" "$b50" "$r50" "$a99" "$b99" "$r99" "$aiops" "$biops" "$rio" "$lost"
	row "overhead_pair${i}_p50_ratio" tracepoint "$r50" ratio
	row "overhead_pair${i}_p99_ratio" tracepoint "$r99" ratio
	row "overhead_pair${i}_iops_ratio" tracepoint "$rio" ratio
	echo "$r50 $r99 $rio" >> "$work/ratios"
done < "$work/pairs"
m50=$(cut -d' ' -f1 "$work/ratios" | median)
m99=$(cut -d' ' -f2 "$work/ratios" | median)
mio=$(cut -d' ' -f3 "$work/ratios" | median)
printf "median B/A: p50 %s, p99 %s, IOPS %s\n" "$m50" "$m99" "$mio"
row overhead_median_p50_ratio tracepoint "$m50" ratio
row overhead_median_p99_ratio tracepoint "$m99" ratio
row overhead_median_iops_ratio tracepoint "$mio" ratio

# --- per-event cost per tier, collector throughput ------------------------
echo
echo "per-event cost (getppid loop, one event per call)"
for tier in fentry kprobe tracepoint; do
	if $SELF event-cost --tier "$tier" > "$work/cost.$tier" 2> "$work/cost.$tier.err"; then
		tr -d '\r' < "$work/cost.$tier" >> "$OUT"
		awk -F, '$1 == "event_cost_ns" { printf "  %-10s %8s ns per event\n", $2, $3 }' "$work/cost.$tier"
	else
		printf "  %-10s not available here: %s\n" "$tier" "$(head -1 "$work/cost.$tier.err")"
	fi
done
echo
echo "collector throughput (paced bursts through the ring buffer into a record file)"
$SELF throughput --seconds 2 --out "$work/tp.bin" > "$work/tp" 2> "$work/tp.err"
cat "$work/tp" >> "$OUT"
awk -F, '{ printf "  %-22s %14s %s\n", $1, $3, $4 }' "$work/tp"

# --- report speed on a synthetic run of 10 million IOs --------------------
if $DIOSCOPE report --help 2>&1 | grep -q -- "--synthetic"; then
	echo
	echo "report speed (10 million synthetic IOs)"
	$DIOSCOPE report --synthetic 10000000 "$work/synth" > /dev/null 2>&1
	/usr/bin/time -f "%e %M" -o "$work/time" $DIOSCOPE report "$work/synth" > /dev/null
	read -r secs kib < "$work/time"
	printf "  %s s, peak %s MiB\n" "$secs" "$((kib / 1024))"
	row report_10m_ios_seconds - "$secs" s
	row report_10m_ios_peak_rss - "$((kib / 1024))" MiB
else
	echo
	echo "report speed: not measured (dioscope report --synthetic is not available)"
fi

echo
echo "kernel $(uname -r), $(nproc) CPUs, $(date -u +%Y-%m-%d); written to $OUT"
