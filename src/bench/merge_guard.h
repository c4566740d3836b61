/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dio_merge_guard knob that patches/<kernel>/0002 adds under
 * /sys/fs/ext4/<disk>/. Its modes restore the rule ext4 had before direct
 * IO used iomap, piece by piece:
 *
 *   off (0)  unwritten extents merge as soon as possible (5.5 and later)
 *   dio (1)  not while a direct write to the inode is in flight
 *   all (2)  nor while writeback has unwritten extents of it to convert
 *
 * The arms of a guard A/B are the same kernel in different modes.
 */
#ifndef DIOSCOPE_MERGE_GUARD_H
#define DIOSCOPE_MERGE_GUARD_H

#include <stdbool.h>
#include <stddef.h>

enum merge_guard_mode {
	MERGE_GUARD_OFF,
	MERGE_GUARD_DIO,
	MERGE_GUARD_ALL,
	MERGE_GUARD_MODES
};

/*
 * off|dio|all or 0|1|2 (on is dio, as before the modes): the mode, or -1
 * for anything else.
 */
int merge_guard_parse(const char *s);
/*
 * A comma-separated list of modes, each at most once, into modes[]
 * (room for MERGE_GUARD_MODES): how many, or -1.
 */
int merge_guard_parse_list(const char *s, int *modes);
/* "off", "dio", "all"; NULL for anything else. */
const char *merge_guard_name(int mode);
/*
 * The order of the arms in round r (0-based) of runs: forward in even
 * rounds, backward in odd ones (off dio all, all dio off, ...), so that a
 * drift that grows steadily over the bench falls on every arm alike.
 * The arm at position i of the round.
 */
int merge_guard_arm_at(int narms, unsigned int round, int i);
/* The knob of the ext4 on block device dev ("/dev/loop0"); 0 or -errno. */
int merge_guard_path(const char *dev, char *out, size_t len);
/* The mode, or -ENOENT when this kernel has no guard, or -errno. */
int merge_guard_get(const char *dev);
/*
 * 0, or -ENOENT when this kernel has no guard, -EINVAL when it has no such
 * mode (an older patch), or -errno.
 */
int merge_guard_set(const char *dev, int mode);
/* For meta: the mode's name, or "absent" (a kernel without the patch). */
const char *merge_guard_state(const char *dev);

#endif
