// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>
#include "compare/samples.h"
#include "util/csv.h"
#include "dioscope.h"
#include "plot/data.h"
#include "util/stats.h"
#include "util/macros.h"
#include "util/atomic_file.h"
#include "util/fileio.h"

/* Data files are written aside and renamed like every output. */
static FILE *create(struct atomic_file *af, const char *path)
{
	int err = atomic_open(af, path);

	if (err) {
		errno = -err;
		return NULL;
	}
	return af->f;
}

static int finish(struct atomic_file *af)
{
	return atomic_commit(af, false);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void cdf_point(FILE *f, const double *v, size_t n, size_t rank)
{
	struct csv_row r;

	csv_begin(&r, f);
	csv_f64(&r, v[rank - 1] / 1000);
	csv_f64(&r, (double)rank / n);
	csv_end(&r);
}

/*
 * Every IO would be too many points; a fixed grid of fractions, finer
 * toward the tail where p99 and p99.9 live, keeps the shape.
 */
int plot_write_cdf(const char *path, const struct samples *s)
{
	struct atomic_file af;
	static const double steps[][2] = {
		{ 0.99, 1e-3 }, { 0.999, 1e-4 }, { 1.0, 1e-5 },
	};
	size_t n, rank, last = 0, i;
	double *v = samples_values(s, IOC_LAT, &n), q = 0;
	FILE *f;

	if (!v)
		return -ENOMEM;
	f = create(&af, path);
	if (!f) {
		free(v);
		return -errno;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	csv_header(f, "latency_us,fraction");
	for (i = 0; n && i < ARRAY_SIZE(steps); i++) {
		for (; q <= steps[i][0] + 1e-12; q += steps[i][1]) {
			rank = (size_t)ceil(q * n - 1e-9);
			rank = rank < 1 ? 1 : rank > n ? n : rank;
			if (rank != last)
				cdf_point(f, v, n, rank);
			last = rank;
		}
	}
	if (n && last != n)
		cdf_point(f, v, n, n);
	free(v);
	return finish(&af);
}

int plot_write_percentiles(const char *path, const struct results *const *r,
			   int nk, const char *scenario)
{
	struct atomic_file af;
	static const char *const pct[] = { "p50", "p90", "p99", "p999" };
	static const char *const name[] = { "p50", "p90", "p99", "p99.9" };
	static const char *const sfx[] = { "", "_lo", "_hi" };
	char col[32], head[64];
	struct csv_row row;
	int i, k, s;
	FILE *f = create(&af, path);

	if (!f)
		return -errno;
	csv_begin(&row, f);
	csv_str(&row, "percentile");
	for (k = 0; k < nk; k++)
		for (s = 0; s < 3; s++) {
			snprintf(head, sizeof(head), "k%d%s_us", k + 1, sfx[s]);
			csv_str(&row, head);
		}
	csv_end(&row);
	for (i = 0; i < 4; i++) {
		csv_begin(&row, f);
		csv_str(&row, name[i]);
		for (k = 0; k < nk; k++)
			for (s = 0; s < 3; s++) {
				snprintf(col, sizeof(col), "lat_%s%s_ns", pct[i], sfx[s]);
				csv_f64(&row, csv_number(results_get(r[k], scenario, col)) / 1000);
			}
		csv_end(&row);
	}
	return finish(&af);
}

/* 0: no waste; b >= 1: [2^(b-1), 2^b) ns */
static int waste_bin(double ns)
{
	if (ns <= 0)
		return 0;
	if (ns < 1)
		return 1;
	return 1 + (int)floor(log2(ns));
}

/* under QEMU's instruction counter a guest ns is an instruction */
static void bin_label(char *buf, size_t len, int b, bool icount)
{
	double ns = ldexp(1, b - 1);

	if (!b)
		snprintf(buf, len, "none");
	else if (ns < 1000)
		snprintf(buf, len, "%g %s", ns, icount ? "ins" : "ns");
	else if (ns < 1e6)
		snprintf(buf, len, "%.3g %s", ns / 1e3, icount ? "kins" : "µs");
	else
		snprintf(buf, len, "%.3g %s", ns / 1e6, icount ? "Mins" : "ms");
}

#define WASTE_BINS 64

static void count_bins(const struct samples *s, unsigned long long *bins,
		       unsigned long long *total)
{
	size_t i;

	*total = 0;
	for (i = 0; i < s->nrows; i++) {
		double v = s->col[IOC_WASTED][i];
		int b;

		if (isnan(v))
			continue;
		b = waste_bin(v);
		bins[b < WASTE_BINS ? b : WASTE_BINS - 1]++;
		(*total)++;
	}
}

int plot_write_wasted(const char *path, const struct samples *const *s,
		      int n, struct wasted_bins *wb)
{
	struct atomic_file af;
	unsigned long long (*bins)[WASTE_BINS] = calloc(n ? n : 1, sizeof(*bins));
	unsigned long long *total = calloc(n ? n : 1, sizeof(*total));
	int k, b, lo = WASTE_BINS, hi = 0, err;
	struct csv_row row;
	char label[32];
	FILE *f = NULL;

	*wb = (struct wasted_bins){ .rows = 0, .min_share = 100, .icount = wb->icount };
	err = bins && total ? 0 : -ENOMEM;
	for (k = 0; !err && k < n; k++) {
		count_bins(s[k], bins[k], &total[k]);
		for (b = 1; b < WASTE_BINS; b++) {
			if (!bins[k][b])
				continue;
			lo = b < lo ? b : lo;
			hi = b > hi ? b : hi;
		}
	}
	if (!err && !(f = create(&af, path)))
		err = -errno;
	if (err)
		goto out;
	csv_begin(&row, f);
	csv_str(&row, "bin_ns");
	csv_str(&row, "bin");
	for (k = 0; k < n; k++) {
		snprintf(label, sizeof(label), "k%d_share_pct", k + 1);
		csv_str(&row, label);
	}
	csv_end(&row);
	/* "none" first, then every bin from the lowest to the highest seen */
	for (b = 0; b <= hi; b = b ? b + 1 : lo) {
		csv_begin(&row, f);
		csv_f64(&row, b ? ldexp(1, b - 1) : 0);
		bin_label(label, sizeof(label), b, wb->icount);
		csv_str(&row, label);
		for (k = 0; k < n; k++) {
			double share = total[k] ? 100.0 * bins[k][b] / total[k] : NAN;

			if (share > 0 && share < wb->min_share)
				wb->min_share = share;
			csv_f64(&row, share);
		}
		csv_end(&row);
		wb->rows++;
		if (!b && lo > hi)
			break;
	}
	err = finish(&af);
out:
	free(bins);
	free(total);
	return err;
}

int plot_write_scatter(const char *path, const struct samples *s, size_t max,
		       bool *wasted)
{
	struct atomic_file af;
	const double *lat = s->col[IOC_LAT], *w = s->col[IOC_WASTED];
	size_t i, both = 0, step, seen = 0;
	struct csv_row row;
	FILE *f = create(&af, path);

	if (!f)
		return -errno;
	*wasted = false;
	for (i = 0; i < s->nrows; i++) {
		both += !isnan(lat[i]) && !isnan(w[i]);
		*wasted |= !isnan(lat[i]) && w[i] > 0;
	}
	step = both > max ? (both + max - 1) / max : 1;
	csv_header(f, "wasted_us,latency_us");
	for (i = 0; i < s->nrows; i++) {
		if (isnan(lat[i]) || isnan(w[i]))
			continue;
		if (seen++ % step)
			continue;
		csv_begin(&row, f);
		csv_f64(&row, w[i] / 1000);
		csv_f64(&row, lat[i] / 1000);
		csv_end(&row);
	}
	return finish(&af);
}

enum tl_kind { TL_PRE_IO, TL_CONVERT, TL_SPLIT, TL_MERGE, TL_CHURN, TL_MAX };

struct tl_event {
	unsigned long long ts;
	unsigned int kind, weight;
};

struct timeline {
	struct tl_event *ev;
	size_t n, cap;
	unsigned long long last;
	bool observed;
};

/* Every event and IO makes the run as long as it is, counted or not. */
static void tl_span(struct timeline *t, unsigned long long ts)
{
	if (ts > t->last)
		t->last = ts;
}

static int tl_add(struct timeline *t, unsigned long long ts, unsigned int kind,
		  unsigned int weight)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		struct tl_event *ev = realloc(t->ev, cap * sizeof(*ev));

		if (!ev)
			return -ENOMEM;
		t->ev = ev;
		t->cap = cap;
	}
	t->ev[t->n++] = (struct tl_event){ ts, kind, weight };
	tl_span(t, ts);
	return 0;
}

