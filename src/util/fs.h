/* SPDX-License-Identifier: GPL-2.0 */
/* Directories. */
#ifndef DIOSCOPE_UTIL_FS_H
#define DIOSCOPE_UTIL_FS_H

#include <stddef.h>

/* mkdir -p: 0 or -errno. */
int mkdir_p(const char *dir);
/*
 * The same, naming in made the first directory it created ("" when it
 * created none), so that a command that gives up can take back what it
 * made and only that.
 */
int mkdir_p_made(const char *dir, char *made, size_t len);
/* Removes dir and its parents up to made, each only while it is empty. */
void rmdir_made(const char *dir, const char *made);

#endif
