/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A file's extent map from FIEMAP, the independent check on what the
 * events say: extents and unwritten extents before and after a run, and
 * how many bytes went from unwritten to written (the conversions).
 */
#ifndef DIOSCOPE_FIEMAP_H
#define DIOSCOPE_FIEMAP_H

struct extent_count {
	unsigned long extents, unwritten;
	unsigned long long bytes, unwritten_bytes;
};

/* 0, or -errno. */
int fiemap_count(const char *path, struct extent_count *out);

#endif
