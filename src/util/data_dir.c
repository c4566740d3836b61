// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/data_dir.h"

/* make passes the installed directories; other builds get its defaults */
#ifndef DS_DATADIR
#define DS_DATADIR "/usr/local/share/dioscope"
#endif
#ifndef DS_LIBDIR
#define DS_LIBDIR "/usr/local/lib/dioscope"
#endif

static bool has_matrix(const char *root)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/bench/matrix", root);
	return !access(path, R_OK);
}

void data_dir_find_in(struct data_dir *d, const char *env, const char *exe,
		      const char *installed)
{
	const char *slash;

	if (env && env[0]) {
		d->source = DATA_ENV;
		snprintf(d->root, sizeof(d->root), "%s", env);
		return;
	}
	slash = exe ? strrchr(exe, '/') : NULL;
	if (slash) {
		snprintf(d->root, sizeof(d->root), "%.*s",
			 (int)(slash - exe), exe);
		if (!d->root[0])
			snprintf(d->root, sizeof(d->root), "/");
		d->source = DATA_CHECKOUT;
		if (has_matrix(d->root))
			return;
	}
	snprintf(d->root, sizeof(d->root), "%s", installed);
	d->source = has_matrix(installed) ? DATA_INSTALLED : DATA_NONE;
}

const struct data_dir *data_dir(void)
{
	static struct data_dir d;
	static bool found;
	char exe[PATH_MAX];
	ssize_t n;

	if (found)
		return &d;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	data_dir_find_in(&d, getenv(DATA_DIR_ENV), n > 0 ? exe : NULL,
			 DS_DATADIR);
	found = true;
	return &d;
}

const char *data_source_name(enum data_source s)
{
	switch (s) {
	case DATA_ENV:
		return "$" DATA_DIR_ENV;
	case DATA_CHECKOUT:
		return "the checkout";
	case DATA_INSTALLED:
		return "installed";
	default:
		return "not found";
	}
}

void data_dir_sub(const struct data_dir *d, const char *sub, char *buf,
		  size_t len)
{
	snprintf(buf, len, "%s/%s", d->root, sub);
}

int data_helper_in(const char *bench_dir, const char *libdir,
		   const char *name, char *buf, size_t len)
{
	char lib[PATH_MAX];

	snprintf(lib, sizeof(lib), "%s/%s", libdir, name);
	snprintf(buf, len, "%s/%s", bench_dir, name);
	if (!access(buf, X_OK))
		return 0;
	if (!access(lib, X_OK)) {
		snprintf(buf, len, "%s", lib);
		return 0;
	}
	return -ENOENT;
}

int data_helper(const char *bench_dir, const char *name, char *buf,
		size_t len)
{
	return data_helper_in(bench_dir, DS_LIBDIR, name, buf, len);
}

const char *data_installed_dir(void)
{
	return DS_DATADIR;
}

const char *data_installed_libdir(void)
{
	return DS_LIBDIR;
}
