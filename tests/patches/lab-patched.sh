#!/usr/bin/env bash
# make test-patches: build the kernel of patches/ (about 5 minutes on 2
# cores), then on it, under QEMU:
#  - tests/patches/boot-test.sh: the tracepoints fire, dio_merge_guard
#    works, data written with the guard off and on reads back as written
#    and e2fsck -fn finds the file systems clean;
#  - the new tracepoints count the same splits and merges as fentry on
#    the functions, over one run of unwritten-concurrent;
#  - the merge-guard A/B: dioscope bench with the guard off and on, then
#    compare; with the guard on, unwritten-concurrent has no churn pairs.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

require_root "patched-kernel lab test"
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-patched.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p build
if ! patches/build-kernel.sh > build/patches-build.log 2>&1; then
	not_ok "the patched kernel builds (build/patches-build.log)"
	tap_done
	exit 1
fi
ok "the patched kernel builds"

# the boot test's TAP lines, as checks of this suite
bash tests/patches/boot-test.sh .cache/patches/bzImage > "$work/boot.tap" 2>&1
grep -qE "^(not )?ok " "$work/boot.tap" ||
	{ sed 's/^/# /' "$work/boot.tap"; not_ok "the boot test ran"; }
while IFS= read -r line; do
	case $line in
	"ok "*) ok "boot test: ${line#ok * - }" ;;
	"not ok "*) not_ok "boot test: ${line#not ok * - }" ;;
	"#"*) echo "$line" ;;
	esac
done < "$work/boot.tap"

out=$(tests/lab/lab.sh run patched --kernel-image .cache/patches/bzImage \
	--timeout 300 -- 'sh /lab/patched.sh' 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check_eq "the guest ran the workload" 0 "$rc"
check "probe used the new tracepoints for splits" grep -q "pt-tp/meta:tier.split=tracepoint" <<<"$out"
check "... and for merges" grep -q "pt-tp/meta:tier.merge=tracepoint" <<<"$out"
for what in splits merges; do
	row=$(grep "^$what," <<<"$out")
	tp=$(cut -d, -f2 <<<"$row")
	fe=$(cut -d, -f3 <<<"$row")
	check "$what were seen ($tp)" [ "${tp:-0}" -gt 0 ]
	check_eq "$what: the tracepoints count what fentry counts" "$fe" "$tp"
done

# the merge-guard A/B
ab=${GUARD_AB_OUT:-$work/ab}
mkdir -p "$ab"
out=$(tests/lab/lab.sh run patched --kernel-image .cache/patches/bzImage \
	--disk-size 1G --timeout 1500 --out "$ab" -- 'sh /lab/guard-ab.sh' 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check_eq "the guest ran the guard A/B" 0 "$rc"
col() {	# col SUMMARY SCENARIO COLUMN
	awk -F, -v s="$2" -v c="$3" '{ sub(/\r$/, "") }
		NR == 1 { for (i = 1; i <= NF; i++) n[$i] = i; next }
		$1 == s && (c in n) { print $n[c] }' "$1"
}
for g in off on; do
	sum=$(ls "$ab"/guard-$g/*/summary.csv 2> /dev/null | head -n 1)
	check "guard $g: bench wrote a summary" [ -s "$sum" ]
	[ -s "$sum" ] || continue
	scen=$(awk -F, 'NR > 1 && $1 ~ /^unwritten-concurrent/ { print $1; exit }' "$sum")
	check_eq "guard $g: the runs say the guard was $g" "$g" "$(col "$sum" "$scen" merge_guard)"
	check_eq "guard $g: merges were observed" yes "$(col "$sum" "$scen" merges_observed)"
	ios=$(col "$sum" "$scen" ios)
	check "guard $g: the kernel's view has the IOs (${ios:-none})" [ "${ios:-0}" -gt 0 ]
	churn=$(col "$sum" "$scen" churn_pairs_per_1k_ios)
	echo "# guard $g: $scen: churn pairs/1k IOs $churn, splits/1k $(col "$sum" "$scen" splits_per_1k_ios), merges/1k $(col "$sum" "$scen" merges_per_1k_ios)"
	[ $g = on ] && check "guard on: $scen has no churn pairs ($churn)" \
		awk -v v="$churn" 'BEGIN { exit !(v + 0 == 0 && v != "") }'
done
check "compare states what the guard saved" grep -q "merge guard A/B on" <<<"$out"
check "... measured as a difference" grep -q "measured as the difference, guard off - guard on" <<<"$out"
check "... next to the traced estimate" grep -q "estimated from the traces, guard off" <<<"$out"
tap_done
