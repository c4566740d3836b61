/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one hash table of the tree: a key of up to three words (two of 64
 * bits, one of 32) to a 32-bit value, open addressing with linear
 * probing, deletion by moving the rest of the run back (no tombstones).
 * It doubles when it gets over half full; sized once for what it holds
 * at most, it never allocates again (top's tables). The correlator keys
 * its IOs by kiocb and task, its files by device and inode; top keys its
 * entries by device, inode and position.
 */
#ifndef DIOSCOPE_UTIL_HASH_H
#define DIOSCOPE_UTIL_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define HASH_NONE 0xffffffffu

struct hash_slot {
	__u64 k1, k2;
	__u32 k3;
	__u32 val;		/* HASH_NONE: empty */
};

struct hash_map {
	struct hash_slot *s;
	size_t mask, n;
};

/*
 * A mix of the three words into 64 bits: kiocb addresses and tids share
 * their low bits, inode numbers and offsets run in sequence.
 */
__u64 hash_mix(__u64 k1, __u64 k2, __u64 k3);

/* Room for `expect` keys before the first doubling. 0 or -ENOMEM. */
int hash_init(struct hash_map *m, size_t expect);
void hash_free(struct hash_map *m);
/* The value of a key, or HASH_NONE. */
__u32 hash_get(const struct hash_map *m, __u64 k1, __u64 k2, __u32 k3);
/* Insert or replace. 0 or -ENOMEM; val must not be HASH_NONE. */
int hash_put(struct hash_map *m, __u64 k1, __u64 k2, __u32 k3, __u32 val);
/* Remove a key; true if it was there. */
bool hash_del(struct hash_map *m, __u64 k1, __u64 k2, __u32 k3);
/* Remove a key only if it maps to val (one lookup); true if it did. */
bool hash_del_val(struct hash_map *m, __u64 k1, __u64 k2, __u32 k3,
		  __u32 val);

#endif
