// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "trace/filters.h"

/*
 * A device is named the way users have it at hand: "7:0", "/dev/loop0",
 * or a mount point (any path: the filesystem holding it).
 */
int filter_parse_dev(const char *s, __u32 *dev)
{
	unsigned int maj, min;
	struct stat st;
	char tail;

	if (sscanf(s, "%u:%u%c", &maj, &min, &tail) == 2) {
		/* 0:0 is no device: as a filter it would keep everything */
		if (maj >= (1u << 12) || min >= (1u << 20) || (!maj && !min))
			return -ERANGE;
		*dev = kdev_make(maj, min);
		return 0;
	}
	if (stat(s, &st))
		return -errno;
	if (S_ISBLK(st.st_mode))
		*dev = kdev_make(major(st.st_rdev), minor(st.st_rdev));
	else
		*dev = kdev_make(major(st.st_dev), minor(st.st_dev));
	return 0;
}

/*
 * Completion work runs in workqueues for async IO, in whatever task is
 * there: the task filters keep it, as the BPF programs do.
 */
static bool completion_side(const struct ds_event *e)
{
	switch (e->type) {
	case DS_EV_DIO_COMPLETE:
	case DS_EV_END_IO:
	case DS_EV_CONVERT:
	case DS_EV_CONVERT_INIT:
	case DS_EV_SPLIT:
	case DS_EV_MERGE:
	case DS_EV_MERGE_CALL:
	case DS_EV_WB_MAP:
		return true;
	case DS_EV_MAP_BLOCKS:
		/* writeback's allocation runs in flushers too */
		return e->flags & (DS_GET_BLOCKS_CONVERT |
				   DS_GET_BLOCKS_IO_SUBMIT);
	default:
		return false;
	}
}

bool filter_match(const struct filters *f, const struct ds_event *e)
{
	bool task_side = !completion_side(e);

	if (task_side && f->tgid && e->pid != f->tgid)
		return false;
	if (f->dev && e->dev != f->dev)
		return false;
	if (f->ino && e->ino != f->ino)
		return false;
	if (task_side && f->comm[0] && strncmp(f->comm, e->comm, DS_COMM_LEN))
		return false;
	if (f->min_ns && e->dur_ns && e->dur_ns < f->min_ns)
		return false;
	return true;
}
