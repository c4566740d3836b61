// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "run/clock_kind.h"

static bool file_has(const char *path, const char *what, size_t max_lines)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	while (!found && max_lines-- && fgets(line, sizeof(line), f))
		found = strstr(line, what) != NULL;
	fclose(f);
	return found;
}

bool run_emulated(void)
{
	const char *env = getenv("DIOSCOPE_EMULATED");

	if (env && *env)
		return !strcmp(env, "1") || !strcmp(env, "yes");
	return file_has("/sys/class/dmi/id/product_name", "QEMU", 4) ||
	       file_has("/sys/class/dmi/id/sys_vendor", "QEMU", 4) ||
	       file_has("/proc/cpuinfo", "QEMU", 64);
}

const char *run_clock(void)
{
	const char *env = getenv("DIOSCOPE_CLOCK");

	if (env && *env)
		return strcmp(env, "icount") ? "wall" : "icount";
	return file_has("/proc/cmdline", "dioscope.clock=icount", 1) ?
	       "icount" : "wall";
}

bool run_virtualized(void)
{
	return file_has("/proc/cpuinfo", " hypervisor", 64);
}
