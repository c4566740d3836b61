// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Time off the CPU inside timed calls. A merge or split can sleep (the
 * journal, a lock), and its wall time then holds the wait as well as
 * the work: on every switch, a task with a timed call open has the time
 * it was switched out added to its clock (struct task_clock), which the
 * entry and exit helpers of common.bpf.h read. The task's own
 * se.sum_exec_runtime would not do: the scheduler updates it only at
 * ticks and switches, so a call of a few microseconds reads 0 or a tick.
 *
 * A raw tracepoint, which every tier's kernels allow (tp_btf would need
 * trampolines). Its arguments, from include/trace/events/sched.h:
 * (bool preempt, struct task_struct *prev, struct task_struct *next)
 * since 4.x, with prev_state appended in 5.18: args[1] and args[2] hold
 * on every kernel the tracer runs on.
 */
#include "common.bpf.h"

/*
 * Tasks switched out with a timed call open, whose clock restarts when
 * they are switched in: while there are none, which is most of the
 * time, a switch looks up nobody.
 */
__u32 clocks_out = 0;

/* The task leaving the CPU, when it may have a clock open: stop it. */
static __always_inline __u64 clock_out(__u32 prev_tid)
{
	struct task_state *t = bpf_map_lookup_elem(&tasks, &prev_tid);
	__u64 now;

	if (!t || !t->clock.open)
		return 0;
	now = bpf_ktime_get_ns();
	t->clock.out_at = now;
	__sync_fetch_and_add(&clocks_out, 1);
	return now;
}

/* The task coming in, if its clock was stopped: restart it; its tid. */
static __always_inline __u32 clock_in(struct task_struct *next, __u64 now)
{
	__u32 next_tid = BPF_CORE_READ(next, pid);
	struct task_state *t = bpf_map_lookup_elem(&tasks, &next_tid);
	struct task_clock *c;

	if (!t || !t->clock.out_at)
		return 0;
	c = &t->clock;
	if (!now)
		now = bpf_ktime_get_ns();
	c->offcpu += now - c->out_at;
	c->out_at = 0;
	__sync_fetch_and_add(&clocks_out, -1);
	return next_tid;
}

SEC("raw_tracepoint/sched_switch")
int ds_sched_switch(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *next = (struct task_struct *)ctx->args[2];
	/* prev is the task running this program */
	__u32 prev_tid = current_tid(), zero = 0, *running;
	__u64 now = 0;

	running = bpf_map_lookup_elem(&clock_cpus, &zero);
	if (!running)
		return 0;
	if (prev_tid && *running == prev_tid)
		now = clock_out(prev_tid);
	/* its clock still open, the task coming in is the CPU's again */
	*running = *(volatile __u32 *)&clocks_out ? clock_in(next, now) : 0;
	return 0;
}
