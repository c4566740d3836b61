// SPDX-License-Identifier: GPL-2.0
/*
 * Aggregation for `dioscope top`: the correlator (analysis/correlator.c)
 * says what each event is, this unit counts it per inode in a table of
 * top/table.c and turns the counts into rows per interval.
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
/*
 * Events held back to be put in time order: CPUs race by a few, and a
 * per-IO record arrives at its IO's end, behind the events of the IOs
 * in flight beside it.
 */
#define ORDER_WINDOW 16384
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
	[TOP_C_WASTE_CPU] = { "CPUus/s", "cpu_us/s", "cpu_us", "wasted on-CPU us/s", 'X' },
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
	[TOP_C_WASTE] = TOP_N_WASTE_NS, [TOP_C_WASTE_CPU] = TOP_N_WASTE_CPU_NS,
	[TOP_C_P50] = -1, [TOP_C_P99] = -1,
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

static int on_io(void *ctx, const struct corr_io *io)
{
	struct top_agg *a = ctx;

	if (io->state == CORR_IO_SUPERSEDED)
		a->windows_dropped++;
	return 0;
}

static void on_event(void *ctx, const struct corr_event *ev);
static void on_churn(void *ctx, const struct corr_churn *pair);
static int released(void *ctx, const struct ds_event *e);

int top_agg_init(struct top_agg *a, const struct top_agg_conf *conf,
		 const struct top_caps *caps, __u64 now_ns)
{
	unsigned int ni = conf && conf->inodes ? conf->inodes : DEFAULT_CAP;
	unsigned int nw = conf && conf->windows ? conf->windows : DEFAULT_CAP;

	memset(a, 0, sizeof(*a));
	a->caps = *caps;
	a->inodes = table_new(ni, sizeof(struct top_inode));
	a->all = calloc(1, sizeof(*a->all));
	a->tick_ns = a->start_ns = now_ns;
	a->hold_ns = conf ? conf->hold_ns : 0;
	/* each frees what it took when it fails; the rest is freed here */
	if (!a->inodes || !a->all ||
	    corr_order_init(&a->order, ORDER_WINDOW, released, a) ||
	    correlator_init(&a->corr, DEFAULT_BLKBITS, nw, on_io, a)) {
		top_agg_free(a);
		return -ENOMEM;
	}
	a->obs = (struct corr_observer){
		.event = on_event, .churn = on_churn, .ctx = a,
	};
	a->corr.obs = &a->obs;
	a->corr.convert_traced = caps->convert_traced;
	return 0;
}

void top_agg_free(struct top_agg *a)
{
	table_free(a->inodes);
	corr_order_free(&a->order);
	correlator_free(&a->corr);
	free(a->all);
	a->inodes = NULL;
	a->all = NULL;
}

void top_agg_set_blkbits(struct top_agg *a, __u32 dev, unsigned int bits)
{
	correlator_set_blkbits(&a->corr, dev, bits);
}

