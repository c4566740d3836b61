#!/usr/bin/env bash
# After make bench: where this kernel's tier saw no extent merges or splits
# (summary.json, coverage.merges_observed false), name the one command
# that sees them on this machine, the lab's bench on 7.3 and an old
# kernel, and how long it took here the last time it finished
# (bench-kernels.sh keeps that in the lab's cache). Silent otherwise.
#
#   plots/blind-hint.sh RESULTS/<kernel-release>
set -u
res=$1
cache=${LAB_CACHE:-/var/cache/dioscope/lab}
times=$cache/bench-kernels.times
kernels='7.3 6.1'

[ -s "$res/summary.json" ] || exit 0
jq -e '[.scenarios[] | select(.coverage.merges_observed == false)] | length > 0' \
	"$res/summary.json" > /dev/null 2>&1 || exit 0

# "SECONDS<TAB>KERNELS<TAB>ARGS<TAB>DATE", the newest last
last=$(awk -F'\t' -v k="$kernels" '$2 == k' "$times" 2> /dev/null | tail -1)
cat <<MSG

Waste and churn are n/a on this kernel: its tier cannot see extent merges
and splits. The one command that sees them on this machine:

    make bench-kernels LAB_KERNELS='$kernels'

It runs this bench on Debian's 7.3 and 6.1 kernels under QEMU, where
kprobes load, and on this kernel, round-robin, then compares and plots
them all (results-kernels/compare.txt, results-kernels/plots/).
MSG
if [ -n "$last" ]; then
	echo "$last" | awk -F'\t' '{
		printf "It took %d min %02d s here the last time (%s, KERNELS_BENCH_ARGS=\x27%s\x27).\n",
			$1 / 60, $1 % 60, $4, $3 }'
else
	echo "It has not finished on this machine yet, so how long it takes here is"
	echo "not known; it says so in $times when it has."
fi
