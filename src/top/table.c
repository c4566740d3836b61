// SPDX-License-Identifier: GPL-2.0
/*
 * Top's tables: a fixed pool of entries with an LRU order over them, so
 * that the oldest can go when it is full, indexed by util/hash.
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

struct top_table *table_new(__u32 cap, size_t esize)
{
	struct top_table *t = calloc(1, sizeof(*t));
	__u32 i;

	if (!t)
		return NULL;
	/* sized for every entry: it never grows, so no insert fails */
	t->ent = calloc(cap, esize);
	if (!t->ent || hash_init(&t->idx, cap)) {
		free(t->ent);
		free(t);
		return NULL;
	}
	t->esize = esize;
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
	hash_free(&t->idx);
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
	__u32 i = hash_get(&t->idx, k.ino, k.at, k.dev);

	return i == HASH_NONE ? NULL : node_at(t, i);
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
	__u32 i = t->free;
	struct top_node *n = node_at(t, i);

	t->free = n->next;
	memset(n, 0, t->esize);
	n->key = k;
	n->used = 1;
	hash_put(&t->idx, k.ino, k.at, k.dev, i);
	lru_push(t, n);
	t->count++;
	return n;
}

void table_remove(struct top_table *t, struct top_node *n)
{
	__u32 i = node_num(t, n);

	hash_del(&t->idx, n->key.ino, n->key.at, n->key.dev);
	lru_unlink(t, n);
	n->used = 0;
	n->next = t->free;
	t->free = i;
	t->count--;
}
