// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "analysis/fio_json.h"

/* fio names percentiles by their value with six decimals */
static const char *const pct_keys[FIO_NPCT] = {
	"50.000000", "90.000000", "99.000000", "99.900000",
};

/* A finite number, or 0: what is not one is not trusted. */
static double num(json_object *o, const char *key)
{
	json_object *v;
	double d;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !(json_object_is_type(v, json_type_int) ||
	      json_object_is_type(v, json_type_double)))
		return 0;
	d = json_object_get_double(v);
	return isfinite(d) ? d : 0;
}

static void percentiles(json_object *dd, double *out)
{
	json_object *lat, *pct, *v;
	int i;

	if (!json_object_object_get_ex(dd, "lat_ns", &lat) ||
	    !json_object_is_type(lat, json_type_object) ||
	    !json_object_object_get_ex(lat, "percentile", &pct) ||
	    !json_object_is_type(pct, json_type_object))
		return;
	for (i = 0; i < FIO_NPCT; i++)
		if (json_object_object_get_ex(pct, pct_keys[i], &v))
			out[i] = json_object_get_double(v);
}

static void add_ddir(json_object *job, const char *name,
		     struct fio_ddir_stats *s)
{
	json_object *dd;
	double ios;

	if (!json_object_object_get_ex(job, name, &dd) ||
	    !json_object_is_type(dd, json_type_object))
		return;
	ios = num(dd, "total_ios");
	/* a count beyond 2^63 is not fio's: keep the conversion defined */
	if (ios > 0 && ios < 9.2e18)
		s->total_ios += (__u64)ios;
	s->iops += num(dd, "iops");
	if (!s->lat_pct_ns[0] && ios > 0)
		percentiles(dd, s->lat_pct_ns);
}

static void add_job(json_object *job, struct fio_result *res)
{
	if (!json_object_is_type(job, json_type_object))
		return;
	add_ddir(job, "read", &res->read);
	add_ddir(job, "write", &res->write);
	if (num(job, "error") != 0)
		res->failed_jobs++;
	res->jobs++;
}

int fio_json_parse(const char *text, struct fio_result *res)
{
	json_object *root, *jobs, *v;
	size_t i, n;

	memset(res, 0, sizeof(*res));
	root = json_tokener_parse(text);
	if (!root) {
		snprintf(res->error, sizeof(res->error), "not JSON");
		return -EINVAL;
	}
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "jobs", &jobs) ||
	    !json_object_is_type(jobs, json_type_array)) {
		snprintf(res->error, sizeof(res->error),
			 "no \"jobs\" array: not fio's JSON output");
		json_object_put(root);
		return -EINVAL;
	}
	if (json_object_object_get_ex(root, "fio version", &v) &&
	    json_object_is_type(v, json_type_string))
		snprintf(res->version, sizeof(res->version), "%s",
			 json_object_get_string(v));
	n = json_object_array_length(jobs);
	for (i = 0; i < n; i++)
		add_job(json_object_array_get_idx(jobs, i), res);
	json_object_put(root);
	return 0;
}

static int slurp(const char *path, char **text)
{
	size_t len = 0;
	FILE *f = fopen(path, "r");
	int err = 0;

	*text = NULL;
	if (!f)
		return -errno;
	if (getdelim(text, &len, '\0', f) < 0)
		err = ferror(f) ? -EIO : -ENODATA;
	fclose(f);
	return err;
}

int fio_json_read(const char *path, struct fio_result *res)
{
	char *text, *brace, why[160];
	int err;

	memset(res, 0, sizeof(*res));
	err = slurp(path, &text);
	if (err) {
		snprintf(res->error, sizeof(res->error), "%s: %s", path,
			 err == -ENODATA ? "empty" : strerror(-err));
		free(text);
		return err;
	}
	/* fio may print notes before the JSON: start at the first brace */
	brace = strchr(text, '{');
	err = fio_json_parse(brace ? brace : text, res);
	if (err) {
		snprintf(why, sizeof(why), "%s", res->error);
		snprintf(res->error, sizeof(res->error), "%s: %s", path, why);
	}
	free(text);
	return err;
}
