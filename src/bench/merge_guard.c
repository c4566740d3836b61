// SPDX-License-Identifier: GPL-2.0
/*
 * ext4 names its sysfs directory after the superblock's s_id, which for
 * a block device is its kernel name: "loop0", "vdb", "dm-0". Resolving
 * the device path's symlinks gives that name for /dev/mapper/x too.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench/merge_guard.h"

int merge_guard_parse(const char *s)
{
	if (!strcmp(s, "on") || !strcmp(s, "1") || !strcmp(s, "yes"))
		return 1;
	if (!strcmp(s, "off") || !strcmp(s, "0") || !strcmp(s, "no"))
		return 0;
	return -1;
}

int merge_guard_path(const char *dev, char *out, size_t len)
{
	char real[PATH_MAX];
	const char *name;

	if (!realpath(dev, real))
		return -errno;
	name = strrchr(real, '/');
	name = name ? name + 1 : real;
	if (!*name)
		return -EINVAL;
	snprintf(out, len, "/sys/fs/ext4/%s/dio_merge_guard", name);
	return 0;
}

int merge_guard_get(const char *dev)
{
	char path[PATH_MAX + 64], buf[8] = "";
	ssize_t n;
	int fd, err;

	err = merge_guard_path(dev, path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	return atoi(buf) ? 1 : 0;
}

int merge_guard_set(const char *dev, bool on)
{
	char path[PATH_MAX + 64];
	int fd, err;

	err = merge_guard_path(dev, path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = write(fd, on ? "1\n" : "0\n", 2) == 2 ? 0 : -errno;
	close(fd);
	if (err)
		return err;
	/* read back: a write the kernel took but did not apply is an error */
	return merge_guard_get(dev) == on ? 0 : -EIO;
}

const char *merge_guard_state(const char *dev)
{
	switch (merge_guard_get(dev)) {
	case 1: return "on";
	case 0: return "off";
	default: return "absent";
	}
}
