// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/path.h"
#include "run/tree.h"

#define MAX_RUNS_SEEN 1024

int tree_path(char *buf, size_t len, const char *dir, const char *name)
{
	return path_fmt(buf, len, "%s/%s", dir, name);
}

bool tree_has(const char *dir, const char *name)
{
	char p[PATH_MAX];

	return !tree_path(p, sizeof(p), dir, name) && access(p, F_OK) == 0;
}

int tree_run_dir(char *buf, size_t len, const char *root,
		 const char *scenario, unsigned int run)
{
	return path_fmt(buf, len, "%s/%s/" RUN_PREFIX "%u", root, scenario,
			run);
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
		char p[PATH_MAX];

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
