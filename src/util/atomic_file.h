/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A file written aside and renamed over its name only when whole, so
 * that a reader never sees half of it and a failed write leaves the old
 * one in place.
 *
 *	struct atomic_file af;
 *
 *	if (atomic_open(&af, path))
 *		return -errno;
 *	fprintf(af.f, ...);
 *	return atomic_commit(&af, false);
 *
 * The aside file is "PATH.dioscope-PID.tmp": a process killed while
 * writing leaves it, and the name alone says it is ours and whose.
 */
#ifndef DIOSCOPE_ATOMIC_FILE_H
#define DIOSCOPE_ATOMIC_FILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

struct atomic_file {
	FILE *f;
	char tmp[PATH_MAX];		/* the aside name of path */
	const char *path;
};

/* 0, or -errno with nothing created. */
int atomic_open(struct atomic_file *af, const char *path);
/*
 * Closes the stream (after fsync() with durable) and renames it over
 * path; 0, or the first -errno, with the aside file removed.
 */
int atomic_commit(struct atomic_file *af, bool durable);
/* Gives up: the aside file goes, path stays as it was. */
void atomic_abort(struct atomic_file *af);

/* The aside name of path into buf: 0, or -ENAMETOOLONG. */
int atomic_tmp_name(char *buf, size_t len, const char *path);
/*
 * Removes from dir the aside files of writers that are gone (killed
 * before their rename), saying so for each; files of a live process and
 * any other name are left alone. How many went, or -errno.
 */
int atomic_clean_dir(const char *dir);
/* The same for the directory a file is written in. */
int atomic_clean_beside(const char *path);

#endif
