/* SPDX-License-Identifier: GPL-2.0 */
/* What perfetto.c collects and perfetto_write.c orders and writes. */
#ifndef DIOSCOPE_PERFETTO_INT_H
#define DIOSCOPE_PERFETTO_INT_H

#include <limits.h>
#include <stdio.h>
#include "export/perfetto.h"

enum pf_kind {
	PF_IO,		/* an IO's window */
	PF_CALL,	/* a traced call, on the track of the task that ran it */
	PF_CHILD,	/* ... again, nested in the async IO it was charged to */
	PF_POINT,	/* a split or a merge done: an instant */
	PF_FLOW_S,	/* a churn pair's merge ... */
	PF_FLOW_F,	/* ... and its split */
};

struct pf_item {
	__u64 begin, end;		/* ns */
	__u64 pos, len, ino;
	__u64 id;			/* IO: seq; flow: pair number */
	__u64 io;			/* call: seq + 1 of its IO, 0 none;
					 * PF_IO: churn pairs charged to it */
	__u64 lat;			/* PF_IO: completion - submission */
	__u64 cpu_ns;			/* call: on the CPU (corr_cpu_ns) */
	__u32 nested;			/* call: traced calls nested in it */
	__u32 pid, tid, dev, flags;
	__s64 ret;
	__u16 type;			/* ds_event_type; PF_IO: 0 */
	__u8 kind, target;
	__u8 state;			/* PF_IO: corr_io_state */
	__u8 clipped;			/* its end was moved to nest it */
	__u8 async;			/* PF_IO: drawn as an async slice */
};

struct pf_task {
	__u32 pid, tid;
	char comm[DS_COMM_LEN + 1];
};

struct perfetto {
	char path[PATH_MAX], label[256];
	struct pf_item *it;
	size_t n, cap;
	struct pf_task *task;
	size_t ntask, task_cap, last_task;
	__u64 last_ts, flows;
	struct corr_observer obs;
	int err;
};

struct pf_item *pf_add(struct perfetto *pf, enum pf_kind kind);
/* Nest the slices of each track, sort by time and write; 0 or -errno. */
int pf_write(struct perfetto *pf, FILE *f);

#endif
