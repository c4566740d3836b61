/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine a run ran on, in its meta: machine_cpu_model,
 * machine_cores, machine_mem_bytes and machine_host_id. Runs merged from
 * several machines are pooled by compare only when their hardware is the
 * same (or when told to).
 *
 * An emulated guest's times are the emulating host's: the lab passes the
 * host's machine in DIOSCOPE_MACHINE, "CPU MODEL|CORES|MEM BYTES|HOST ID",
 * which then stands for the guest's own.
 */
#ifndef DIOSCOPE_BENCH_MACHINE_H
#define DIOSCOPE_BENCH_MACHINE_H

#include <stddef.h>
#include "run/meta.h"

struct machine {
	char cpu_model[128];
	char host_id[65];	/* a nodename: up to 64 bytes (utsname) */
	unsigned long cores;
	unsigned long long mem_bytes;
};

/* This machine (or DIOSCOPE_MACHINE's): 0, or -EINVAL for a bad one. */
int machine_read(struct machine *m);
/* "CPU MODEL|CORES|MEM BYTES|HOST ID" into *m: 0 or -EINVAL. */
int machine_parse(const char *s, struct machine *m);
void machine_meta(const struct machine *m, struct meta *meta);

#endif
