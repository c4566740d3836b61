// SPDX-License-Identifier: GPL-2.0
/*
 * Aggregation for `dioscope top`. Three tables of top/table.c: inodes
 * (counts), open DIO windows (keyed
 * by inode and byte offset, which both ends of a window carry on every
 * tier), and the boundaries the open windows need (keyed by inode and
 * logical block, where merges and splits report theirs). Pairing a
 * wasted merge with its split is analysis/churn.c's, as in the offline analysis;
 * here the owner of a pending merge is the boundary's table entry, so it
 * waits as long as any open window needs that boundary.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/macros.h"
#include "event/aux.h"
#include "top/agg.h"
#include "top/table.h"

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
	[TOP_C_WB] = { "WB/s", "wb/s", "wb_ios", "writeback IOs/s", 'b' },
	[TOP_C_PRE_IO] = { "PREIO/s", "pre_io/s", "pre_io", "PRE_IO splits/s", 's' },
	[TOP_C_CONV] = { "CONV/s", "conv/s", "conv", "conversions/s", 'c' },
	[TOP_C_COMPL_SPLIT] = { "CSPLIT/s", "csplit/s", "csplit", "completion splits/s", 'S' },
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
	[TOP_C_WB] = TOP_N_WB_IOS,
	[TOP_C_PRE_IO] = TOP_N_PRE_IO, [TOP_C_CONV] = TOP_N_CONV,
	[TOP_C_COMPL_SPLIT] = TOP_N_COMPL_SPLITS,
	[TOP_C_MERGES] = TOP_N_MERGES, [TOP_C_CHURN] = TOP_N_CHURN,
	[TOP_C_WASTE] = TOP_N_WASTE_NS, [TOP_C_P50] = -1, [TOP_C_P99] = -1,
	[TOP_C_UNWRITTEN] = TOP_N_UNWRITTEN,
};

int top_col_count(int col)
{
	return col >= 0 && col < TOP_C_MAX ? col_count[col] : -1;
}

double top_rate(__u64 count, __u64 span_ns)
{
	return span_ns ? count * 1e9 / span_ns : 0.0;
}

/* ---- the aggregate ------------------------------------------------- */

struct top_inode {
	struct top_node node;	/* dev, ino, 0 */
	__u64 cur[TOP_N_MAX], tot[TOP_N_MAX];
	struct top_lat cur_lat, tot_lat;
	__u64 last_ns;
	bool active;		/* counted something this interval */
};

/* A direct IO between submission and completion. */
struct top_window {
	struct top_node node;	/* dev, ino, byte offset */
	__u64 first, end;	/* blocks [first, end) */
	__u64 opened_ns;	/* kernel clock: CLOCK_MONOTONIC */
	__u32 refs;		/* IOs open at this offset */
	bool write;
	bool wb;		/* a writeback IO's, until its conversion */
};

