// SPDX-License-Identifier: GPL-2.0
/*
 * Aggregation for `dioscope top`. Three fixed tables share one small
 * hash-with-LRU implementation: inodes (counts), open DIO windows (keyed
 * by inode and byte offset, which both ends of a window carry on every
 * tier), and the boundaries the open windows need (keyed by inode and
 * logical block, where merges and splits report theirs). Pairing a
 * wasted merge with its split is churn.c's, as in the offline analysis;
 * here the owner of a pending merge is the boundary's table entry, so it
 * waits as long as any open window needs that boundary.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace/planner.h"
#include "top/agg.h"

#define NIL UINT32_MAX
#define DEFAULT_CAP 4096
#define DEFAULT_BLKBITS 12
#define IOMAP_WRITE_FLAG (1u << 0)	/* include/linux/iomap.h */
/*
 * A DIO that fails before it completes (an early error, a NOWAIT retry)
 * leaves no completion: its window must not keep boundaries "needed"
 * forever. Real IO is not in flight this long.
 */
#define WINDOW_MAX_AGE_NS (30 * 1000000000ULL)

const struct top_col_def top_cols[TOP_C_MAX] = {
	[TOP_C_WRITES] = { "WR/s", "wr/s", "writes", "writes/s", 'w' },
	[TOP_C_READS] = { "RD/s", "rd/s", "reads", "reads/s", 'r' },
	[TOP_C_PRE_IO] = { "PREIO/s", "pre_io/s", "pre_io", "PRE_IO splits/s", 's' },
	[TOP_C_CONV] = { "CONV/s", "conv/s", "conv", "conversions/s", 'c' },
	[TOP_C_MERGES] = { "MERGE/s", "merge/s", "merges", "merges/s", 'm' },
	[TOP_C_CHURN] = { "CHURN/s", "churn/s", "churn", "churn pairs/s", 'p' },
	[TOP_C_WASTE] = { "WASTEus/s", "waste_us/s", "waste_us", "wasted us/s", 'x' },
	[TOP_C_P50] = { "CONVp50", "conv_p50_us", "conv_p50_us", "conversion p50", 'l' },
	[TOP_C_P99] = { "CONVp99", "conv_p99_us", "conv_p99_us", "conversion p99", 'L' },
	[TOP_C_UNWRITTEN] = { "UNWR", "unwritten", "unwritten", "unwritten extents seen", 'u' },
};

/* The count behind each column; -1 for the latency columns. */
static const int col_count[TOP_C_MAX] = {
	[TOP_C_WRITES] = TOP_N_WRITES, [TOP_C_READS] = TOP_N_READS,
	[TOP_C_PRE_IO] = TOP_N_PRE_IO, [TOP_C_CONV] = TOP_N_CONV,
	[TOP_C_MERGES] = TOP_N_MERGES, [TOP_C_CHURN] = TOP_N_CHURN,
	[TOP_C_WASTE] = TOP_N_WASTE_NS, [TOP_C_P50] = -1, [TOP_C_P99] = -1,
	[TOP_C_UNWRITTEN] = TOP_N_UNWRITTEN,
};

int top_col_count(int col)
{
	return col >= 0 && col < TOP_C_MAX ? col_count[col] : -1;
}

/* ---- fixed hash table with LRU order -------------------------------- */

struct top_node {
	__u64 k0, k1;
	__u32 k2;
	__u32 prev, next;	/* LRU list, most recent at head; free list */
	__u32 used;
};

struct top_table {
	char *ent;
	size_t esize;
	__u32 *idx;		/* open addressing: entry numbers, NIL empty */
	__u32 mask;
	__u32 cap, count;
	__u32 free, head, tail;
};

static struct top_node *node_at(const struct top_table *t, __u32 i)
{
	return (struct top_node *)(t->ent + (size_t)i * t->esize);
}

static __u32 node_num(const struct top_table *t, const struct top_node *n)
{
	return ((const char *)n - t->ent) / t->esize;
}