static int event_kind(const char *type, unsigned long flags)
{
	if (!strcmp(type, "map_blocks"))
		return flags & DS_GET_BLOCKS_PRE_IO ? TL_PRE_IO :
		       flags & DS_GET_BLOCKS_CONVERT ? TL_CONVERT : -1;
	if (!strcmp(type, "split"))
		return TL_SPLIT;
	if (!strcmp(type, "merge") && (flags & DS_MERGE_DONE))
		return TL_MERGE;
	return -1;
}

/* Reads a CSV's rows, calling fn with the columns named in cols. */
static int read_rows(const char *path, const char *const *cols, int ncols,
		     int (*fn)(struct timeline *, char **), struct timeline *t)
{
	struct csv_reader rd;
	int idx[4], i, rc, err = 0;
	char *v[4];
	char why[PATH_MAX + 64];
	/* a FIFO is refused, not waited on */
	FILE *f = fopen_regular(path, why, sizeof(why));

	if (!f)
		return -errno;
	csv_reader_init(&rd, f);
	rc = csv_read(&rd);
	for (i = 0; i < ncols; i++)
		idx[i] = rc > 0 ? csv_column(&rd, cols[i]) : -1;
	for (i = 0; i < ncols; i++)
		if (idx[i] < 0)
			err = -EINVAL;
	while (!err && (rc = csv_read(&rd)) > 0) {
		for (i = 0; i < ncols && idx[i] < rd.nfields; i++)
			v[i] = rd.fields[idx[i]];
		if (i == ncols)
			err = fn(t, v);
	}
	if (!err && rc < 0)
		err = -EINVAL;
	csv_reader_free(&rd);
	fclose(f);
	return err;
}

