// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/path.h"
#include "bench/env.h"
#include "run/tree.h"

void bench_tool_version(const char *prog, char *out, size_t len)
{
	char cmd[PATH_MAX + 32];
	FILE *p;

	out[0] = '\0';
	/* a path with a quote in it is not one of the bench's */
	if (strchr(prog, '\''))
		return;
	snprintf(cmd, sizeof(cmd), "'%s' --version 2>/dev/null", prog);
	p = popen(cmd, "r");
	if (!p)
		return;
	if (fgets(out, len, p))
		out[strcspn(out, "\r\n")] = '\0';
	if (pclose(p))
		out[0] = '\0';
}

void bench_mount_options(const char *mnt, char *out, size_t len)
{
	FILE *f = setmntent("/proc/self/mounts", "r");
	struct mntent *m;

	snprintf(out, len, "-");
	if (!f)
		return;
	/* the last mount on the point is the one in effect */
	while ((m = getmntent(f)))
		if (!strcmp(m->mnt_dir, mnt))
			snprintf(out, len, "%s", m->mnt_opts);
	endmntent(f);
}

int bench_clear_files(const char *dir)
{
	struct dirent *d;
	char path[PATH_MAX];
	DIR *dp = opendir(dir);
	int err = 0;

	if (!dp)
		return -errno;
	/* run directories hold files only: nothing to descend into */
	while ((d = readdir(dp))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (path_fmt(path, sizeof(path), "%s/%s", dir, d->d_name)) {
			err = err ? err : -ENAMETOOLONG;
			continue;
		}
		if (unlink(path) && !err)
			err = -errno;
	}
	closedir(dp);
	return err;
}

int bench_remove_run(const char *dir)
{
	int err = bench_clear_files(dir);

	if (rmdir(dir) && !err)
		err = -errno;
	return err;
}

int bench_clear_runs(const char *dir)
{
	struct dirent *d;
	char path[PATH_MAX];
	DIR *dp = opendir(dir);
	int err = 0;

	if (!dp)
		return errno == ENOENT ? 0 : -errno;
	while ((d = readdir(dp))) {
		int e;

		if (!tree_run_number(d->d_name))
			continue;
		e = path_fmt(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (!e)
			e = bench_remove_run(path);
		if (e && !err)
			err = e;
	}
	closedir(dp);
	return err;
}
