// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/path.h"
#include "run/tree.h"
#include "util/macros.h"

int tree_path(char *buf, size_t len, const char *dir, const char *name)
{
	return path_fmt(buf, len, "%s/%s", dir, name);
}

bool tree_has(const char *dir, const char *name)
{
	char p[PATH_MAX];

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

	for (i = 0; i < ARRAY_SIZE(names); i++)
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

void tree_names_free(struct tree_names *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int names_add(struct tree_names *l, char *s)
{
	char **v;

	if (l->n == l->cap) {
		v = realloc(l->v, (l->cap ? l->cap * 2 : 16) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = l->cap ? l->cap * 2 : 16;
	}
	l->v[l->n++] = s;
	return 0;
}

static bool is_dir(const char *path, unsigned char type)
{
	struct stat st;

	if (type == DT_DIR)
		return true;
	if (type != DT_LNK && type != DT_UNKNOWN)
		return false;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int tree_list(const char *dir, bool runs, struct tree_names *out)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int err = 0;
	char *p;

	memset(out, 0, sizeof(*out));
	if (!dp)
		return -errno;
	while (!err && (d = readdir(dp))) {
		if (d->d_name[0] == '.' || (runs && !tree_run_number(d->d_name)))
			continue;
		if (asprintf(&p, "%s/%s", dir, d->d_name) < 0) {
			err = -ENOMEM;
			break;
		}
		if (!is_dir(p, d->d_type)) {
			free(p);
			continue;
		}
		err = names_add(out, p);
		if (err)
			free(p);
	}
	closedir(dp);
	if (err) {
		tree_names_free(out);
		return err;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), runs ? cmp_runs : cmp_str);
	return out->n;
}

int tree_subdirs(const char *dir, bool runs, char **out, int max)
{
	struct tree_names l;
	int n = tree_list(dir, runs, &l), i;

	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (i < max)
			out[i] = l.v[i];
		else
			free(l.v[i]);
	}
	free(l.v);
	return n < max ? n : max;
}

bool tree_has_runs(const char *dir)
{
	struct tree_names l;
	int n = tree_list(dir, true, &l);

	tree_names_free(&l);
	return n > 0;
}
