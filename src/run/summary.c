// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/atomic_file.h"
#include "util/csv.h"
#include "util/stats.h"
#include "run/summary.h"
#include "run/summary_json.h"
#include "util/json.h"

#define CONF 0.95

const double summary_pcts[SUMMARY_NPCT] = { 50, 90, 99, 99.9 };

/*
 * The columns compare and plot read, by these names, then ours. Changing
 * the first list breaks them; add at the end.
 */
static const char *const header =
	"scenario,kernel_release,runs,ios,iops,"
	"lat_p50_ns,lat_p50_lo_ns,lat_p50_hi_ns,"
	"lat_p90_ns,lat_p90_lo_ns,lat_p90_hi_ns,"
	"lat_p99_ns,lat_p99_lo_ns,lat_p99_hi_ns,"
	"lat_p999_ns,lat_p999_lo_ns,lat_p999_hi_ns,"
	"lat_mean_ns,wasted_ns_total,wasted_ns_per_io,wasted_share,"
	"splits_per_1k_ios,merges_per_1k_ios,churn_pairs_per_1k_ios,"
	"merges_observed,join_rate,lost_events,block_size_bytes,size_bytes,"
	"mount_options,fio_version,tiers,emulated,complete,"
	"pre_io_splits_per_1k_ios,conversions_per_1k_ios,fio_entries,joined,"
	"kernel_ios_unjoined,unpaired_merges_per_1k_ios,splits_total,"
	"merges_total,kernel_lat_mean_ns,late_events,unattributed_events,"
	"unmatched_completions,lost_ios,mkfs_options,complete_runs,"
	"converted_blocks,merge_guard,bpf_run_time_ns_total,bpf_runs_total,"
	"bpf_recursion_misses,bpf_ns_per_io,bpf_share_of_mean_lat,"
	"kretprobe_missed,"
	"completion_splits_per_1k_ios,writeback_ios,churn_pairs_by_dio,"
	"churn_pairs_by_writeback,churn_pairs_by_fallocate,"
	"churn_pairs_by_zero_range,churn_pairs_by_other,latency_source,clock";

static const char *meta_or(const struct meta *m, const char *key,
			   const char *dflt)
{
	const char *v = meta_get(m, key);

	return v && *v ? v : dflt;
}

/* "fentry", "kprobe", "tracepoint" or "mixed" over the traced targets */
static void tiers_of(const struct meta *m, char *out, size_t len)
{
	const char *seen = NULL;
	int i;

	for (i = 0; i < m->n; i++) {
		if (strncmp(m->key[i], "tier.", 5) || !strcmp(m->val[i], "-"))
			continue;
		if (seen && strcmp(seen, m->val[i])) {
			snprintf(out, len, "mixed");
			return;
		}
		seen = m->val[i];
	}
	snprintf(out, len, "%s", seen ? seen : "-");
}

static void identity(struct summary *s, const struct run_analysis *ra)
{
	const struct meta *m = &ra->meta;
	const char *base = strrchr(ra->dir, '/');

	/* a plain recording has no scenario: its directory names it */
	snprintf(s->scenario, sizeof(s->scenario), "%s",
		 meta_or(m, "scenario", base ? base + 1 : ra->dir));
	snprintf(s->kernel_release, sizeof(s->kernel_release), "%s",
		 meta_or(m, "kernel_release", "-"));
	snprintf(s->mount_options, sizeof(s->mount_options), "%s",
		 meta_or(m, "mount_options", "-"));
	snprintf(s->mkfs_options, sizeof(s->mkfs_options), "%s",
		 meta_or(m, "mkfs_options", "-"));
	/* runs before the guard existed ran without it */
	snprintf(s->merge_guard, sizeof(s->merge_guard), "%s",
		 meta_or(m, "merge_guard", "absent"));
	snprintf(s->emulated, sizeof(s->emulated), "%s",
		 meta_or(m, "emulated", "no"));
	snprintf(s->clock, sizeof(s->clock), "%s", meta_or(m, "clock", "wall"));
	/* the version fio itself reported, else what the bench asked it */
	snprintf(s->fio_version, sizeof(s->fio_version), "%s",
		 ra->fio.version[0] ? ra->fio.version :
		 meta_or(m, "fio_version", "-"));
	tiers_of(m, s->tiers, sizeof(s->tiers));
	s->block_size = strtoull(meta_or(m, "block_size_bytes", "0"), NULL, 10);
	s->size = strtoull(meta_or(m, "size_bytes", "0"), NULL, 10);
}

