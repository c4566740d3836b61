/* SPDX-License-Identifier: GPL-2.0 */
/* Running gnuplot on a script of plots/, with settings, its stderr kept. */
#ifndef DIOSCOPE_PLOT_GNUPLOT_H
#define DIOSCOPE_PLOT_GNUPLOT_H

#include <stddef.h>

/* Settings for gnuplot -e: "name = value; ..." built up in a buffer. */
struct gp_vars {
	char buf[16384];
	size_t used;
	int overflow;
};

void gp_var_str(struct gp_vars *v, const char *name, const char *val);
void gp_var_int(struct gp_vars *v, const char *name, long val);
void gp_var_num(struct gp_vars *v, const char *name, double val);

/*
 * gnuplot -e VARS SCRIPT, without a shell. What it wrote to stderr (its
 * warnings and errors) goes into err, NUL-terminated, cut at len. Returns
 * its exit status, or -errno when it could not be run.
 */
int gnuplot_run(const struct gp_vars *v, const char *script, char *err,
		size_t len);
/* "pngcairo" where this gnuplot has it, else "png"; NULL without gnuplot. */
const char *gnuplot_png_terminal(void);

#endif
