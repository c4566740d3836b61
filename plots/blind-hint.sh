#!/usr/bin/env bash
# After make bench: where this kernel's tier saw no extent merges or splits
# (summary.json, coverage.merges_observed false), name the one command
# that sees them on this machine, the lab's bench on 7.3 and an old
# kernel, and how long it takes: how long it took here the last time it
# finished (bench-kernels.sh keeps that in the lab's cache), else an
# estimate from its jobs timed one by one (below). Silent otherwise.
#
#   plots/blind-hint.sh RESULTS/<kernel-release>
#
# DIOSCOPE (default: the checkout's) lists the jobs; KERNELS_BENCH_ARGS
# are bench-kernels' arguments (default: plots/plots.mk's).
set -u
res=$1
top=$(cd "$(dirname "$0")/.." && pwd)
dioscope=${DIOSCOPE:-$top/dioscope}
cache=${LAB_CACHE:-/var/cache/dioscope/lab}
times=$cache/bench-kernels.times
kernels='7.3 6.1'
args=${KERNELS_BENCH_ARGS:---runs 3 --runtime 3 --size 64M}

# Before one has finished here: seconds a job took, each timed alone (as
# bench-kernels runs them, BENCH_JOBS=1) with plots/bench-job.sh and the
# default arguments, the mean of run 1 of every scenario on each kernel:
# the host 6.6 to 10.1 s (the clock started once the live-test lock was
# held), 7.3 in the lab 42 to 164 s, 6.1 32 to 73 s (a guest boot each).
# Timed on 2026-12-07 on a 2-vCPU Debian 12 virtual machine (Intel Xeon,
# Linux 6.18) running other work too: load average 13 to 27. report,
# compare and plot of 20 of those runs took 17 s.
timed_on=2026-12-07
timed_where='a 2-vCPU Debian 12 virtual machine busy with other work, load average 13 to 27'
job_s_host=8
job_s_73=76
job_s_61=53
# the jobs of the default arguments then (36 a kernel), for when dioscope
# cannot list them
jobs_then="36 36 36"

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
	exit 0
fi

# "HOST K73 K61": the jobs bench-kernels would run, per kernel
# shellcheck disable=SC2086 # the arguments are words, as make passes them
n=$("$dioscope" bench --list-jobs --kernel host --kernel 7.3 --kernel 6.1 $args 2> /dev/null |
	awk '{ sub(/^kernel=/, "", $1); n[$1]++ }
	     END { if (NR) print n["host"] + 0, n["7.3"] + 0, n["6.1"] + 0 }')
why=""
if [ -z "$n" ]; then
	n=$jobs_then
	why="; as the default arguments made then: $dioscope lists none"
fi
read -r nh n73 n61 <<< "$n"
total=$((nh * job_s_host + n73 * job_s_73 + n61 * job_s_61))
if [ "$total" -ge 3600 ]; then
	took="$((total / 3600)) h $(printf %02d $((total % 3600 / 60))) min"
else
	took="$((total / 60)) min"
fi
fmt -w 72 <<MSG
It has not finished on this machine yet. Timed one job at a time on
$timed_on ($timed_where), a job took $job_s_host s on the host,
$job_s_73 s on 7.3 and $job_s_61 s on 6.1 (a guest boot each): its
$((nh + n73 + n61)) jobs ($nh on the host, $n73 on 7.3, $n61 on 6.1$why)
come to about $took, plus a few seconds a job to sum up, compare and
plot. It notes its time in $times when it has finished.
MSG
