// SPDX-License-Identifier: GPL-2.0
/*
 * The one hash table of top: fixed capacity, open addressing, an LRU
 * order over the entries so that the oldest can go when it is full.
 */
#include <stdlib.h>
#include <string.h>
#include "top/table.h"

#define NIL UINT32_MAX

struct top_node *node_at(const struct top_table *t, __u32 i)
{
	return (struct top_node *)(t->ent + (size_t)i * t->esize);
}

__u32 node_num(const struct top_table *t, const struct top_node *n)
{
	return ((const char *)n - t->ent) / t->esize;
}

static __u32 key_hash(struct top_key k)
{
	__u64 h = k.ino * 0x9e3779b97f4a7c15ULL;

	h ^= (k.at + 0x632be59bd9b4e019ULL) * 0xbf58476d1ce4e5b9ULL;
	h ^= (k.dev + 1ULL) * 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (__u32)(h ^ (h >> 29));
}

static __u32 home_slot(const struct top_table *t, const struct top_node *n)
{
	return key_hash(n->key) & t->mask;
}

struct top_table *table_new(__u32 cap, size_t esize)
{
	struct top_table *t = calloc(1, sizeof(*t));
	__u32 slots = 1, i;

	if (!t)
		return NULL;
	/* at most half full: probes stay short */
	while (slots < cap * 2)
		slots <<= 1;
	t->ent = calloc(cap, esize);
	t->idx = malloc(slots * sizeof(*t->idx));
	if (!t->ent || !t->idx) {
		free(t->ent);
		free(t->idx);
		free(t);
		return NULL;
	}
	memset(t->idx, 0xff, slots * sizeof(*t->idx));
	t->esize = esize;
	t->mask = slots - 1;
	t->cap = cap;
	t->head = t->tail = NIL;
	for (i = 0; i < cap; i++)
		node_at(t, i)->next = i + 1 < cap ? i + 1 : NIL;
	t->free = 0;
	return t;
}

void table_free(struct top_table *t)
{
	if (!t)
		return;
	free(t->ent);
	free(t->idx);
	free(t);
}

static void lru_unlink(struct top_table *t, struct top_node *n)
{
	if (n->prev != NIL)
		node_at(t, n->prev)->next = n->next;
	else
		t->head = n->next;
	if (n->next != NIL)
		node_at(t, n->next)->prev = n->prev;
	else
		t->tail = n->prev;
}

static void lru_push(struct top_table *t, struct top_node *n)
{
	__u32 i = node_num(t, n);

	n->prev = NIL;
	n->next = t->head;
	if (t->head != NIL)
		node_at(t, t->head)->prev = i;
	t->head = i;
	if (t->tail == NIL)
		t->tail = i;
}

void table_touch(struct top_table *t, struct top_node *n)
{
	if (t->head == node_num(t, n))
		return;
	lru_unlink(t, n);
	lru_push(t, n);
}

struct top_node *table_find(const struct top_table *t, struct top_key k)
{
	__u32 s = key_hash(k) & t->mask;
	struct top_node *n;

	for (; t->idx[s] != NIL; s = (s + 1) & t->mask) {
		n = node_at(t, t->idx[s]);
		if (n->key.ino == k.ino && n->key.at == k.at &&
		    n->key.dev == k.dev)
			return n;
	}
	return NULL;
}

struct top_node *table_oldest(const struct top_table *t)
{
	return t->tail == NIL ? NULL : node_at(t, t->tail);
}

bool table_full(const struct top_table *t)
{
	return t->count == t->cap;
}

/* A zeroed entry for a key that is not in the table; the table has room. */
struct top_node *table_insert(struct top_table *t, struct top_key k)
{
	__u32 i = t->free, s = key_hash(k) & t->mask;
	struct top_node *n = node_at(t, i);

	t->free = n->next;
	memset(n, 0, t->esize);
	n->key = k;
	n->used = 1;
	while (t->idx[s] != NIL)
		s = (s + 1) & t->mask;
	t->idx[s] = i;
	lru_push(t, n);
	t->count++;
	return n;
}

/* Is h cyclically in (lo, hi]? */
static bool in_run(__u32 h, __u32 lo, __u32 hi)
{
	return lo <= hi ? (h > lo && h <= hi) : (h > lo || h <= hi);
}

/*
 * Linear probing without tombstones: close the gap by moving back every
 * later entry of the run whose home slot is not between the gap and it.
 */
void table_remove(struct top_table *t, struct top_node *n)
{
	__u32 i = node_num(t, n), s = home_slot(t, n), j;

	while (t->idx[s] != i)
		s = (s + 1) & t->mask;
	t->idx[s] = NIL;
	for (j = (s + 1) & t->mask; t->idx[j] != NIL; j = (j + 1) & t->mask) {
		if (in_run(home_slot(t, node_at(t, t->idx[j])), s, j))
			continue;
		t->idx[s] = t->idx[j];
		t->idx[j] = NIL;
		s = j;
	}
	lru_unlink(t, n);
	n->used = 0;
	n->next = t->free;
	t->free = i;
	t->count--;
}
