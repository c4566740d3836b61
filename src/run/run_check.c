// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "run/run_check.h"

/* the multiplier and rotation of a 64-bit multiply-rotate mix */
#define K1 0x9e3779b97f4a7c15ULL
#define K2 0xc2b2ae3d27d4eb4fULL

static __u64 mix(__u64 h, __u64 v)
{
	h ^= v * K1;
	h = (h << 31) | (h >> 33);
	return h * K2;
}

__u64 run_digest_add(__u64 h, const struct ds_event *e)
{
	__u64 comm[DS_COMM_LEN / 8 + 1] = { 0 };

	h = mix(h, e->ts_ns);
	h = mix(h, e->dur_ns);
	h = mix(h, e->ino);
	h = mix(h, e->pos);
	h = mix(h, e->len);
	h = mix(h, e->aux0);
	h = mix(h, e->aux1);
	h = mix(h, (__u64)e->ret);
	h = mix(h, (__u64)e->dev << 32 | e->pid);
	h = mix(h, (__u64)e->tid << 32 | e->flags);
	h = mix(h, (__u64)e->aux2 << 32 | (__u64)e->type << 16 |
		   (__u64)e->target << 8 | e->tier);
	/* the name up to its end: what follows the NUL is not part of it */
	memcpy(comm, e->comm, strnlen(e->comm, DS_COMM_LEN));
	h = mix(h, comm[0]);
	return mix(h, comm[1]);
}

bool run_event_invalid(const struct ds_event *e)
{
	return !e->type || e->type >= DS_EV_TYPE_MAX || e->target >= DS_T_MAX ||
	       e->tier > DS_TIER_TRACEPOINT;
}

bool run_tier_known(const char *name)
{
	return !strcmp(name, "fentry") || !strcmp(name, "kprobe") ||
	       !strcmp(name, "tracepoint") || !strcmp(name, "-");
}
