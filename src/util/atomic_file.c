// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/*
 * What path is: -ENOENT (absent, a name to create), 0 a regular file to
 * replace, 1 a device or FIFO to write through, else the -errno of a
 * refusal, in the words of atomic_strerror().
 */
static int classify(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return -errno;
	if (S_ISLNK(st.st_mode)) {
		/* /dev/stdout and the like lead to a stream: written through */
		if (stat(path, &st) || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
			return -ELOOP;
	}
	if (S_ISREG(st.st_mode))
		return 0;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
		return 1;
	return -ENODEV;
}

int atomic_check(const char *path)
{
	int kind = classify(path);

	/* a FIFO is not opened: a reader would take that for its writer */
	return kind == -ENOENT || kind > 0 ? 0 : kind;
}

/* A device or FIFO: written in place, as a shell's > would. */
static int open_through(struct atomic_file *af, const char *path)
{
	struct stat st;

	/* O_NONBLOCK: a FIFO nobody reads is refused, not waited on */
	af->fd = open(path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (af->fd < 0)
		return -errno;
	if (fstat(af->fd, &st) || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
		close(af->fd);
		af->fd = -1;
		return -ENODEV;
	}
	fcntl(af->fd, F_SETFL, fcntl(af->fd, F_GETFL) & ~O_NONBLOCK);
	return 0;
}

static int open_aside(struct atomic_file *af, const char *path)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int err = atomic_tmp_name(af->tmp, sizeof(af->tmp), path);

	if (err)
		return err;
	af->fd = open(af->tmp, flags, 0644);
	/* our own pid's name: left by a writer of ours that gave up */
	if (af->fd < 0 && errno == EEXIST && !unlink(af->tmp))
		af->fd = open(af->tmp, flags, 0644);
	return af->fd < 0 ? -errno : 0;
}

int atomic_open_fd(struct atomic_file *af, const char *path)
{
	int kind;

	af->f = NULL;
	af->fd = -1;
	af->tmp[0] = '\0';
	if ((size_t)snprintf(af->path, sizeof(af->path), "%s", path) >=
	    sizeof(af->path))
		return -ENAMETOOLONG;
	kind = classify(path);
	if (kind == 1)
		return open_through(af, path);
	if (kind && kind != -ENOENT)
		return kind;
	return open_aside(af, path);
}

int atomic_open(struct atomic_file *af, const char *path)
{
	int err = atomic_open_fd(af, path);

	if (err)
		return err;
	af->f = fdopen(af->fd, "w");
	if (af->f)
		return 0;
	err = -errno;
	atomic_abort(af);
	return err;
}

int atomic_rename(const char *tmp, const char *path)
{
	int kind = classify(path);

	if (kind && kind != -ENOENT)
		kind = kind > 0 ? -ENODEV : kind;
	else
		kind = rename(tmp, path) ? -errno : 0;
	if (kind)
		unlink(tmp);
	return kind;
}

/* The rename, if what is at path may still be replaced. */
static int put_in_place(struct atomic_file *af)
{
	return atomic_rename(af->tmp, af->path);
}

int atomic_commit(struct atomic_file *af, bool durable)
{
	int err = 0;

	errno = 0;
	if (af->f && (fflush(af->f) || ferror(af->f)))
		err = errno ? -errno : -EIO;
	if (!err && durable && af->tmp[0] && fsync(af->fd))
		err = -errno;
	if ((af->f ? fclose(af->f) : close(af->fd)) && !err)
		err = errno ? -errno : -EIO;
	af->f = NULL;
	af->fd = -1;
	if (!err && af->tmp[0])
		err = put_in_place(af);
	if (err && af->tmp[0])
		unlink(af->tmp);
	return err;
}

void atomic_abort(struct atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	else if (af->fd >= 0)
		close(af->fd);
	af->f = NULL;
	af->fd = -1;
	if (af->tmp[0])
		unlink(af->tmp);
}

const char *atomic_strerror(int err)
{
	switch (-err) {
	case ELOOP:
		return "a symbolic link: not followed (name the file it leads to)";
	case EISDIR:
		return "a directory: not replaced";
	case ENODEV:
		return "neither a file, a character device nor a FIFO: not written";
	case ENXIO:
		return "a FIFO nobody reads: not written";
	}
	return strerror(-err);
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
