// SPDX-License-Identifier: GPL-2.0
/* Instructions into estimated ns: the calibration file and its arithmetic. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "run/calibration.h"
#include "util/parse.h"

static const char *const kind_names[CALIB_NKINDS] = {
	[CALIB_PRE_IO] = "pre_io",
	[CALIB_CONVERT] = "convert",
	[CALIB_COMBINED] = "combined",
};

const char *calib_kind_name(enum calib_kind k)
{
	return k < CALIB_NKINDS ? kind_names[k] : "?";
}

static int refuse(const struct meta *m, char *why, size_t len,
		  const char *key, const char *what)
{
	char at[600];

	meta_where(m, key, at, sizeof(at));
	snprintf(why, len, "%s: %s", at, what);
	return -EINVAL;
}

/* key must say exactly want */
static int need_str(const struct meta *m, const char *key, const char *want,
		    char *why, size_t len, const char *what)
{
	const char *v = meta_get(m, key);

	if (v && !strcmp(v, want))
		return 0;
	return refuse(m, why, len, key, what);
}

static int need_text(const struct meta *m, const char *key, char *out,
		     size_t size, char *why, size_t len)
{
	const char *v = meta_get(m, key);

	if (!v || !*v)
		return refuse(m, why, len, key, "missing: a calibration names it");
	if (strlen(v) >= size)
		return refuse(m, why, len, key, "too long");
	snprintf(out, size, "%s", v);
	return 0;
}

static void copy_opt(const struct meta *m, const char *key, char *out,
		     size_t size)
{
	const char *v = meta_get(m, key);

	snprintf(out, size, "%.*s", (int)(size - 1), v ? v : "?");
}

static int need_num(const struct meta *m, const char *what,
		    enum calib_kind k, double *out, char *why, size_t len)
{
	char key[64];

	snprintf(key, sizeof(key), "%s.%s", what, kind_names[k]);
	if (!meta_get(m, key))
		return refuse(m, why, len, key, "missing");
	if (parse_double(meta_get(m, key), out) || !(*out > 0))
		return refuse(m, why, len, key,
			      "not a positive number of ns per instruction");
	return 0;
}

static int read_factor(const struct meta *m, enum calib_kind k,
		       struct calib_factor *f, char *why, size_t len)
{
	char key[64];

	if (need_num(m, "factor", k, &f->f, why, len) ||
	    need_num(m, "low", k, &f->lo, why, len) ||
	    need_num(m, "high", k, &f->hi, why, len))
		return -EINVAL;
	if (f->lo <= f->f && f->f <= f->hi)
		return 0;
	snprintf(key, sizeof(key), "factor.%s", kind_names[k]);
	return refuse(m, why, len, key,
		      "outside its own interval (low.KIND <= factor.KIND <= high.KIND)");
}

int calibration_from_meta(const struct meta *m, struct calibration *c,
			  char *why, size_t len)
{
	int k;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%.*s", (int)sizeof(c->path) - 1,
		 m->path ? m->path : "calibration");
	if (need_str(m, "format", CALIB_FORMAT, why, len,
		     "not a calibration of this format (format=" CALIB_FORMAT ")") ||
	    need_str(m, "from", "icount", why, len,
		     "made for another clock: a calibration turns guest instructions (from=icount) into ns") ||
	    need_str(m, "to", "ns", why, len,
		     "made for another unit: a calibration gives ns (to=ns)") ||
	    need_text(m, "cpu_model", c->cpu_model, sizeof(c->cpu_model),
		      why, len))
		return -EINVAL;
	for (k = 0; k < CALIB_NKINDS; k++)
		if (read_factor(m, k, &c->k[k], why, len))
			return -EINVAL;
	copy_opt(m, "host_kernel", c->host_kernel, sizeof(c->host_kernel));
	copy_opt(m, "lab_kernel", c->lab_kernel, sizeof(c->lab_kernel));
	copy_opt(m, "date", c->date, sizeof(c->date));
	return 0;
}

int calibration_read(const char *path, struct calibration *c, char *why,
		     size_t len)
{
	struct meta m;
	int err = meta_read(&m, path);

	if (err) {
		snprintf(why, len, "%s", m.error[0] ? m.error : strerror(-err));
		return err;
	}
	err = calibration_from_meta(&m, c, why, len);
	meta_free(&m);
	return err;
}

static double min4(double a, double b, double c, double d)
{
	return fmin(fmin(a, b), fmin(c, d));
}

static double max4(double a, double b, double c, double d)
{
	return fmax(fmax(a, b), fmax(c, d));
}

void calib_apply(const struct calib_factor *f, double v, double v_lo,
		 double v_hi, struct calib_estimate *e)
{
	if (isnan(v_lo) || isnan(v_hi))
		v_lo = v_hi = v;
	e->ns = v * f->f;
	e->lo = min4(v_lo * f->lo, v_lo * f->hi, v_hi * f->lo, v_hi * f->hi);
	e->hi = max4(v_lo * f->lo, v_lo * f->hi, v_hi * f->lo, v_hi * f->hi);
	if (isnan(v))
		e->ns = e->lo = e->hi = NAN;
}

void calib_label(const struct calibration *c, char *buf, size_t len)
{
	snprintf(buf, len, "estimated ns on %s", c->cpu_model);
}

void calib_factor_text(const struct calibration *c, enum calib_kind k,
		       char *buf, size_t len)
{
	const struct calib_factor *f = &c->k[k];

	snprintf(buf, len,
		 "x %.3f [%.3f, %.3f] ns per instruction (%s, %s, %s)",
		 f->f, f->lo, f->hi, calib_kind_name(k), c->path, c->date);
}
