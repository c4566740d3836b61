/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The correlator's hash table: two 64-bit words of key to a 32-bit value,
 * open addressing with linear probing. It is sized once for what a run
 * normally holds and doubles only when it gets over half full, so the hot
 * path never allocates.
 */
#ifndef DIOSCOPE_CORR_MAP_H
#define DIOSCOPE_CORR_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define CORR_MAP_NONE 0xffffffffu

struct corr_map_slot {
	__u64 k1, k2;
	__u32 val;		/* CORR_MAP_NONE: empty */
};

struct corr_map {
	struct corr_map_slot *s;
	size_t mask, n;
};

/* Room for about `expect` keys before the first doubling. 0 or -ENOMEM. */
int corr_map_init(struct corr_map *m, size_t expect);
void corr_map_free(struct corr_map *m);
/* The value of a key, or CORR_MAP_NONE. */
__u32 corr_map_get(const struct corr_map *m, __u64 k1, __u64 k2);
/* Insert or replace. 0 or -ENOMEM; val must not be CORR_MAP_NONE. */
int corr_map_put(struct corr_map *m, __u64 k1, __u64 k2, __u32 val);
/* Remove a key; true if it was there. */
bool corr_map_del(struct corr_map *m, __u64 k1, __u64 k2);

#endif