static __u32 key_hash(__u64 k0, __u64 k1, __u32 k2)
{
	__u64 h = k0 * 0x9e3779b97f4a7c15ULL;

	h ^= (k1 + 0x632be59bd9b4e019ULL) * 0xbf58476d1ce4e5b9ULL;
	h ^= (k2 + 1ULL) * 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (__u32)(h ^ (h >> 29));
}

static __u32 home_slot(const struct top_table *t, const struct top_node *n)
{
	return key_hash(n->k0, n->k1, n->k2) & t->mask;
}

static struct top_table *table_new(__u32 cap, size_t esize)
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

static void table_free(struct top_table *t)
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

static void table_touch(struct top_table *t, struct top_node *n)
{
	if (t->head == node_num(t, n))
		return;
	lru_unlink(t, n);
	lru_push(t, n);
}

static struct top_node *table_find(const struct top_table *t, __u64 k0,
				   __u64 k1, __u32 k2)
{
	__u32 s = key_hash(k0, k1, k2) & t->mask;
	struct top_node *n;

	for (; t->idx[s] != NIL; s = (s + 1) & t->mask) {
		n = node_at(t, t->idx[s]);
		if (n->k0 == k0 && n->k1 == k1 && n->k2 == k2)
			return n;
	}
	return NULL;
}

static struct top_node *table_oldest(const struct top_table *t)
{
	return t->tail == NIL ? NULL : node_at(t, t->tail);
}

static bool table_full(const struct top_table *t)
{
	return t->count == t->cap;
}

/* A zeroed entry for a key that is not in the table; the table has room. */
static struct top_node *table_insert(struct top_table *t, __u64 k0, __u64 k1,
				     __u32 k2)
{
	__u32 i = t->free, s = key_hash(k0, k1, k2) & t->mask;
	struct top_node *n = node_at(t, i);

	t->free = n->next;
	memset(n, 0, t->esize);
	n->k0 = k0;
	n->k1 = k1;
	n->k2 = k2;
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
static void table_remove(struct top_table *t, struct top_node *n)
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

/* ---- latency ------------------------------------------------------- */

#define SUB_MASK ((1u << TOP_LAT_SUB_BITS) - 1)

unsigned int top_lat_bucket(__u64 ns)
{
	unsigned int exp;

	if (ns <= SUB_MASK)
		return ns;
	exp = 63 - __builtin_clzll(ns);
	if (exp >= TOP_LAT_MAX_EXP)
		return TOP_LAT_BUCKETS - 1;
	return ((exp - TOP_LAT_SUB_BITS + 1) << TOP_LAT_SUB_BITS) +
	       ((ns >> (exp - TOP_LAT_SUB_BITS)) & SUB_MASK);
}

/* The middle of a bucket: within half a bucket (1/16) of any value in it. */
static __u64 bucket_mid(unsigned int i)
{
	unsigned int exp;

	if (i <= SUB_MASK)
		return i;
	exp = (i >> TOP_LAT_SUB_BITS) + TOP_LAT_SUB_BITS - 1;
	return ((__u64)((1u << TOP_LAT_SUB_BITS) | (i & SUB_MASK))
		<< (exp - TOP_LAT_SUB_BITS)) +
	       ((1ULL << (exp - TOP_LAT_SUB_BITS)) >> 1);
}

void top_lat_add(struct top_lat *h, __u64 ns)
{
	h->b[top_lat_bucket(ns)]++;
	if (!h->n || ns < h->min_ns)
		h->min_ns = ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
	h->n++;
	h->sum_ns += ns;
}

__u64 top_lat_pct(const struct top_lat *h, double pct)
{
	__u64 rank, seen = 0, v;
	unsigned int i;

	if (!h->n)
		return 0;
	rank = (__u64)(pct / 100.0 * h->n);
	if ((double)rank < pct / 100.0 * h->n)
		rank++;
	/* the smallest and the largest value are known exactly */
	if (rank <= 1)
		return h->min_ns;
	if (rank >= h->n)
		return h->max_ns;
	for (i = 0; i < TOP_LAT_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank)
			break;
	}
	v = bucket_mid(i < TOP_LAT_BUCKETS ? i : TOP_LAT_BUCKETS - 1);
	/* the exact extremes beat the bucket's middle */
	if (v < h->min_ns)
		v = h->min_ns;
	if (v > h->max_ns)
		v = h->max_ns;
	return v;
}

