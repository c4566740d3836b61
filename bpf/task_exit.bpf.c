// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Frees the state of a task (its entry slots and clock) as it exits. The
 * table is a plain hash that never evicts: an evicted slot of a call
 * still in flight would lose that call's exit without a trace, where a
 * full table refuses the insert and counts it. Slots stay from call to
 * call for speed, so without this the tasks long gone would fill the
 * table.
 */
#include "common.bpf.h"

/*
 * sched_process_exit fires in do_exit() for every task, threads too, in
 * the exiting task's context: no entry of this tid can run concurrently,
 * so deleting its slots races with nothing. Its arguments changed over
 * the years (6.16 added group_dead); none is read.
 */
SEC("tracepoint/sched/sched_process_exit")
int ds_task_exit(void *ctx)
{
	__u32 tid = current_tid();

	bpf_map_delete_elem(&tasks, &tid);
	return 0;
}
