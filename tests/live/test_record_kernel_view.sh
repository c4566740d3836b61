#!/usr/bin/env bash
# report of a recording without fio (record -- dd oflag=direct): the
# kernel's latency percentiles, held to those computed here from ios.csv's
# kernel_lat_ns, and IOPS over the recording, held to dd's own rate;
# compare and plot take such recordings, and compare holds them only to
# recordings of the same kind.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
COUNT=400
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-kview.XXXXXX")
cleanup() {
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "report of a recording without fio"
scratch_up 256M

$DIOSCOPE record -o "$work/dd" -d "$SCRATCH_DEV" -- dd if=/dev/zero \
	of="$SCRATCH_MNT/f" bs=64k count=$COUNT oflag=direct \
	> /dev/null 2> "$work/dd.err"
check_eq "record of dd exits 0" 0 $?
$DIOSCOPE report "$work/dd" > "$work/report" 2> "$work/report.err"
check_eq "report of it exits 0" 0 $?

col() {	# col NAME: the value of summary.csv's column NAME
	awk -F, -v c="$1" '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) n = i }
		NR == 2 { print $n }' "$work/dd/summary.csv"
}
check_eq "summary.csv says whose latency it is" kernel "$(col latency_source)"
check_eq "summary.json says so too" '"kernel"' \
	"$(jq '.scenarios[0].latency.source' "$work/dd/summary.json")"
check_eq "every direct write of dd is an IO" $COUNT "$(col ios)"

# nearest rank, as the summary takes it: sorted[ceil(p/100 n) - 1]
awk -F, '{ sub(/\r$/, "") } NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "kernel_lat_ns") k = i; if ($i == "state") s = i } }
	NR > 1 && $s == "done" { print $k }' "$work/dd/ios.csv" | sort -n > "$work/lat"
pct() { awk -v p="$1" '{ v[NR] = $1 } END { r = int(p / 100 * NR); if (r < p / 100 * NR) r++; if (r < 1) r = 1; print v[r] }' "$work/lat"; }
for p in 50:lat_p50_ns 99:lat_p99_ns 99.9:lat_p999_ns; do
	check_eq "p${p%%:*} is the kernel's, as ios.csv has it" \
		"$(pct "${p%%:*}")" "$(col "${p#*:}")"
done
line=$(grep -E "^  dd: kernel p50 [0-9.]+ us, p99 [0-9.]+ us, p99.9 [0-9.]+ us, [0-9]+ IOPS$" "$work/report")
check "report prints the kernel's p50, p99, p99.9 and IOPS, labelled as the kernel's" \
	test -n "$line"
check "and says they are not fio's" grep -q "the kernel's$" "$work/report"
check "the table's p50 is a number, not '-'" \
	awk '$1 == "dd" && $4 ~ /^[0-9.]+$/ { ok = 1 } END { exit !ok }' "$work/report"

# dd's own rate: COUNT writes in the seconds it reports
dd_s=$(sed -nE 's/.* copied, ([0-9.e-]+) s,.*/\1/p' "$work/dd.err")
iops=$(col iops)
if awk -v a="$iops" -v s="$dd_s" -v n=$COUNT 'BEGIN { d = n / s; exit !(a > 0.7 * d && a < 1.5 * d) }'; then
	ok "IOPS over the recording ($iops) agree with dd's rate ($COUNT in $dd_s s) within -30/+50 %"
else
	not_ok "IOPS over the recording ($iops) against dd's rate ($COUNT in $dd_s s)"
fi

# a second recording of the same kind compares; one whose summary holds
# fio's latency (made so here: latency_source=fio) is refused
cp -r "$work/dd" "$work/dd2"
$DIOSCOPE compare "$work/dd" "$work/dd2" -o "$work/cmp" > "$work/cmp.out" 2>&1
check_eq "compare of two recordings without fio exits 0" 0 $?
check "it compares the kernel's p50 of both" \
	grep -qE "^  p50 latency \(us\) +[0-9.]+ +[0-9.]+" "$work/cmp.out"
cp -r "$work/dd" "$work/fio-kind"
# latency_source, found by name: other columns follow it
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "latency_source") c = i }
	NR == 2 && c { $c = "fio" } 1' "$work/fio-kind/summary.csv" > "$work/fio-kind/s.tmp" &&
	mv "$work/fio-kind/s.tmp" "$work/fio-kind/summary.csv"
$DIOSCOPE compare "$work/dd" "$work/fio-kind" -o "$work/cmp2" > "$work/cmp2.out" 2>&1
check_eq "compare of the kernel's latency with fio's is refused (exit 3)" 3 $?
check "and says why" grep -q "latency_source differs: kernel in" "$work/cmp2.out"
$DIOSCOPE plot "$work/dd" -o "$work/plots" > "$work/plot.out" 2>&1
check_eq "plot of a recording without fio exits 0" 0 $?
check "and draws its percentiles" test -s "$work/plots/dd-percentiles.svg"

tap_done