double top_rate(__u64 count, __u64 span_ns)
{
	return span_ns ? count * 1e9 / span_ns : 0.0;
}

/* ---- what can be seen ---------------------------------------------- */

static void why_add(struct top_caps *c, const char *cols, const char *what,
		    const char *detail)
{
	size_t used = strlen(c->why);

	snprintf(c->why + used, sizeof(c->why) - used, "%s%s: %s%s%s%s",
		 used ? "; " : "", cols, what, detail ? " (" : "",
		 detail ? detail : "", detail ? ")" : "");
}

void top_caps_from_plan(const struct plan *p, struct top_caps *c)
{
	const struct target_plan *t = p->t;
	bool sub = t[DS_T_DIO_RW].tier || t[DS_T_LEGACY_DIO].tier;
	bool done = t[DS_T_DIO_COMPLETE].tier || t[DS_T_LEGACY_DIO].tier;
	bool map = t[DS_T_MAP_BLOCKS].tier;
	bool merge = t[DS_T_MERGE_RIGHT].tier, split = t[DS_T_SPLIT].tier;
	bool timed = t[DS_T_MERGE_RIGHT].tier != DS_TIER_TRACEPOINT &&
		     t[DS_T_SPLIT].tier != DS_TIER_TRACEPOINT;

	memset(c, 0, sizeof(*c));
	c->col[TOP_C_WRITES] = c->col[TOP_C_READS] = sub || done;
	c->dio_at_submit = !done;
	c->col[TOP_C_PRE_IO] = c->col[TOP_C_CONV] = map;
	c->col[TOP_C_P50] = c->col[TOP_C_P99] = map;
	c->col[TOP_C_MERGES] = merge;
	/* a churn pair needs the windows open and closed, merges and splits */
	c->col[TOP_C_CHURN] = merge && split && sub && done;
	c->col[TOP_C_WASTE] = c->col[TOP_C_CHURN] && timed;
	c->unwritten_from_iomap = t[DS_T_IOMAP_BEGIN].tier;
	c->col[TOP_C_UNWRITTEN] = c->unwritten_from_iomap || map;

	if (!sub && !done)
		why_add(c, "WR/RD", "direct IO not traced", NULL);
	if (!map)
		why_add(c, "PREIO/CONV", "ext4_ext_map_blocks not traced",
			t[DS_T_MAP_BLOCKS].detail);
	if (!merge)
		why_add(c, "MERGE/CHURN/WASTE",
			"merges need fentry, kprobes or the patched kernel's tracepoints",
			t[DS_T_MERGE_RIGHT].detail);
	else if (!split)
		why_add(c, "CHURN/WASTE", "ext4_split_extent_at not traced",
			t[DS_T_SPLIT].detail);
	else if (!sub || !done)
		why_add(c, "CHURN/WASTE", "DIO windows not traced", NULL);
	else if (!timed)
		why_add(c, "WASTE", "merge/split tracepoints carry no duration",
			NULL);
}

/* ---- the aggregate ------------------------------------------------- */

struct top_inode {
	struct top_node node;	/* ino, 0, dev */
	__u64 cur[TOP_N_MAX], tot[TOP_N_MAX];
	struct top_lat cur_lat, tot_lat;
	__u64 last_ns;
	bool active;		/* counted something this interval */
};

/* A direct IO between submission and completion. */
struct top_window {
	struct top_node node;	/* ino, byte offset, dev */
	__u64 first, end;	/* blocks [first, end) */
	__u64 opened_ns;	/* kernel clock: CLOCK_MONOTONIC */
	__u32 refs;		/* IOs open at this offset */
	bool write;
	bool wb;		/* a writeback IO's, until its conversion */
};

/* An extent boundary that open windows start or end at. */
struct top_bound {
	struct top_node node;	/* ino, logical block, dev */
	__u32 refs;
};

