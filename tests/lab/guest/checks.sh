#!/bin/sh
# In a lab guest: everything tests/lab/run-tests.sh checks on one kernel,
# in one boot. The results go to /out (the host reads them from there);
# a log of each step goes to stdout.
#
#   uname-r, uname-v, btf        the kernel's identity, "yes" if it has BTF
#   sched-preempt                /sys/kernel/debug/sched/preempt, if any
#   tracefs                      "ok", or what did not work
#   patching                     "toggles 100": see patching.sh
#   profiler                     "present" or "absent"
#   sync-{profiler,tracer}.csv   calls of ksys_sync over three sync(1)
#   profile-NAME.csv, NAME.rc    the reference workload (reference.fio)
#   fio-NAME.json                under profile-run.sh, for NAME = fio (fio
#                                alone), fentry and kprobe (fio recorded by
#                                dioscope in that tier, into rec-NAME/)
#   probe.csv, probe.rc          dioscope probe --csv
#   probe-traceable              its functions in available_filter_functions
#   conc-*/                      see concurrent.sh
#   insert-*/                    see insert.sh
#   kc-*/                        see known-churn.sh
#   prog-*/                      see programs.sh
#   device/                      see device.sh
# dioscope's steps are left out when the guest has no dioscope.
T=/sys/kernel/tracing
O=/out
# the functions the lab counts, one a line
FUNCS=$(cat /lab/functions)

step() {
	echo "== $*"
}

tracefs_works() {
	[ -r $T/available_tracers ] || { echo "no tracefs at $T"; return; }
	grep -q '^ext4:ext4_ext_map_blocks_enter$' $T/available_events ||
		{ echo "no ext4 events in available_events"; return; }
	echo 0 > $T/tracing_on
	echo > $T/trace
	echo 1 > $T/tracing_on
	echo "lab-marker-$$" > $T/trace_marker
	echo 0 > $T/tracing_on
	grep -q "lab-marker-$$" $T/trace ||
		{ echo "a write to trace_marker did not reach the trace"; return; }
	echo > $T/trace
	echo 1 > $T/tracing_on
	echo ok
}

# reference NAME COMMAND...: the reference workload's file made afresh,
# then COMMAND under profile-run.sh
reference() {
	name=$1
	shift
	step "reference workload: $name"
	rm -f /mnt/ref
	fallocate -l 4M /mnt/ref
	sync
	# shellcheck disable=SC2086 # one word per function
	sh /lab/profile-run.sh -o $O/profile-$name.csv $FUNCS -- "$@"
	echo $? > $O/$name.rc
	cat $O/profile-$name.csv
}

step "kernel"
uname -r | tee $O/uname-r
uname -v | tee $O/uname-v
if [ -r /sys/kernel/btf/vmlinux ]; then echo yes; else echo no; fi | tee $O/btf
# the preemption mode in force (CONFIG_PREEMPT_DYNAMIC kernels; init mounts debugfs)
cat /sys/kernel/debug/sched/preempt 2> /dev/null | tee $O/sched-preempt

step "tracefs"
tracefs_works | tee $O/tracefs

sh /lab/patching.sh 100

step "function profiler"
if [ -e $T/function_profile_enabled ]; then echo present; else echo absent; fi |
	tee $O/profiler
for m in profiler tracer; do
	[ $m = profiler ] && [ "$(cat $O/profiler)" = absent ] && continue
	sh /lab/profile-run.sh -m $m -o $O/sync-$m.csv ksys_sync -- \
		sh -c 'sync; sync; sync'
	echo $? > $O/sync-$m.rc
	cat $O/sync-$m.csv
done

reference fio fio --eta=never --output-format=json --output=$O/fio-fio.json /lab/reference.fio

if ! command -v dioscope > /dev/null; then
	step "no dioscope in the guest: its checks are left out"
	exit 0
fi

step "dioscope probe"
dioscope probe --csv > $O/probe.csv 2> $O/probe.err
echo $? > $O/probe.rc
cat $O/probe.csv $O/probe.err
# which of the probed functions ftrace can trace here
awk -F, 'NR > 1 { print $2 }' $O/probe.csv | sort -u > /tmp/probed
awk 'NR == FNR { want[$1] = 1; next } ($1 in want) && !seen[$1]++ { print $1 }' \
	/tmp/probed $T/available_filter_functions > $O/probe-traceable

for tier in fentry kprobe; do
	reference $tier dioscope record -f -o $O/rec-$tier --tier $tier -- \
		fio --eta=never --output-format=json --output=$O/fio-$tier.json /lab/reference.fio
	cat $O/rec-$tier/counts.csv
done

sh /lab/concurrent.sh best
sh /lab/concurrent.sh kprobe
# planned with what the runs before measured (recursion misses)
sh /lab/concurrent.sh again
sh /lab/insert.sh fentry fentry
sh /lab/insert.sh kprobe kprobe
sh /lab/known-churn.sh fentry concurrent fentry
sh /lab/known-churn.sh kprobe concurrent kprobe
sh /lab/known-churn.sh serial-fentry serial fentry
sh /lab/programs.sh
# last: it repartitions the scratch disk
sh /lab/device.sh
exit 0
