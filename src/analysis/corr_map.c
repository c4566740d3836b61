// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include "analysis/corr_map.h"

static size_t hash(__u64 k1, __u64 k2)
{
	/* a multiply-xorshift mix: iocb addresses and tids share low bits */
	__u64 h = k1 * 0x9e3779b97f4a7c15ULL ^ (k2 + 0x632be59bd9b4e019ULL);

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (size_t)h;
}

static int alloc_slots(struct corr_map *m, size_t cap)
{
	size_t i;

	m->s = malloc(cap * sizeof(*m->s));
	if (!m->s)
		return -ENOMEM;
	for (i = 0; i < cap; i++)
		m->s[i].val = CORR_MAP_NONE;
	m->mask = cap - 1;
	m->n = 0;
	return 0;
}

int corr_map_init(struct corr_map *m, size_t expect)
{
	size_t cap = 16;

	while (cap < expect * 2)
		cap *= 2;
	return alloc_slots(m, cap);
}

void corr_map_free(struct corr_map *m)
{
	free(m->s);
	m->s = NULL;
	m->mask = m->n = 0;
}

static size_t find(const struct corr_map *m, __u64 k1, __u64 k2)
{
	size_t i = hash(k1, k2) & m->mask;

	while (m->s[i].val != CORR_MAP_NONE &&
	       (m->s[i].k1 != k1 || m->s[i].k2 != k2))
		i = (i + 1) & m->mask;
	return i;
}

__u32 corr_map_get(const struct corr_map *m, __u64 k1, __u64 k2)
{
	return m->s[find(m, k1, k2)].val;
}

static int grow(struct corr_map *m)
{
	struct corr_map old = *m;
	size_t i;

	if (alloc_slots(m, (old.mask + 1) * 2)) {
		*m = old;
		return -ENOMEM;
	}
	for (i = 0; i <= old.mask; i++) {
		const struct corr_map_slot *s = &old.s[i];

		if (s->val != CORR_MAP_NONE) {
			m->s[find(m, s->k1, s->k2)] = *s;
			m->n++;
		}
	}
	free(old.s);
	return 0;
}

int corr_map_put(struct corr_map *m, __u64 k1, __u64 k2, __u32 val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->mask + 1 && grow(m))
		return -ENOMEM;
	i = find(m, k1, k2);
	if (m->s[i].val == CORR_MAP_NONE)
		m->n++;
	m->s[i] = (struct corr_map_slot){ .k1 = k1, .k2 = k2, .val = val };
	return 0;
}

/*
 * Deletion shifts the following entries of the probe run back, so that
 * no tombstones slow later lookups down.
 */
bool corr_map_del(struct corr_map *m, __u64 k1, __u64 k2)
{
	size_t i = find(m, k1, k2), j, home;

	if (m->s[i].val == CORR_MAP_NONE)
		return false;
	j = i;
	for (;;) {
		j = (j + 1) & m->mask;
		if (m->s[j].val == CORR_MAP_NONE)
			break;
		home = hash(m->s[j].k1, m->s[j].k2) & m->mask;
		/* move j into the hole unless its home lies in (i, j] */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && home <= i && home > j)) {
			m->s[i] = m->s[j];
			i = j;
		}
	}
	m->s[i].val = CORR_MAP_NONE;
	m->n--;
	return true;
}