int top_agg_init(struct top_agg *a, const struct top_agg_conf *conf,
		 const struct top_caps *caps, __u64 now_ns)
{
	unsigned int ni = conf && conf->inodes ? conf->inodes : DEFAULT_CAP;
	unsigned int nw = conf && conf->windows ? conf->windows : DEFAULT_CAP;

	memset(a, 0, sizeof(*a));
	a->caps = *caps;
	a->inodes = table_new(ni, sizeof(struct top_inode));
	a->windows = table_new(nw, sizeof(struct top_window));
	/* each window needs two boundaries */
	a->bounds = table_new(nw * 2, sizeof(struct top_bound));
	a->all = calloc(1, sizeof(*a->all));
	/* room for a pending merge per boundary: no allocation per event */
	a->churn.p = calloc(nw * 2, sizeof(*a->churn.p));
	a->churn.cap = nw * 2;
	a->tick_ns = a->start_ns = now_ns;
	if (!a->inodes || !a->windows || !a->bounds || !a->all ||
	    !a->churn.p) {
		top_agg_free(a);
		return -ENOMEM;
	}
	return 0;
}

void top_agg_free(struct top_agg *a)
{
	table_free(a->inodes);
	table_free(a->windows);
	table_free(a->bounds);
	churn_free(&a->churn);
	free(a->all);
	a->inodes = a->windows = a->bounds = NULL;
	a->all = NULL;
}

void top_agg_set_blkbits(struct top_agg *a, __u32 dev, unsigned int bits)
{
	unsigned int i, n = sizeof(a->blkbits) / sizeof(a->blkbits[0]);

	for (i = 0; i < n; i++) {
		if (a->blkbits[i].dev == dev || !a->blkbits[i].bits)
			break;
	}
	if (i == n)
		i = dev % n;	/* more devices than slots: share */
	a->blkbits[i].dev = dev;
	a->blkbits[i].bits = bits;
}

static int blkbits_slot(const struct top_agg *a, __u32 dev)
{
	unsigned int i, n = sizeof(a->blkbits) / sizeof(a->blkbits[0]);

	for (i = 0; i < n && a->blkbits[i].bits; i++) {
		if (a->blkbits[i].dev == dev)
			return i;
	}
	return -1;
}

bool top_agg_knows_dev(const struct top_agg *a, __u32 dev)
{
	return blkbits_slot(a, dev) >= 0;
}

static unsigned int blkbits(const struct top_agg *a, __u32 dev)
{
	int i = blkbits_slot(a, dev);

	return i < 0 ? DEFAULT_BLKBITS : a->blkbits[i].bits;
}

static struct top_inode *inode_get(struct top_agg *a, __u32 dev, __u64 ino)
{
	struct top_node *n = table_find(a->inodes, ino, 0, dev);

	if (n) {
		table_touch(a->inodes, n);
		return (struct top_inode *)n;
	}
	if (table_full(a->inodes)) {
		/* its counts stay in the row of all inodes */
		table_remove(a->inodes, table_oldest(a->inodes));
		a->evicted++;
	}
	return (struct top_inode *)table_insert(a->inodes, ino, 0, dev);
}

static void count(struct top_agg *a, struct top_inode *in, enum top_count k,
		  __u64 v)
{
	in->cur[k] += v;
	in->tot[k] += v;
	in->active = true;
	a->all->cur[k] += v;
	a->all->tot[k] += v;
}

static void count_lat(struct top_agg *a, struct top_inode *in, __u64 ns)
{
	top_lat_add(&in->cur_lat, ns);
	top_lat_add(&in->tot_lat, ns);
	top_lat_add(&a->all->cur_lat, ns);
	top_lat_add(&a->all->tot_lat, ns);
}

/* The boundary is not needed any more: a pending merge is no pair. */
static void bound_remove(struct top_agg *a, struct top_node *n)
{
	churn_forget_io(&a->churn, node_num(a->bounds, n));
	table_remove(a->bounds, n);
}

static void bound_get(struct top_agg *a, __u32 dev, __u64 ino, __u64 lblk)
{
	struct top_node *n = table_find(a->bounds, ino, lblk, dev);

	if (!n) {
		if (table_full(a->bounds))
			bound_remove(a, table_oldest(a->bounds));
		n = table_insert(a->bounds, ino, lblk, dev);
	}
	table_touch(a->bounds, n);
	((struct top_bound *)n)->refs++;
}

