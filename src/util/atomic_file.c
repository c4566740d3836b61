// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/atomic_file.h"
#include "util/err.h"

#define TMP_MARK ".dioscope-"
#define TMP_END ".tmp"

int atomic_tmp_name(char *buf, size_t len, const char *path)
{
	if ((size_t)snprintf(buf, len, "%s" TMP_MARK "%d" TMP_END, path,
			     (int)getpid()) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int atomic_open(struct atomic_file *af, const char *path)
{
	int err;

	af->path = path;
	err = atomic_tmp_name(af->tmp, sizeof(af->tmp), path);
	if (err)
		return err;
	af->f = fopen(af->tmp, "w");
	return af->f ? 0 : -errno;
}

int atomic_commit(struct atomic_file *af, bool durable)
{
	int err = 0;

	errno = 0;
	if (fflush(af->f) || ferror(af->f))
		err = errno ? -errno : -EIO;
	if (!err && durable && fsync(fileno(af->f)))
		err = -errno;
	if (fclose(af->f) && !err)
		err = -errno;
	af->f = NULL;
	if (!err && rename(af->tmp, af->path))
		err = -errno;
	if (err)
		unlink(af->tmp);
	return err;
}

void atomic_abort(struct atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	af->f = NULL;
	unlink(af->tmp);
}

/* The writer's pid of an aside name "NAME.dioscope-PID.tmp", else 0. */
static pid_t tmp_writer(const char *name)
{
	size_t n = strlen(name), end = strlen(TMP_END);
	const char *mark, *p;
	unsigned long pid;
	char *stop;

	if (n <= end || strcmp(name + n - end, TMP_END))
		return 0;
	/* the last mark: NAME may hold one of its own */
	for (mark = NULL, p = name; (p = strstr(p, TMP_MARK)); p++)
		mark = p;
	if (!mark || mark == name)
		return 0;
	p = mark + strlen(TMP_MARK);
	if (*p < '1' || *p > '9')
		return 0;
	errno = 0;
	pid = strtoul(p, &stop, 10);
	if (errno || stop != name + n - end || pid > INT_MAX)
		return 0;
	return (pid_t)pid;
}

static bool alive(pid_t pid)
{
	return !kill(pid, 0) || errno == EPERM;
}

int atomic_clean_dir(const char *dir)
{
	char path[PATH_MAX + 256];
	struct dirent *d;
	int removed = 0;
	pid_t pid;
	DIR *dp;

	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((d = readdir(dp))) {
		if (d->d_type != DT_REG && d->d_type != DT_UNKNOWN)
			continue;
		pid = tmp_writer(d->d_name);
		if (!pid || alive(pid))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (unlink(path)) {
			ds_err("cannot remove %s: %s", path, strerror(errno));
			continue;
		}
		ds_err("removed %s, left by a dioscope that was killed (pid %d)",
		       path, (int)pid);
		removed++;
	}
	closedir(dp);
	return removed;
}

int atomic_clean_beside(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash)
		return atomic_clean_dir(".");
	if ((size_t)(slash - path) >= sizeof(dir))
		return -ENAMETOOLONG;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path),
		 path);
	return atomic_clean_dir(dir);
}
