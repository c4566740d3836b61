/* SPDX-License-Identifier: GPL-2.0 */
/* Directories. */
#ifndef DIOSCOPE_UTIL_FS_H
#define DIOSCOPE_UTIL_FS_H

/* mkdir -p: 0 or -errno. */
int mkdir_p(const char *dir);

#endif
