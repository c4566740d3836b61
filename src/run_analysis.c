// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "record_file.h"
#include "run_analysis.h"

static int load_events(struct run_analysis *ra)
{
	struct record_reader r;
	char path[4200];
	size_t cap = 0;
	int rc;

	snprintf(path, sizeof(path), "%s/events.bin", ra->dir);
	if (record_reader_open(&r, path)) {
		snprintf(ra->error, sizeof(ra->error), "%s", r.error);
		return -EINVAL;
	}
	for (;;) {
		if (ra->nev == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			struct ds_event *n = realloc(ra->ev, ncap * sizeof(*n));

			if (!n) {
				record_reader_close(&r);
				return -ENOMEM;
			}
			ra->ev = n;
			cap = ncap;
		}
		rc = record_reader_next(&r, &ra->ev[ra->nev]);
		if (rc <= 0)
			break;
		ra->nev++;
	}
	ra->truncated_bytes = r.truncated_bytes;
	record_reader_close(&r);
	if (rc < 0) {
		snprintf(ra->error, sizeof(ra->error), "%s: %s", path, r.error);
		return rc;
	}
	return 0;
}

/* fio's per-job latency logs: <name>_lat.<job>.log, jobs from 1 */
static int load_fio_logs(struct run_analysis *ra)
{
	char pattern[4200];
	glob_t g;
	size_t i;
	int err = 0;

	snprintf(pattern, sizeof(pattern), "%s/*_lat.*.log", ra->dir);
	if (glob(pattern, 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc && !err; i++) {
		const char *p = strrchr(g.gl_pathv[i], '_');
		unsigned int job;

		if (!p || sscanf(p, "_lat.%u.log", &job) != 1 || !job)
			continue;
		err = fio_log_read(&ra->log, g.gl_pathv[i], job - 1);
		if (err)
			snprintf(ra->error, sizeof(ra->error), "%s",
				 ra->log.error);
	}
	globfree(&g);
	return err;
}

static bool tier_seen(const struct meta *m, const char *target)
{
	char key[64];
	const char *v;

	snprintf(key, sizeof(key), "tier.%s", target);
	v = meta_get(m, key);
	return v && strcmp(v, "-");
}

int run_analyse(const char *dir, struct run_analysis *ra)
{
	char path[4200];
	const char *bs;
	int err;

	memset(ra, 0, sizeof(*ra));
	snprintf(ra->dir, sizeof(ra->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/meta", dir);
	err = meta_read(&ra->meta, path);
	if (err) {
		snprintf(ra->error, sizeof(ra->error), "%s: %s", path,
			 err == -EINVAL ? "not a meta file" : strerror(-err));
		return err;
	}
	bs = meta_get(&ra->meta, "fs_block_size");
	ra->blkbits = 12;
	if (bs)
		for (ra->blkbits = 9; ra->blkbits < 16 &&
		     (1u << ra->blkbits) < strtoul(bs, NULL, 10); ra->blkbits++)
			;
	ra->merges_observed = tier_seen(&ra->meta, "merge") &&
			      tier_seen(&ra->meta, "split");
	err = load_events(ra);
	if (err)
		return err;
	err = correlate(ra->ev, ra->nev, ra->blkbits, &ra->corr);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/fio.json", dir);
	ra->have_fio = fio_json_read(path, &ra->fio) == 0;
	err = load_fio_logs(ra);
	if (err)
		return err;
	return fio_join(&ra->log, &ra->corr, &ra->join);
}

double *run_latencies(const struct run_analysis *ra, size_t *n)
{
	double *v = malloc((ra->log.n ? ra->log.n : 1) * sizeof(*v));
	size_t i;

	*n = 0;
	if (!v)
		return NULL;
	for (i = 0; i < ra->log.n; i++)
		if (ra->log.ios[i].joined)
			v[(*n)++] = ra->log.ios[i].lat_ns;
	return v;
}

void run_analysis_free(struct run_analysis *ra)
{
	meta_free(&ra->meta);
	free(ra->ev);
	correlation_free(&ra->corr);
	fio_log_free(&ra->log);
	ra->ev = NULL;
}
