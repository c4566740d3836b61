// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/csv.h"
#include "util/err.h"
#include "util/path.h"
#include "run/results_dir.h"
#include "run/tree.h"
#include "util/fileio.h"

static char **copy_fields(const struct csv_reader *rd, int n)
{
	char **v = calloc(n, sizeof(*v));
	int i;

	if (!v)
		return NULL;
	for (i = 0; i < n; i++) {
		v[i] = strdup(rd->fields[i]);
		if (!v[i])
			goto fail;
	}
	return v;
fail:
	while (i--)
		free(v[i]);
	free(v);
	return NULL;
}

static void free_row(char **row, int n)
{
	int i;

	if (!row)
		return;
	for (i = 0; i < n; i++)
		free(row[i]);
	free(row);
}

static int add_row(struct csv_table *t, char **row)
{
	char ***rows = realloc(t->rows, (t->nrows + 1) * sizeof(*rows));

	if (!rows)
		return -ENOMEM;
	t->rows = rows;
	t->rows[t->nrows++] = row;
	return 0;
}

int csv_table_read(const char *path, struct csv_table *t)
{
	struct csv_reader rd;
	char why[PATH_MAX + 64];
	/* a FIFO is refused, not waited on */
	FILE *f = fopen_regular(path, why, sizeof(why));
	int rc, err = 0;

	memset(t, 0, sizeof(*t));
	if (!f)
		return -errno;
	csv_reader_init(&rd, f);
	while (!err && (rc = csv_read(&rd)) > 0) {
		char **row;

		/* every row as wide as the header, or the file is not a table */
		if (t->cols && rd.nfields != t->ncols) {
			err = -EINVAL;
			break;
		}
		row = copy_fields(&rd, rd.nfields);
		if (!row) {
			err = -ENOMEM;
		} else if (!t->cols) {
			t->cols = row;
			t->ncols = rd.nfields;
		} else {
			err = add_row(t, row);
			if (err)
				free_row(row, rd.nfields);
		}
	}
	if (!err && (rc < 0 || !t->cols))
		err = -EINVAL;
	csv_reader_free(&rd);
	fclose(f);
	if (err)
		csv_table_free(t);
	return err;
}

void csv_table_free(struct csv_table *t)
{
	int j;

	for (j = 0; j < t->nrows && t->rows; j++)
		free_row(t->rows[j], t->ncols);
	free(t->rows);
	free_row(t->cols, t->ncols);
	memset(t, 0, sizeof(*t));
}

const char *csv_table_get(const struct csv_table *t, int row, const char *col)
{
	int i;

	if (row < 0 || row >= t->nrows)
		return NULL;
	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], col))
			return t->rows[row][i];
	return NULL;
}

static bool has_summary(const char *dir)
{
	char path[PATH_MAX + 16];
	struct stat st;

	tree_path(path, sizeof(path), dir, RUN_SUMMARY);
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* The one subdirectory of dir holding a summary.csv: 1 found, 0 none, -1 several. */
static int only_child_results(const char *dir, char *out, size_t len)
{
	char sub[PATH_MAX];
	struct dirent *e;
	int found = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (!has_summary(sub))
			continue;
		if (found++)
			break;
		snprintf(out, len, "%s", sub);
	}
	closedir(d);
	return found > 1 ? -1 : found;
}

/* 0, or -ENAMETOOLONG when the release does not fit its column */
static int label_kernel(struct results *r)
{
	const char *rel = csv_table_get(&r->sum, 0, "kernel_release");
	int j;

	for (j = 0; j < r->sum.nrows; j++) {
		const char *em = csv_table_get(&r->sum, j, "emulated");
		const char *ck = csv_table_get(&r->sum, j, "clock");

		r->emulated |= em && !strcmp(em, "yes");
		r->icount |= ck && !strcmp(ck, "icount");
	}
	/* a tree without the release column is named by its directory */
	if (path_fmt(r->release, sizeof(r->release), "%s",
		     rel && *rel ? rel : strrchr(r->dir, '/') ?
		     strrchr(r->dir, '/') + 1 : r->dir))
		return -ENAMETOOLONG;
	return path_fmt(r->label, sizeof(r->label), "%s%s", r->release,
			r->icount ? " (emulated, icount)" :
			r->emulated ? " (emulated)" : "");
}

int results_open(struct results *r, const char *path, char *err, size_t len)
{
	char summary[PATH_MAX + 16];
	int rc;

	memset(r, 0, sizeof(*r));
	if (has_summary(path)) {
		if (path_fmt(r->dir, sizeof(r->dir), "%s", path)) {
			snprintf(err, len, "%s: %s", path, strerror(ENAMETOOLONG));
			return -ENAMETOOLONG;
		}
	} else {
		rc = only_child_results(path, r->dir, sizeof(r->dir));
		if (rc <= 0) {
			snprintf(err, len, rc ? "%s holds the results of several kernels: name one, as %s/<kernel-release>"
				 : "%s/summary.csv: not found (run dioscope bench, or name results/<kernel-release>)",
				 path, path);
			return rc ? -EINVAL : -ENOENT;
		}
	}
	rc = tree_path(summary, sizeof(summary), r->dir, RUN_SUMMARY);
	if (!rc)
		rc = csv_table_read(summary, &r->sum);
	if (!rc && !csv_table_get(&r->sum, 0, "scenario") && r->sum.nrows)
		rc = -EINVAL;
	if (rc) {
		snprintf(err, len, "%s: %s", summary, rc == -EINVAL ?
			 "not a summary table (a header with a scenario column, rows as wide)" :
			 strerror(-rc));
		return rc;
	}
	rc = label_kernel(r);
	if (rc) {
		snprintf(err, len, "%s: the kernel release is longer than %zu characters",
			 summary, sizeof(r->release) - 1);
		csv_table_free(&r->sum);
	}
	return rc;
}

