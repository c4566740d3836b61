/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Top's tables (the inodes counted, the names of files) are fixed pools
 * of entries in LRU order, found through the tree's hash table
 * (util/hash.h). An entry's struct begins with a struct top_node; the
 * table hands out zeroed entries of esize bytes.
 */
#ifndef DIOSCOPE_TOP_TABLE_H
#define DIOSCOPE_TOP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>
#include "util/hash.h"

/* What an entry is found by: an inode and a position in it (or 0). */
struct top_key {
	__u32 dev;
	__u64 ino;
	__u64 at;	/* a position in it, 0 when the inode is the key */
};

static inline struct top_key top_key(__u32 dev, __u64 ino, __u64 at)
{
	return (struct top_key){ .dev = dev, .ino = ino, .at = at };
}

struct top_node {
	struct top_key key;
	__u32 prev, next;	/* LRU list, most recent at head; free list */
	__u32 used;
};

struct top_table {
	char *ent;
	size_t esize;
	struct hash_map idx;	/* key -> entry number; never grows */
	__u32 cap, count;
	__u32 free, head, tail;
};

struct top_table *table_new(__u32 cap, size_t esize);
void table_free(struct top_table *t);
struct top_node *node_at(const struct top_table *t, __u32 i);
__u32 node_num(const struct top_table *t, const struct top_node *n);
/* Moves n to the head of the LRU order. */
void table_touch(struct top_table *t, struct top_node *n);
struct top_node *table_find(const struct top_table *t, struct top_key k);
/* The least recently touched entry, NULL when empty. */
struct top_node *table_oldest(const struct top_table *t);
bool table_full(const struct top_table *t);
/* A zeroed entry for a key that is not in the table; the table has room. */
struct top_node *table_insert(struct top_table *t, struct top_key k);
void table_remove(struct top_table *t, struct top_node *n);

#endif