/* A meta counter; false when absent or "unknown". */
static bool meta_u64(const struct meta *m, const char *key, __u64 *v)
{
	const char *s = meta_get(m, key);
	char *end;

	if (!s || !*s)
		return false;
	*v = strtoull(s, &end, 10);
	return !*end;
}

static void add_bpf_cost(struct summary *s, const struct meta *m)
{
	__u64 ns, runs, misses;

	if (meta_u64(m, "bpf_run_time_ns", &ns) &&
	    meta_u64(m, "bpf_runs", &runs)) {
		s->bpf_run_time_ns += ns;
		s->bpf_runs += runs;
	} else {
		s->bpf_timed = false;
	}
	if (meta_u64(m, "kretprobe_missed", &ns))
		s->kretprobe_missed += ns;
	else
		s->kret_counted = false;
	if (meta_u64(m, "bpf_recursion_misses", &misses))
		s->bpf_recursion_misses += misses;
	else
		s->bpf_misses_counted = false;
}

static void add_run(struct summary *s, const struct run_analysis *ra)
{
	const struct corr_totals *t = &ra->tot;
	int c;

	s->runs++;
	s->complete_runs += ra->complete;
	s->ios += t->ios;
	s->fio_entries += ra->join.fio_entries;
	s->joined += ra->join.joined;
	s->kernel_unjoined += ra->join.kernel_unjoined;
	/* a run without fio's numbers has no IOPS: unknown, not 0 */
	if (ra->have_fio) {
		s->iops += ra->fio.read.iops + ra->fio.write.iops;
		s->fio_runs++;
	} else if (ra->last_complete_ns > ra->first_submit_ns) {
		s->kernel_iops += ra->nlat * 1e9 /
				  (ra->last_complete_ns - ra->first_submit_ns);
		s->kernel_runs++;
	}
	s->kernel_view &= !ra->have_fio;
	for (c = 0; c < DS_C_MAX; c++)
		s->comp_count[c] += ra->comp_count[c];
	s->wasted_ns += t->wasted_ns;
	s->wasted_joined_ns += ra->wasted_joined_ns;
	s->splits += t->splits;
	s->merges += t->merges;
	s->churn_pairs += t->churn_pairs;
	s->completion_splits += t->completion_splits;
	s->wb_ios += t->wb_ios;
	for (c = 0; c < CORR_OP_MAX; c++)
		s->churn_by_op[c] += t->churn_by_op[c];
	s->unpaired_merges += t->unpaired_merges;
	s->lost_events += ra->lost_events;
	s->late_events += ra->late_events;
	s->unattributed += t->unattributed;
	s->unmatched += t->unmatched_completions;
	s->lost_ios += t->superseded + t->open_at_end;
	s->kernel_lat_ns += ra->kernel_lat_ns;
	s->completed += t->done;
	s->converted_blocks += t->converted_blocks;
	s->merges_observed &= ra->merges_observed;
	add_bpf_cost(s, &ra->meta);
}

