// SPDX-License-Identifier: GPL-2.0
/* Beside icount rows: their waste per IO as ns estimated for a CPU. */
#include <math.h>
#include <string.h>
#include "run/summary.h"
#include "run/summary_estimate.h"

static int scenario_width(const struct summary *rows, unsigned int n)
{
	int width = 8;
	unsigned int i;

	for (i = 0; i < n; i++)
		if ((int)strlen(rows[i].scenario) > width)
			width = strlen(rows[i].scenario);
	return width;
}

static void print_row(FILE *f, const struct summary *s, int width,
		      const struct calibration *c)
{
	struct summary_derived d;
	struct calib_estimate e;

	fprintf(f, "  %-*s ", width, s->scenario);
	if (strcmp(s->clock, "icount")) {
		fprintf(f, "wall clock: measured, nothing to estimate\n");
		return;
	}
	summary_derive(s, &d);
	if (isnan(d.wasted_ns_per_io)) {
		fprintf(f, "waste/IO n/a\n");
		return;
	}
	calib_apply(&c->k[CALIB_COMBINED], d.wasted_ns_per_io, NAN, NAN, &e);
	fprintf(f, "waste/IO %.2f kins = %.3f us [%.3f, %.3f] estimated\n",
		d.wasted_ns_per_io / 1000, e.ns / 1000, e.lo / 1000,
		e.hi / 1000);
}

int summary_print_estimates(FILE *f, const struct summary *rows,
			    unsigned int n, const struct calibration *c)
{
	char label[200], factor[600];
	unsigned int i, icount = 0;
	int width = scenario_width(rows, n);

	for (i = 0; i < n; i++)
		icount += !strcmp(rows[i].clock, "icount");
	if (!icount)
		return -EINVAL;
	calib_label(c, label, sizeof(label));
	calib_factor_text(c, CALIB_COMBINED, factor, sizeof(factor));
	fprintf(f, "\n%s (ESTIMATES, not measurements): on-CPU\n"
		   "instructions %s;\n"
		   "calibrated on kernel %s against the lab's %s. The intervals\n"
		   "are the factor's. Latencies are not estimated: under icount an\n"
		   "idle guest's clock jumps to its next timer.\n", label, factor,
		c->host_kernel, c->lab_kernel);
	for (i = 0; i < n; i++)
		print_row(f, &rows[i], width, c);
	return 0;
}
