// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <limits.h>
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

static bool dev_mounted(dev_t rdev)
{
	char line[4096];
	unsigned int maj, min;
	FILE *f;
	bool found = false;

	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %u:%u", &maj, &min) == 2 &&
			maj == major(rdev) && min == minor(rdev);
	fclose(f);
	return found;
}

/* The first entry of a sysfs directory, as "holders/dm-0"; false if none. */
static bool first_entry(const char *dir, char *name, size_t len)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		if (de->d_name[0] != '.') {
			snprintf(name, len, "%s", de->d_name);
			found = true;
		}
	closedir(d);
	return found;
}

/* Mounted or held (dm, md, bcache on top): why, for the device rdev. */
static bool one_in_use(dev_t rdev, const char *name, char *why, size_t len)
{
	char dir[128], holder[NAME_MAX + 1];

	if (dev_mounted(rdev)) {
		snprintf(why, len, "%s is mounted", name);
		return true;
	}
	snprintf(dir, sizeof(dir), "/sys/dev/block/%u:%u/holders",
		 major(rdev), minor(rdev));
	if (first_entry(dir, holder, sizeof(holder))) {
		snprintf(why, len, "%s is held by %s", name, holder);
		return true;
	}
	return false;
}

/* Each partition of rdev: mounted or held. */
static bool partition_in_use(dev_t rdev, char *why, size_t len)
{
	char dir[128], path[PATH_MAX];
	unsigned int maj, min;
	struct dirent *de;
	bool used = false;
	FILE *f;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/dev/block/%u:%u", major(rdev),
		 minor(rdev));
	d = opendir(dir);
	if (!d)
		return false;
	while (!used && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    path_fmt(path, sizeof(path), "%s/%s/partition", dir, de->d_name) ||
		    access(path, F_OK))
			continue;
		path_fmt(path, sizeof(path), "%s/%s/dev", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%u:%u", &maj, &min) == 2)
			used = one_in_use(makedev(maj, min), de->d_name, why, len);
		fclose(f);
	}
	closedir(d);
	return used;
}

/* Is part a partition of whole? Its sysfs parent is whole's. */
static bool partition_of(dev_t part, dev_t whole)
{
	char path[128];
	unsigned int maj, min;
	bool yes;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../dev",
		 major(part), minor(part));
	f = fopen(path, "r");
	if (!f)
		return false;
	yes = fscanf(f, "%u:%u", &maj, &min) == 2 && makedev(maj, min) == whole;
	fclose(f);
	return yes;
}

/* A loop device whose backing file is rdev or one of its partitions. */
static bool loop_on_top(dev_t rdev, char *why, size_t len)
{
	char path[PATH_MAX], back[PATH_MAX];
	struct dirent *de;
	struct stat st;
	bool used = false;
	DIR *d = opendir("/sys/block");
	FILE *f;

	if (!d)
		return false;
	while (!used && (de = readdir(d))) {
		if (strncmp(de->d_name, "loop", 4) ||
		    path_fmt(path, sizeof(path), "/sys/block/%s/loop/backing_file",
			     de->d_name))
			continue;
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(back, sizeof(back), f)) {
			back[strcspn(back, "\n")] = '\0';
			used = !stat(back, &st) && S_ISBLK(st.st_mode) &&
			       (st.st_rdev == rdev ||
				partition_of(st.st_rdev, rdev));
			/* the loop's name says it; its backing path may be long */
			if (used)
				snprintf(why, len, "%s is on top of it", de->d_name);
		}
		fclose(f);
	}
	closedir(d);
	return used;
}

/*
 * Mounted, or a partition of it mounted, or something on top (dm, md, a
 * loop device), or opened exclusively by anyone (the kernel's own word).
 */
static bool device_in_use(const char *device, dev_t rdev, char *why,
			  size_t len)
{
	int fd;

	if (one_in_use(rdev, device, why, len) ||
	    partition_in_use(rdev, why, len) || loop_on_top(rdev, why, len))
		return true;
	fd = open(device, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd < 0 && errno == EBUSY) {
		snprintf(why, len, "another holds it open exclusively");
		return true;
	}
	if (fd >= 0)
		close(fd);
	return false;
}

static int use_device(struct scratch *s, const char *device, bool force)
{
	char out[512], why[NAME_MAX + 64];
	struct stat st;

	if (stat(device, &st) || !S_ISBLK(st.st_mode)) {
		snprintf(s->error, sizeof(s->error), "%s is not a block device",
			 device);
		return -1;
	}
	/* --force is for old data, never for a device in use */
	if (device_in_use(device, st.st_rdev, why, sizeof(why))) {
		snprintf(s->error, sizeof(s->error),
			 "%s is in use (%s): refusing to make a filesystem on it",
			 device, why);
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

/*
 * A name is not proof: what a bench makes holds a token saying so, and
 * cleanup takes only what holds it. The image starts with it (mkfs runs
 * only once the image is unlinked); the mount point holds it as a file.
 */
static void token_of(char *buf, size_t len, pid_t pid)
{
	snprintf(buf, len, "dioscope-bench %d\n", (int)pid);
}

/* Does the file at fd (or at dir/TOKEN_FILE) start with pid's token? */
static bool holds_token(int fd, pid_t pid)
{
	char want[64], got[64];
	ssize_t n;

	token_of(want, sizeof(want), pid);
	n = pread(fd, got, strlen(want), 0);
	return n == (ssize_t)strlen(want) && !memcmp(got, want, n);
}

#define TOKEN_FILE ".dioscope-bench"

static int put_token(const char *dir, pid_t pid)
{
	char path[4200], tok[64];
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/" TOKEN_FILE, dir);
	token_of(tok, sizeof(tok), pid);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, tok, strlen(tok)) != (ssize_t)strlen(tok))
		err = -EIO;
	close(fd);
	return err;
}

