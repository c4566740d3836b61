/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opening the files of a run for reading. Only regular files are read: a
 * FIFO would block the reader forever, a directory or a device is not a
 * run's file, and the message says which it is.
 */
#ifndef DIOSCOPE_FILEIO_H
#define DIOSCOPE_FILEIO_H

#include <stdio.h>
#include <sys/types.h>

/*
 * A read-only descriptor of path when it is a regular file; else -1 with
 * errno set (EINVAL for a file of another type) and err saying why.
 */
int open_regular(const char *path, char *err, size_t len);
/* The same as a stdio stream. */
FILE *fopen_regular(const char *path, char *err, size_t len);
/* "a FIFO", "a directory", ... for messages */
const char *file_type_name(mode_t mode);

#endif
