/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a run's times are: taken on an emulated machine or not, and by
 * which clock. record and bench both write it to meta, so that report,
 * compare and plot label a recording made in the lab's icount mode as
 * instructions whichever command made it.
 */
#ifndef DIOSCOPE_RUN_CLOCK_KIND_H
#define DIOSCOPE_RUN_CLOCK_KIND_H

#include <stdbool.h>

/*
 * Emulated: DIOSCOPE_EMULATED=1 (0 says no), or QEMU named by the DMI
 * product or vendor, or by /proc/cpuinfo. Timings under emulation say
 * little about real hardware; results carry the mark.
 */
bool run_emulated(void);
/*
 * The guest's clock: "icount" where QEMU counts instructions for time
 * (-icount shift=0: 1 ns per instruction), said by DIOSCOPE_CLOCK=icount
 * or by the kernel parameter dioscope.clock=icount (tests/lab/lab.sh
 * --icount sets it); else "wall".
 */
const char *run_clock(void);
/* Any hypervisor at all (the CPU's hypervisor flag). */
bool run_virtualized(void);

#endif