static void bound_put(struct top_agg *a, __u32 dev, __u64 ino, __u64 lblk)
{
	struct top_bound *b;

	b = (struct top_bound *)table_find(a->bounds, ino, lblk, dev);
	if (b && !--b->refs)
		bound_remove(a, &b->node);
}

static void window_put(struct top_agg *a, struct top_window *w)
{
	__u32 dev = w->node.k2;
	__u64 ino = w->node.k0;

	bound_put(a, dev, ino, w->first);
	bound_put(a, dev, ino, w->end);
	if (!--w->refs)
		table_remove(a->windows, &w->node);
}

static void window_open(struct top_agg *a, const struct ds_event *e)
{
	unsigned int bits = blkbits(a, e->dev);
	struct top_window *w;
	struct top_node *n;

	if (!e->len)
		return;
	n = table_find(a->windows, e->ino, e->pos, e->dev);
	if (!n) {
		/* a completion we never saw: the oldest window goes */
		while (table_full(a->windows)) {
			window_put(a, (struct top_window *)table_oldest(a->windows));
			a->windows_dropped++;
		}
		n = table_insert(a->windows, e->ino, e->pos, e->dev);
		w = (struct top_window *)n;
		w->first = e->pos >> bits;
		w->end = (e->pos + e->len + (1ULL << bits) - 1) >> bits;
		w->opened_ns = e->ts_ns;
	}
	w = (struct top_window *)n;
	w->refs++;
	if (e->flags & DS_DIO_WRITE)
		w->write = true;
	bound_get(a, e->dev, e->ino, w->first);
	bound_get(a, e->dev, e->ino, w->end);
}

static void on_submit(struct top_agg *a, struct top_inode *in,
		      const struct ds_event *e)
{
	if (a->caps.dio_at_submit)
		count(a, in, e->flags & DS_DIO_WRITE ? TOP_N_WRITES :
						       TOP_N_READS, 1);
	window_open(a, e);
}

static void on_complete(struct top_agg *a, struct top_inode *in,
			const struct ds_event *e)
{
	struct top_window *w;
	bool write = e->flags & DS_DIO_WRITE;

	w = (struct top_window *)table_find(a->windows, e->ino, e->pos, e->dev);
	if (w) {
		write |= w->write;
		window_put(a, w);
	}
	if (!a->caps.dio_at_submit)
		count(a, in, write ? TOP_N_WRITES : TOP_N_READS, 1);
}

/*
 * Some tiers cannot tell a direct write from a read at submission; the
 * filesystem's mapping call for the window's first block can.
 */
static void on_iomap(struct top_agg *a, struct top_inode *in,
		     const struct ds_event *e)
{
	struct top_window *w;

	if (e->flags & IOMAP_WRITE_FLAG) {
		w = (struct top_window *)table_find(a->windows, e->ino, e->pos,
						    e->dev);
		if (w)
			w->write = true;
	}
	if (a->caps.unwritten_from_iomap && !e->ret &&
	    e->aux0 == DS_IOMAP_UNWRITTEN)
		count(a, in, TOP_N_UNWRITTEN, 1);
}

/*
 * A writeback IO that writeback's allocation left unwritten needs its
 * boundaries until its conversion, as a direct write does: a window from
 * the mapping to the conversion of its first block.
 */
static void wb_window(struct top_agg *a, const struct ds_event *e)
{
	unsigned int bits = blkbits(a, e->dev);
	struct ds_event w = *e;
	struct top_window *win;

	w.pos = e->pos << bits;
	if (e->flags & DS_GET_BLOCKS_CONVERT) {
		win = (struct top_window *)table_find(a->windows, e->ino, w.pos,
						      e->dev);
		if (win && win->wb)
			window_put(a, win);
		return;
	}
	if (!(e->aux0 & DS_MAP_UNWRITTEN))
		return;
	w.len = (__u64)e->ret << bits;
	w.flags = DS_DIO_WRITE;
	window_open(a, &w);
	win = (struct top_window *)table_find(a->windows, e->ino, w.pos, e->dev);
	if (win)
		win->wb = true;
}

