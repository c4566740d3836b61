#!/bin/sh
# In a lab guest: the kernel patches its own text while another CPU runs
# it. Every tracepoint, static key and BPF trampoline dioscope switches on
# is patched in through an int3, and a guest whose emulator gets this
# wrong dies of "Oops: int3" or a soft lockup somewhere in the middle of
# the checks. Here it happens first and on purpose: the sched_switch
# tracepoint is switched on and off N times while __schedule, where it is
# called, runs all the time on the other CPU (a pipe wakes its reader, a
# task sleeps and wakes).
#
#   patching.sh [N]    100 by default
#
# Writes /out/patching: "toggles N" once all N are done.
T=/sys/kernel/tracing
n=${1:-100}
ev=$T/events/sched/sched_switch/enable

echo "== text patching under load: $n toggles of sched_switch"
[ -w $ev ] || { echo "no $ev" | tee /out/patching; exit 0; }
# one byte a write: a wake-up for every byte; and a task that sleeps
# 100 us at a time, so that a CPU goes idle and wakes all the time
dd if=/dev/zero bs=1 count=1000000000 2> /dev/null | cat > /dev/null &
pipe=$!
(while :; do usleep 100; done) &
sleeper=$!
i=0
while [ $i -lt "$n" ]; do
	echo 1 > $ev
	echo 0 > $ev
	i=$((i + 1))
done
kill $pipe $sleeper 2> /dev/null
wait 2> /dev/null
echo "toggles $i" | tee /out/patching
