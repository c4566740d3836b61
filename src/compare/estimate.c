// SPDX-License-Identifier: GPL-2.0
/* compare --calibration: on-CPU instructions as estimated ns. */
#include <math.h>
#include <string.h>
#include "compare/estimate.h"
#include "compare/notes.h"
#include "util/json.h"
#include "util/macros.h"

/* summary.csv's columns of time the task spent on the CPU */
static const char *const on_cpu[] = {
	"wasted_ns_per_io", "wasted_cpu_ns_per_io", "work_cpu_ns_per_io",
};

bool compare_estimable(const struct compare_row *r,
		       const struct compare_metric *mt)
{
	size_t i;

	if (!r->icount_a || !r->icount_b)
		return false;
	for (i = 0; i < ARRAY_SIZE(on_cpu); i++)
		if (!strcmp(mt->col, on_cpu[i]))
			return true;
	return false;
}

void compare_estimate_row(const struct compare_row *in,
			  const struct calibration *c, struct compare_row *out,
			  char *metric, size_t mlen, char *unit, size_t ulen)
{
	const struct calib_factor *f = &c->k[CALIB_COMBINED];
	struct calib_estimate e;

	*out = *in;
	snprintf(metric, mlen, "%s%s", in->metric, COMPARE_EST_SUFFIX);
	calib_label(c, unit, ulen);
	out->metric = metric;
	out->unit = unit;
	out->value_a = in->value_a * f->f;
	out->value_b = in->value_b * f->f;
	calib_apply(f, in->diff_abs, in->ci_lo_abs, in->ci_hi_abs, &e);
	out->diff_abs = e.ns;
	/* no interval stays no interval: a value alone is not one */
	out->ci_lo_abs = isnan(in->ci_lo_abs) ? NAN : e.lo;
	out->ci_hi_abs = isnan(in->ci_hi_abs) ? NAN : e.hi;
	if (in->note == COMPARE_NOTE_NONE)
		out->note = COMPARE_NOTE_ESTIMATED;
}

static void fmt_est(char *buf, size_t len, double v,
		    const struct calib_factor *f)
{
	struct calib_estimate e;

	calib_apply(f, v, NAN, NAN, &e);
	if (isnan(e.ns))
		snprintf(buf, len, "n/a");
	else
		snprintf(buf, len, "%.0f [%.0f, %.0f]", e.ns, e.lo, e.hi);
}

void compare_estimate_print(const struct compare_row *in,
			    const struct calibration *c)
{
	const struct calib_factor *f = &c->k[CALIB_COMBINED];
	char a[64], b[64], d[80] = "n/a";
	struct calib_estimate e;

	fmt_est(a, sizeof(a), in->value_a, f);
	fmt_est(b, sizeof(b), in->value_b, f);
	calib_apply(f, in->diff_abs, in->ci_lo_abs, in->ci_hi_abs, &e);
	if (!isnan(e.ns))
		snprintf(d, sizeof(d), "%+.0f [%+.0f, %+.0f]", e.ns, e.lo, e.hi);
	printf("    est. ns on %s: A %s, B %s, B - A %s (estimates)\n",
	       c->cpu_model, a, b, d);
}

void compare_estimate_footer(const struct calibration *c)
{
	char factor[600];

	calib_factor_text(c, CALIB_COMBINED, factor, sizeof(factor));
	printf("est. ns on %s: ESTIMATES, not measurements: on-CPU\n"
	       "instructions\n  %s,\n"
	       "calibrated on kernel %s against the lab's %s.\n"
	       "Their intervals span the products of the value's and the factor's\n"
	       "ends (where each holds 95 %%, both hold at least 90 %%); the verdict\n"
	       "is the instructions' (a factor common to both arms changes none).\n"
	       "Latencies are not estimated: under icount an idle guest's clock\n"
	       "jumps to its next timer.\n",
	       c->cpu_model, factor, c->host_kernel, c->lab_kernel);
}

void compare_estimate_json(struct json_object *doc,
			   const struct calibration *c)
{
	struct json_object *o = json_object_new_object();
	int k;

	json_put(o, "file", json_str(c->path));
	json_put(o, "cpu_model", json_str(c->cpu_model));
	json_put(o, "host_kernel", json_str(c->host_kernel));
	json_put(o, "lab_kernel", json_str(c->lab_kernel));
	json_put(o, "date", json_str(c->date));
	json_put(o, "applied", json_str(calib_kind_name(CALIB_COMBINED)));
	for (k = 0; k < CALIB_NKINDS; k++) {
		struct json_object *f = json_object_new_object();

		json_put(f, "ns_per_instruction", json_num(c->k[k].f));
		json_put(f, "low", json_num(c->k[k].lo));
		json_put(f, "high", json_num(c->k[k].hi));
		json_put(o, calib_kind_name(k), f);
	}
	json_put(doc, "calibration", o);
}
