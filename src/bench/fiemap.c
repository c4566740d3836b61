// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include "bench/fiemap.h"

#define BATCH 512

int fiemap_count(const char *path, struct extent_count *out)
{
	struct fiemap *fm;
	__u64 start = 0;
	int fd, err = 0;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	fm = calloc(1, sizeof(*fm) + BATCH * sizeof(struct fiemap_extent));
	if (!fm) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		fm->fm_start = start;
		fm->fm_length = ~0ULL - start;
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm)) {
			err = -errno;
			break;
		}
		for (i = 0; i < fm->fm_mapped_extents; i++) {
			struct fiemap_extent *e = &fm->fm_extents[i];

			out->extents++;
			out->bytes += e->fe_length;
			if (e->fe_flags & FIEMAP_EXTENT_UNWRITTEN) {
				out->unwritten++;
				out->unwritten_bytes += e->fe_length;
			}
			start = e->fe_logical + e->fe_length;
		}
		if (!fm->fm_mapped_extents ||
		    (fm->fm_extents[fm->fm_mapped_extents - 1].fe_flags &
		     FIEMAP_EXTENT_LAST))
			break;
	}
	free(fm);
	close(fd);
	return err;
}
