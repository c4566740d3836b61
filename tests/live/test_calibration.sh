#!/usr/bin/env bash
# Instructions as estimated ns: tests/perf/calibrate.sh derives the factor
# from a host bench and an icount lab bench (here results made by hand,
# with the README's per-run values), writes a calibration report and
# compare accept, and both refuse a malformed one, one made for another
# clock, and wall-clock results. No kernel is traced.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-./dioscope}
SYNTH=tests/data/compare/synth.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-calib-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ ! -x build/perf/calib ]; then
	make -s build/perf/calib > /dev/null 2>&1 ||
		{ not_ok "build/perf/calib builds"; tap_done; exit 1; }
fi

# tree DIR RELEASE CLOCK "PRE_IO..." "CONVERT...": a run per value, each
# of 10 IOs of a call of each kind taking that long on average
tree() {
	local dir=$1 rel=$2 clock=$3 pre conv i j run
	read -ra pre <<< "$4"
	read -ra conv <<< "$5"
	for i in "${!pre[@]}"; do
		run=$dir/$rel/unwritten-seq.4k.dioread_nolock/run-$((i + 1))
		mkdir -p "$run"
		{
			echo "kernel_release=$rel"
			echo "machine_cpu_model=Test CPU 9000 @ 1.00GHz"
			[ "$clock" = icount ] && echo "clock=icount"
		} > "$run/meta"
		echo "io,pre_io_count,pre_io_ns,convert_map_count,convert_map_ns" > "$run/ios.csv"
		for j in $(seq 10); do
			# around the value: the mean per call is the value
			echo "$j,1,$((pre[i] + j % 2 * 6 - 3)),1,$((conv[i] - j % 2 * 6 + 3))" >> "$run/ios.csv"
		done
	done
}
tree "$work/host" 6.18.44 wall "4541 4488 4392" "1406 1429 1525"
tree "$work/lab" 6.18.15 icount "14087 14344 14097" "5528 5386 5497"

tests/perf/calibrate.sh --host "$work/host" --lab "$work/lab" -o "$work/cal" > "$work/cal.out" 2>&1
check_eq "calibrate.sh from a host and a lab bench exits 0" 0 "$?"
get() { sed -n "s/^$1=//p" "$work/cal"; }
r4() { printf "%.4f" "$(get "$1")"; }
check_eq "it names the host's CPU from the runs' meta" "Test CPU 9000 @ 1.00GHz" "$(get cpu_model)"
check_eq "and both kernels" "6.18.44 6.18.15" "$(get host_kernel) $(get lab_kernel)"
check_eq "PRE_IO: the ratio of geometric means" 0.3156 "$(r4 factor.pre_io)"
check_eq "... its Welch interval on the logs" "0.3048 0.3267" "$(r4 low.pre_io) $(r4 high.pre_io)"
check_eq "CONVERT: the factor" 0.2655 "$(r4 factor.convert)"
check_eq "combined: the geometric mean of both, the span of their intervals" \
	"0.2895 $(get low.convert) $(get high.pre_io)" \
	"$(r4 factor.combined) $(get low.combined) $(get high.combined)"
check_eq "the runs used are kept" "4541.00,4488.00,4392.00" "$(get host_ns_per_call.pre_io)"
check "no file is left aside" not compgen -G "$work/.calibration.*"

tests/perf/calibrate.sh --host "$work/host" --lab "$work/host" -o "$work/cal2" > "$work/ww.out" 2>&1
check_eq "a lab bench without clock=icount is refused" 1 "$?"
check "... saying why" grep -q "no clock=icount" "$work/ww.out"
check "... and nothing is written" not test -e "$work/cal2"

