// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "fio_json.h"

static double num(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	return json_object_get_double(v);
}

/* fio names percentiles "50.000000" in an object under lat_ns */
static double percentile(json_object *dd, const char *which)
{
	json_object *lat, *pct, *v;

	if (!json_object_object_get_ex(dd, "lat_ns", &lat) ||
	    !json_object_object_get_ex(lat, "percentile", &pct) ||
	    !json_object_is_type(pct, json_type_object) ||
	    !json_object_object_get_ex(pct, which, &v))
		return 0;
	return json_object_get_double(v);
}

static void add_ddir(json_object *job, const char *name,
		     struct fio_ddir_stats *s, unsigned int njobs)
{
	json_object *dd;

	if (!json_object_object_get_ex(job, name, &dd) ||
	    !json_object_is_type(dd, json_type_object))
		return;
	s->total_ios += (__u64)num(dd, "total_ios");
	s->iops += num(dd, "iops");
	/* with one job the percentiles are the job's; with more, the first's */
	if (njobs == 0) {
		s->lat_p50_ns = percentile(dd, "50.000000");
		s->lat_p99_ns = percentile(dd, "99.000000");
	}
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
	if (!json_object_object_get_ex(root, "jobs", &jobs) ||
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
	for (i = 0; i < n; i++) {
		json_object *job = json_object_array_get_idx(jobs, i);

		if (!json_object_is_type(job, json_type_object))
			continue;
		add_ddir(job, "read", &res->read, res->jobs);
		add_ddir(job, "write", &res->write, res->jobs);
		res->jobs++;
	}
	json_object_put(root);
	return 0;
}

int fio_json_read(const char *path, struct fio_result *res)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");
	int err;

	if (!f) {
		memset(res, 0, sizeof(*res));
		snprintf(res->error, sizeof(res->error), "%s: %s", path,
			 strerror(errno));
		return -errno;
	}
	if (getdelim(&text, &len, '\0', f) < 0) {
		fclose(f);
		free(text);
		snprintf(res->error, sizeof(res->error), "%s: empty", path);
		return -EINVAL;
	}
	fclose(f);
	/* fio may print notes before the JSON: start at the first brace */
	err = fio_json_parse(strchr(text, '{') ? strchr(text, '{') : text, res);
	if (err) {
		char why[128];

		snprintf(why, sizeof(why), "%s", res->error);
		snprintf(res->error, sizeof(res->error), "%s: %s", path, why);
	}
	free(text);
	return err;
}