static int latency(struct summary *s, struct run_analysis *runs,
		   unsigned int n)
{
	size_t total = 0, k = 0, i;
	unsigned int r;
	double *lat;

	for (r = 0; r < n; r++)
		total += runs[r].nlat;
	if (n == 1 && runs[0].lat) {
		lat = runs[0].lat;
	} else {
		lat = malloc((total ? total : 1) * sizeof(*lat));
		if (!lat)
			return -ENOMEM;
		for (r = 0; r < n; r++)
			for (i = 0; i < runs[r].nlat; i++)
				lat[k++] = runs[r].lat[i];
	}
	/* whole numbers: the sum is exact whatever their order */
	for (i = 0; i < total; i++)
		s->lat_joined_ns += lat[i];
	stats_sort(lat, total);
	for (i = 0; i < SUMMARY_NPCT; i++) {
		s->lat[i] = stats_percentile(lat, total, summary_pcts[i]);
		stats_percentile_ci(lat, total, summary_pcts[i], CONF,
				    &s->lat_lo[i], &s->lat_hi[i]);
	}
	s->lat_mean = stats_mean(lat, total);
	if (lat != runs[0].lat)
		free(lat);
	return 0;
}

int summary_of_runs(struct run_analysis *runs, unsigned int n,
		    struct summary *s)
{
	unsigned int r;

	memset(s, 0, sizeof(*s));
	if (!n)
		return -EINVAL;
	identity(s, &runs[0]);
	s->merges_observed = true;
	s->bpf_timed = s->bpf_misses_counted = s->kret_counted = true;
	s->kernel_view = true;
	for (r = 0; r < n; r++)
		add_run(s, &runs[r]);
	if (s->kernel_view)
		s->iops = s->kernel_runs ? s->kernel_iops / s->kernel_runs : NAN;
	else
		s->iops = s->fio_runs ? s->iops / s->fio_runs : NAN;
	return latency(s, runs, n);
}

static double per_1k(__u64 count, __u64 ios)
{
	return ios ? count * 1000.0 / ios : NAN;
}

static double ratio(double a, double b)
{
	return b ? a / b : NAN;
}

/* What only merge and split events can tell: unknown without them. */
static double seen(const struct summary *s, double v)
{
	return s->merges_observed ? v : NAN;
}

static void derive_costs(const struct summary *s, struct summary_derived *d)
{
	d->kretprobe_missed = s->kret_counted ? s->kretprobe_missed : NAN;
	d->bpf_recursion_misses = s->bpf_misses_counted ?
				  s->bpf_recursion_misses : NAN;
	d->bpf_run_time_ns = s->bpf_timed ? s->bpf_run_time_ns : NAN;
	d->bpf_runs = s->bpf_timed ? s->bpf_runs : NAN;
	d->bpf_ns_per_io = ratio(d->bpf_run_time_ns, s->ios);
	d->bpf_share = s->lat_mean > 0 ? d->bpf_ns_per_io / s->lat_mean : NAN;
}

void summary_derive(const struct summary *s, struct summary_derived *d)
{
	const __u64 *cc = s->comp_count;
	int k;

	d->iops = s->iops;
	d->wasted_ns = seen(s, s->wasted_ns);
	d->wasted_ns_per_io = seen(s, ratio(s->wasted_ns, s->ios));
	d->wasted_share = seen(s, ratio(s->wasted_joined_ns, s->lat_joined_ns));
	d->splits_per_1k = seen(s, per_1k(cc[DS_C_SPLIT], s->ios));
	d->merges_per_1k = seen(s, per_1k(cc[DS_C_MERGE], s->ios));
	d->churn_per_1k = seen(s, per_1k(cc[DS_C_WASTED], s->ios));
	d->unpaired_per_1k = seen(s, per_1k(s->unpaired_merges, s->ios));
	d->pre_io_per_1k = per_1k(cc[DS_C_PRE_IO], s->ios);
	d->conv_per_1k = per_1k(cc[DS_C_CONVERT_MAP], s->ios);
	d->join_rate = s->fio_entries ? (double)s->joined / s->fio_entries : NAN;
	d->splits_total = seen(s, s->splits);
	d->merges_total = seen(s, s->merges);
	d->churn_pairs_total = seen(s, s->churn_pairs);
	d->kernel_lat_mean_ns = ratio(s->kernel_lat_ns, s->completed);
	d->completion_splits_per_1k = seen(s, per_1k(s->completion_splits,
						     s->ios));
	for (k = 0; k < CORR_OP_MAX; k++)
		d->churn_by_op[k] = seen(s, s->churn_by_op[k]);
	derive_costs(s, d);
}

