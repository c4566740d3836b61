// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "run/tree.h"

#define MAX_RUNS_SEEN 1024

int tree_path(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

bool tree_has(const char *dir, const char *name)
{
	char p[4200];

	return !tree_path(p, sizeof(p), dir, name) && access(p, F_OK) == 0;
}

/* The names a run directory holds, record's and report's. */
static bool run_file_name(const char *name)
{
	static const char *const names[] = {
		RUN_META, RUN_EVENTS, RUN_SUMMARY, "fio.json", "counts.csv",
		"prog_stats.csv", "event_counts.csv", "ios.csv", "events.csv",
		"inodes.csv",
	};
	size_t i, n = strlen(name);

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return !strncmp(name, "fio_", 4) && n > 4 && !strcmp(name + n - 4, ".log");
}

bool tree_run_file(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4200];

	if (!run_file_name(slash ? slash + 1 : path))
		return false;
	if (!slash)
		return tree_has(".", RUN_META);
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path),
		 path);
	return tree_has(dir, RUN_META);
}

int tree_run_dir(char *buf, size_t len, const char *root,
		 const char *scenario, unsigned int run)
{
	int n = snprintf(buf, len, "%s/%s/" RUN_PREFIX "%u", root, scenario, run);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

unsigned long tree_run_number(const char *name)
{
	size_t k = strlen(RUN_PREFIX);
	unsigned long j;
	char *end;

	if (strncmp(name, RUN_PREFIX, k) || name[k] < '1' || name[k] > '9')
		return 0;
	errno = 0;
	j = strtoul(name + k, &end, 10);
	return *end || errno ? 0 : j;
}

static int cmp_runs(const void *a, const void *b)
{
	const char *x = strrchr(*(char *const *)a, '/') + 1;
	const char *y = strrchr(*(char *const *)b, '/') + 1;
	unsigned long nx = tree_run_number(x), ny = tree_run_number(y);

	return (nx > ny) - (nx < ny);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int tree_subdirs(const char *dir, bool runs, char **out, int max)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return -errno;
	while ((d = readdir(dp)) && n < max) {
		char p[4200];

		if (d->d_name[0] == '.' || (runs && !tree_run_number(d->d_name)))
			continue;
		if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
			continue;
		if (tree_path(p, sizeof(p), dir, d->d_name))
			continue;
		out[n] = strdup(p);
		if (out[n])
			n++;
	}
	closedir(dp);
	qsort(out, n, sizeof(*out), runs ? cmp_runs : cmp_str);
	return n;
}

bool tree_has_runs(const char *dir)
{
	static char *runs[MAX_RUNS_SEEN];
	int n = tree_subdirs(dir, true, runs, MAX_RUNS_SEEN), i;

	for (i = 0; i < n; i++)
		free(runs[i]);
	return n > 0;
}