static void on_map_blocks(struct top_agg *a, struct top_inode *in,
			  const struct ds_event *e)
{
	if ((e->flags & DS_GET_BLOCKS_IO_SUBMIT) && e->ret > 0)
		wb_window(a, e);
	if (e->flags & DS_GET_BLOCKS_PRE_IO)
		count(a, in, TOP_N_PRE_IO, 1);
	if (e->flags & DS_GET_BLOCKS_CONVERT) {
		count(a, in, TOP_N_CONV, 1);
		if (e->dur_ns)
			count_lat(a, in, e->dur_ns);
		return;
	}
	if (!a->caps.unwritten_from_iomap && e->ret > 0 &&
	    (e->aux0 & DS_MAP_UNWRITTEN))
		count(a, in, TOP_N_UNWRITTEN, 1);
}

/*
 * Every needed boundary has an entry, so the table answers whether an
 * open window starts or ends here (churn_needs() for each would mean a
 * walk over all windows of the inode).
 */
static void on_merge(struct top_agg *a, struct top_inode *in,
		     const struct ds_event *e)
{
	struct top_node *n;

	if (!(e->flags & DS_MERGE_DONE))
		return;
	/* one call can merge several pairs in a row */
	count(a, in, TOP_N_MERGES, e->aux2 ? e->aux2 : 1);
	n = table_find(a->bounds, e->ino, e->pos, e->dev);
	if (n && ((struct top_bound *)n)->refs)
		churn_note_merge(&a->churn, e->dev, e->ino, e->pos,
				 node_num(a->bounds, n), e->dur_ns, e->ts_ns);
}

static void on_split(struct top_agg *a, struct top_inode *in,
		     const struct ds_event *e)
{
	__u64 merge_ns;
	__u32 owner;

	if (e->ret < 0)
		return;
	if (!churn_take_split(&a->churn, e->dev, e->ino, e->pos, &owner,
			      &merge_ns))
		return;
	count(a, in, TOP_N_CHURN, 1);
	count(a, in, TOP_N_WASTE_NS, merge_ns + e->dur_ns);
}

void top_agg_add(struct top_agg *a, const struct ds_event *e)
{
	struct top_inode *in;

	a->events++;
	a->events_total++;
	if (!e->ino)
		return;
	in = inode_get(a, e->dev, e->ino);
	in->last_ns = e->ts_ns;
	switch (e->type) {
	case DS_EV_DIO_SUBMIT:
		on_submit(a, in, e);
		break;
	case DS_EV_DIO_COMPLETE:
		on_complete(a, in, e);
		break;
	case DS_EV_IOMAP_BEGIN:
		on_iomap(a, in, e);
		break;
	case DS_EV_MAP_BLOCKS:
		on_map_blocks(a, in, e);
		break;
	case DS_EV_MERGE:
		on_merge(a, in, e);
		break;
	case DS_EV_SPLIT:
		on_split(a, in, e);
		break;
	}
}

/* ---- rows ---------------------------------------------------------- */

static void fill_row(struct top_row *r, const struct top_inode *in,
		     bool totals, __u64 span_ns)
{
	const struct top_lat *h = totals ? &in->tot_lat : &in->cur_lat;

	memset(r, 0, sizeof(*r));
	r->dev = in->node.k2;
	r->ino = in->node.k0;
	memcpy(r->n, totals ? in->tot : in->cur, sizeof(r->n));
	r->unwritten_total = in->tot[TOP_N_UNWRITTEN];
	r->p50_ns = top_lat_pct(h, 50);
	r->p99_ns = top_lat_pct(h, 99);
	r->span_ns = span_ns;
	r->last_ns = in->last_ns;
}

static void reset_interval(struct top_inode *in)
{
	memset(in->cur, 0, sizeof(in->cur));
	if (in->cur_lat.n)
		memset(&in->cur_lat, 0, sizeof(in->cur_lat));
	in->active = false;
}

