// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "run/tree.h"
#include "run/union.h"
#include "util/fs.h"

/* release/scenario/run, under an arm and a kernel's directory at most */
#define UNION_DEPTH 6

struct found {
	char *rel, *real;
	int tree;
};

struct found_list {
	struct found *v;
	size_t n, cap;
};

static int add_found(struct found_list *l, const char *rel, const char *path,
		     int tree)
{
	char real[PATH_MAX];
	struct found *v;

	if (!realpath(path, real))
		return -errno;
	if (l->n == l->cap) {
		v = realloc(l->v, (l->cap ? l->cap * 2 : 64) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = l->cap ? l->cap * 2 : 64;
	}
	l->v[l->n].rel = strdup(rel);
	l->v[l->n].real = strdup(real);
	l->v[l->n].tree = tree;
	if (!l->v[l->n].rel || !l->v[l->n].real) {
		free(l->v[l->n].rel);
		free(l->v[l->n].real);
		return -ENOMEM;
	}
	l->n++;
	return 0;
}

static void found_free(struct found_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].rel);
		free(l->v[i].real);
	}
	free(l->v);
}

/* The run directories under dir, rel being dir's path in its tree. */
static int walk(const char *dir, const char *rel, int tree, int depth,
		struct found_list *l)
{
	struct tree_names sub;
	char next[PATH_MAX];
	const char *name;
	int n, i, err = 0;

	n = tree_list(dir, false, &sub);
	if (n < 0)
		return n;
	for (i = 0; i < n && !err; i++) {
		name = strrchr(sub.v[i], '/') + 1;
		if (snprintf(next, sizeof(next), "%s%s%s", rel, *rel ? "/" : "",
			     name) >= (int)sizeof(next))
			err = -ENAMETOOLONG;
		else if (tree_run_number(name))
			err = add_found(l, next, sub.v[i], tree);
		else if (depth < UNION_DEPTH)
			err = walk(sub.v[i], next, tree, depth + 1, l);
	}
	tree_names_free(&sub);
	return err;
}

static int cmp_rel(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	return strcmp(x->rel, y->rel);
}

/* dst new or empty: a union is made whole, never over another. */
static int dst_free(const char *dst)
{
	struct tree_names l;
	int n;

	if (access(dst, F_OK))
		return errno == ENOENT ? 0 : -errno;
	n = tree_list(dst, false, &l);
	tree_names_free(&l);
	if (n < 0)
		return n;
	return n ? -EEXIST : 0;
}

static int link_all(const struct found_list *l, const char *dst, char *err,
		    size_t len)
{
	char path[PATH_MAX], *slash;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", dst, l->v[i].rel) >=
		    (int)sizeof(path)) {
			snprintf(err, len, "%s/%s: the path is too long", dst,
				 l->v[i].rel);
			return -ENAMETOOLONG;
		}
		slash = strrchr(path, '/');
		*slash = '\0';
		if (mkdir_p(path) || (*slash = '/', symlink(l->v[i].real, path))) {
			snprintf(err, len, "%s: %s", path, strerror(errno));
			return -errno;
		}
	}
	return 0;
}

static int check_twice(const struct found_list *l, const char *const *trees,
		       char *err, size_t len)
{
	size_t i;

	for (i = 1; i < l->n; i++) {
		if (strcmp(l->v[i - 1].rel, l->v[i].rel))
			continue;
		snprintf(err, len, "%s is in %s and in %s: the same run of a cell twice (a job run twice?); refused, keep one",
			 l->v[i].rel, trees[l->v[i - 1].tree],
			 trees[l->v[i].tree]);
		return -EEXIST;
	}
	return 0;
}

int tree_union(const char *const *trees, int n, const char *dst, char *err,
	       size_t len)
{
	struct found_list l = { 0 };
	int i, rc;

	rc = dst_free(dst);
	if (rc) {
		snprintf(err, len, rc == -EEXIST ?
			 "%s is not empty: a union is made into a new directory" :
			 "%s: %s", dst, strerror(-rc));
		return rc;
	}
	for (i = 0, rc = 0; i < n && !rc; i++) {
		rc = walk(trees[i], "", i, 1, &l);
		if (rc)
			snprintf(err, len, "%s: %s", trees[i], strerror(-rc));
	}
	if (!rc && !l.n) {
		snprintf(err, len, "no run directory (run-<j>/) in any of the trees");
		rc = -ENOENT;
	}
	if (!rc) {
		qsort(l.v, l.n, sizeof(*l.v), cmp_rel);
		rc = check_twice(&l, trees, err, len);
	}
	if (!rc)
		rc = link_all(&l, dst, err, len);
	found_free(&l);
	return rc ? rc : (int)l.n;
}
