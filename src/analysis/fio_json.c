// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <unistd.h>
#include <json-c/json.h>
#include "util/fileio.h"
#include "analysis/fio_json.h"

/* fio names percentiles by their value with six decimals */
/* a billion IOs a second: no device comes near */
#define FIO_MAX_IOPS 1e9

static const char *const pct_keys[FIO_NPCT] = {
	"50.000000", "90.000000", "99.000000", "99.900000",
};

/*
 * A finite number >= 0 where the key is there; absent is 0. Anything else
 * is an error: a negative or non-numeric count is not fio's, and reading
 * it as 0 would print a wrong IOPS with exit status 0.
 */
static int num(json_object *o, const char *key, double *out,
	       struct fio_result *res, const char *where)
{
	json_object *v;
	double d;

	*out = 0;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!(json_object_is_type(v, json_type_int) ||
	      json_object_is_type(v, json_type_double))) {
		snprintf(res->error, sizeof(res->error), "%s.%s: not a number",
			 where, key);
		return -EINVAL;
	}
	d = json_object_get_double(v);
	if (!isfinite(d) || d < 0) {
		snprintf(res->error, sizeof(res->error), "%s.%s: %g is not a count",
			 where, key, d);
		return -EINVAL;
	}
	*out = d;
	return 0;
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

/*
 * The counts are fio's, and say the same thing: a whole count below
 * 2^63, a rate a device could have, no rate without IOs. A rate fio did
 * not give is not known (NaN), not 0.
 */
static int check_ddir(json_object *dd, double ios, double *iops,
		      struct fio_result *res, const char *where)
{
	const char *why = NULL;

	if (ios >= 9.2e18 || ios != floor(ios))
		why = "total_ios is not a count";
	else if (*iops > FIO_MAX_IOPS)
		why = "iops is beyond any device's";
	else if (ios == 0 && *iops > 0)
		why = "iops without a single IO";
	if (why) {
		snprintf(res->error, sizeof(res->error),
			 "%s: %s (total_ios %g, iops %g)", where, why, ios, *iops);
		return -EINVAL;
	}
	if (ios > 0 && !json_object_object_get_ex(dd, "iops", NULL))
		*iops = NAN;
	return 0;
}

static int add_ddir(json_object *job, const char *name,
		    struct fio_ddir_stats *s, struct fio_result *res, size_t i)
{
	char where[64];
	json_object *dd;
	double ios, iops;

	if (!json_object_object_get_ex(job, name, &dd) ||
	    !json_object_is_type(dd, json_type_object))
		return 0;
	snprintf(where, sizeof(where), "jobs[%zu].%s", i, name);
	if (num(dd, "total_ios", &ios, res, where) ||
	    num(dd, "iops", &iops, res, where) ||
	    check_ddir(dd, ios, &iops, res, where))
		return -EINVAL;
	s->total_ios += (__u64)ios;
	s->iops += iops;
	if (!s->lat_pct_ns[0] && ios > 0)
		percentiles(dd, s->lat_pct_ns);
	return 0;
}

/* fio's JSON echoes each job's options, and the global ones at the root */
static bool names_lat_log(json_object *o, const char *key)
{
	json_object *opts;

	return json_object_object_get_ex(o, key, &opts) &&
	       json_object_is_type(opts, json_type_object) &&
	       json_object_object_get_ex(opts, "write_lat_log", NULL);
}

static int add_job(json_object *job, struct fio_result *res, size_t i,
		   bool global_log)
{
	__u64 before = res->read.total_ios + res->write.total_ios;
	char where[32];
	double e = 0;

	snprintf(where, sizeof(where), "jobs[%zu]", i);
	if (!json_object_is_type(job, json_type_object)) {
		snprintf(res->error, sizeof(res->error), "%s: not an object", where);
		return -EINVAL;
	}
	if (add_ddir(job, "read", &res->read, res, i) ||
	    add_ddir(job, "write", &res->write, res, i))
		return -EINVAL;
	if (global_log || names_lat_log(job, "job options")) {
		res->logged_ios += res->read.total_ios + res->write.total_ios - before;
		res->logging_jobs++;
	}
	/* fio's error is an errno: any value but 0 is a failed job */
	if (json_object_object_get_ex(job, "error", NULL) &&
	    num(job, "error", &e, res, where))
		e = 1;
	if (e != 0)
		res->failed_jobs++;
	res->jobs++;
	return 0;
}