/* Integers as integers (sample values, totals), the rest with 3 decimals. */
static void num(struct csv_row *r, double v)
{
	char buf[64];

	if (isnan(v)) {
		csv_str(r, "");
		return;
	}
	if (v == floor(v) && fabs(v) < 9e15)
		snprintf(buf, sizeof(buf), "%.0f", v);
	else
		snprintf(buf, sizeof(buf), "%.3f", v);
	csv_str(r, buf);
}

static void write_row(FILE *f, const struct summary *s)
{
	struct summary_derived d;
	struct csv_row r;
	int k;

	summary_derive(s, &d);
	csv_begin(&r, f);
	csv_str(&r, s->scenario);
	csv_str(&r, s->kernel_release);
	csv_u64(&r, s->runs);
	csv_u64(&r, s->ios);
	num(&r, d.iops);
	for (k = 0; k < SUMMARY_NPCT; k++) {
		num(&r, s->lat[k]);
		num(&r, s->lat_lo[k]);
		num(&r, s->lat_hi[k]);
	}
	num(&r, s->lat_mean);
	num(&r, d.wasted_ns);
	num(&r, d.wasted_ns_per_io);
	num(&r, d.wasted_share);
	num(&r, d.splits_per_1k);
	num(&r, d.merges_per_1k);
	num(&r, d.churn_per_1k);
	csv_str(&r, s->merges_observed ? "yes" : "no");
	num(&r, d.join_rate);
	csv_u64(&r, s->lost_events);
	csv_u64(&r, s->block_size);
	csv_u64(&r, s->size);
	csv_str(&r, s->mount_options);
	csv_str(&r, s->fio_version);
	csv_str(&r, s->tiers);
	csv_str(&r, s->emulated);
	csv_str(&r, s->complete_runs == s->runs ? "yes" : "no");
	num(&r, d.pre_io_per_1k);
	num(&r, d.conv_per_1k);
	csv_u64(&r, s->fio_entries);
	csv_u64(&r, s->joined);
	csv_u64(&r, s->kernel_unjoined);
	num(&r, d.unpaired_per_1k);
	num(&r, d.splits_total);
	num(&r, d.merges_total);
	num(&r, d.kernel_lat_mean_ns);
	csv_u64(&r, s->late_events);
	csv_u64(&r, s->unattributed);
	csv_u64(&r, s->unmatched);
	csv_u64(&r, s->lost_ios);
	csv_str(&r, s->mkfs_options);
	csv_u64(&r, s->complete_runs);
	csv_u64(&r, s->converted_blocks);
	csv_str(&r, s->merge_guard);
	num(&r, d.bpf_run_time_ns);
	num(&r, d.bpf_runs);
	num(&r, d.bpf_recursion_misses);
	num(&r, d.bpf_ns_per_io);
	num(&r, d.bpf_share);
	num(&r, d.kretprobe_missed);
	num(&r, d.completion_splits_per_1k);
	csv_u64(&r, s->wb_ios);
	for (k = CORR_OP_DIO; k < CORR_OP_MAX; k++)
		num(&r, d.churn_by_op[k]);
	csv_str(&r, s->kernel_view ? SUMMARY_LAT_KERNEL : SUMMARY_LAT_FIO);
	csv_str(&r, s->clock);
	csv_end(&r);
}

/* Is this header row ours, column for column? */
static bool our_header(const struct csv_reader *rd)
{
	const char *p = header;
	int i;

	for (i = 0; i < rd->nfields; i++) {
		size_t len = strlen(rd->fields[i]);

		if (strncmp(p, rd->fields[i], len) || (p[len] != ',' && p[len]))
			return false;
		p += len + (p[len] == ',');
	}
	return !*p;
}

static bool replaced(const char *scenario, const struct summary *rows,
		     unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].scenario, scenario))
			return true;
	return false;
}