void results_close(struct results *r)
{
	csv_table_free(&r->sum);
}

int results_row(const struct results *r, const char *scenario)
{
	int j;

	for (j = 0; j < r->sum.nrows; j++)
		if (!strcmp(csv_table_get(&r->sum, j, "scenario"), scenario))
			return j;
	return -1;
}

const char *results_scenario(const struct results *r, int row)
{
	return csv_table_get(&r->sum, row, "scenario");
}

const char *results_get(const struct results *r, const char *scenario,
			const char *col)
{
	return csv_table_get(&r->sum, results_row(r, scenario), col);
}

bool results_merges_observed(const struct results *r, const char *scenario)
{
	const char *v = results_get(r, scenario, "merges_observed");

	return v && !strcmp(v, "yes");
}

struct numbered {
	unsigned long j;
	char *dir;
};

static int cmp_numbered(const void *a, const void *b)
{
	const struct numbered *x = a, *y = b;

	return (x->j > y->j) - (x->j < y->j);
}

static int sort_runs(struct numbered *v, size_t n, struct run_list *runs)
{
	size_t i;

	qsort(v, n, sizeof(*v), cmp_numbered);
	runs->dir = malloc((n ? n : 1) * sizeof(*runs->dir));
	if (!runs->dir)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		runs->dir[i] = v[i].dir;
	runs->n = n;
	return 0;
}

int results_runs(const struct results *r, const char *scenario,
		 struct run_list *runs)
{
	char path[PATH_MAX + 256], sub[PATH_MAX + 512];
	struct numbered *v = NULL;
	size_t n = 0, i;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int err = 0;

	memset(runs, 0, sizeof(*runs));
	/* a scenario name comes from a file: it must not lead elsewhere */
	if (!*scenario || strchr(scenario, '/') || !strcmp(scenario, ".") ||
	    !strcmp(scenario, ".."))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", r->dir, scenario);
	d = opendir(path);
	if (!d)
		return -errno;
	while (!err && (e = readdir(d))) {
		unsigned long j = tree_run_number(e->d_name);
		struct numbered *nv;

		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (!j || stat(sub, &st) || !S_ISDIR(st.st_mode))
			continue;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv || !(nv[n].dir = strdup(sub))) {
			v = nv ? nv : v;
			err = -ENOMEM;
			break;
		}
		v = nv;
		v[n++].j = j;
	}
	closedir(d);
	if (!err)
		err = sort_runs(v, n, runs);
	if (err)
		for (i = 0; i < n; i++)
			free(v[i].dir);
	free(v);
	return err;
}

void run_list_free(struct run_list *runs)
{
	size_t i;

	for (i = 0; i < runs->n; i++)
		free(runs->dir[i]);
	free(runs->dir);
	memset(runs, 0, sizeof(*runs));
}

/*
 * The lock is the directory's own: flock on it needs no lock file to
 * leave behind, and the kernel lets go of it when its holder dies.
 */
int results_lock(const char *dir, char *err, size_t len)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, len, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		snprintf(err, len, errno == EWOULDBLOCK ?
			 "%s is being written by another dioscope (bench or report): refused, try when it is done" :
			 "%s: lock: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int results_lock_wait(const char *dir, char *err, size_t len)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		snprintf(err, len, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!flock(fd, LOCK_EX | LOCK_NB))
		return fd;
	if (errno == EWOULDBLOCK) {
		ds_err("waiting for the other dioscope writing %s", dir);
		if (!flock(fd, LOCK_EX))
			return fd;
	}
	/* EINTR too: a signal while waiting stops the wait */
	snprintf(err, len, "%s: lock: %s", dir, strerror(errno));
	close(fd);
	return -1;
}

void results_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* A bench's -o is at most this far above a run: out/<release>/<scenario>/run-<j> */
#define LOCK_LEVELS 4

static bool locked(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool held;

	if (fd < 0)
		return false;
	held = flock(fd, LOCK_SH | LOCK_NB) && errno == EWOULDBLOCK;
	close(fd);
	return held;
}

int results_busy(const char *dir, char *err, size_t len)
{
	char path[PATH_MAX], *slash;
	int level;

	if (!realpath(dir, path))
		return 0;
	for (level = 0; level < LOCK_LEVELS && path[1]; level++) {
		if (locked(path)) {
			snprintf(err, len,
				 "%s: run is being written (%s is locked by a bench or report): refused, try when it is done",
				 dir, path);
			return 1;
		}
		slash = strrchr(path, '/');
		if (slash == path)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	return 0;
}
