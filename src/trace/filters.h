/* SPDX-License-Identifier: GPL-2.0 */
/* What to trace: pid, command name, inode, device; and slow-call cutoff. */
#ifndef DIOSCOPE_FILTERS_H
#define DIOSCOPE_FILTERS_H

#include <stdbool.h>
#include <linux/types.h>
#include "dioscope.h"

struct filters {
	__u32 tgid;
	__u32 dev;		/* kernel encoding: major << 20 | minor */
	__u64 ino;
	char comm[DS_COMM_LEN];
	__u64 min_ns;		/* user-space cutoff for calls with a duration */
};

/* Kernel dev_t from "MAJ:MIN", a block device node, or any path on a fs. */
int filter_parse_dev(const char *s, __u32 *dev);
/* Does the event pass the filters? (The BPF side applies them too.) */
bool filter_match(const struct filters *f, const struct ds_event *e);
static inline __u32 kdev_make(unsigned int major, unsigned int minor)
{
	return (major << 20) | minor;
}

#endif
