// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include "util/hash.h"

__u64 hash_mix(__u64 k1, __u64 k2, __u64 k3)
{
	/* a multiply-xorshift mix of each word, then of the whole */
	__u64 h = k1 * 0x9e3779b97f4a7c15ULL;

	h ^= (k2 + 0x632be59bd9b4e019ULL) * 0xbf58476d1ce4e5b9ULL;
	h ^= (k3 + 1ULL) * 0x94d049bb133111ebULL;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 29);
}

static size_t home(const struct hash_map *m, const struct hash_slot *s)
{
	return hash_mix(s->k1, s->k2, s->k3) & m->mask;
}

static int alloc_slots(struct hash_map *m, size_t cap)
{
	size_t i;

	m->s = malloc(cap * sizeof(*m->s));
	if (!m->s)
		return -ENOMEM;
	for (i = 0; i < cap; i++)
		m->s[i].val = HASH_NONE;
	m->mask = cap - 1;
	m->n = 0;
	return 0;
}

int hash_init(struct hash_map *m, size_t expect)
{
	size_t cap = 16;

	while (cap < expect * 2)
		cap *= 2;
	return alloc_slots(m, cap);
}

void hash_free(struct hash_map *m)
{
	free(m->s);
	m->s = NULL;
	m->mask = m->n = 0;
}

static size_t find(const struct hash_map *m, __u64 k1, __u64 k2, __u32 k3)
{
	size_t i = hash_mix(k1, k2, k3) & m->mask;

	while (m->s[i].val != HASH_NONE &&
	       (m->s[i].k1 != k1 || m->s[i].k2 != k2 || m->s[i].k3 != k3))
		i = (i + 1) & m->mask;
	return i;
}

__u32 hash_get(const struct hash_map *m, __u64 k1, __u64 k2, __u32 k3)
{
	return m->s[find(m, k1, k2, k3)].val;
}

static int grow(struct hash_map *m)
{
	struct hash_map old = *m;
	size_t i;

	if (alloc_slots(m, (old.mask + 1) * 2)) {
		*m = old;
		return -ENOMEM;
	}
	for (i = 0; i <= old.mask; i++) {
		const struct hash_slot *s = &old.s[i];

		if (s->val != HASH_NONE) {
			m->s[find(m, s->k1, s->k2, s->k3)] = *s;
			m->n++;
		}
	}
	free(old.s);
	return 0;
}

int hash_put(struct hash_map *m, __u64 k1, __u64 k2, __u32 k3, __u32 val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->mask + 1 && grow(m))
		return -ENOMEM;
	i = find(m, k1, k2, k3);
	if (m->s[i].val == HASH_NONE)
		m->n++;
	m->s[i] = (struct hash_slot){ .k1 = k1, .k2 = k2, .k3 = k3, .val = val };
	return 0;
}

/* Is h cyclically in (lo, hi]? */
static bool in_run(size_t h, size_t lo, size_t hi)
{
	return lo <= hi ? (h > lo && h <= hi) : (h > lo || h <= hi);
}

/*
 * The hole left behind at i is filled by each later entry of the probe
 * run whose home slot is not between the hole and it.
 */
static void del_at(struct hash_map *m, size_t i)
{
	size_t j;

	for (j = (i + 1) & m->mask; m->s[j].val != HASH_NONE;
	     j = (j + 1) & m->mask) {
		if (in_run(home(m, &m->s[j]), i, j))
			continue;
		m->s[i] = m->s[j];
		i = j;
	}
	m->s[i].val = HASH_NONE;
	m->n--;
}

bool hash_del(struct hash_map *m, __u64 k1, __u64 k2, __u32 k3)
{
	size_t i = find(m, k1, k2, k3);

	if (m->s[i].val == HASH_NONE)
		return false;
	del_at(m, i);
	return true;
}

bool hash_del_val(struct hash_map *m, __u64 k1, __u64 k2, __u32 k3,
		  __u32 val)
{
	size_t i = find(m, k1, k2, k3);

	/* an empty slot holds HASH_NONE, which no val is */
	if (m->s[i].val != val)
		return false;
	del_at(m, i);
	return true;
}
