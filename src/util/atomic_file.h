/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one way dioscope writes a file: aside, and renamed over its name
 * only when whole, so that a reader never sees half of it and a failed
 * write leaves the old one in place.
 *
 *	struct atomic_file af;
 *
 *	if (atomic_open(&af, path))
 *		return -errno;
 *	fprintf(af.f, ...);
 *	return atomic_commit(&af, false);
 *
 * Only a regular file is replaced. A character device or a FIFO with a
 * reader (/dev/null, a pipe) is written through; a directory, a block
 * device, a socket, a FIFO nobody reads and a symbolic link to a file
 * are refused, never renamed over nor followed.
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
	int fd;			/* the open file, until f wraps it */
	char path[PATH_MAX];
	char tmp[PATH_MAX + 32];	/* its aside name; "" written through */
};

/*
 * May path be written? 0, or the -errno atomic_open would refuse it
 * with, creating nothing: for an output named long before it is written.
 */
int atomic_check(const char *path);
/* 0, or -errno with nothing created. */
int atomic_open(struct atomic_file *af, const char *path);
/*
 * The same with af->fd open and af->f NULL, for a caller that wraps the
 * descriptor in a stream of its own (it sets af->f).
 */
int atomic_open_fd(struct atomic_file *af, const char *path);
/*
 * Closes the stream (after fsync() with durable) and renames it over
 * path; 0, or the first -errno, with the aside file removed.
 */
int atomic_commit(struct atomic_file *af, bool durable);
/*
 * For a file another writer (gnuplot, a codec) wrote aside under tmp:
 * renamed over path, a regular file or none; else tmp is removed and the
 * -errno is atomic_open's (a device or FIFO: -ENODEV, never renamed over).
 */
int atomic_rename(const char *tmp, const char *path);
/* Gives up: the aside file goes, path stays as it was. */
void atomic_abort(struct atomic_file *af);
/* Words for an error of the above: why a path was refused, or strerror. */
const char *atomic_strerror(int err);

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
