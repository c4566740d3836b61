#!/usr/bin/env bash
# make calibrate: ns per guest instruction of ext4 extent-tree work on this
# machine's CPU, for report/compare --calibration (README, "Instructions
# for time: the lab's icount mode").
#
# The same CPU-bound calls measured both ways: ext4_ext_map_blocks with
# PRE_IO (the split before a write into a fallocated file) and with
# CONVERT (its conversion at completion), tracepoint tier on both sides,
# `dioscope bench -s unwritten-seq` on the host (real ns) and in the lab
# on CALIB_KERNEL (6.18, the closest to the host's) under --icount
# (instructions). Per run, ios.csv's pre_io_ns / pre_io_count and
# convert_map_ns / convert_map_count; per kind, the ratio of the geometric
# means of host ns and lab instructions, its 95 % interval by Welch's t on
# the logs of the per-run values (build/perf/calib); combined: the
# geometric mean of the two factors, its interval the span of both (the
# kinds differ, and a time of mixed extent work lies between them).
#
#   calibrate.sh [-o FILE] [--host DIR] [--lab DIR]
#     -o FILE     the calibration written (default calibration.txt)
#     --host DIR  results of an earlier host bench instead of a new one
#     --lab DIR   results of an earlier icount lab bench instead
# CALIB_RUNS (3) runs a side, CALIB_KERNEL (6.18), CALIB_RUNTIME (3 s on
# the host, 5 s of guest time in the lab: the idle jumps leave few calls).
set -u
cd "$(dirname "$0")/../.."

out=calibration.txt host='' lab=''
while [ $# -gt 0 ]; do
	case $1 in
	-o) [ $# -ge 2 ] || { echo "calibrate: -o needs a FILE" >&2; exit 2; }; out=$2; shift 2 ;;
	--host) [ $# -ge 2 ] || { echo "calibrate: --host needs a DIR" >&2; exit 2; }; host=$2; shift 2 ;;
	--lab) [ $# -ge 2 ] || { echo "calibrate: --lab needs a DIR" >&2; exit 2; }; lab=$2; shift 2 ;;
	*) echo "calibrate: unknown argument $1 (calibrate.sh [-o FILE] [--host DIR] [--lab DIR])" >&2; exit 2 ;;
	esac
done
RUNS=${CALIB_RUNS:-3}
KERNEL=${CALIB_KERNEL:-6.18}
RUNTIME=${CALIB_RUNTIME:-3}
DIOSCOPE=./dioscope
CALIB=build/perf/calib
[ -x "$CALIB" ] || { echo "calibrate: no $CALIB (make calibrate builds it)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-calib.XXXXXX")
tmp=
trap 'rm -rf "$work" ${tmp:+"$tmp"}' EXIT
trap 'exit 130' INT TERM HUP

bench_args="-s unwritten-seq --runs $RUNS --size 64M --tier tracepoint"
if [ -z "$host" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "calibrate: the host bench needs root" >&2; exit 1; }
	host=$work/host
	echo "host: dioscope bench $bench_args --runtime $RUNTIME"
	# it traces the host: alone, as every live measurement
	flock /var/lock/dioscope-live.lock $DIOSCOPE bench $bench_args \
		--runtime "$RUNTIME" -o "$host" > "$work/host.log" 2>&1 ||
		{ tail -5 "$work/host.log" >&2; echo "calibrate: the host bench failed" >&2; exit 1; }
fi
if [ -z "$lab" ]; then
	lab=$work/lab
	echo "lab: $KERNEL under --icount, the same bench with --runtime $((RUNTIME + 2))"
	tests/lab/lab.sh run "$KERNEL" --icount --disk-size 2G --timeout "${LAB_TIMEOUT:-3600}" \
		--out "$lab" -- "umount /mnt && DIOSCOPE_EMULATED=1 dioscope bench $bench_args \
		--runtime $((RUNTIME + 2)) --device /dev/vdb --force --bench-dir /lab/bench -o /out" \
		> "$work/lab.log" 2>&1 ||
		{ tail -5 "$work/lab.log" >&2; echo "calibrate: the lab bench failed" >&2; exit 1; }
fi

