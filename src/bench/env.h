/* SPDX-License-Identifier: GPL-2.0 */
/* What the bench records about the machine and the tools it ran on. */
#ifndef DIOSCOPE_BENCH_ENV_H
#define DIOSCOPE_BENCH_ENV_H

#include <stdbool.h>
#include <stddef.h>

/*
 * What PROG --version prints ("fio-3.33" for fio, "zero-range-1" for
 * the zero-range driver), or "" when it cannot be run.
 */
void bench_tool_version(const char *prog, char *out, size_t len);
/* The options a mount point is mounted with, from /proc/self/mounts. */
void bench_mount_options(const char *mnt, char *out, size_t len);
/* The files of a run directory, which holds nothing else; 0 or -errno. */
int bench_clear_files(const char *dir);
/* Remove one run directory and the files in it; 0 or -errno. */
int bench_remove_run(const char *dir);
/* Remove dir/run-N directories and the files in them; 0 or -errno. */
int bench_clear_runs(const char *dir);

#endif
