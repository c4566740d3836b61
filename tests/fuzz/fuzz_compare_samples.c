// SPDX-License-Identifier: GPL-2.0
/*
 * compare's and plot's readers of a run on arbitrary bytes: the same bytes
 * as a run's ios.csv, events.csv and summary.csv, loaded as per-IO samples
 * (with the unattributed splits and merges spread), tested, and plotted.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "compare/samples.h"
#include "plot/data.h"
#include "run/results_dir.h"
#include "util/macros.h"

static char dir[64];

static int put(const char *name, const uint8_t *data, size_t size)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fwrite(data, 1, size, f);
	return fclose(f);
}

/* The run directory goes when the fuzzer does. */
static void cleanup(void)
{
	static const char *const files[] = {
		"ios.csv", "events.csv", "summary.csv", "out.csv",
	};
	char path[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void use(const struct samples *s)
{
	const struct estimator e[] = {
		{ EST_PERCENTILE, IOC_LAT, 99.9 }, { EST_MEAN, IOC_SPLIT, 1000 },
		{ EST_RUN_MEAN, -1, 1 },
	};
	struct wasted_bins wb = { .icount = false };
	const struct samples *k[2] = { s, s };
	struct boot_opts o = { .reps = 20, .conf = 0.95, .seed = 1 };
	struct boot_diff d[6];
	char out[128];
	double *v, bin, max;
	struct mwu u;
	size_t n;
	bool w;

	bootstrap_diff(k, 2, e, 3, &o, 1, d);
	v = samples_values(s, IOC_LAT, &n);
	if (v && n)
		mann_whitney(v, n, v, n, &u);
	free(v);
	snprintf(out, sizeof(out), "%s/out.csv", dir);
	plot_write_cdf(out, s);
	plot_write_wasted(out, k, 1, &wb);
	plot_write_scatter(out, s, 100, &w);
	plot_write_timeline(out, dir, true, &bin, &max);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run_list runs = { .n = 1 };
	char err[256], *d = dir;
	struct csv_table t;
	struct samples s;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s/dioscope-fuzz-run.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir)) {
			dir[0] = '\0';
			return 0;
		}
		atexit(cleanup);
	}
	if (put("ios.csv", data, size) || put("events.csv", data, size) ||
	    put("summary.csv", data, size))
		return 0;
	runs.dir = &d;
	if (!samples_load(&runs, true, &s, err, sizeof(err))) {
		use(&s);
		samples_free(&s);
	}
	snprintf(err, sizeof(err), "%s/summary.csv", dir);
	if (!csv_table_read(err, &t)) {
		(void)csv_table_get(&t, 0, "iops");
		csv_table_free(&t);
	}
	return 0;
}
