// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "top/batch.h"

#define COL_W 11

void top_batch_field(const struct top_caps *caps, const struct top_row *r,
		     int col, bool per_s, char *buf, size_t len)
{
	int k = top_col_count(col);
	__u64 v;

	if (!caps->col[col]) {
		snprintf(buf, len, "-");
		return;
	}
	if (col == TOP_C_P50 || col == TOP_C_P99) {
		v = col == TOP_C_P50 ? r->p50_ns : r->p99_ns;
		snprintf(buf, len, "%.2f", v / 1000.0);
	} else if (col == TOP_C_UNWRITTEN) {
		/* a count since the start, in both kinds of line */
		snprintf(buf, len, "%llu", (unsigned long long)r->unwritten_total);
	} else if (col == TOP_C_WASTE || col == TOP_C_WASTE_CPU) {
		v = r->n[k];
		snprintf(buf, len, "%.1f", per_s ? top_rate(v, r->span_ns) / 1000.0
						 : v / 1000.0);
	} else if (per_s) {
		snprintf(buf, len, "%.1f", top_rate(r->n[k], r->span_ns));
	} else {
		snprintf(buf, len, "%llu", (unsigned long long)r->n[k]);
	}
}

void top_batch_intro(const struct top_batch *b, const char *kernel,
		     const char *tiers, double interval_s)
{
	int c;

	fprintf(b->f, "# dioscope top: kernel %s, every %g s\n", kernel,
		interval_s);
	fprintf(b->f, "# tiers: %s\n", tiers);
	if (b->caps->why[0])
		fprintf(b->f, "# not observable here (-): %s\n", b->caps->why);
	fprintf(b->f, "%-19s %-9s %10s", "time", "dev", "inode");
	for (c = 0; c < TOP_C_MAX; c++)
		fprintf(b->f, " %*s", COL_W, top_cols[c].batch);
	fprintf(b->f, " path\n");
}

static void print_row(const struct top_batch *b, const char *first,
		      const struct top_row *r, bool per_s)
{
	char dev[24], ino[24], field[32];
	const char *path = NULL;
	int c;

	if (r->ino) {
		snprintf(dev, sizeof(dev), "%u:%u", r->dev >> 20,
			 r->dev & 0xfffff);
		snprintf(ino, sizeof(ino), "%llu", (unsigned long long)r->ino);
		if (b->paths)
			path = inode_path_get(b->paths, r->dev, r->ino);
	} else {
		snprintf(dev, sizeof(dev), "-");
		snprintf(ino, sizeof(ino), "all");
	}
	fprintf(b->f, "%-19s %-9s %10s", first, dev, ino);
	for (c = 0; c < TOP_C_MAX; c++) {
		top_batch_field(b->caps, r, c, per_s, field, sizeof(field));
		fprintf(b->f, " %*s", COL_W, field);
	}
	fprintf(b->f, " %s\n", path ? path : "-");
}

/* Ask for every name first, so one slice of resolving serves them all. */
static void resolve(const struct top_batch *b, const struct top_row *rows,
		    int n)
{
	int i;

	if (!b->paths)
		return;
	for (i = 0; i < n; i++)
		inode_path_get(b->paths, rows[i].dev, rows[i].ino);
	inode_path_work(b->paths, 100);
}

static int finish(const struct top_batch *b)
{
	return fflush(b->f) || ferror(b->f) ? -1 : 0;
}

int top_batch_interval(const struct top_batch *b, time_t when,
		       const struct top_row *rows, int n,
		       const struct top_row *all, unsigned long long lost)
{
	char ts[32];
	int i;

	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", localtime(&when));
	resolve(b, rows, n);
	if (lost)
		fprintf(b->f, "# %s lost %llu events (ring buffer full; try --buffer-mb)\n",
			ts, lost);
	for (i = 0; i < n; i++)
		print_row(b, ts, &rows[i], true);
	print_row(b, ts, all, true);
	return finish(b);
}

unsigned long long top_losses_total(const struct top_losses *l)
{
	return l->ringbuf + l->recursion + l->kretprobe;
}

/* " 3 recursion misses", or " recursion misses unknown" */
static void loss_part(FILE *f, const char *what, unsigned long long n,
		      bool known)
{
	if (known)
		fprintf(f, ", %llu %s", n, what);
	else
		fprintf(f, ", %s unknown", what);
}

int top_batch_totals(const struct top_batch *b, const struct top_row *rows,
		     int n, const struct top_row *all,
		     const struct top_losses *lost)
{
	int c, i;

	resolve(b, rows, n);
	fprintf(b->f, "# totals over %.1f s: %llu events, %llu lost (%llu ring buffer full",
		all->span_ns / 1e9, (unsigned long long)all->events,
		top_losses_total(lost), lost->ringbuf);
	loss_part(b->f, "recursion misses", lost->recursion, lost->recursion_known);
	loss_part(b->f, "missed returns", lost->kretprobe, lost->kretprobe_known);
	fprintf(b->f, ")");
	if (lost->late)
		fprintf(b->f, "; %llu late, taken out of time order", lost->late);
	fprintf(b->f, "\n");
	fprintf(b->f, "%-19s %-9s %10s", "total", "dev", "inode");
	for (c = 0; c < TOP_C_MAX; c++)
		fprintf(b->f, " %*s", COL_W, top_cols[c].total);
	fprintf(b->f, " path\n");
	for (i = 0; i < n; i++)
		print_row(b, "total", &rows[i], false);
	print_row(b, "total", all, false);
	return finish(b);
}
