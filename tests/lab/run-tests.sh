#!/usr/bin/env bash
# The kernel-lab tests: on each of Debian's 5.10, 6.1 and 6.12 kernels
# under QEMU, `dioscope probe` must put every traced function the kernel
# has on fentry, and the reference workload recorded with --tier fentry
# and with --tier kprobe must count exactly the calls ftrace's function
# tracer counts for the same functions over the same run.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

LAB=tests/lab/lab.sh
KERNELS=${LAB_KERNELS:-"5.10 6.1 6.12"}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-lab.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ "$(id -u)" -ne 0 ]; then
	skip "kernel lab" "needs root"
	tap_done
	exit 0
fi
if [ ! -x ./dioscope ]; then
	not_ok "kernel lab: ./dioscope is not built"
	tap_done
	exit 1
fi

guest_cmd='uname -r
test -e /sys/kernel/btf/vmlinux && echo "btf=yes"
echo "== functions"
cat /sys/kernel/tracing/available_filter_functions | cut -d" " -f1
echo "== probe"
dioscope probe --csv
echo "== fentry"
sh /lab/reference.sh fentry
echo "== kprobe"
sh /lab/reference.sh kprobe
echo "== concurrent"
sh /lab/concurrent.sh
echo "== concurrent-kprobe"
sh /lab/concurrent.sh kprobe
echo "== end"'

section() {	# section FILE NAME: the lines between "== NAME" and the next "=="
	awk -v s="== $2" '$0 == s { on = 1; next } /^== / { on = 0 } on' "$1"
}

check_probe() {	# check_probe KERNEL OUTFILE
	local k=$1 out=$2 target sym tier detail
	# not a pipeline: the loop must count in this shell
	while IFS=, read -r target sym tier detail; do
		if section "$out" functions | grep -qx "$sym"; then
			case $tier in
			fentry) ok "$k: probe puts $sym on fentry" ;;
			kprobe)
				# a trampoline takes at most six arguments before 6.6
				if grep -q "ENOTSUPP" <<<"$detail"; then
					ok "$k: probe puts $sym on kprobe: the kernel has no trampoline for it ($detail)"
				else
					not_ok "$k: probe puts $sym on $tier, not fentry: $detail"
				fi ;;
			*) not_ok "$k: probe puts $sym on $tier, not fentry: $detail" ;;
			esac
		elif [ "$tier" = "-" ] || [ "$tier" = tracepoint ]; then
			if grep -qE "not in (kallsyms|this kernel)" <<<"$detail"; then
				ok "$k: probe names $sym as absent ($tier: $detail)"
			else
				not_ok "$k: probe does not say why $sym is absent: $detail"
			fi
		else
			not_ok "$k: $sym is not traceable here, yet probe chose $tier"
		fi
	done < <(section "$out" probe | tail -n +2 | tr -d '"')
}

check_counts() {	# check_counts KERNEL OUTFILE TIER
	local k=$1 out=$2 tier=$3 fn ft ds dtier calls
	local overrun
	overrun=$(section "$out" "$tier" | sed -n 's/^overrun,//p')
	check_eq "$k/$tier: ftrace lost nothing (overrun)" 0 "${overrun:-missing}"
	while IFS=, read -r fn ft ds; do
		calls=${ds%/*}
		dtier=${ds#*/}
		echo "$k $tier $fn $ft $calls $dtier" >> "$work/table"
		if [ "$ft" = absent ]; then
			ok "$k/$tier: $fn is not in this kernel"
		elif [ "$dtier" != "$tier" ]; then
			# only a function the kernel refuses in this tier may be left out
			if [ "$tier" = fentry ] && section "$out" probe | grep "^[a-z_]*,$fn," | grep -q ENOTSUPP; then
				ok "$k/$tier: $fn cannot be on fentry here (no trampoline), counted on kprobe"
			else
				not_ok "$k/$tier: $fn was not traced in this tier ($dtier)"
			fi
		else
			check_eq "$k/$tier: $fn calls = ftrace's count" "$ft" "$calls"
		fi
	done < <(section "$out" "$tier" | grep -v '^overrun,')
}

