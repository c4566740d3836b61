#!/usr/bin/env bash
# The bench on this machine's kernel and on each kernel of the lab (under
# QEMU: emulated, so their times compare among themselves, not with the
# host's), then one comparison and one set of plots of them all:
#
#   plots/bench-kernels.sh OUT "KERNELS" [BENCH_ARGS...]
#
# KERNELS "all" is every lab kernel (tests/lab/lab.sh kernels); a kernel
# whose package cannot be had (lab.sh's status 69) is skipped with the
# reason.
#
# OUT/host/<release>/ and OUT/lab-<kernel>/<release>/ hold the results
# (each lab kernel's are replaced), OUT/compare.csv the comparison with the
# oldest lab kernel first, OUT/plots the plots. A kernel whose bench fails
# is left out of the comparison; the script then exits 1 at the end.
set -u
cd "$(dirname "$0")/.."

out=$1 kernels=$2
shift 2
args=$*
lab=tests/lab/lab.sh
dioscope=${DIOSCOPE:-./dioscope}
trees=() failed=()
# the guests run the same program as the host
DIOSCOPE_BIN=${DIOSCOPE_BIN:-$(realpath "$dioscope")}
export DIOSCOPE_BIN

say() { echo "bench-kernels: $*" >&2; }

[ -x "$lab" ] || { say "$lab is missing: the kernel lab is needed"; exit 1; }
mkdir -p "$out"

# The host first: it is quick, and it fails early where the bench cannot run.
if "$dioscope" bench -o "$out/host" "$@"; then :; else say "the bench on the host failed"; failed+=(host); fi
[ -f "$out/host/$(uname -r)/summary.csv" ] && host=$out/host/$(uname -r)

# In the guest the bench runs on the lab's scratch disk; what it writes is
# compressed for the trip back through the lab's fixed-size out disk.
guest_cmd="umount /mnt && DIOSCOPE_EMULATED=1 dioscope bench --device /dev/vdb --force \
--bench-dir /lab/bench -o /out $args; rc=\$?; find /out -type f -exec gzip {} +; exit \$rc"

[ "$kernels" = all ] && kernels=$("$lab" kernels all)
for k in $kernels; do
	dir=$out/lab-$k
	rm -rf "$dir"
	why=$("$lab" fetch "$k" 2>&1 >/dev/null)
	case $? in
	0) ;;
	69) say "kernel $k skipped: $(echo "$why" | tail -1 | sed 's/^lab: //')"; continue ;;
	*) say "kernel $k cannot be fetched: $(echo "$why" | tail -1)"; failed+=("$k"); continue ;;
	esac
	say "kernel $k under QEMU"
	if ! "$lab" run "$k" --timeout "${LAB_TIMEOUT:-3600}" --disk-size "${LAB_DISK:-2G}" \
		--out "$dir" -- "$guest_cmd"; then
		say "the bench on lab kernel $k failed"
		failed+=("$k")
	fi
	[ -d "$dir" ] && find "$dir" -name '*.gz' -exec gunzip -f {} +
	sums=("$dir"/*/summary.csv)
	if [ -f "${sums[0]}" ]; then
		trees+=("$(dirname "${sums[0]}")")
	else
		say "no results from lab kernel $k"
	fi
done
[ -n "${host:-}" ] && trees+=("$host")

if [ ${#trees[@]} -lt 2 ]; then
	say "fewer than two kernels have results: nothing to compare"
	exit 1
fi
"$dioscope" compare "${trees[@]}" -o "$out" | tee "$out/compare.txt"
rc=${PIPESTATUS[0]}
"$dioscope" plot "${trees[@]}" -o "$out/plots" || rc=1
say "comparison: $out/compare.csv (table: $out/compare.txt), plots: $out/plots"
if [ ${#failed[@]} -gt 0 ]; then
	say "failed: ${failed[*]}"
	exit 1
fi
exit "$rc"
