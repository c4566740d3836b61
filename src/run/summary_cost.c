// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include "run/summary_cost.h"

/* What tracing cost in the kernel: the observer's share of what it saw. */
void summary_print_cost(FILE *f, const struct summary *rows, unsigned int n,
			int width, const char *unit)
{
	unsigned int i;

	fprintf(f, "\ntracer's in-kernel cost (BPF run time while the kernel counted it):\n");
	for (i = 0; i < n; i++) {
		const struct summary *s = &rows[i];
		struct summary_derived d;
		double per_io, share;

		summary_derive(s, &d);
		per_io = d.bpf_ns_per_io;
		share = d.bpf_share;

		fprintf(f, "%-*s ", width, s->scenario);
		if (isnan(per_io))
			fprintf(f, "unknown (statistics were off)");
		else
			fprintf(f, "%.0f %s per IO", per_io, unit);
		if (!isnan(share))
			fprintf(f, ", %.2f %% of mean latency", 100 * share);
		if (s->bpf_misses_counted)
			fprintf(f, ", %llu recursion misses",
				(unsigned long long)s->bpf_recursion_misses);
		else
			fprintf(f, ", recursion misses not counted by this kernel");
		/* a return probe through the PMU cannot count its misses */
		if (s->kret_counted)
			fprintf(f, ", %llu kretprobe misses\n",
				(unsigned long long)s->kretprobe_missed);
		else
			fprintf(f, ", kretprobe misses unknown\n");
	}
}