/* The rows of path that rows do not replace, copied to f as they are. */
static void keep_others(const char *path, FILE *f,
			const struct summary *rows, unsigned int n)
{
	struct csv_reader rd;
	struct csv_row r;
	FILE *in = fopen(path, "r");
	int i;

	if (!in)
		return;
	csv_reader_init(&rd, in);
	if (csv_read(&rd) > 0 && our_header(&rd)) {
		while (csv_read(&rd) > 0) {
			if (!rd.nfields || replaced(rd.fields[0], rows, n))
				continue;
			csv_begin(&r, f);
			for (i = 0; i < rd.nfields; i++)
				csv_str(&r, rd.fields[i]);
			csv_end(&r);
		}
	}
	csv_reader_free(&rd);
	fclose(in);
}

static int write_csv(const struct summary *rows, unsigned int n,
		     const char *path, bool keep)
{
	struct atomic_file af;
	unsigned int i;
	int err = atomic_open(&af, path);

	if (err)
		return err;
	csv_header(af.f, header);
	if (keep)
		keep_others(path, af.f, rows, n);
	for (i = 0; i < n; i++)
		write_row(af.f, &rows[i]);
	return atomic_commit(&af, false);
}

/* summary.json beside every summary.csv, from the same rows */
static int write_both(const struct summary *rows, unsigned int n,
		      const char *path, bool keep)
{
	char json[4200];
	int err;

	/* the next writer of a directory clears what a killed one left */
	atomic_clean_beside(path);
	err = write_csv(rows, n, path, keep);
	if (err)
		return err;
	json_path_beside(path, json, sizeof(json));
	return summary_write_json(rows, n, json, keep);
}

int summary_write_csv(const struct summary *rows, unsigned int n,
		      const char *path)
{
	return write_both(rows, n, path, false);
}

int summary_update_csv(const struct summary *rows, unsigned int n,
		       const char *path)
{
	return write_both(rows, n, path, true);
}

static void us(FILE *f, double ns)
{
	if (isnan(ns))
		fprintf(f, " %9s", "-");
	else
		fprintf(f, " %9.1f", ns / 1000);
}

static void print_row(FILE *f, const struct summary *s, int width)
{
	fprintf(f, "%-*s %3u/%-2u %8llu", width, s->scenario, s->complete_runs,
		s->runs, (unsigned long long)s->ios);
	us(f, s->lat[0]);
	us(f, s->lat[2]);
	us(f, s->lat[3]);
	if (s->ios && s->merges_observed)
		fprintf(f, " %9.2f %9.2f", s->wasted_ns / 1000.0 / s->ios,
			per_1k(s->comp_count[DS_C_WASTED], s->ios));
	else
		fprintf(f, " %9s %9s", s->ios ? "n/a" : "-", s->ios ? "n/a" : "-");
	if (s->ios)
		fprintf(f, " %9.1f", per_1k(s->comp_count[DS_C_PRE_IO], s->ios));
	else
		fprintf(f, " %9s", "-");
	if (s->fio_entries)
		fprintf(f, " %7.2f", 100.0 * s->joined / s->fio_entries);
	else
		fprintf(f, " %7s", "-");
	fprintf(f, " %6llu %s\n", (unsigned long long)s->lost_events, s->tiers);
}

/*
 * Rows of recordings without fio: their percentiles are the kernel's, and
 * their IOPS (not in the table) are over the recording.
 */
static void print_kernel_view(FILE *f, const struct summary *rows,
			      unsigned int n)
{
	unsigned int i;
	bool any = false;

	for (i = 0; i < n; i++) {
		if (!rows[i].kernel_view || !rows[i].ios)
			continue;
		if (!any)
			fprintf(f, "\nno fio in these recordings: p50, p99 and p99.9 are the kernel's\n"
				   "latency (submission to completion of each IO), not fio's; IOPS are\n"
				   "the IOs completed from the first submission to the last completion:\n");
		any = true;
		fprintf(f, "  %s: kernel p50 %.1f us, p99 %.1f us, p99.9 %.1f us, %.0f IOPS\n",
			rows[i].scenario, rows[i].lat[0] / 1000,
			rows[i].lat[2] / 1000, rows[i].lat[3] / 1000,
			rows[i].iops);
	}
}

