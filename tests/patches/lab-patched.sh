#!/usr/bin/env bash
# make test-patches: build the kernels of patches/ ($PATCHES_KERNELS,
# default "6.1 7.3"; run the builds under nice on a shared machine), then
# on each, under QEMU:
#  - tests/patches/boot-test.sh: the tracepoints fire, dio_merge_guard
#    takes its modes, data written in every mode reads back as written and
#    e2fsck -fn finds the file systems clean;
#  - the new tracepoints count the same splits and merges as fentry on
#    the functions, over one run of unwritten-concurrent;
#  - the merge-guard A/B: one dioscope bench in the modes off, dio and all,
#    alternated run by run, then compare; with the guard on,
#    unwritten-concurrent has no churn pairs, and on 7.x (with the fix)
#    sparse-concurrent has none in any mode.
# PATCHES_CACHE (default .cache/patches) holds the sources and builds.
# LAB_ICOUNT=1 runs the guests under QEMU's instruction counter
# (tests/lab/lab.sh --icount): the guard A/B's times are then instructions.
# GUARD_RUNS (3 runs per mode), GUARD_RUNTIME (3 s) and GUARD_SCENARIOS
# (tests/lab/guest/guard-ab.sh's four; unwritten-concurrent, and on 7.x
# sparse-concurrent, must be among them) go to the guard A/B's guest.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

require_root "patched-kernel lab test"
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-patched.XXXXXX")
trap 'rm -rf "$work"' EXIT
cache=${PATCHES_CACHE:-.cache/patches}
mkdir -p build

col() {	# col SUMMARY SCENARIO COLUMN
	awk -F, -v s="$2" -v c="$3" '{ sub(/\r$/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) n[$i] = i; next }
		index($1, s ".") == 1 && (c in n) { print $n[c]; exit }' "$1"
}

# the boot test's TAP lines, as checks of this suite
boot_test() {
	local k=$1 image=$2 line
	bash tests/patches/boot-test.sh "$image" > "$work/boot.tap" 2>&1
	grep -qE "^(not )?ok " "$work/boot.tap" ||
		{ sed 's/^/# /' "$work/boot.tap"; not_ok "$k: the boot test ran"; }
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "$k: boot test: ${line#ok * - }" ;;
		"not ok "*) not_ok "$k: boot test: ${line#not ok * - }" ;;
		"#"*) echo "$line" ;;
		esac
	done < "$work/boot.tap"
}

tracepoints_vs_fentry() {
	local k=$1 image=$2 out rc what row tp fe
	out=$(tests/lab/lab.sh run "patched-$k" --kernel-image "$image" \
		--timeout 300 -- 'sh /lab/patched.sh' 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	check_eq "$k: the guest ran the workload" 0 "$rc"
	check "$k: probe used the new tracepoints for splits" grep -q "pt-tp/meta:tier.split=tracepoint" <<<"$out"
	check "$k: ... and for merges" grep -q "pt-tp/meta:tier.merge=tracepoint" <<<"$out"
	for what in splits merges; do
		row=$(grep "^$what," <<<"$out")
		tp=$(cut -d, -f2 <<<"$row")
		fe=$(cut -d, -f3 <<<"$row")
		check "$k: $what were seen ($tp)" [ "${tp:-0}" -gt 0 ]
		check_eq "$k: $what: the tracepoints count what fentry counts" "$fe" "$tp"
	done
}

guard_ab() {
	local k=$1 image=$2 ab out rc g sum churn cmd=""
	ab=${GUARD_AB_OUT:-$work}/ab-$k
	mkdir -p "$ab"
	[ -z "${GUARD_RUNS:-}" ] || cmd="GUARD_RUNS=$GUARD_RUNS "
	[ -z "${GUARD_RUNTIME:-}" ] || cmd="${cmd}GUARD_RUNTIME=$GUARD_RUNTIME "
	[ -z "${GUARD_SCENARIOS:-}" ] ||
		cmd="${cmd}GUARD_SCENARIOS='$GUARD_SCENARIOS' "
	out=$(tests/lab/lab.sh run "patched-$k" --kernel-image "$image" \
		--disk-size 1G --timeout 3000 --out "$ab" -- "${cmd}sh /lab/guard-ab.sh" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/# /'
	check_eq "$k: the guest ran the guard A/B" 0 "$rc"
	for g in off dio all; do
		sum=$(ls "$ab"/ab/guard-$g/*/summary.csv 2> /dev/null | head -n 1)
		check "$k: guard $g: bench wrote a summary" [ -s "$sum" ]
		[ -s "$sum" ] || continue
		check_eq "$k: guard $g: the runs say which mode they ran in" "$g" \
			"$(col "$sum" unwritten-concurrent merge_guard)"
		check_eq "$k: guard $g: merges were observed" yes \
			"$(col "$sum" unwritten-concurrent merges_observed)"
		churn=$(col "$sum" unwritten-concurrent churn_pairs_per_1k_ios)
		echo "# $k: guard $g: unwritten-concurrent: churn pairs/1k IOs $churn; sparse-concurrent: splits/1k $(col "$sum" sparse-concurrent splits_per_1k_ios), merges/1k $(col "$sum" sparse-concurrent merges_per_1k_ios)"
		[ $g = off ] || check "$k: guard $g: unwritten-concurrent has no churn pairs ($churn)" \
			awk -v v="$churn" 'BEGIN { exit !(v + 0 == 0 && v != "") }'
	done
	# 7.x merged the pieces of writes into holes in flight; the 7.3
	# series' fix keeps them apart with the guard off too
	case $k in
	6.*) ;;
	*)
		for g in off dio; do
			churn=$(col "$ab"/ab/guard-$g/*/summary.csv sparse-concurrent churn_pairs_per_1k_ios)
			check "$k: guard $g: sparse-concurrent has no churn pairs ($churn)" \
				awk -v v="$churn" 'BEGIN { exit !(v + 0 == 0 && v != "") }'
		done ;;
	esac
	check "$k: compare states what each mode saved" grep -q "merge guard A/B on .*, dio: B)" <<<"$out"
	check "$k: ... for mode all too" grep -q "merge guard A/B on .*, all: C)" <<<"$out"
	check "$k: ... measured as a difference" grep -q "measured as the difference, guard off - guard dio" <<<"$out"
	check "$k: ... next to the traced estimate" grep -q "estimated from the traces, guard off" <<<"$out"
	check "$k: ... saying whether the two agree" grep -qE "wasted time vs mean latency: (agree|disagree|cannot tell)" <<<"$out"
}

for k in ${PATCHES_KERNELS:-6.1 7.3}; do
	if ! patches/build-kernel.sh --kernel "$k" > "build/patches-build-$k.log" 2>&1; then
		not_ok "$k: the patched kernel builds (build/patches-build-$k.log)"
		continue
	fi
	ok "$k: the patched kernel builds"
	image=$cache/bzImage-$k
	boot_test "$k" "$image"
	tracepoints_vs_fentry "$k" "$image"
	guard_ab "$k" "$image"
done
tap_done
