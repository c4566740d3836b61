// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "util/atomic_file.h"
#include "util/json.h"
#include "util/path.h"

#define PRINT_FLAGS (JSON_C_TO_STRING_NOSLASHESCAPE)

struct json_object *json_num(double v)
{
	char buf[48];

	if (!isfinite(v))
		return NULL;
	if (v == floor(v) && fabs(v) < 9e15)
		return json_object_new_int64((long long)v);
	/* json-c's default %.17g prints 0.1 as 0.10000000000000001 */
	snprintf(buf, sizeof(buf), "%.10g", v);
	return json_object_new_double_s(v, buf);
}

struct json_object *json_u64(unsigned long long v)
{
	return json_object_new_uint64(v);
}

struct json_object *json_str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

void json_put(struct json_object *obj, const char *key, struct json_object *val)
{
	json_object_object_add(obj, key, val);
}

int json_write_file(struct json_object *doc, const char *path)
{
	const char *text = json_object_to_json_string_ext(doc,
			JSON_C_TO_STRING_PRETTY | PRINT_FLAGS);
	struct atomic_file af;
	int err = atomic_open(&af, path);

	if (err)
		return err;
	fputs(text, af.f);
	fputc('\n', af.f);
	return atomic_commit(&af, false);
}

int json_write_line(struct json_object *obj, FILE *f)
{
	const char *text = json_object_to_json_string_ext(obj,
			JSON_C_TO_STRING_PLAIN | PRINT_FLAGS);

	if (fputs(text, f) < 0 || fputc('\n', f) < 0 || fflush(f))
		return errno ? -errno : -EIO;
	return 0;
}

int json_path_beside(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	int stem = dot && (!slash || dot > slash) ? (int)(dot - path) :
						    (int)strlen(path);

	return path_fmt(out, len, "%.*s.json", stem, path);
}
