/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The correlator: kernel events in, one record per direct IO out, with
 * the time each part of the kernel took for it and the wasted merge/split
 * work charged to it.
 *
 * An IO is the window from its submission (DS_EV_DIO_SUBMIT) to its
 * completion (DS_EV_DIO_COMPLETE). Work in that window is attributed by
 * file and block range: to the open IO of the same inode whose blocks
 * the work touches, the submitting task's first (synchronous work), else
 * the earliest submitted (work done in workqueues, such as the end_io
 * conversion of async IO).
 */
#ifndef DIOSCOPE_CORRELATOR_H
#define DIOSCOPE_CORRELATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "dioscope.h"

struct ds_cost {
	__u32 count;
	__u64 ns;
};

/* What an IO's window holds, by component. */
enum ds_component {
	DS_C_IOMAP_BEGIN,
	DS_C_MAP_BLOCKS,	/* every ext4_ext_map_blocks call */
	DS_C_PRE_IO,		/* ... of them with PRE_IO: the split before IO */
	DS_C_CONVERT_MAP,	/* ... of them with CONVERT: the conversion */
	DS_C_CONVERT,		/* ext4_convert_unwritten_extents */
	DS_C_CONVERT_INIT,
	DS_C_END_IO,
	DS_C_SPLIT,
	DS_C_MERGE,		/* merges done */
	DS_C_MERGE_CALL,
	DS_C_WASTED,		/* churn pairs charged to this IO */
	DS_C_MAX,
};

struct ds_io {
	__u64 submit_ns, complete_ns;
	__u64 pos, len;			/* bytes */
	__u64 ino, iocb;
	__u32 dev, pid, tid;
	__u32 flags;			/* DS_DIO_* */
	__s64 ret;
	__s32 fio;			/* joined fio entry, or -1 */
	__u8 iomap_type;		/* of its first mapping; 0xff: none seen */
	bool complete;
	struct ds_cost c[DS_C_MAX];
};

struct correlation {
	struct ds_io *ios;
	size_t n;
	__u64 events;
	__u64 unattributed;		/* work in no open IO's window */
	__u64 unmatched_completions;	/* completions of IOs not seen submitted */
	__u64 wasted_merges;		/* merges that removed a needed boundary */
	__u64 churn_pairs;
	__u64 splits, merges;		/* done, in all */
	__u64 first_ts, last_ts;
};

/*
 * Correlate events (sorted here by time, in place). blkbits is the
 * filesystem's block size as a shift (12 for 4 KiB). Returns 0 or -ENOMEM.
 */
int correlate(struct ds_event *ev, size_t n, unsigned int blkbits,
	      struct correlation *out);
void correlation_free(struct correlation *c);
const char *component_name(enum ds_component c);

#endif
