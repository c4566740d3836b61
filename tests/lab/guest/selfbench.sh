#!/bin/sh
# In the guest: the parts of the self-benchmark the host's kernel refuses.
# For the fentry and kprobe tiers: the cost per event (selfbench), and
# fio 4 KiB randwrite direct=1 sync=1 alternating without (A) and with (B)
# `dioscope record --tier TIER`. fio's JSON and selfbench's rows go to
# /out for the host to tabulate.
uname -r > /out/release
pairs=${1:-3}
runtime=${2:-3}
for tier in fentry kprobe; do
	selfbench event-cost --tier $tier --iters 200000 > /out/cost.$tier 2> /out/cost.$tier.err
done
run() {	# run JSON [PREFIX...]: a fresh fallocated file every run
	json=$1
	shift
	rm -f /mnt/f
	fallocate -l 64M /mnt/f
	sync
	"$@" fio --name=ab --filename=/mnt/f --rw=randwrite --bs=4k --size=64M \
		--direct=1 --sync=1 --ioengine=psync --time_based \
		--runtime="$runtime" --output-format=json --output="$json" > /dev/null
}
for tier in fentry kprobe; do
	i=1
	while [ $i -le "$pairs" ]; do
		echo "overhead $tier pair $i of $pairs"
		run /out/$tier.a$i.json env
		run /out/$tier.b$i.json dioscope record -f -o /tmp/rec --tier $tier -d /mnt -- 2> /dev/null
		sed -n 's/^lost_events=//p' /tmp/rec/meta > /out/$tier.lost$i
		i=$((i + 1))
	done
done