static int parse_root(json_object *root, struct fio_result *res)
{
	json_object *jobs, *v;
	bool global_log;
	size_t i, n;

	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "jobs", &jobs) ||
	    !json_object_is_type(jobs, json_type_array)) {
		snprintf(res->error, sizeof(res->error),
			 "no \"jobs\" array: not fio's JSON output");
		return -EINVAL;
	}
	if (json_object_object_get_ex(root, "fio version", &v) &&
	    json_object_is_type(v, json_type_string))
		snprintf(res->version, sizeof(res->version), "%s",
			 json_object_get_string(v));
	n = json_object_array_length(jobs);
	if (!n) {
		snprintf(res->error, sizeof(res->error), "no jobs");
		return -EINVAL;
	}
	global_log = names_lat_log(root, "global options");
	for (i = 0; i < n; i++)
		if (add_job(json_object_array_get_idx(jobs, i), res, i, global_log))
			return -EINVAL;
	return 0;
}

int fio_json_parse(const char *text, struct fio_result *res)
{
	json_object *root;
	int err;

	memset(res, 0, sizeof(*res));
	root = json_tokener_parse(text);
	if (!root) {
		snprintf(res->error, sizeof(res->error), "not JSON");
		return -EINVAL;
	}
	err = parse_root(root, res);
	json_object_put(root);
	return err;
}

/*
 * fio may print notes before the JSON: parsing starts at the first brace.
 * The file is fed to the tokener in pieces: memory follows the JSON's
 * structure, not the file's size (whitespace costs nothing).
 */
static int parse_stream(int fd, json_object **root, struct fio_result *res)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error jerr = json_tokener_continue;
	static char buf[1 << 16];
	bool started = false;
	ssize_t n;
	char *p;

	if (!tok)
		return -ENOMEM;
	*root = NULL;
	while (!*root && (n = read(fd, buf, sizeof(buf))) > 0) {
		p = buf;
		if (!started) {
			p = memchr(buf, '{', n);
			if (!p)
				continue;
			started = true;
		}
		*root = json_tokener_parse_ex(tok, p, n - (p - buf));
		jerr = json_tokener_get_error(tok);
		if (jerr != json_tokener_continue && jerr != json_tokener_success)
			break;
	}
	json_tokener_free(tok);
	if (n < 0) {
		snprintf(res->error, sizeof(res->error), "%s", strerror(errno));
		return -EIO;
	}
	if (!*root) {
		snprintf(res->error, sizeof(res->error), "%s",
			 !started ? "empty or no JSON object" :
			 jerr == json_tokener_continue ? "the JSON ends early (cut short?)" :
			 json_tokener_error_desc(jerr));
		return -EINVAL;
	}
	return 0;
}

int fio_json_read(const char *path, struct fio_result *res)
{
	json_object *root;
	char why[sizeof(res->error)];
	int fd, err;

	memset(res, 0, sizeof(*res));
	fd = open_regular(path, res->error, sizeof(res->error));
	if (fd < 0)
		return -errno;
	err = parse_stream(fd, &root, res);
	close(fd);
	if (!err) {
		err = parse_root(root, res);
		json_object_put(root);
	}
	if (err) {
		snprintf(why, sizeof(why), "%s", res->error);
		/* the parser's words are short: the path is what is long */
		snprintf(res->error, sizeof(res->error), "%s: %.255s", path,
			 why);
	}
	return err;
}
