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

SEC("raw_tracepoint/sched_switch")
int ds_sched_switch(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *next = (struct task_struct *)ctx->args[2];
	/* prev is the task running this program */
	__u32 prev_tid = (__u32)bpf_get_current_pid_tgid();
	__u32 next_tid = BPF_CORE_READ(next, pid);
	struct task_state *t;
	struct task_clock *c;
	__u64 now = 0;

	t = bpf_map_lookup_elem(&tasks, &prev_tid);
	if (t && t->clock.open) {
		now = bpf_ktime_get_ns();
		t->clock.out_at = now;
	}
	t = bpf_map_lookup_elem(&tasks, &next_tid);
	if (!t || !t->clock.out_at)
		return 0;
	c = &t->clock;
	if (!now)
		now = bpf_ktime_get_ns();
	c->offcpu += now - c->out_at;
	c->out_at = 0;
	return 0;
}