# compare and report with it
sc=unwritten-concurrent.4k.dioread_nolock
$SYNTH "$work/a" release=7.3.4-a emulated=yes clock=icount seed=5 > /dev/null
$SYNTH "$work/b" release=7.3.4-b emulated=yes clock=icount seed=7 waste=0.5 > /dev/null
$SYNTH "$work/w" release=6.18.44 seed=9 > /dev/null
$DIOSCOPE compare --calibration "$work/cal" "$work/a" "$work/b" -o "$work/cmp" > "$work/cmp.out" 2> "$work/cmp.err"
check_eq "compare --calibration of icount results exits 0" 0 "$?"
cell() {	# cell METRIC COLUMN
	awk -F, -v s=$sc -v m="$1" -v c="$(head -1 "$work/cmp/compare.csv" | tr ',' '\n' | grep -nx "$2" | cut -d: -f1)" \
		'$1 == s && $2 == m { print $c; exit }' "$work/cmp/compare.csv"
}
check_eq "an estimated row under the wasted time, its unit says so" \
	"estimated ns on Test CPU 9000 @ 1.00GHz" "$(cell wasted_ns_per_io_estimated unit)"
check_eq "its value is the instructions times the combined factor" \
	"$(awk -v v="$(cell wasted_ns_per_io value_b)" -v f="$(get factor.combined)" 'BEGIN { printf "%.0f", v * f }')" \
	"$(awk -v v="$(cell wasted_ns_per_io_estimated value_b)" 'BEGIN { printf "%.0f", v }')"
check_eq "its interval carries the factor's" \
	"$(awk -v v="$(cell wasted_ns_per_io ci_hi_abs)" -v f="$(get high.combined)" 'BEGIN { printf "%.0f", v * f }')" \
	"$(awk -v v="$(cell wasted_ns_per_io_estimated ci_hi_abs)" 'BEGIN { printf "%.0f", v }')"
check_eq "the verdict is the instructions'" "$(cell wasted_ns_per_io significant)" \
	"$(cell wasted_ns_per_io_estimated significant)"
check_eq "latencies get no estimate" "" "$(cell lat_p50_ns_estimated unit)"
check "the table marks the estimate" grep -q "est. ns on Test CPU 9000 @ 1.00GHz: A .*(estimates)" "$work/cmp.out"
check "the footer says estimates, not measurements" grep -q "ESTIMATES, not measurements" "$work/cmp.out"
json_cpu=$(jq -r .calibration.cpu_model "$work/cmp/compare.json")
check_eq "compare.json names the calibration's CPU" "Test CPU 9000 @ 1.00GHz" "$json_cpu"
sig=$(awk -F, -v c="$(head -1 "$work/cmp/compare.csv" | tr ',' '\n' | grep -nx significant | cut -d: -f1)" \
	'NR > 1 && $c == "yes" && $2 !~ /_estimated$/' "$work/cmp/compare.csv" | wc -l)
check_eq "the estimates are not counted as more differences" "$sig" \
	"$(grep -o '^[0-9]* of [0-9]* differences' "$work/cmp.out" | cut -d' ' -f1)"

$DIOSCOPE compare --calibration "$work/cal" "$work/a" "$work/w" -o "$work/cmpw" > /dev/null 2> "$work/cmpw.err"
check_eq "wall-clock results with --calibration: refused, exit 2" 2 "$?"
check "... saying they are measured" grep -q "wall clock (no clock=icount)" "$work/cmpw.err"

sed 's/^from=icount/from=wall/' "$work/cal" > "$work/cal.wall"
$DIOSCOPE compare --calibration "$work/cal.wall" "$work/a" "$work/b" -o "$work/cmpx" > /dev/null 2> "$work/x.err"
check_eq "a calibration made for another clock: refused, exit 2" 2 "$?"
check "... naming the line" grep -q "cal.wall:4: from=wall: made for another clock" "$work/x.err"
grep -v '^cpu_model=' "$work/cal" > "$work/cal.nocpu"
$DIOSCOPE report --calibration "$work/cal.nocpu" "$work/a" > /dev/null 2> "$work/y.err"
check_eq "report: a calibration naming no CPU: refused, exit 2" 2 "$?"
check "... saying so" grep -q "cpu_model: missing" "$work/y.err"
printf 'format=dioscope-calibration 1\r\n' > "$work/cal.crlf"
$DIOSCOPE report --calibration "$work/cal.crlf" "$work/a" > /dev/null 2> "$work/z.err"
check_eq "report: a malformed calibration: refused, exit 2" 2 "$?"
check "both commands' help shows the option" \
	sh -c "$DIOSCOPE report --help | grep -q -- --calibration && $DIOSCOPE compare --help | grep -q -- --calibration"

tap_done
