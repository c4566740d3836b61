// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Frees the entry slots and the clock of a task as it exits. The entries
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
	struct entry_key k = { .tid = (__u32)bpf_get_current_pid_tgid() };
	__u32 t;

	for (t = 0; t < DS_T_MAX; t++) {
		k.target = t;
		bpf_map_delete_elem(&entries, &k);
	}
	bpf_map_delete_elem(&task_clocks, &k.tid);
	return 0;
}
