// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"
#include "stats.h"
#include "summary.h"

const double summary_pcts[SUMMARY_NPCT] = { 50, 90, 99, 99.9 };

static const char *meta_or(const struct meta *m, const char *key,
			   const char *dflt)
{
	const char *v = meta_get(m, key);

	return v ? v : dflt;
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

static void add_run(struct summary *s, const struct run_analysis *ra)
{
	const struct correlation *c = &ra->corr;
	size_t i;

	s->runs++;
	if (!strcmp(meta_or(&ra->meta, "complete", "no"), "yes"))
		s->complete_runs++;
	s->ios += c->n;
	s->fio_entries += ra->join.fio_entries;
	s->joined += ra->join.joined;
	s->iops += ra->fio.read.iops + ra->fio.write.iops;
	s->splits += c->splits;
	s->merges += c->merges;
	s->churn_pairs += c->churn_pairs;
	s->wasted_merges += c->wasted_merges;
	s->lost_events += strtoull(meta_or(&ra->meta, "lost_events", "0"),
				   NULL, 10);
	for (i = 0; i < c->n; i++) {
		const struct ds_io *io = &c->ios[i];

		s->wasted_ns += io->c[DS_C_WASTED].ns;
		s->pre_io += io->c[DS_C_PRE_IO].count;
		s->conversions += io->c[DS_C_CONVERT_MAP].count;
	}
	for (i = 0; i < ra->log.n; i++)
		if (ra->log.ios[i].joined)
			s->lat_total_ns += ra->log.ios[i].lat_ns;
}

int summary_of_runs(struct run_analysis *runs, unsigned int n,
		    struct summary *s)
{
	const struct meta *m = &runs[0].meta;
	double *lat = NULL;
	size_t nlat = 0, cap = 0, k, i;
	unsigned int r;

	memset(s, 0, sizeof(*s));
	/* a plain recording has no scenario: its directory names it */
	snprintf(s->scenario, sizeof(s->scenario), "%s",
		 meta_or(m, "scenario", strrchr(runs[0].dir, '/') ?
			 strrchr(runs[0].dir, '/') + 1 : runs[0].dir));
	snprintf(s->kernel_release, sizeof(s->kernel_release), "%s",
		 meta_or(m, "kernel_release", "-"));
	snprintf(s->mount_options, sizeof(s->mount_options), "%s",
		 meta_or(m, "mount_options", "-"));
	snprintf(s->emulated, sizeof(s->emulated), "%s", meta_or(m, "emulated", "no"));
	snprintf(s->fio_version, sizeof(s->fio_version), "%s",
		 runs[0].fio.version[0] ? runs[0].fio.version : "-");
	tiers_of(m, s->tiers, sizeof(s->tiers));
	s->block_size = strtoull(meta_or(m, "block_size_bytes", "0"), NULL, 10);
	s->size = strtoull(meta_or(m, "size_bytes", "0"), NULL, 10);
	s->merges_observed = true;
	for (r = 0; r < n; r++) {
		add_run(s, &runs[r]);
		s->merges_observed &= runs[r].merges_observed;
		cap += runs[r].log.n;
	}
	s->iops /= n;
	lat = malloc((cap ? cap : 1) * sizeof(*lat));
	if (!lat)
		return -ENOMEM;
	for (r = 0; r < n; r++)
		for (i = 0; i < runs[r].log.n; i++)
			if (runs[r].log.ios[i].joined)
				lat[nlat++] = runs[r].log.ios[i].lat_ns;
	stats_sort(lat, nlat);
	for (k = 0; k < SUMMARY_NPCT; k++) {
		s->lat[k] = stats_percentile(lat, nlat, summary_pcts[k]);
		stats_percentile_ci(lat, nlat, summary_pcts[k], 0.95,
				    &s->lat_lo[k], &s->lat_hi[k]);
	}
	s->lat_mean = stats_mean(lat, nlat);
	free(lat);
	return 0;
}

static double per_1k(__u64 count, __u64 ios)
{
	return ios ? count * 1000.0 / ios : NAN;
}

int summary_write_csv(const struct summary *rows, unsigned int n,
		      const char *path)
{
	static const char *const pct_names[SUMMARY_NPCT] = {
		"p50", "p90", "p99", "p999",
	};
	struct csv_row r;
	char header[2048] = "scenario,kernel_release,runs,ios,iops";
	unsigned int i, k;
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	for (k = 0; k < SUMMARY_NPCT; k++) {
		size_t used = strlen(header);

		snprintf(header + used, sizeof(header) - used,
			 ",lat_%s_ns,lat_%s_lo_ns,lat_%s_hi_ns", pct_names[k],
			 pct_names[k], pct_names[k]);
	}
	strcat(header, ",lat_mean_ns,wasted_ns_total,wasted_ns_per_io,wasted_share,"
	       "splits_per_1k_ios,merges_per_1k_ios,churn_pairs_per_1k_ios,"
	       "merges_observed,join_rate,lost_events,block_size_bytes,size_bytes,"
	       "mount_options,fio_version,tiers,emulated,complete,"
	       "pre_io_splits_per_1k_ios,conversions_per_1k_ios,fio_entries,joined,"
	       "wasted_merges_per_1k_ios");
	csv_header(f, header);
	for (i = 0; i < n; i++) {
		const struct summary *s = &rows[i];
		bool mo = s->merges_observed;

		csv_begin(&r, f);
		csv_str(&r, s->scenario);
		csv_str(&r, s->kernel_release);
		csv_u64(&r, s->runs);
		csv_u64(&r, s->ios);
		csv_f64(&r, s->iops);
		for (k = 0; k < SUMMARY_NPCT; k++) {
			csv_f64(&r, s->lat[k]);
			csv_f64(&r, s->lat_lo[k]);
			csv_f64(&r, s->lat_hi[k]);
		}
		csv_f64(&r, s->lat_mean);
		/* what was not observed is left empty, never written as 0 */
		csv_f64(&r, mo ? (double)s->wasted_ns : NAN);
		csv_f64(&r, mo && s->ios ? (double)s->wasted_ns / s->ios : NAN);
		csv_f64(&r, mo && s->lat_total_ns ?
			(double)s->wasted_ns / s->lat_total_ns : NAN);
		csv_f64(&r, mo ? per_1k(s->splits, s->ios) : NAN);
		csv_f64(&r, mo ? per_1k(s->merges, s->ios) : NAN);
		csv_f64(&r, mo ? per_1k(s->churn_pairs, s->ios) : NAN);
		csv_str(&r, mo ? "yes" : "no");
		csv_f64(&r, s->fio_entries ? (double)s->joined / s->fio_entries : NAN);
		csv_u64(&r, s->lost_events);
		csv_u64(&r, s->block_size);
		csv_u64(&r, s->size);
		csv_str(&r, s->mount_options);
		csv_str(&r, s->fio_version);
		csv_str(&r, s->tiers);
		csv_str(&r, s->emulated);
		csv_str(&r, s->complete_runs == s->runs ? "yes" : "no");
		csv_f64(&r, per_1k(s->pre_io, s->ios));
		csv_f64(&r, per_1k(s->conversions, s->ios));
		csv_u64(&r, s->fio_entries);
		csv_u64(&r, s->joined);
		csv_f64(&r, mo ? per_1k(s->wasted_merges, s->ios) : NAN);
		csv_end(&r);
	}
	return fclose(f) ? -errno : 0;
}

static void us(FILE *f, double ns)
{
	if (isnan(ns))
		fprintf(f, " %9s", "-");
	else
		fprintf(f, " %9.1f", ns / 1000);
}

void summary_print(FILE *f, const struct summary *rows, unsigned int n)
{
	unsigned int i;

	fprintf(f, "%-34s %6s %8s %9s %9s %9s %9s %10s %8s %8s %7s %6s\n",
		"SCENARIO", "RUNS", "IOS", "p50 us", "p99 us", "p99.9 us",
		"waste/IO", "churn/1k", "PRE_IO/1k", "join %", "lost", "tiers");
	for (i = 0; i < n; i++) {
		const struct summary *s = &rows[i];

		fprintf(f, "%-34s %3u/%-2u %8llu", s->scenario, s->complete_runs,
			s->runs, (unsigned long long)s->ios);
		us(f, s->lat[0]);
		us(f, s->lat[2]);
		us(f, s->lat[3]);
		if (!s->ios) {
			fprintf(f, " %9s %10s %9s", "-", "-", "-");
		} else if (s->merges_observed) {
			fprintf(f, " %9.2f", s->wasted_ns / 1000.0 / s->ios);
			fprintf(f, " %10.2f", per_1k(s->churn_pairs, s->ios));
			fprintf(f, " %9.1f", per_1k(s->pre_io, s->ios));
		} else {
			fprintf(f, " %9s %10s", "n/a", "n/a");
			fprintf(f, " %9.1f", per_1k(s->pre_io, s->ios));
		}
		fprintf(f, " %7.2f %7llu %6s\n",
			s->fio_entries ? 100.0 * s->joined / s->fio_entries : 0,
			(unsigned long long)s->lost_events, s->tiers);
	}
	for (i = 0; i < n; i++)
		if (!rows[i].merges_observed) {
			fprintf(f, "\nmerges and splits were not observed in this tier (needs fentry, kprobes\n"
				   "or the tracepoints of patches/): waste and churn are n/a, not 0;\n"
				   "PRE_IO splits and conversions are counted from ext4_ext_map_blocks.\n");
			break;
		}
}
