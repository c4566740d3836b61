// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/loop.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench/scratch_fs.h"
#include "util/err.h"
#include "util/path.h"

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

static const char *tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	return t && *t ? t : "/tmp";
}

/*
 * Bind the image to a free loop device that clears itself when its last
 * user lets go (LO_FLAGS_AUTOCLEAR, linux/loop.h): the device we hold
 * open, then the mount. LOOP_CONFIGURE (Linux 5.8) does it in one step,
 * LOOP_SET_FD and LOOP_SET_STATUS64 before it.
 */
static int bind_loop(struct scratch *s, int img_fd)
{
	struct loop_config cfg = { .fd = img_fd };
	int ctl, fd = -1, nr, tries, err = 0;

	cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
	/*
	 * Only what losetup shows: the kernel keeps 63 bytes of the name
	 * and binds the device by the descriptor.
	 */
	memcpy(cfg.info.lo_file_name, s->img,
	       strnlen(s->img, LO_NAME_SIZE - 1));
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -errno;
	/* another user may take the free device first: ask again */
	for (tries = 0; tries < 20; tries++) {
		nr = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (nr < 0) {
			err = -errno;
			break;
		}
		snprintf(s->dev, sizeof(s->dev), "/dev/loop%d", nr);
		fd = open(s->dev, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			err = -errno;
			break;
		}
		if (!ioctl(fd, LOOP_CONFIGURE, &cfg))
			break;
		if (errno == EINVAL || errno == ENOTTY) {
			if (!ioctl(fd, LOOP_SET_FD, img_fd)) {
				if (!ioctl(fd, LOOP_SET_STATUS64, &cfg.info))
					break;
				ioctl(fd, LOOP_CLR_FD, 0);
			}
		}
		err = errno == EBUSY ? 0 : -errno;
		close(fd);
		fd = -1;
		if (err)
			break;
	}
	close(ctl);
	if (fd < 0)
		return err ? err : -EBUSY;
	s->loop_fd = fd;
	return 0;
}

static int make_loop(struct scratch *s, unsigned long long size)
{
	int fd, err;

	/* our pid in the name: a later bench knows whether we are alive */
	snprintf(s->img, sizeof(s->img), "%s/dioscope-bench.%d.XXXXXX",
		 tmpdir(), getpid());
	fd = mkstemp(s->img);
	if (fd < 0 || ftruncate(fd, size)) {
		snprintf(s->error, sizeof(s->error), "scratch image: %s",
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	err = bind_loop(s, fd);
	close(fd);
	if (err) {
		snprintf(s->error, sizeof(s->error), "loop device for %s: %s",
			 s->img, strerror(-err));
		return -1;
	}
	/* the loop device holds the image now: nothing to leave behind */
	unlink(s->img);
	s->img[0] = '\0';
	s->loop = true;
	return 0;
}

/*
 * Our mounts in a mount namespace of our own: when we die, even by
 * SIGKILL, the kernel unmounts them, and the loop device clears itself.
 */
static int private_mounts(struct scratch *s)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		ds_err("no private mount namespace (%s): if killed, this bench leaves its mount behind",
			strerror(errno));
	return 0;
}

static bool pid_alive(pid_t pid)
{
	return pid > 0 && (!kill(pid, 0) || errno == EPERM);
}

/* The pid in "<prefix><pid>.XXXXXX", or 0. */
static pid_t owner(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long pid;

	if (strncmp(name, prefix, n))
		return 0;
	pid = strtol(name + n, &end, 10);
	return *end == '.' && pid > 0 ? pid : 0;
}

static void clear_loops_of(pid_t pid, void (*say)(const char *))
{
	char path[300], back[300], msg[700], pfx[64];
	struct dirent *d;
	DIR *dp = opendir("/sys/block");
	FILE *f;
	int fd;

	if (!dp)
		return;
	snprintf(pfx, sizeof(pfx), "/dioscope-bench.%d.", pid);
	while ((d = readdir(dp))) {
		if (strncmp(d->d_name, "loop", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file",
			 d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		back[0] = '\0';
		if (!fgets(back, sizeof(back), f))
			back[0] = '\0';
		fclose(f);
		if (!strstr(back, pfx))
			continue;
		snprintf(path, sizeof(path), "/dev/%s", d->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || ioctl(fd, LOOP_CLR_FD, 0))
			snprintf(msg, sizeof(msg), "%s (of %s) is still busy: not detached",
				 path, strtok(back, "\n"));
		else
			snprintf(msg, sizeof(msg), "detached %s", path);
		if (fd >= 0)
			close(fd);
		say(msg);
	}
	closedir(dp);
}

int scratch_clean_leftovers(void (*say)(const char *))
{
	char path[PATH_MAX], msg[PATH_MAX + 96];
	struct dirent *d;
	DIR *dp = opendir(tmpdir());
	pid_t pid;
	int n = 0;

	if (!dp)
		return 0;
	while ((d = readdir(dp))) {
		bool mnt = (pid = owner(d->d_name, "dioscope-mnt.")) != 0;

		if (!mnt && !(pid = owner(d->d_name, "dioscope-bench.")))
			continue;
		/* only what a bench that is gone left: never a running one's */
		if (pid_alive(pid) || pid == getpid())
			continue;
		if (path_fmt(path, sizeof(path), "%s/%s", tmpdir(), d->d_name))
			continue;
		if (mnt) {
			umount2(path, MNT_DETACH);
			if (rmdir(path))
				continue;
		} else {
			clear_loops_of(pid, say);
			if (unlink(path))
				continue;
		}
		snprintf(msg, sizeof(msg), "removed %s, left by a bench that was killed (pid %d)",
			 path, pid);
		say(msg);
		n++;
	}
	closedir(dp);
	return n;
}

int scratch_open(struct scratch *s, const char *device,
		 unsigned long long size, bool force)
{
	char tmpl[256];

	memset(s, 0, sizeof(*s));
	s->loop_fd = -1;
	if (!device && private_mounts(s))
		return -1;
	snprintf(tmpl, sizeof(tmpl), "%s/dioscope-mnt.%d.XXXXXX", tmpdir(),
		 getpid());
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
	/* the last reference: the loop device clears itself */
	if (s->loop_fd >= 0)
		close(s->loop_fd);
	s->loop_fd = -1;
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
