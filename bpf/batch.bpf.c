// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writes out the events a CPU holds (struct ds_batch), run by user space
 * on each CPU that holds some (BPF_PROG_TEST_RUN with
 * BPF_F_TEST_RUN_ON_CPU), every few milliseconds and at the end of a
 * run. It runs in an interrupt on that CPU: a program it interrupted
 * while filling the batch is left to write it.
 */
#include "common.bpf.h"

SEC("raw_tp")
int ds_batch_flush(void *ctx)
{
	struct ds_batch *b;
	__u32 zero = 0;

	b = bpf_map_lookup_elem(&batches, &zero);
	if (!b || !b->n)
		return 0;
	if (__sync_val_compare_and_swap(&b->held, 0, 1))
		return 0;
	batch_write(b);
	*(volatile __u64 *)&b->held = 0;
	return 0;
}
