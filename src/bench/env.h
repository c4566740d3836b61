/* SPDX-License-Identifier: GPL-2.0 */
/* What the bench records about the machine and the tools it ran on. */
#ifndef DIOSCOPE_BENCH_ENV_H
#define DIOSCOPE_BENCH_ENV_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Emulated: DIOSCOPE_EMULATED=1 (0 says no), or QEMU named by the DMI
 * product or vendor, or by /proc/cpuinfo. Timings under emulation say
 * little about real hardware; results carry the mark.
 */
bool bench_emulated(void);
/*
 * The guest's clock: "icount" where QEMU counts instructions for time
 * (-icount shift=0: 1 ns per instruction), said by DIOSCOPE_CLOCK=icount
 * or by the kernel parameter dioscope.clock=icount (tests/lab/lab.sh
 * --icount sets it); else "wall".
 */
const char *bench_clock(void);
/* Any hypervisor at all (the CPU's hypervisor flag). */
bool bench_virtualized(void);
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
