/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A calibration: nanoseconds per guest instruction of ext4 extent-tree
 * work on one CPU, measured by tests/perf/calibrate.sh (the same calls
 * timed on the host and counted in the icount lab). It turns the
 * instruction counts of icount results (clock=icount) into nanoseconds
 * estimated for that CPU, never measured there: every value made with it
 * says so and carries the factor's interval.
 *
 * The file is key=value lines read by meta's rules (run/meta.h), plus:
 *   format=dioscope-calibration 1
 *   from=icount              what it converts: guest instructions
 *   to=ns                    into: nanoseconds of cpu_model
 *   cpu_model=...            the host CPU, as /proc/cpuinfo names it
 *   factor.KIND=F low.KIND=L high.KIND=H   for KIND pre_io, convert and
 *                            combined: ns per instruction, 95 % interval
 * and what it was made from (host_kernel, lab_kernel, date, runs_host,
 * runs_lab, the per-run values), which is shown, not checked.
 */
#ifndef DIOSCOPE_RUN_CALIBRATION_H
#define DIOSCOPE_RUN_CALIBRATION_H

#include <stdbool.h>
#include <stddef.h>
#include "run/meta.h"

#define CALIB_FORMAT "dioscope-calibration 1"

enum calib_kind {
	CALIB_PRE_IO,		/* ext4_ext_map_blocks with PRE_IO: the split */
	CALIB_CONVERT,		/* ... with CONVERT: the conversion at end_io */
	CALIB_COMBINED,		/* extent work of either kind */
	CALIB_NKINDS,
};

/* ns per instruction and its 95 % interval, lo <= f <= hi, all > 0 */
struct calib_factor {
	double f, lo, hi;
};

struct calibration {
	char path[256];
	char cpu_model[128];
	char host_kernel[80], lab_kernel[80], date[40];
	struct calib_factor k[CALIB_NKINDS];
};

/* an estimate in ns and its interval */
struct calib_estimate {
	double ns, lo, hi;
};

const char *calib_kind_name(enum calib_kind k);
/*
 * 0, or -EINVAL/-errno with why saying what is wrong and where: a file
 * that is not key=value, of another format, made for another clock or
 * unit, naming no CPU, or whose factors are missing, not numbers, not
 * positive or outside their own interval.
 */
int calibration_read(const char *path, struct calibration *c, char *why,
		     size_t len);
/* The same from a meta already read (m->path names it in messages). */
int calibration_from_meta(const struct meta *m, struct calibration *c,
			  char *why, size_t len);
/*
 * v instructions, with its own interval [v_lo, v_hi] (NAN: none), as ns:
 * v * f, and the interval spanned by the products of the two intervals'
 * ends (the value may be a difference below 0). It holds whenever both
 * intervals do: at least 90 % where each holds 95 % independently.
 */
void calib_apply(const struct calib_factor *f, double v, double v_lo,
		 double v_hi, struct calib_estimate *e);
/* "estimated ns on CPU": the label of every estimate */
void calib_label(const struct calibration *c, char *buf, size_t len);
/* "x 0.290 [0.238, 0.327] ns per instruction (combined, FILE, DATE)" */
void calib_factor_text(const struct calibration *c, enum calib_kind k,
		       char *buf, size_t len);

#endif
