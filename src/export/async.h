/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A FILE whose writes are done by a thread of their own. A long run's
 * ios.csv is gigabytes: copying them into the page cache costs as much
 * as correlating, and on another CPU it costs the analysis nothing.
 */
#ifndef DIOSCOPE_EXPORT_ASYNC_H
#define DIOSCOPE_EXPORT_ASYNC_H

#include <stdio.h>

/*
 * Like fdopen(fd, "w"), fd its own from then on, even on failure;
 * fclose() waits for the writes and returns EOF (errno set) when any
 * failed. NULL with errno on error.
 */
FILE *async_fdopen(int fd);

#endif
