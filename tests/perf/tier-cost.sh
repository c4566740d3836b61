#!/usr/bin/env bash
# The tracer's in-kernel cost per IO in instructions: on lab kernels under
# QEMU's instruction counter (lab.sh --icount), where the kernel's BPF run
# time (bpf_stats) counts executed guest instructions, `dioscope record`
# on each tier the kernel offers beside bpftrace counting the same attach
# points (tests/lab/guest/tier-cost.sh), rounds interleaved.
#   tests/perf/tier-cost.sh [KERNEL...]     default: 7.3 6.12 (6.1 did not
#                                           boot under --icount here)
# COST_ROUNDS (3), COST_LAB_IOS (512) 4 KiB randwrite IOs per job
# (libaio, direct=1, sync=1, as make bench-self's host job), OUT (a CSV
# to append "metric,tier,value,unit" rows to; tier-cost.csv),
# LAB_OUT (keep each guest's /out there), COST_TIERS (the tiers to
# measure, "fentry kprobe tracepoint" by default).
# make bench-self runs it for LAB_KERNELS.
set -u
cd "$(dirname "$0")/../.."

ROUNDS=${COST_ROUNDS:-3}
IOS=${COST_LAB_IOS:-512}
OUT=${OUT:-tier-cost.csv}
TIERS=${COST_TIERS:-fentry kprobe tracepoint}
[ "$ROUNDS" -ge 1 ] 2> /dev/null || { echo "tier-cost: COST_ROUNDS must be a whole number >= 1" >&2; exit 2; }
[ "$IOS" -ge 1 ] 2> /dev/null || { echo "tier-cost: COST_LAB_IOS must be a whole number >= 1" >&2; exit 2; }
for tier in $TIERS; do
	case $tier in
	fentry | kprobe | tracepoint) ;;
	*) echo "tier-cost: COST_TIERS: no tier \"$tier\" (fentry, kprobe, tracepoint)" >&2; exit 2 ;;
	esac
done
[ -s "$OUT" ] || echo "metric,tier,value,unit" > "$OUT"
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-tiercost.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
row() { echo "$1,$2,$3,$4" >> "$OUT"; }

# col FILE TIER TRACER EXPR: EXPR of each round's row, one per line
col() {
	awk -F, -v t="$2" -v w="$3" -v e="$4" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["tier"] == t && $c["tracer"] == w {
			ios = $c["ios"]; runs = $c["runs"]; rt = $c["run_time"]
			rs = $c["runs_same"]; rts = $c["run_time_same"]
			if (e == "ins_per_io") v = rt / ios
			else if (e == "runs_per_io") v = runs / ios
			else if (e == "ins_per_run") v = runs ? rt / runs : 0
			else if (e == "same_per_io") v = rts / ios
			else if (e == "events_per_io") v = $c["events"] / ios
			else v = $c["lost"]
			printf "%.2f\n", v
		}' "$1"
}

# ratio FILE TIER: dioscope on bpftrace's functions / bpftrace, per round
ratio() {
	awk -F, -v t="$2" '
		NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$c["tier"] != t { next }
		$c["tracer"] == "dioscope" { d[$c["round"]] = $c["run_time_same"] }
		$c["tracer"] == "bpftrace" { b[$c["round"]] = $c["run_time"] }
		END { for (r in d) if (b[r] > 0) printf "%.3f\n", d[r] / b[r] }' "$1"
}

one_kernel() {
	local k=$1 dir csv rel tier w m rc why
	dir=$work/$k
	mkdir -p "$dir"
	echo
	echo "lab kernel $k under --icount: in-kernel cost per IO in instructions, $ROUNDS rounds of $IOS IOs"
	LAB_BPFTRACE=1 tests/lab/lab.sh run "$k" --icount --out "$dir" \
		--timeout "${LAB_TIMEOUT:-3600}" -- "sh /lab/tier-cost.sh $ROUNDS $IOS '$TIERS'" \
		> "$dir.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		case $rc in
		124) why="it did not finish within ${LAB_TIMEOUT:-3600} s" ;;
		143 | 130) why="it was stopped" ;;
		*) why="status $rc: $(grep -v '^lab: building' "$dir.log" | tail -n 1)" ;;
		esac
		echo "  not measured: the lab run failed ($why)"
		return 1
	fi
	[ -n "${LAB_OUT:-}" ] && mkdir -p "$LAB_OUT/$k" && cp -r "$dir"/. "$LAB_OUT/$k/"
	csv=$dir/cost.csv
	rel=$(cat "$dir/release" 2> /dev/null)
	grep -q 'dioscope.clock=icount' "$dir/cmdline" 2> /dev/null ||
		echo "  warning: the guest did not run under icount: these are emulated ns"
	echo "  kernel $rel"
	printf "  %-10s %-9s %12s %10s %12s %10s %s\n" tier tracer "ins/IO" "runs/IO" "ins/run" "lost" "(median of rounds; ins/IO per round)"
	for tier in $TIERS; do
		if [ -s "$dir/$tier.unavailable" ]; then
			printf "  %-10s not offered: %s\n" "$tier" "$(cat "$dir/$tier.unavailable")"
			continue
		fi
		for w in dioscope bpftrace; do
			[ -n "$(col "$csv" $tier $w ins_per_io)" ] || continue
			m=$(col "$csv" $tier $w ins_per_io | median)
			printf "  %-10s %-9s %12s %10s %12s %10s (%s)\n" "$tier" "$w" "$m" \
				"$(col "$csv" $tier $w runs_per_io | median)" \
				"$(col "$csv" $tier $w ins_per_run | median)" \
				"$(col "$csv" $tier $w lost | awk '{ s += $1 } END { print s + 0 }')" \
				"$(col "$csv" $tier $w ins_per_io | paste -s -d' ')"
			row lab_bpf_instructions_per_io_median "$w:$tier@$k" "$m" instructions
			row lab_bpf_runs_per_io_median "$w:$tier@$k" "$(col "$csv" $tier $w runs_per_io | median)" runs
			row lab_bpf_instructions_per_run_median "$w:$tier@$k" "$(col "$csv" $tier $w ins_per_run | median)" instructions
		done
		if [ -s "$dir/$tier.dropped" ]; then
			printf "  %-10s bpftrace could not attach %s: left out of both for the ratio\n" "" \
				"$(paste -s -d' ' "$dir/$tier.dropped")"
			m=$(col "$csv" $tier dioscope same_per_io | median)
			printf "  %-10s %-9s %12s (on the functions bpftrace counted)\n" "$tier" dioscope "$m"
			row lab_bpf_instructions_per_io_same_functions_median "dioscope:$tier@$k" "$m" instructions
		fi
		[ -s "$dir/$tier.bt.failed" ] &&
			printf "  %-10s bpftrace: %s\n" "" "$(cat "$dir/$tier.bt.failed")"
		m=$(ratio "$csv" $tier | median)
		if [ -n "$m" ]; then
			printf "  %-10s dioscope / bpftrace per IO, median over rounds: %s (rounds: %s)\n" "$tier" "$m" \
				"$(ratio "$csv" $tier | paste -s -d' ')"
			row lab_bpf_instructions_per_io_ratio_to_bpftrace "dioscope:$tier@$k" "$m" ratio
		fi
	done
}

failed=0
for k in "${@:-7.3 6.12}"; do
	# "7.3 6.12" given as one word by make
	for kk in $k; do
		one_kernel "$kk" || failed=$((failed + 1))
	done
done
echo
echo "$(date -u +%Y-%m-%d), dioscope $(git describe --always --dirty 2> /dev/null || echo '?'); rows appended to $OUT"
exit $((failed > 0))