bool top_agg_knows_dev(const struct top_agg *a, __u32 dev)
{
	return correlator_knows_dev(&a->corr, dev);
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

/* On the event's inode, unless it was evicted while held back. */
static void count(struct top_agg *a, enum top_count k, __u64 v)
{
	struct top_inode *in = a->cur;

	if (in) {
		in->cur[k] += v;
		in->tot[k] += v;
		in->active = true;
	}
	a->all->cur[k] += v;
	a->all->tot[k] += v;
}

static void count_lat(struct top_agg *a, __u64 ns)
{
	if (a->cur) {
		top_lat_add(&a->cur->cur_lat, ns);
		top_lat_add(&a->cur->tot_lat, ns);
	}
	top_lat_add(&a->all->cur_lat, ns);
	top_lat_add(&a->all->tot_lat, ns);
}

/*
 * Some tiers cannot tell a direct write from a read at submission; the
 * filesystem's mapping call for it can (the correlator notes it).
 */
static void on_complete(struct top_agg *a, const struct corr_event *ev)
{
	const struct corr_io *io = ev->io;
	bool write = ev->e->flags & DS_DIO_WRITE;

	if (io)
		write |= (io->flags & DS_DIO_WRITE) || io->iomap_write;
	count(a, write ? TOP_N_WRITES : TOP_N_READS, 1);
}

static void on_map_blocks(struct top_agg *a, const struct corr_event *ev)
{
	const struct ds_event *e = ev->e;

	if (ev->completion_splits)
		count(a, TOP_N_COMPL_SPLITS, ev->completion_splits);
	if (ev->comps & (1u << DS_C_PRE_IO))
		count(a, TOP_N_PRE_IO, 1);
	if (ev->comps & (1u << DS_C_CONVERT_MAP)) {
		count(a, TOP_N_CONV, 1);
		if (e->dur_ns)
			count_lat(a, e->dur_ns);
		return;
	}
	if (!a->caps.unwritten_from_iomap && e->ret > 0 &&
	    (ds_map_mflags(e) & DS_MAP_UNWRITTEN))
		count(a, TOP_N_UNWRITTEN, 1);
}

static void on_event(void *ctx, const struct corr_event *ev)
{
	const struct ds_event *e = ev->e;
	struct top_agg *a = ctx;

	if (!a->counting)
		return;
	switch (e->type) {
	case DS_EV_DIO_SUBMIT:
		if (a->caps.dio_at_submit)
			count(a, e->flags & DS_DIO_WRITE ? TOP_N_WRITES :
							   TOP_N_READS, 1);
		break;
	case DS_EV_DIO_COMPLETE:
		if (!a->caps.dio_at_submit)
			on_complete(a, ev);
		break;
	case DS_EV_IOMAP_BEGIN:
		if (a->caps.unwritten_from_iomap && !e->ret &&
		    ds_iomap_type(e) == DS_IOMAP_UNWRITTEN)
			count(a, TOP_N_UNWRITTEN, 1);
		break;
	case DS_EV_MAP_BLOCKS:
		on_map_blocks(a, ev);
		break;
	case DS_EV_MERGE:
		if (ev->merges)
			count(a, TOP_N_MERGES, ev->merges);
		break;
	case DS_EV_WB_MAP:
		count(a, TOP_N_WB_IOS, 1);
		break;
	}
}

/* A pair is counted on the file of its split: the event being added. */
static void on_churn(void *ctx, const struct corr_churn *pair)
{
	struct top_agg *a = ctx;
	__u64 cpu;

	if (!a->counting)
		return;
	count(a, TOP_N_CHURN, 1);
	count(a, TOP_N_WASTE_NS, pair->merge_ns + pair->split->dur_ns);
	cpu = corr_cpu_ns(pair->split);
	if (cpu != DS_OFFCPU_UNKNOWN && pair->merge_cpu_ns != DS_OFFCPU_UNKNOWN)
		count(a, TOP_N_WASTE_CPU_NS, pair->merge_cpu_ns + cpu);
}

/* An event leaves the window in time order: counted on its inode. */
static int released(void *ctx, const struct ds_event *e)
{
	struct top_agg *a = ctx;

	/* events of no file count nowhere, as they never did */
	a->counting = e->ino != 0;
	a->cur = a->counting ? (struct top_inode *)table_find(a->inodes,
				top_key(e->dev, e->ino, 0)) : NULL;
	/* out of memory: the event is not counted, top goes on */
	correlator_add(&a->corr, e);
	a->counting = false;
	a->cur = NULL;
	return 0;
}

void top_agg_add(struct top_agg *a, const struct ds_event *e)
{
	struct top_inode *in;

	a->events++;
	a->events_total++;
	if (e->ino) {
		in = inode_get(a, e->dev, e->ino);
		in->last_ns = e->ts_ns;
	}
	corr_order_add(&a->order, e);
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

/*
 * IOs open too long, and the files without an IO in flight that the
 * correlator would otherwise keep for ever.
 */
static void trim(struct top_agg *a, __u64 now_ns)
{
	if (now_ns > WINDOW_MAX_AGE_NS)
		correlator_expire(&a->corr, now_ns - WINDOW_MAX_AGE_NS);
	if (a->corr.ninodes > a->inodes->cap)
		correlator_prune(&a->corr);
}

/* The events an interval's end or the totals count: see hold_ns. */
static void release_held(struct top_agg *a, __u64 now_ns)
{
	if (!a->hold_ns)
		corr_order_flush(&a->order);
	else if (now_ns > a->hold_ns)
		corr_order_release_before(&a->order, now_ns - a->hold_ns);
}

void top_agg_all_in(struct top_agg *a)
{
	a->hold_ns = 0;
}

int top_agg_tick(struct top_agg *a, __u64 now_ns, struct top_row *rows,
		 int max, struct top_row *all)
{
	__u64 span = now_ns > a->tick_ns ? now_ns - a->tick_ns : 0;
	struct top_inode *in;
	__u32 i;
	int n = 0;

	release_held(a, now_ns);
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
	trim(a, now_ns);
	a->events = 0;
	a->tick_ns = now_ns;
	return n;
}

int top_agg_totals(struct top_agg *a, __u64 now_ns,
		   struct top_row *rows, int max, struct top_row *all)
{
	__u64 span = now_ns > a->start_ns ? now_ns - a->start_ns : 0;
	const struct top_inode *in;
	__u32 i, k;
	int n = 0;

	release_held(a, now_ns);
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

__u64 top_agg_dropped(struct top_agg *a)
{
	corr_order_flush(&a->order);
	return a->windows_dropped;
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
