// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/fs.h"
#include "util/path.h"

static int make_one(const char *path, char *made, size_t len)
{
	if (!mkdir(path, 0755)) {
		if (made && !*made)
			snprintf(made, len, "%s", path);
		return 0;
	}
	return errno == EEXIST ? 0 : -errno;
}

int mkdir_p_made(const char *dir, char *made, size_t len)
{
	char path[PATH_MAX], *p;
	int err;

	if (made && len)
		*made = '\0';
	if (path_fmt(path, sizeof(path), "%s", dir))
		return -ENAMETOOLONG;
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		err = make_one(path, made, len);
		if (err)
			return err;
		*p = '/';
	}
	return make_one(path, made, len);
}

int mkdir_p(const char *dir)
{
	return mkdir_p_made(dir, NULL, 0);
}

void rmdir_made(const char *dir, const char *made)
{
	size_t n, stop = strlen(made);
	char path[PATH_MAX], *slash;

	if (!stop || path_fmt(path, sizeof(path), "%s", dir))
		return;
	for (;;) {
		n = strlen(path);
		while (n > 1 && path[n - 1] == '/')
			path[--n] = '\0';
		/* made is a prefix of dir: never above it */
		if (n < stop || strncmp(path, made, stop) || rmdir(path) ||
		    n == stop)
			return;
		slash = strrchr(path, '/');
		if (!slash)
			return;
		*slash = '\0';
	}
}
