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

static const char *const names[MERGE_GUARD_MODES] = { "off", "dio", "all" };

int merge_guard_parse(const char *s)
{
	int m;

	for (m = 0; m < MERGE_GUARD_MODES; m++)
		if (!strcmp(s, names[m]) || (s[0] == '0' + m && !s[1]))
			return m;
	/* the one mode there was before there were modes */
	if (!strcmp(s, "on"))
		return MERGE_GUARD_DIO;
	return -1;
}

int merge_guard_parse_list(const char *s, int *modes)
{
	char word[8];
	const char *end;
	int n = 0, m, i;

	for (;;) {
		end = strchr(s, ',');
		if (!end)
			end = s + strlen(s);
		if (end - s >= (long)sizeof(word) || n == MERGE_GUARD_MODES)
			return -1;
		memcpy(word, s, end - s);
		word[end - s] = '\0';
		m = merge_guard_parse(word);
		if (m < 0)
			return -1;
		for (i = 0; i < n; i++)
			if (modes[i] == m)
				return -1;
		modes[n++] = m;
		if (!*end)
			return n;
		s = end + 1;
	}
}

const char *merge_guard_name(int mode)
{
	return mode >= 0 && mode < MERGE_GUARD_MODES ? names[mode] : NULL;
}

int merge_guard_arm_at(int narms, unsigned int round, int i)
{
	return round % 2 ? narms - 1 - i : i;
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
	return atoi(buf);
}

int merge_guard_set(const char *dev, int mode)
{
	char path[PATH_MAX + 64], val[4];
	int fd, err;

	err = merge_guard_path(dev, path, sizeof(path));
	if (err)
		return err;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(val, sizeof(val), "%d\n", mode);
	/* a knob of before the modes refuses 2 with EINVAL */
	err = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -errno;
	close(fd);
	if (err)
		return err;
	/* read back: a write the kernel took but did not apply is an error */
	return merge_guard_get(dev) == mode ? 0 : -EIO;
}

const char *merge_guard_state(const char *dev)
{
	const char *name = merge_guard_name(merge_guard_get(dev));

	return name ? name : "absent";
}
