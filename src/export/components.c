// SPDX-License-Identifier: GPL-2.0
/*
 * The component columns that ios.csv and inodes.csv share: a count, a
 * wall time and the part of it on the CPU for every component, the waste
 * apart (it has columns of its own).
 */
#include <stdio.h>
#include <string.h>
#include "export/export.h"
#include "export/row.h"

void export_component_header(char *h, size_t len)
{
	int c;

	for (c = 0; c < DS_C_MAX; c++) {
		size_t used = strlen(h);

		if (c == DS_C_WASTED)
			continue;
		snprintf(h + used, len - used, ",%s_count,%s_ns,%s_cpu_ns",
			 component_name(c), component_name(c),
			 component_name(c));
	}
}

void export_component_cost(struct row *r, bool traced, __u64 count, __u64 ns,
			   __u64 cpu_ns, bool cpu_unknown)
{
	if (!traced) {
		row_empty(r);
		row_empty(r);
		row_empty(r);
		return;
	}
	row_u64(r, count);
	/* a count whose events carry no duration (a tracepoint): no time */
	if (count && !ns) {
		row_empty(r);
		row_empty(r);
		return;
	}
	row_u64(r, ns);
	if (cpu_unknown)
		row_empty(r);
	else
		row_u64(r, cpu_ns);
}
