// SPDX-License-Identifier: GPL-2.0
/* The runs of one scenario summed up. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/macros.h"
#include "util/stats.h"
#include "util/path.h"
#include "run/summary.h"

const double summary_pcts[SUMMARY_NPCT] = { 50, 90, 99, 99.9 };

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

/* 0, or -ENAMETOOLONG for a scenario name longer than its column */
static int identity(struct summary *s, const struct run_analysis *ra)
{
	const struct meta *m = &ra->meta;
	const char *base = strrchr(ra->dir, '/');

	/* a plain recording has no scenario: its directory names it */
	if (path_fmt(s->scenario, sizeof(s->scenario), "%s",
		     meta_or(m, "scenario", base ? base + 1 : ra->dir)))
		return -ENAMETOOLONG;
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
	return 0;
}

static void add_bpf_cost(struct summary *s, const struct meta *m)
{
	__u64 ns, runs, misses;

	/* a counter absent or "unknown" is not counted */
	if (!meta_get_u64(m, "bpf_run_time_ns", &ns) &&
	    !meta_get_u64(m, "bpf_runs", &runs)) {
		s->bpf_run_time_ns += ns;
		s->bpf_runs += runs;
	} else {
		s->bpf_timed = false;
	}
	if (!meta_get_u64(m, "kretprobe_missed", &ns))
		s->kretprobe_missed += ns;
	else
		s->kret_counted = false;
	if (!meta_get_u64(m, "bpf_recursion_misses", &misses))
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
	s->wasted_cpu_ns += t->wasted_cpu_ns;
	s->wasted_nested += t->wasted_nested;
	s->wasted_cpu_unknown += t->wasted_cpu_unknown;
	s->work_cpu_ns += ra->work_cpu_ns;
	s->work_nested += ra->work_nested;
	s->work_cpu_unknown += ra->work_cpu_unknown;
	/* runs recorded before time off the CPU was measured lack the key */
	s->offcpu_measured &= !strcmp(meta_get(&ra->meta, "offcpu") ?: "",
				      "sched_switch");
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

/*
 * Only the ranks read below are put in place: selecting them is a few
 * passes over the latencies where sorting 10 million took six, and it
 * needs no second array as large.
 */
static void select_ranks(double *lat, size_t n)
{
	size_t ranks[3 * SUMMARY_NPCT];
	unsigned int i;

	for (i = 0; i < SUMMARY_NPCT; i++) {
		ranks[3 * i] = stats_percentile_rank(n, summary_pcts[i]);
		stats_percentile_ci_ranks(n, summary_pcts[i], STATS_CONFIDENCE,
					  &ranks[3 * i + 1], &ranks[3 * i + 2]);
	}
	stats_select(lat, n, ranks, ARRAY_SIZE(ranks));
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
	/*
	 * whole numbers of ns: the sum is exact whatever their order, and
	 * added as integers, not through a double and back for each
	 */
	for (i = 0; i < total; i++)
		s->lat_joined_ns += (__u64)lat[i];
	select_ranks(lat, total);
	for (i = 0; i < SUMMARY_NPCT; i++) {
		s->lat[i] = stats_percentile(lat, total, summary_pcts[i]);
		stats_percentile_ci(lat, total, summary_pcts[i], STATS_CONFIDENCE,
				    &s->lat_lo[i], &s->lat_hi[i]);
	}
	/* the sum above is exact for whole ns: no second pass for the mean */
	s->lat_mean = total ? (double)s->lat_joined_ns / total : NAN;
	if (lat != runs[0].lat)
		free(lat);
	return 0;
}

int summary_of_runs(struct run_analysis *runs, unsigned int n,
		    struct summary *s)
{
	unsigned int r;
	int err;

	memset(s, 0, sizeof(*s));
	if (!n)
		return -EINVAL;
	err = identity(s, &runs[0]);
	if (err)
		return err;
	s->merges_observed = s->offcpu_measured = true;
	s->bpf_timed = s->bpf_misses_counted = s->kret_counted = true;
	s->kernel_view = true;
	for (r = 0; r < n; r++)
		add_run(s, &runs[r]);
	if (s->kernel_view)
		s->iops = s->kernel_runs ? s->kernel_iops / s->kernel_runs : NAN;
	else
		s->iops = s->fio_runs ? s->iops / s->fio_runs : NAN;
	snprintf(s->latency_source, sizeof(s->latency_source), "%s",
		 s->kernel_view ? SUMMARY_LAT_KERNEL : SUMMARY_LAT_FIO);
	return latency(s, runs, n);
}

bool summary_has(const struct summary *rows, unsigned int n,
		 const char *scenario)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].scenario, scenario))
			return true;
	return false;
}