/* dir holds our token file and nothing else. */
static bool dir_is_ours(const char *dir, pid_t pid)
{
	char path[4200];
	struct dirent *d;
	bool tok = false, other = false;
	DIR *dp = opendir(dir);
	int fd;

	if (!dp)
		return false;
	while ((d = readdir(dp)))
		if (!strcmp(d->d_name, TOKEN_FILE))
			tok = true;
		else if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			other = true;
	closedir(dp);
	if (!tok || other)
		return false;
	snprintf(path, sizeof(path), "%s/" TOKEN_FILE, dir);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	tok = holds_token(fd, pid);
	close(fd);
	return tok;
}

/*
 * Is what is mounted at dir our scratch filesystem: a loop device whose
 * backing file is an image of pid's? Read from mountinfo and sysfs.
 */
static bool mount_is_ours(const char *dir, pid_t pid)
{
	char line[4096], mp[4096], path[128], back[512], pfx[64];
	unsigned int maj, min;
	bool ours = false;
	FILE *f = fopen("/proc/self/mountinfo", "r"), *b;

	if (!f)
		return false;
	snprintf(pfx, sizeof(pfx), "/dioscope-bench.%d.", (int)pid);
	while (!ours && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %u:%u %*s %4095s", &maj, &min, mp) != 3 ||
		    strcmp(mp, dir))
			continue;
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/loop/backing_file",
			 maj, min);
		b = fopen(path, "r");
		if (!b)
			continue;
		ours = fgets(back, sizeof(back), b) && strstr(back, pfx);
		fclose(b);
	}
	fclose(f);
	return ours;
}

static int make_loop(struct scratch *s, unsigned long long size)
{
	char tok[64];
	int fd, err;

	/* our pid in the name: a later bench knows whether we are alive */
	snprintf(s->img, sizeof(s->img), "%s/dioscope-bench.%d.XXXXXX",
		 tmpdir(), getpid());
	fd = mkstemp(s->img);
	token_of(tok, sizeof(tok), getpid());
	if (fd < 0 || write(fd, tok, strlen(tok)) != (ssize_t)strlen(tok) ||
	    ftruncate(fd, size)) {
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

/* The pid in "<prefix><pid>.XXXXXX" (six of mkstemp's letters), or 0. */
static pid_t owner(const char *name, const char *prefix)
{
	size_t n = strlen(prefix), i;
	char *end;
	long pid;

	if (strncmp(name, prefix, n) || name[n] < '1' || name[n] > '9')
		return 0;
	errno = 0;
	pid = strtol(name + n, &end, 10);
	if (errno || *end != '.' || pid <= 0 || pid > INT_MAX)
		return 0;
	for (i = 1; i <= 6; i++)
		if (!isalnum((unsigned char)end[i]))
			return 0;
	return end[7] ? 0 : pid;
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

/* A mount point of pid's: its scratch fs unmounted, its token, itself. */
static bool clean_mount_point(const char *path, pid_t pid)
{
	char tok[4200];

	if (mount_is_ours(path, pid))
		umount2(path, MNT_DETACH);
	if (!dir_is_ours(path, pid))
		return false;
	snprintf(tok, sizeof(tok), "%s/" TOKEN_FILE, path);
	return !unlink(tok) && !rmdir(path);
}

/* An image of pid's, known by its token, and the loop devices on it. */
static bool clean_image(const char *path, pid_t pid, void (*say)(const char *))
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	bool ours;

	if (fd < 0)
		return false;
	ours = !fstat(fd, &st) && S_ISREG(st.st_mode) && holds_token(fd, pid);
	close(fd);
	if (!ours)
		return false;
	clear_loops_of(pid, say);
	return !unlink(path);
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
		if (mnt ? !clean_mount_point(path, pid) :
			  !clean_image(path, pid, say))
			continue;
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
	if (put_token(s->mnt, getpid())) {
		snprintf(s->error, sizeof(s->error), "mount point %s: %s",
			 s->mnt, strerror(errno));
		scratch_close(s);
		return -1;
	}
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
	char tok[4300];

	scratch_umount(s);
	/* the last reference: the loop device clears itself */
	if (s->loop_fd >= 0)
		close(s->loop_fd);
	s->loop_fd = -1;
	s->loop = false;
	if (s->img[0])
		unlink(s->img);
	s->img[0] = '\0';
	if (s->mnt[0] && !s->mounted) {
		snprintf(tok, sizeof(tok), "%s/" TOKEN_FILE, s->mnt);
		unlink(tok);
		rmdir(s->mnt);
	}
	s->mnt[0] = '\0';
}

unsigned long scratch_block_size(const struct scratch *s)
{
	struct statvfs v;

	return statvfs(s->mnt, &v) ? 4096 : v.f_bsize;
}
