// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <time.h>
#include "bench/env.h"
#include "run/clock_kind.h"
#include "bench/fiemap.h"
#include "bench/run_meta.h"
#include "util/parse.h"

/* the matrix refuses a block size that does not parse */
static unsigned long long bs_bytes(const char *bs)
{
	unsigned long long v = 0;

	parse_size(bs, &v);
	return v;
}

void bench_run_meta(const struct bench *b, const struct bench_cell *c,
		    const struct bench_arm *a, unsigned int run, struct meta *m)
{
	char opts[256];

	meta_set(m, "scenario", "%s", c->id);
	meta_set(m, "scenario_base", "%s", c->sc->name);
	meta_set(m, "variant", "%s", c->var->name);
	meta_set(m, "block_size_bytes", "%llu", bs_bytes(c->bs));
	meta_set(m, "size_bytes", "%llu", b->o.size);
	meta_set(m, "runtime_s", "%u", b->o.runtime);
	meta_set(m, "mount_options", "%s", c->var->mount[0] ? c->var->mount : "defaults");
	bench_mount_options(b->fs.mnt, opts, sizeof(opts));
	meta_set(m, "mount_effective", "%s", opts);
	meta_set(m, "mkfs_options", "%s", c->var->mkfs[0] ? c->var->mkfs : "-");
	meta_set(m, "fio_version", "%s", b->fio_ver);
	meta_set(m, "run", "%u", run);
	meta_set(m, "runs", "%u", b->o.runs);
	meta_set(m, "fs_block_size", "%lu", scratch_block_size(&b->fs));
	meta_set(m, "device", "%s", b->fs.loop ? "loop" : b->fs.dev);
	meta_set(m, "emulated", "%s", run_emulated() ? "yes" : "no");
	meta_set(m, "clock", "%s", run_clock());
	meta_set(m, "virtualized", "%s", run_virtualized() ? "yes" : "no");
	meta_set(m, "tracer_attach_ms", "%ld", b->tracer_ms);
	meta_set(m, "merge_guard", "%s", merge_guard_state(b->fs.dev));
	if (a->name)
		meta_set(m, "arm", "%s", a->name);
	machine_meta(&b->machine, m);
}

/*
 * When the run started, by the wall clock: compare reads from it whether
 * the runs of two arms were interleaved or one set ran after the other.
 */
void bench_start_meta(struct meta *m)
{
	struct timespec ts;
	struct tm tm;
	char iso[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	meta_set(m, "run_start_ns", "%llu",
		 (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec);
	meta_set(m, "run_start", "%s", iso);
}

void bench_extent_meta(struct meta *m, const char *when, const char *file)
{
	struct extent_count ext;
	char key[64];

	if (fiemap_count(file, &ext))
		return;
	snprintf(key, sizeof(key), "extents_%s", when);
	meta_set(m, key, "%lu", ext.extents);
	snprintf(key, sizeof(key), "unwritten_extents_%s", when);
	meta_set(m, key, "%lu", ext.unwritten);
	snprintf(key, sizeof(key), "unwritten_bytes_%s", when);
	meta_set(m, key, "%llu", ext.unwritten_bytes);
	snprintf(key, sizeof(key), "mapped_bytes_%s", when);
	meta_set(m, key, "%llu", ext.bytes);
}
