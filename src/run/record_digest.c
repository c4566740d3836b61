// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>
#include "run/record_digest.h"

#define FIELDS_SEED 0x64696f73636f7065ULL	/* "dioscope" */

/* the multiplier and rotation of a 64-bit multiply-rotate mix */
#define K1 0x9e3779b97f4a7c15ULL
#define K2 0xc2b2ae3d27d4eb4fULL

static __u64 mix(__u64 h, __u64 v)
{
	h ^= v * K1;
	h = (h << 31) | (h >> 33);
	return h * K2;
}

__u64 record_digest_fields(__u64 h, const struct ds_event *e)
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

int record_digest_init(struct record_digest *d, enum record_digest_kind kind)
{
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	if (kind == RD_FIELDS) {
		d->h = FIELDS_SEED;
		return 0;
	}
	d->x = XXH3_createState();
	if (!d->x)
		return -ENOMEM;
	if (XXH3_64bits_reset(d->x) == XXH_ERROR) {
		record_digest_free(d);
		return -ENOMEM;
	}
	return 0;
}

void record_digest_event(struct record_digest *d, const struct ds_event *e)
{
	if (d->kind == RD_FIELDS)
		d->h = record_digest_fields(d->h, e);
}

void record_digest_bytes(struct record_digest *d, const void *p, size_t n)
{
	if (d->x)
		XXH3_64bits_update(d->x, p, n);
}

void record_digest_value(const struct record_digest *d, char *buf)
{
	if (d->kind == RD_FIELDS)
		snprintf(buf, RECORD_DIGEST_LEN, "%016llx",
			 (unsigned long long)d->h);
	else
		snprintf(buf, RECORD_DIGEST_LEN, "xxh3:%016llx",
			 d->x ? (unsigned long long)XXH3_64bits_digest(d->x) : 0);
}

void record_digest_free(struct record_digest *d)
{
	if (d->x)
		XXH3_freeState(d->x);
	d->x = NULL;
}