check_concurrent() {	# check_concurrent KERNEL OUTFILE SECTION
	local k=$1 out=$2 sec=$3 fn ft ds
	check_eq "$k/$sec: ftrace lost nothing (overrun)" 0 \
		"$(section "$out" "$sec" | sed -n 's/^overrun,//p')"
	while IFS=, read -r fn ft ds; do
		echo "$k $sec $fn $ft $ds -" >> "$work/table"
		check_eq "$k/$sec: unwritten-concurrent $fn calls = ftrace's" "$ft" "$ds"
	done < <(section "$out" "$sec" | grep -E '^ext4_(split_extent_at|ext_try_to_merge_right),')
	check "$k/$sec: report summarises the run" \
		grep -qE '^conc-' <(section "$out" "$sec")
	check "$k/$sec: report counts merges and splits as observed" \
		bash -c '! grep -qE "n/a|not observed" "$1"' _ <(section "$out" "$sec")
	check "$k/$sec: the merges' boundaries are listed" \
		grep -qE '^merge [0-9]+ [0-9]+$' <(section "$out" "$sec")
}

for k in $KERNELS; do
	out=$work/$k.out
	if ! $LAB fetch "$k" > "$work/$k.fetch" 2>&1; then
		if grep -qE "could not be downloaded|no Debian archive|update failed" "$work/$k.fetch"; then
			skip "$k: kernel lab" "$(tail -1 "$work/$k.fetch")"
			continue
		fi
		not_ok "$k: fetching the kernel failed: $(tail -1 "$work/$k.fetch")"
		continue
	fi
	start=$(date +%s)
	# a guest whose run broke off before its end (6.12 under TCG now and
	# then corrupts itself past what the lab detects) is run once more
	for attempt in 1 2 3; do
		$LAB run "$k" --timeout 240 -- "$guest_cmd" > "$out" 2> "$work/$k.err"
		rc=$?
		[ "$rc" -eq 77 ] || grep -q '^== end$' "$out" && break
		echo "# $k: run $attempt broke off (status $rc): $(tail -1 "$work/$k.err")"
	done
	if [ "$rc" -eq 77 ]; then
		skip "$k: kernel lab" "$(tail -1 "$work/$k.err")"
		continue
	fi
	# every boot of the last attempt crashed before the command started:
	# the emulator cannot run this kernel now, which says nothing of ours
	if ! grep -q '^== end$' "$out" && grep -q 'did not run the command' "$work/$k.err" &&
	   [ "$(grep -c 'guest kernel crashed (try' "$work/$k.err")" -ge "${LAB_BOOT_TRIES:-10}" ]; then
		skip "$k: kernel lab" "the $k guest kernel crashed on every boot under QEMU TCG ($(grep -m1 -o 'Oops: [a-z ]*\|Kernel panic[^:]*' "$work/$k.err" | head -1))"
		continue
	fi
	echo "# $k: $(cat .cache/lab/kernels/$k/package 2>/dev/null), $(( $(date +%s) - start ))s"
	sed 's/^/# /' "$work/$k.err" | grep -v 'building the guest' || true
	if ! grep -q '^== end$' "$out"; then
		not_ok "$k: the guest did not finish (status $rc)"
		sed 's/^/# /' "$out" | tail -20
		continue
	fi
	check_eq "$k: the guest runs the packaged kernel" \
		"$(cat .cache/lab/kernels/$k/release)" "$(head -1 "$out")"
	check "$k: the guest has kernel BTF" grep -qx "btf=yes" "$out"
	check_probe "$k" "$out"
	check_counts "$k" "$out" fentry
	check_counts "$k" "$out" kprobe
	check_concurrent "$k" "$out" concurrent
	check_concurrent "$k" "$out" concurrent-kprobe
done

if [ -f "$work/table" ]; then
	echo "# calls per function: ftrace's function tracer vs dioscope"
	printf "# %-6s %-7s %-32s %8s %9s %s\n" kernel tier function ftrace dioscope "tier used"
	while read -r k tier fn ft calls dtier; do
		printf "# %-6s %-7s %-32s %8s %9s %s\n" "$k" "$tier" "$fn" "$ft" "${calls:--}" "$dtier"
	done < "$work/table"
fi
tap_done