/* An extent boundary that open windows start or end at. */
struct top_bound {
	struct top_node node;	/* dev, ino, logical block */
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
	a->splits = calloc(1, sizeof(*a->splits));
	a->tick_ns = a->start_ns = now_ns;
	if (!a->inodes || !a->windows || !a->bounds || !a->all ||
	    !a->churn.p || !a->splits) {
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
	free(a->splits);
	a->inodes = a->windows = a->bounds = NULL;
	a->all = NULL;
	a->splits = NULL;
}

void top_agg_set_blkbits(struct top_agg *a, __u32 dev, unsigned int bits)
{
	unsigned int i, n = ARRAY_SIZE(a->blkbits);

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
	unsigned int i, n = ARRAY_SIZE(a->blkbits);

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
	struct top_node *n = table_find(a->inodes, top_key(dev, ino, 0));

	if (n) {
		table_touch(a->inodes, n);
		return (struct top_inode *)n;
	}
	if (table_full(a->inodes)) {
		/* its counts stay in the row of all inodes */
		table_remove(a->inodes, table_oldest(a->inodes));
		a->evicted++;
	}
	return (struct top_inode *)table_insert(a->inodes, top_key(dev, ino, 0));
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
	struct top_node *n = table_find(a->bounds, top_key(dev, ino, lblk));

	if (!n) {
		if (table_full(a->bounds))
			bound_remove(a, table_oldest(a->bounds));
		n = table_insert(a->bounds, top_key(dev, ino, lblk));
	}
	table_touch(a->bounds, n);
	((struct top_bound *)n)->refs++;
}

static void bound_put(struct top_agg *a, __u32 dev, __u64 ino, __u64 lblk)
{
	struct top_bound *b;

	b = (struct top_bound *)table_find(a->bounds, top_key(dev, ino, lblk));
	if (b && !--b->refs)
		bound_remove(a, &b->node);
}

static void window_put(struct top_agg *a, struct top_window *w)
{
	__u32 dev = w->node.key.dev;
	__u64 ino = w->node.key.ino;

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
	n = table_find(a->windows, top_key(e->dev, e->ino, e->pos));
	if (!n) {
		/* a completion we never saw: the oldest window goes */
		while (table_full(a->windows)) {
			window_put(a, (struct top_window *)table_oldest(a->windows));
			a->windows_dropped++;
		}
		n = table_insert(a->windows, top_key(e->dev, e->ino, e->pos));
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

	w = (struct top_window *)table_find(a->windows, top_key(e->dev, e->ino, e->pos));
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
		w = (struct top_window *)table_find(a->windows,
						    top_key(e->dev, e->ino, e->pos));
		if (w)
			w->write = true;
	}
	if (a->caps.unwritten_from_iomap && !e->ret &&
	    ds_iomap_type(e) == DS_IOMAP_UNWRITTEN)
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
		win = (struct top_window *)table_find(a->windows,
						      top_key(e->dev, e->ino, w.pos));
		if (win && win->wb)
			window_put(a, win);
		return;
	}
	if (!(ds_map_mflags(e) & DS_MAP_UNWRITTEN))
		return;
	w.len = (__u64)e->ret << bits;
	w.flags = DS_DIO_WRITE;
	window_open(a, &w);
	win = (struct top_window *)table_find(a->windows,
					      top_key(e->dev, e->ino, w.pos));
	if (win)
		win->wb = true;
}

static void on_map_blocks(struct top_agg *a, struct top_inode *in,
			  const struct ds_event *e)
{
	unsigned int splits;
	__u64 ns;

	/* the call claims its splits whether it converted or not */
	splits = split_ring_take(a->splits, e, &ns);
	if (splits && (e->flags & DS_GET_BLOCKS_CONVERT))
		count(a, in, TOP_N_COMPL_SPLITS, splits);
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
	    (ds_map_mflags(e) & DS_MAP_UNWRITTEN))
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
	count(a, in, TOP_N_MERGES, ds_merge_pairs_done(e));
	n = table_find(a->bounds, top_key(e->dev, e->ino, e->pos));
	if (n && ((struct top_bound *)n)->refs)
		churn_note_merge(&a->churn, e->dev, e->ino, e->pos,
				 node_num(a->bounds, n), e->dur_ns, e->ts_ns);
}

static void on_split(struct top_agg *a, struct top_inode *in,
		     const struct ds_event *e)
{
	__u64 merge_ns;
	__u32 owner;

	split_ring_add(a->splits, e);
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
	case DS_EV_WB_MAP:
		count(a, in, TOP_N_WB_IOS, 1);
		break;
	}
}

/* ---- rows ---------------------------------------------------------- */

static void fill_row(struct top_row *r, const struct top_inode *in,
		     bool totals, __u64 span_ns)
{
	const struct top_lat *h = totals ? &in->tot_lat : &in->cur_lat;

	memset(r, 0, sizeof(*r));
	r->dev = in->node.key.dev;
	r->ino = in->node.key.ino;
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

	for (i = 0; i < ARRAY_SIZE(pref); i++) {
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
