/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names for the inodes the kernel reports: (device, inode) -> path.
 *
 * On ext4 a file handle is the inode number plus a generation that the
 * kernel does not check when it is 0, so open_by_handle_at() finds most
 * files at once. What that cannot name (a dentry not in the cache, other
 * filesystems) is searched for by walking the mount point, a slice of the
 * walk per call, so the caller's time stays bounded. Answers are cached
 * in a fixed table (top/table.h) that lets the least recently asked for
 * go; a miss costs nothing until inode_path_work() runs.
 */
#ifndef DIOSCOPE_INODE_PATH_H
#define DIOSCOPE_INODE_PATH_H

#include <stdbool.h>
#include <linux/types.h>

#define IP_PATH_LEN 256
#define IP_MAX_MOUNTS 16

struct ip_walk;
struct top_table;

struct ip_mount {
	__u32 dev;
	char dir[IP_PATH_LEN];
	int fd;			/* the mount point, for open_by_handle_at */
	bool handles;		/* ext4: try file handles first */
	unsigned int blkbits;
	__u64 missing_ms;	/* not mounted when last looked for */
	struct ip_walk *walk;	/* a walk in progress, or NULL */
};

struct inode_path {
	struct top_table *t;	/* the inodes asked for */
	struct ip_mount mounts[IP_MAX_MOUNTS];
	int nmounts;
	__u64 resolved, walked_entries;
};

int inode_path_init(struct inode_path *c, unsigned int entries);
void inode_path_free(struct inode_path *c);
/*
 * Where to look for the files of dev (and its block size); without it
 * the mount point comes from /proc/self/mountinfo. 0 or -errno.
 */
int inode_path_add_root(struct inode_path *c, __u32 dev, const char *dir);
/* The cached path, or NULL; a miss queues the inode for the next work. */
const char *inode_path_get(struct inode_path *c, __u32 dev, __u64 ino);
/* Resolve queued inodes for about budget_ms milliseconds. */
void inode_path_work(struct inode_path *c, unsigned int budget_ms);
/* log2 of the block size of the filesystem on dev; 0 when unknown. */
unsigned int inode_path_blkbits(struct inode_path *c, __u32 dev);

#endif