/* Windows are in the order they opened: the oldest is at the tail. */
static void expire_windows(struct top_agg *a, __u64 now_ns)
{
	struct top_window *w;

	while ((w = (struct top_window *)table_oldest(a->windows)) &&
	       w->opened_ns + WINDOW_MAX_AGE_NS < now_ns) {
		window_put(a, w);
		a->windows_dropped++;
	}
}

int top_agg_tick(struct top_agg *a, __u64 now_ns, struct top_row *rows,
		 int max, struct top_row *all)
{
	__u64 span = now_ns > a->tick_ns ? now_ns - a->tick_ns : 0;
	struct top_inode *in;
	__u32 i;
	int n = 0;

	for (i = 0; i < a->inodes->cap; i++) {
		in = (struct top_inode *)node_at(a->inodes, i);
		if (!in->node.used || !in->active)
			continue;
		if (n < max)
			fill_row(&rows[n++], in, false, span);
		reset_interval(in);
	}
	fill_row(all, a->all, false, span);
	all->events = a->events;
	reset_interval(a->all);
	expire_windows(a, now_ns);
	a->events = 0;
	a->tick_ns = now_ns;
	return n;
}

int top_agg_totals(const struct top_agg *a, __u64 now_ns,
		   struct top_row *rows, int max, struct top_row *all)
{
	__u64 span = now_ns > a->start_ns ? now_ns - a->start_ns : 0;
	const struct top_inode *in;
	__u32 i, k;
	int n = 0;

	for (i = 0; i < a->inodes->cap && n < max; i++) {
		in = (const struct top_inode *)node_at(a->inodes, i);
		if (!in->node.used)
			continue;
		for (k = 0; k < TOP_N_MAX && !in->tot[k]; k++)
			;
		if (k < TOP_N_MAX)
			fill_row(&rows[n++], in, true, span);
	}
	fill_row(all, a->all, true, span);
	all->events = a->events_total;
	return n;
}

unsigned int top_agg_tracked(const struct top_agg *a)
{
	return a->inodes->count;
}

const struct top_lat *top_agg_lat_total(const struct top_agg *a)
{
	return &a->all->tot_lat;
}

/* ---- sorting ------------------------------------------------------- */

static __u64 sort_value(const struct top_row *r, int sort)
{
	switch (sort) {
	case TOP_C_P50:
		return r->p50_ns;
	case TOP_C_P99:
		return r->p99_ns;
	case TOP_C_UNWRITTEN:
		return r->unwritten_total;
	default:
		return r->n[col_count[sort]];
	}
}

static int cmp_u64(__u64 a, __u64 b)
{
	return a < b ? -1 : a > b;
}

static int cmp_rows(const void *pa, const void *pb, void *arg)
{
	const struct top_row *a = pa, *b = pb;
	int sort = *(const int *)arg, c = 0;

	if (sort != TOP_SORT_INODE)
		c = cmp_u64(sort_value(b, sort), sort_value(a, sort));
	if (!c)
		c = cmp_u64(a->dev, b->dev);
	return c ? c : cmp_u64(a->ino, b->ino);
}

void top_sort(struct top_row *rows, int n, int sort)
{
	if (sort < 0 || sort >= TOP_SORT_MAX)
		sort = TOP_SORT_INODE;
	qsort_r(rows, n, sizeof(*rows), cmp_rows, &sort);
}

int top_default_sort(const struct top_caps *caps)
{
	static const int pref[] = { TOP_C_WASTE, TOP_C_CHURN, TOP_C_CONV,
				    TOP_C_WRITES };
	unsigned int i;

	for (i = 0; i < sizeof(pref) / sizeof(pref[0]); i++) {
		if (caps->col[pref[i]])
			return pref[i];
	}
	return TOP_SORT_INODE;
}

int top_sort_by_key(int key)
{
	int c;

	if (key == 'i')
		return TOP_SORT_INODE;
	for (c = 0; c < TOP_C_MAX; c++) {
		if (top_cols[c].key == key)
			return c;
	}
	return -1;
}

const char *top_sort_name(int sort)
{
	if (sort >= 0 && sort < TOP_C_MAX)
		return top_cols[sort].what;
	return "inode";
}
