// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A load generator for the self-benchmark, not part of dioscope's
 * tracing: each getppid() of the benchmark process emits `burst` events
 * through the same ring buffer path the real programs use, in whichever
 * tier is attached, so the collector and the per-event cost can be
 * measured without real IO.
 */
#include "common.bpf.h"

const volatile __u32 burst = 1;

static __always_inline int emit(__u8 tier)
{
	__u32 i;

	if (!task_wanted())
		return 0;
	for (i = 0; i < burst && i < 1024; i++) {
		struct ds_event *e = event_reserve(DS_EV_MAP_BLOCKS,
						   DS_T_MAP_BLOCKS, tier, 0, i);

		if (!e)
			continue;
		event_submit(e);
	}
	return 0;
}

SEC("tp/syscalls/sys_enter_getppid")
int tp_getppid(void *ctx)
{
	return emit(DS_TIER_TRACEPOINT);
}

SEC("fentry/__x64_sys_getppid")
int BPF_PROG(fentry_getppid)
{
	return emit(DS_TIER_FENTRY);
}

SEC("kprobe/__x64_sys_getppid")
int BPF_KPROBE(kprobe_getppid)
{
	return emit(DS_TIER_KPROBE);
}