/* What tracing cost in the kernel: the observer's share of what it saw. */
static void print_bpf_cost(FILE *f, const struct summary *rows,
			   unsigned int n, int width, const char *unit)
{
	unsigned int i;

	fprintf(f, "\ntracer's in-kernel cost (BPF run time while the kernel counted it):\n");
	for (i = 0; i < n; i++) {
		const struct summary *s = &rows[i];
		struct summary_derived d;
		double per_io, share;

		summary_derive(s, &d);
		per_io = d.bpf_ns_per_io;
		share = d.bpf_share;

		fprintf(f, "%-*s ", width, s->scenario);
		if (isnan(per_io))
			fprintf(f, "unknown (statistics were off)");
		else
			fprintf(f, "%.0f %s per IO", per_io, unit);
		if (!isnan(share))
			fprintf(f, ", %.2f %% of mean latency", 100 * share);
		if (s->bpf_misses_counted)
			fprintf(f, ", %llu recursion misses",
				(unsigned long long)s->bpf_recursion_misses);
		else
			fprintf(f, ", recursion misses not counted by this kernel");
		/* a return probe through the PMU cannot count its misses */
		if (s->kret_counted)
			fprintf(f, ", %llu kretprobe misses\n",
				(unsigned long long)s->kretprobe_missed);
		else
			fprintf(f, ", kretprobe misses unknown\n");
	}
}

void summary_print(FILE *f, const struct summary *rows, unsigned int n)
{
	unsigned int i, icount = 0;
	bool blind = false, lost = false, incomplete = false;
	int width = 8;

	for (i = 0; i < n; i++) {
		if ((int)strlen(rows[i].scenario) > width)
			width = strlen(rows[i].scenario);
		icount += !strcmp(rows[i].clock, "icount");
	}
	/* under QEMU's instruction counter a guest ns is an instruction */
	fprintf(f, "%-*s %6s %8s %9s %9s %9s %9s %9s %9s %7s %6s %s\n",
		width, "SCENARIO", "RUNS", "IOS", icount ? "p50 kins" : "p50 us",
		icount ? "p99 kins" : "p99 us", icount ? "p999 kins" : "p99.9 us",
		"waste/IO", "churn/1k", "PRE_IO/1k", "join %", "lost", "TIERS");
	for (i = 0; i < n; i++) {
		print_row(f, &rows[i], width);
		blind |= !rows[i].merges_observed;
		lost |= rows[i].lost_events > 0;
		incomplete |= rows[i].complete_runs < rows[i].runs;
	}
	print_kernel_view(f, rows, n);
	if (blind)
		fprintf(f, "\nmerges_observed=no: extent merges and splits are not observed on this\n"
			   "kernel's tier (they need fentry, kprobes or the tracepoints of patches/).\n"
			   "Waste and churn are n/a, NOT 0. PRE_IO splits and conversions are still\n"
			   "counted, with their durations, from ext4_ext_map_blocks.\n");
	if (lost)
		fprintf(f, "\nevents were lost (a full ring buffer, programs the kernel skipped as\n"
			   "recursion misses, or missed returns; meta lost_*): counts are lower\n"
			   "bounds, and IOs whose events were lost may not join.\n");
	if (icount)
		fprintf(f, "\nclock=icount: guest time counted executed instructions (QEMU -icount\n"
			   "shift=0), so times read as instructions: kins = thousands of them,\n"
			   "waste/IO in kins too. They compare with icount results of any machine,\n"
			   "not with wall-clock ones.\n");
	if (icount && icount < n)
		fprintf(f, "warning: %u of %u rows are icount, the others wall clock: their times\n"
			   "do not compare\n", icount, n);
	print_bpf_cost(f, rows, n, width, icount == n ? "instructions" : "ns");
	if (incomplete)
		fprintf(f, "\nsome runs are incomplete (interrupted): their numbers cover what was\n"
			   "recorded.\n");
}
