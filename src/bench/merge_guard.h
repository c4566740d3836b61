/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dio_merge_guard knob that patches/0002 adds under
 * /sys/fs/ext4/<disk>/: at 1, ext4 keeps unwritten extents of an inode
 * apart while a direct write that may go to them is in flight. The two
 * arms of the A/B bench are the same kernel with it at 0 and at 1.
 */
#ifndef DIOSCOPE_MERGE_GUARD_H
#define DIOSCOPE_MERGE_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* "on" or "off" (also 1/0, yes/no): 1 or 0; -1 for anything else. */
int merge_guard_parse(const char *s);
/* The knob of the ext4 on block device dev ("/dev/loop0"); 0 or -errno. */
int merge_guard_path(const char *dev, char *out, size_t len);
/* 1 or 0, or -ENOENT when this kernel has no guard, or -errno. */
int merge_guard_get(const char *dev);
/* 0, or -ENOENT when this kernel has no guard, or -errno. */
int merge_guard_set(const char *dev, bool on);
/* For meta: "on", "off" or "absent" (a kernel without the patch). */
const char *merge_guard_state(const char *dev);

#endif
