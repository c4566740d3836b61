// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench/scratch_fs.h"

/* Run a command quietly; its output is kept for the error message. */
static int run(struct scratch *s, char *out, size_t outlen, char *const argv[])
{
	char sink[512];
	int fds[2], status;
	ssize_t n, used = 0;
	pid_t pid;

	if (!out) {
		out = sink;
		outlen = sizeof(sink);
	}
	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	/* read to the end: a child must never block on a full pipe */
	while ((n = read(fds[0], out + used, outlen - 1 - used)) > 0)
		if ((used += n) == (ssize_t)outlen - 1)
			used = 0;
	out[used] = '\0';
	if (used && out[used - 1] == '\n')
		out[used - 1] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static bool dev_mounted(const char *dev)
{
	char line[4096];
	unsigned int maj, min;
	struct stat st;
	FILE *f;
	bool found = false;

	if (stat(dev, &st) || !S_ISBLK(st.st_mode))
		return false;
	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %u:%u", &maj, &min) == 2 &&
			maj == major(st.st_rdev) && min == minor(st.st_rdev);
	fclose(f);
	return found;
}

static int use_device(struct scratch *s, const char *device, bool force)
{
	char out[512];
	struct stat st;

	if (stat(device, &st) || !S_ISBLK(st.st_mode)) {
		snprintf(s->error, sizeof(s->error), "%s is not a block device",
			 device);
		return -1;
	}
	if (dev_mounted(device) && !force) {
		snprintf(s->error, sizeof(s->error),
			 "%s is mounted: refusing to make a filesystem on it (--force overrides)",
			 device);
		return -1;
	}
	/* blkid -p exits 0 when it finds a filesystem or partition table */
	if (!force && run(s, out, sizeof(out),
			  (char *const[]){ "blkid", "-p", (char *)device, NULL }) == 0) {
		snprintf(s->error, sizeof(s->error),
			 "%s holds data (%s): refusing to overwrite it (--force overrides)",
			 device, out);
		return -1;
	}
	snprintf(s->dev, sizeof(s->dev), "%s", device);
	return 0;
}

static int make_loop(struct scratch *s, unsigned long long size)
{
	char out[512];
	int fd;

	snprintf(s->img, sizeof(s->img), "%s/dioscope-bench.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(s->img);
	if (fd < 0 || ftruncate(fd, size)) {
		snprintf(s->error, sizeof(s->error), "scratch image: %s",
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (run(s, out, sizeof(out), (char *const[]){ "losetup", "-f",
		"--show", s->img, NULL })) {
		snprintf(s->error, sizeof(s->error), "losetup: %s", out);
		return -1;
	}
	snprintf(s->dev, sizeof(s->dev), "%s", out);
	s->loop = true;
	return 0;
}

int scratch_open(struct scratch *s, const char *device,
		 unsigned long long size, bool force)
{
	char tmpl[256];

	memset(s, 0, sizeof(*s));
	snprintf(tmpl, sizeof(tmpl), "%s/dioscope-mnt.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpl)) {
		snprintf(s->error, sizeof(s->error), "mount point: %s",
			 strerror(errno));
		return -1;
	}
	snprintf(s->mnt, sizeof(s->mnt), "%s", tmpl);
	if (device ? use_device(s, device, force) : make_loop(s, size)) {
		scratch_close(s);
		return -1;
	}
	return 0;
}

int scratch_mkfs_mount(struct scratch *s, const char *mkfs_opts,
		       const char *mount_opts)
{
	char out[512];
	char *const mkfs[] = { "mkfs.ext4", "-q", "-F",
		*mkfs_opts ? (char *)mkfs_opts : "-q", s->dev, NULL };
	char *const mnt[] = { "mount", "-t", "ext4", "-o",
		*mount_opts ? (char *)mount_opts : "defaults", s->dev, s->mnt,
		NULL };

	if (run(s, out, sizeof(out), mkfs)) {
		snprintf(s->error, sizeof(s->error), "mkfs.ext4 %s: %s",
			 mkfs_opts, out);
		return -1;
	}
	if (run(s, out, sizeof(out), mnt)) {
		snprintf(s->error, sizeof(s->error), "mount -o %s: %s",
			 mount_opts, out);
		return -1;
	}
	s->mounted = true;
	return 0;
}

int scratch_umount(struct scratch *s)
{
	char out[512];

	if (!s->mounted)
		return 0;
	if (run(s, out, sizeof(out), (char *const[]){ "umount", s->mnt, NULL })) {
		snprintf(s->error, sizeof(s->error), "umount: %s", out);
		return -1;
	}
	s->mounted = false;
	return 0;
}

void scratch_close(struct scratch *s)
{
	scratch_umount(s);
	if (s->loop)
		run(s, NULL, 0, (char *const[]){ "losetup", "-d", s->dev, NULL });
	s->loop = false;
	if (s->img[0])
		unlink(s->img);
	s->img[0] = '\0';
	if (s->mnt[0])
		rmdir(s->mnt);
	s->mnt[0] = '\0';
}

unsigned long scratch_block_size(const struct scratch *s)
{
	struct statvfs v;

	return statvfs(s->mnt, &v) ? 4096 : v.f_bsize;
}
