// SPDX-License-Identifier: GPL-2.0
/*
 * Measured recursion misses per kernel, target and tier, kept between
 * runs so that the planner can prefer a tier that does not lose events.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/path.h"
#include "trace/tier_misses.h"
#include "util/atomic_file.h"
#include "util/fileio.h"
#include "util/fs.h"

#define MAX_LINES 512

struct miss_line {
	char release[65];
	char target[32];
	char tier[16];
	unsigned long long misses, runs;
};

const char *tier_misses_path(char *buf, size_t len)
{
	const char *dir = getenv("DIOSCOPE_STATE_DIR");

	path_fmt(buf, len, "%s/tier-misses",
		 dir && *dir ? dir : "/var/lib/dioscope");
	return buf;
}

static int read_lines(const char *path, struct miss_line *l, int max)
{
	char buf[256], why[300];
	FILE *f = fopen_regular(path, why, sizeof(why));
	int n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(buf, sizeof(buf), f)) {
		if (sscanf(buf, "%64s %31s %15s %llu %llu", l[n].release,
			   l[n].target, l[n].tier, &l[n].misses,
			   &l[n].runs) == 5)
			n++;
	}
	fclose(f);
	return n;
}

void tier_misses_load(struct kernel_facts *kf, const char *path)
{
	static struct miss_line l[MAX_LINES];
	const struct target_def *def;
	enum ds_tier tier;
	int i, n = read_lines(path, l, MAX_LINES);

	for (i = 0; i < n; i++) {
		if (strcmp(l[i].release, kf->release))
			continue;
		def = target_by_name(l[i].target);
		if (!def || tier_parse(l[i].tier, &tier) ||
		    tier > DS_TIER_TRACEPOINT)
			continue;
		kf->t[def->id].missed[tier] += l[i].misses;
		kf->t[def->id].missed_runs[tier] += l[i].runs;
	}
}

static struct miss_line *find(struct miss_line *l, int *n, const char *release,
			      const char *target, const char *tier)
{
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(l[i].release, release) &&
		    !strcmp(l[i].target, target) && !strcmp(l[i].tier, tier))
			return &l[i];
	if (*n >= MAX_LINES)
		return NULL;
	memset(&l[*n], 0, sizeof(l[*n]));
	snprintf(l[*n].release, sizeof(l[*n].release), "%s", release);
	snprintf(l[*n].target, sizeof(l[*n].target), "%s", target);
	snprintf(l[*n].tier, sizeof(l[*n].tier), "%s", tier);
	return &l[(*n)++];
}

static int write_lines(const char *path, const struct miss_line *l, int n)
{
	struct atomic_file af;
	char dir[PATH_MAX], *slash;
	int i, err;

	/* its folders too: a fresh system (or a lab guest) has no /var/lib */
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		err = mkdir_p(dir);
		if (err)
			return err;
	}
	atomic_clean_beside(path);
	err = atomic_open(&af, path);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		fprintf(af.f, "%s %s %s %llu %llu\n", l[i].release, l[i].target,
			l[i].tier, l[i].misses, l[i].runs);
	return atomic_commit(&af, false);
}

int tier_misses_save(const char *path, const char *release,
		     const struct prog_stats *s)
{
	static struct miss_line l[MAX_LINES];
	struct miss_line *m;
	bool any = false;
	int i, n;

	if (!s->misses_counted)
		return 0;
	if (!*path) {
		errno = ENAMETOOLONG;
		return -ENAMETOOLONG;
	}
	for (i = 0; i < s->n; i++)
		any |= s->p[i].target >= 0 && s->p[i].c.recursion_misses;
	if (!any)
		return 0;
	n = read_lines(path, l, MAX_LINES);
	for (i = 0; i < s->n; i++) {
		const struct prog_stat *p = &s->p[i];

		if (p->target < 0 || p->target >= DS_T_MAX || !p->c.recursion_misses)
			continue;
		m = find(l, &n, release, ds_targets[p->target].name,
			 tier_name(p->tier));
		if (!m)
			break;
		m->misses += p->c.recursion_misses;
		m->runs += p->c.runs;
	}
	return write_lines(path, l, n);
}
