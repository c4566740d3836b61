/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one voice of dioscope on stderr: "dioscope CMD: message", the
 * command named once by main, and a progress line that is cleared before
 * any message so that the two never share a line.
 *
 * Libraries return -errno and, where the errno alone does not say what
 * went wrong, leave a message in a buffer of the caller (an "error"
 * field): lower case, no program name, no trailing period or newline.
 * The command prints it with ds_err(). What must be said while work goes
 * on (a run's lost events, a knob left as it was) is said with ds_err()
 * too, never with a name of its own.
 */
#ifndef DIOSCOPE_UTIL_ERR_H
#define DIOSCOPE_UTIL_ERR_H

#include <stdbool.h>

/* "bench" makes every message "dioscope bench: ..."; NULL: "dioscope: ..." */
void ds_set_cmd(const char *name);
/* "dioscope" or "dioscope bench" */
const char *ds_prog(void);
/* One line to stderr in the voice above. */
void ds_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A progress line: rewritten in place on a terminal, one line each when
 * stderr is a file or a pipe.
 */
void ds_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Clears a progress line left on the terminal. */
void ds_progress_end(void);

#endif
