/* SPDX-License-Identifier: GPL-2.0 */
/* A file's extent map from FIEMAP, the independent check on churn counts. */
#ifndef DIOSCOPE_FIEMAP_H
#define DIOSCOPE_FIEMAP_H

struct extent_count {
	unsigned long extents, unwritten;
};

/* 0, or -errno. */
int fiemap_count(const char *path, struct extent_count *out);

#endif
