/* SPDX-License-Identifier: GPL-2.0 */
/* Paths built with a format, never silently cut short. */
#ifndef DIOSCOPE_UTIL_PATH_H
#define DIOSCOPE_UTIL_PATH_H

#include <limits.h>
#include <stddef.h>

/*
 * snprintf into out: 0, or -ENAMETOOLONG when the path does not fit in
 * len (out then holds "", never a cut path that names another file).
 */
int path_fmt(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