# per_run DIR KIND: "ns_per_call calls" of each run with calls of KIND
per_run() {
	local f
	find "$1" -path '*/run-*/ios.csv' | sort | while read -r f; do
		awk -F, -v k="$2" '
			NR == 1 { for (i = 1; i <= NF; i++) { sub(/\r$/, "", $i); c[$i] = i }; next }
			{ n += $c[k "_count"]; t += $c[k "_ns"] }
			END { if (n > 0) printf "%.2f %d\n", t / n, n }' "$f"
	done
}
# meta_of DIR KEY: KEY of the first run's meta
meta_of() {
	local m
	m=$(find "$1" -path '*/run-*/meta' | sort | head -1)
	[ -n "$m" ] && sed -n "s/^$2=//p" "$m" | head -1
}

for side in host lab; do
	dir=${!side}
	grep -qx 'clock=icount' "$(find "$dir" -path '*/run-*/meta' | sort | head -1)" 2> /dev/null
	icount=$?
	if [ $side = lab ] && [ $icount -ne 0 ]; then
		echo "calibrate: $dir: its runs say no clock=icount: not instructions" >&2
		exit 1
	fi
	if [ $side = host ] && [ $icount -eq 0 ]; then
		echo "calibrate: $dir: its runs are clock=icount: not the host's ns" >&2
		exit 1
	fi
done

declare -A fac lo hi vals
for kind in pre_io convert_map; do
	per_run "$host" $kind > "$work/h.$kind"
	per_run "$lab" $kind > "$work/l.$kind"
	if [ "$(wc -l < "$work/h.$kind")" -lt 2 ] || [ "$(wc -l < "$work/l.$kind")" -lt 2 ]; then
		echo "calibrate: $kind: fewer than 2 runs with calls on a side (host $(wc -l < "$work/h.$kind"), lab $(wc -l < "$work/l.$kind"))" >&2
		exit 1
	fi
	h=$(cut -d' ' -f1 "$work/h.$kind" | paste -s -d,)
	l=$(cut -d' ' -f1 "$work/l.$kind" | paste -s -d,)
	read -r fac[$kind] lo[$kind] hi[$kind] <<< "$($CALIB "$h" "$l")" || exit 1
	vals[$kind]="host_ns_per_call.$kind=$h
host_calls.$kind=$(cut -d' ' -f2 "$work/h.$kind" | paste -s -d,)
lab_instructions_per_call.$kind=$l
lab_calls.$kind=$(cut -d' ' -f2 "$work/l.$kind" | paste -s -d,)"
	printf "%-12s host ns/call %s, lab instructions/call %s: %s [%s, %s] ns per instruction\n" \
		"$kind" "$h" "$l" "${fac[$kind]}" "${lo[$kind]}" "${hi[$kind]}"
done
read -r cf clo chi <<< "$(awk -v a="${fac[pre_io]}" -v b="${fac[convert_map]}" \
	-v la="${lo[pre_io]}" -v lb="${lo[convert_map]}" -v ha="${hi[pre_io]}" -v hb="${hi[convert_map]}" \
	'BEGIN { printf "%.6g %.6g %.6g\n", sqrt(a * b), (la < lb ? la : lb), (ha > hb ? ha : hb) }')"
printf "%-12s %s [%s, %s] ns per instruction\n" combined "$cf" "$clo" "$chi"

cpu=$(meta_of "$host" machine_cpu_model)
[ -n "$cpu" ] || cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
[ -n "$cpu" ] || { echo "calibrate: no CPU model in the host runs' meta or /proc/cpuinfo" >&2; exit 1; }
# written aside and renamed: a reader never sees half a calibration
tmp=$(mktemp "$(dirname "$out")/.calibration.XXXXXX") || exit 1
cat > "$tmp" << EOF
# ns per guest instruction of ext4 extent-tree work on this CPU: estimates
# for report/compare --calibration (tests/perf/calibrate.sh)
format=dioscope-calibration 1
from=icount
to=ns
cpu_model=$cpu
host_kernel=$(meta_of "$host" kernel_release)
lab_kernel=$(meta_of "$lab" kernel_release)
date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
method=ratio of geometric means of per-run ns per call (host, tracepoint tier) and instructions per call (icount lab); 95 % interval by Welch's t on their logs; combined: geometric mean of the kinds, the span of their intervals
factor.pre_io=${fac[pre_io]}
low.pre_io=${lo[pre_io]}
high.pre_io=${hi[pre_io]}
factor.convert=${fac[convert_map]}
low.convert=${lo[convert_map]}
high.convert=${hi[convert_map]}
factor.combined=$cf
low.combined=$clo
high.combined=$chi
${vals[pre_io]}
${vals[convert_map]}
EOF
chmod 644 "$tmp"
mv -f "$tmp" "$out" || exit 1
tmp=
echo "written: $out"