static int add_event(struct timeline *t, char **v)
{
	int kind = event_kind(v[1], strtoul(v[2], NULL, 0));
	unsigned long long ts = strtoull(v[0], NULL, 10);
	/* a merge event may join several pairs: aux2 says how many */
	unsigned long pairs = kind == TL_MERGE ? strtoul(v[3], NULL, 0) : 0;

	tl_span(t, ts);
	return kind < 0 ? 0 : tl_add(t, ts, kind, pairs ? pairs : 1);
}

static int add_churn(struct timeline *t, char **v)
{
	unsigned long pairs = strtoul(v[0], NULL, 10);
	const char *when = *v[1] ? v[1] : v[2];

	if (!*when)
		return 0;
	tl_span(t, strtoull(when, NULL, 10));
	return pairs && t->observed ?
	       tl_add(t, strtoull(when, NULL, 10), TL_CHURN, pairs) : 0;
}

/* A round bin width, 1, 2 or 5 times a power of ten ns, of at least x. */
static double round_bin(double x)
{
	double p = pow(10, floor(log10(x))), m;

	for (m = 1; m < 10; m = m == 1 ? 2 : m == 2 ? 5 : 10)
		if (p * m >= x)
			break;
	return p * m;
}

/*
 * Bins of width bin from 0; a last part shorter than half a bin joins the
 * bin before it, so that no rate is taken over a sliver of time.
 */
static size_t count_bins_of(const struct timeline *t, double bin, double *last_w)
{
	size_t full = (size_t)(t->last / bin);
	double rem = t->last - full * bin;

	if (!full) {
		*last_w = t->last > 0 ? t->last : bin;
		return 1;
	}
	if (rem < bin / 2) {
		*last_w = bin + rem;
		return full;
	}
	*last_w = rem;
	return full + 1;
}

static void rate_row(FILE *f, double t_ns, const double *count, double width,
		     bool observed, double *max_rate)
{
	struct csv_row row;
	int k;

	csv_begin(&row, f);
	csv_f64(&row, t_ns / 1e9);
	for (k = 0; k < TL_MAX; k++) {
		double rate = count[k] / (width / 1e9);

		if (!observed && k >= TL_SPLIT) {
			csv_f64(&row, NAN);
			continue;
		}
		if (rate > *max_rate)
			*max_rate = rate;
		csv_f64(&row, rate);
	}
	csv_end(&row);
}

static int write_bins(FILE *f, const struct timeline *t, bool observed,
		      double bin, double *max_rate)
{
	double last_w, (*c)[TL_MAX];
	size_t nb = count_bins_of(t, bin, &last_w), i, b;

	c = calloc(nb, sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		b = (size_t)(t->ev[i].ts / bin);
		c[b < nb ? b : nb - 1][t->ev[i].kind] += t->ev[i].weight;
	}
	csv_header(f, "t_s,pre_io_per_s,conversions_per_s,splits_per_s,"
		   "merges_per_s,churn_pairs_per_s");
	for (b = 0; b < nb; b++)
		rate_row(f, b * bin, c[b], b + 1 < nb ? bin : last_w, observed,
			 max_rate);
	/* where the last bin ends, for a plot drawn as steps */
	rate_row(f, (nb - 1) * bin + last_w, c[nb - 1], last_w, observed, max_rate);
	free(c);
	return 0;
}

int plot_write_timeline(const char *path, const char *run_dir, bool observed,
			double *bin_s, double *max_rate)
{
	struct atomic_file af;
	static const char *const ev_cols[] = { "ts_ns", "type", "flags", "aux2" };
	static const char *const io_cols[] = { "churn_pairs", "complete_ns", "submit_ns" };
	char in[PATH_MAX + 16];
	struct timeline t = { .observed = observed };
	double bin;
	FILE *f;
	int err;

	snprintf(in, sizeof(in), "%s/events.csv", run_dir);
	err = read_rows(in, ev_cols, 4, add_event, &t);
	snprintf(in, sizeof(in), "%s/ios.csv", run_dir);
	/* churn pairs are charged to IOs: at their completion */
	if (!err)
		err = read_rows(in, io_cols, 3, add_churn, &t);
	if (err)
		goto out;
	bin = round_bin(t.last / 100.0 > 1e6 ? t.last / 100.0 : 1e6);
	*bin_s = bin / 1e9;
	f = create(&af, path);
	if (!f) {
		err = -errno;
		goto out;
	}
	*max_rate = 0;
	err = write_bins(f, &t, observed, bin, max_rate);
	if (finish(&af) && !err)
		err = -EIO;
out:
	free(t.ev);
	return err;
}
