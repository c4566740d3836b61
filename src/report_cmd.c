// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope report DIR: reads back a run (DIR/meta), a scenario (DIR/run-*)
 * or a bench's results (DIR/<scenario>/run-*), rewrites the CSVs and
 * prints the summary.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "export.h"
#include "summary.h"

#define MAX_SCENARIOS 256
#define MAX_RUNS 100

static void usage(FILE *f)
{
	fprintf(f,
"usage: dioscope report DIR\n"
"\n"
"DIR is a run directory (with meta and events.bin, as record and bench\n"
"write them), a scenario directory (with run-*/), or a results directory\n"
"(with <scenario>/run-*/). Correlates each run's events with fio's per-IO\n"
"logs, (re)writes ios.csv, events.csv and summary.csv, and prints the\n"
"summary per scenario. Incomplete runs are read as far as they go.\n");
}

static bool has(const char *dir, const char *name)
{
	char p[4200];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Subdirectories of dir whose name starts with prefix ("" for any). */
static int subdirs(const char *dir, const char *prefix, char **out, int max)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return -errno;
	while ((d = readdir(dp)) && n < max) {
		char p[4200];

		if (d->d_name[0] == '.' || strncmp(d->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, d->d_name);
		if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
			continue;
		out[n++] = strdup(p);
	}
	closedir(dp);
	qsort(out, n, sizeof(*out), cmp_str);
	return n;
}

static int report_run(const char *dir, struct run_analysis *ra)
{
	int err = run_analyse(dir, ra);

	if (err) {
		fprintf(stderr, "dioscope report: %s\n", ra->error);
		return err;
	}
	if (ra->truncated_bytes)
		fprintf(stderr, "dioscope report: %s: the last %llu bytes are a partial event (interrupted run)\n",
			dir, (unsigned long long)ra->truncated_bytes);
	err = export_run(ra);
	if (err)
		fprintf(stderr, "dioscope report: writing the CSVs of %s: %s\n",
			dir, strerror(-err));
	return err;
}

/* The runs of one scenario directory, summed into *s. */
static int report_scenario(const char *dir, struct summary *s)
{
	static struct run_analysis ra[MAX_RUNS];
	char *runs[MAX_RUNS];
	int n, i, ok = 0, err = 0;

	n = subdirs(dir, "run-", runs, MAX_RUNS);
	for (i = 0; i < n; i++) {
		if (!report_run(runs[i], &ra[ok]))
			ok++;
		free(runs[i]);
	}
	if (!ok)
		return -ENOENT;
	err = summary_of_runs(ra, ok, s);
	for (i = 0; i < ok; i++)
		run_analysis_free(&ra[i]);
	return err;
}

int cmd_report(int argc, char **argv)
{
	static struct summary rows[MAX_SCENARIOS];
	static struct run_analysis one;
	char *scen[MAX_SCENARIOS], path[4200];
	const char *dir;
	int n = 0, i, ns;

	if (argc != 2 || argv[1][0] == '-') {
		if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
			usage(stdout);
			return 0;
		}
		usage(stderr);
		return 2;
	}
	dir = argv[1];
	if (access(dir, R_OK)) {
		fprintf(stderr, "dioscope report: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (has(dir, "meta")) {
		if (report_run(dir, &one))
			return 1;
		summary_of_runs(&one, 1, &rows[0]);
		summary_print(stdout, rows, 1);
		run_analysis_free(&one);
		return 0;
	}
	if (has(dir, "run-1")) {
		if (report_scenario(dir, &rows[0]))
			return 1;
		summary_print(stdout, rows, 1);
		return 0;
	}
	ns = subdirs(dir, "", scen, MAX_SCENARIOS);
	for (i = 0; i < ns; i++) {
		if (has(scen[i], "run-1") && !report_scenario(scen[i], &rows[n]))
			n++;
		free(scen[i]);
	}
	if (!n) {
		fprintf(stderr, "dioscope report: %s holds no run (no meta, run-*/ or <scenario>/run-*/)\n",
			dir);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	summary_write_csv(rows, n, path);
	summary_print(stdout, rows, n);
	return 0;
}
