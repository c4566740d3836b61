/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names that come from the kernel or a filesystem (a task's comm, a file's
 * path) are chosen by whoever made them, unprivileged users too. Before
 * they reach a terminal, control characters become visible escapes: a
 * newline cannot forge a line, an ESC cannot send a sequence to it.
 */
#ifndef DIOSCOPE_ESCAPE_H
#define DIOSCOPE_ESCAPE_H

#include <stddef.h>

/*
 * Up to max bytes of in (or to its NUL) into out, with C0 and C1 control
 * characters, DEL and a backslash written as \xNN (\\ for a backslash);
 * UTF-8 text is kept. out is cut short, still terminated, if len is too
 * small. Returns out.
 */
char *term_escape(const char *in, size_t max, char *out, size_t len);

#endif
