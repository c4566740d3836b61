#!/usr/bin/env bash
# The fix A/B in the lab, under QEMU's instruction counter (lab.sh
# --icount: times are instructions): the kernel of patches/7.3 with
# dio_merge_guard at 0 (fixed: the fix alone) against FIXAB_BASE:
#   stock   Debian's 7.3 as packaged (the default)
#   nofix   the same series built less the fix (build-kernel.sh --without
#           0002): the same configuration, so that the difference in
#           instructions is the fix's and not the configuration's
# booted in turn, the base first, FIXAB_BOOTS boots each (3).
# Each boot runs tests/lab/guest/fix-ab.sh: one dioscope bench of
# FIXAB_SCENARIOS (sparse-concurrent), FIXAB_RUNS runs (3) of
# FIXAB_RUNTIME guest seconds (3) at most, files of FIXAB_SIZE (64M), its
# runs numbered after the kernel's earlier boots'. Under icount an idle
# guest's clock jumps, so a run of a few guest seconds may hold a few IOs
# or thousands; a small file and a long runtime (FIXAB_SIZE=8M
# FIXAB_RUNTIME=60) let a run write its whole file (2048 IOs of 4 KiB)
# unless its guest time runs out first, hundreds of IOs at least. The
# boots of each kernel are then joined (dioscope report -o) and compared
# (dioscope compare, with FIXAB_CALIBRATION, a calibration file of make
# calibrate, when given).
# Results stay in FIXAB_OUT (default build/fix-ab): boot-<n>-<kernel>/,
# the unions <base>/ and fixed/, compare/ and compare.txt. The patched
# kernels are built first when missing (PATCHES_CACHE, default
# .cache/patches). TAP lines, then "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit
. tests/lib.sh

require_root "the fix A/B in the lab"
cache=${PATCHES_CACHE:-.cache/patches}
out=${FIXAB_OUT:-build/fix-ab}
boots=${FIXAB_BOOTS:-3}
runs=${FIXAB_RUNS:-3}
image=$cache/bzImage-7.3
base=${FIXAB_BASE:-stock}
export FIXAB_SCENARIOS=${FIXAB_SCENARIOS:-sparse-concurrent}
export FIXAB_RUNTIME=${FIXAB_RUNTIME:-3}
export FIXAB_SIZE=${FIXAB_SIZE:-64M}
DIOSCOPE=${DIOSCOPE:-./dioscope}

case $boots$runs in
''|*[!0-9]*) echo "fix-ab: FIXAB_BOOTS and FIXAB_RUNS must be numbers" >&2
	exit 2 ;;
esac
case $base in
stock|nofix) ;;
*) echo "fix-ab: FIXAB_BASE must be stock or nofix, not '$base'" >&2
	exit 2 ;;
esac
if [ -e "$out" ]; then
	echo "fix-ab: $out exists; move it away or set FIXAB_OUT" >&2
	exit 2
fi
mkdir -p "$out"
# build IMAGE [ARG]: the kernel of patches/7.3 (less a patch) if missing
build() {
	[ -s "$1" ] && return 0
	patches/build-kernel.sh --kernel 7.3 ${2:+--without "$2"} \
		>> "$out/build.log" 2>&1 && return 0
	not_ok "the kernel of patches/7.3${2:+ less $2} builds ($out/build.log)"
	tap_done
	exit
}
build "$image"
[ "$base" = stock ] || build "$cache/bzImage-7.3-without-0002" 0002

col() {	# col SUMMARY SCENARIO COLUMN
	awk -F, -v s="$2" -v c="$3" '{ sub(/\r$/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) n[$i] = i; next }
		index($1, s ".") == 1 && (c in n) { print $n[c]; exit }' "$1"
}

# boot N KERNEL: one boot's bench, its runs after the earlier boots'
boot() {
	local n=$1 k=$2 dir=$out/boot-$1-$2 rc
	local cmd="FIXAB_RUNS=$runs FIXAB_FIRST_RUN=$(( (n - 1) * runs + 1 ))"
	cmd="$cmd FIXAB_SCENARIOS='$FIXAB_SCENARIOS'"
	cmd="$cmd FIXAB_RUNTIME=$FIXAB_RUNTIME FIXAB_SIZE=$FIXAB_SIZE"
	cmd="$cmd sh /lab/fix-ab.sh $k"
	case $k in
	stock)
		tests/lab/lab.sh run 7.3 --icount --disk-size 2G \
			--timeout 3000 --out "$dir" -- "$cmd" > "$dir.log" 2>&1 ;;
	*)
		local img=$image
		[ "$k" = fixed ] || img=$cache/bzImage-7.3-without-0002
		tests/lab/lab.sh run "patched-7.3-$k" --kernel-image "$img" \
			--icount --disk-size 2G --timeout 3000 --out "$dir" \
			-- "$cmd" > "$dir.log" 2>&1 ;;
	esac
	rc=$?
	check_eq "boot $n, $k: the bench ran ($dir.log)" 0 "$rc"
}

n=1
while [ "$n" -le "$boots" ]; do
	boot "$n" "$base"
	boot "$n" fixed
	n=$((n + 1))
done

for k in "$base" fixed; do
	$DIOSCOPE report -o "$out/$k" "$out"/boot-*-"$k"/"$k" \
		> "$out/$k.txt" 2>&1
	check_eq "$k: the boots' runs join into one tree" 0 $?
done
calib=()
[ -n "${FIXAB_CALIBRATION:-}" ] && calib=(--calibration "$FIXAB_CALIBRATION")
$DIOSCOPE compare "${calib[@]}" "$out/$base"/* "$out"/fixed/* \
	-o "$out/compare" > "$out/compare.txt" 2>&1
check_eq "compare of $base and fixed exits 0" 0 $?
sed 's/^/# /' "$out/compare.txt"

for s in $FIXAB_SCENARIOS; do
	st=$(ls "$out/$base"/*/summary.csv 2> /dev/null | head -n 1)
	fx=$(ls "$out"/fixed/*/summary.csv 2> /dev/null | head -n 1)
	[ -s "$st" ] && [ -s "$fx" ] || continue
	check_eq "$s: every run of each kernel is in" \
		"$((boots * runs)) $((boots * runs))" \
		"$(col "$st" "$s" runs) $(col "$fx" "$s" runs)"
	check "$s: the fix leaves no churn pair" \
		awk -v v="$(col "$fx" "$s" churn_pairs_per_1k_ios)" \
		'BEGIN { exit !(v != "" && v + 0 == 0) }'
	check "$s: both say their clock counted instructions" \
		[ "$(col "$st" "$s" clock) $(col "$fx" "$s" clock)" = \
		  "icount icount" ]
done
tap_done
