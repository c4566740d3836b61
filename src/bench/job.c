// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench/job.h"
#include "bench/matrix.h"
#include "bench/merge_guard.h"
#include "util/parse.h"

/* The fields of a line, in the order they are written and read. */
enum job_field { JF_KERNEL, JF_SCENARIO, JF_BS, JF_VARIANT, JF_GUARD, JF_ARM,
		 JF_RUN, JF_SIZE, JF_RUNTIME, JF_MAX };

static const char *const field_names[JF_MAX] = {
	"kernel", "scenario", "bs", "variant", "guard", "arm", "run", "size",
	"runtime",
};

#define RUN_MAX_JOB 100000
#define RUNTIME_MAX_JOB 3600

int bench_job_format(const struct bench_job *j, char *buf, size_t len)
{
	const char *guard = j->guard < 0 ? "-" : merge_guard_name(j->guard);
	int n;

	n = snprintf(buf, len,
		     "kernel=%s scenario=%s bs=%s variant=%s guard=%s arm=%s run=%u size=%llu runtime=%u",
		     j->kernel, j->scenario, j->bs, j->variant, guard, j->arm,
		     j->run, j->size, j->runtime);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int fail(char *err, size_t elen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, elen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool arm_ok(const char *arm, int guard)
{
	if (!strcmp(arm, "-") || !strcmp(arm, "A") || !strcmp(arm, "B"))
		return true;
	if (strncmp(arm, "guard-", 6) || guard < 0)
		return false;
	/* a guard arm's directory names the mode it runs in */
	return merge_guard_parse(arm + 6) == guard &&
	       !strcmp(arm + 6, merge_guard_name(guard));
}

static int copy_name(char *dst, size_t len, const char *v)
{
	if (!bench_name_ok(v) || strlen(v) >= len)
		return -1;
	snprintf(dst, len, "%s", v);
	return 0;
}

static int set_number(enum job_field f, const char *v, struct bench_job *j)
{
	unsigned long long x;

	if (parse_u64(v, &x) || !x)
		return -1;
	if (f == JF_SIZE)
		j->size = x;
	else if (f == JF_RUN && x <= RUN_MAX_JOB)
		j->run = x;
	else if (f == JF_RUNTIME && x <= RUNTIME_MAX_JOB)
		j->runtime = x;
	else
		return -1;
	return 0;
}

static int set_field(enum job_field f, const char *v, struct bench_job *j)
{
	switch (f) {
	case JF_KERNEL:
		return copy_name(j->kernel, sizeof(j->kernel), v);
	case JF_SCENARIO:
		return copy_name(j->scenario, sizeof(j->scenario), v);
	case JF_BS:
		return copy_name(j->bs, sizeof(j->bs), v);
	case JF_VARIANT:
		return copy_name(j->variant, sizeof(j->variant), v);
	case JF_GUARD:
		j->guard = strcmp(v, "-") ? merge_guard_parse(v) : -1;
		/* the names only: a line is read back as it was written */
		return strcmp(v, "-") && (j->guard < 0 ||
		       strcmp(v, merge_guard_name(j->guard))) ? -1 : 0;
	case JF_ARM:
		if (!arm_ok(v, j->guard) || strlen(v) >= sizeof(j->arm))
			return -1;
		snprintf(j->arm, sizeof(j->arm), "%s", v);
		return 0;
	default:
		return set_number(f, v, j);
	}
}

int bench_job_parse(const char *line, struct bench_job *j, char *err,
		    size_t elen)
{
	char buf[512], *tok, *save, *eq;
	size_t len = strlen(line);
	int f = 0;

	memset(j, 0, sizeof(*j));
	if (len && line[len - 1] == '\n')
		len--;
	if (len >= sizeof(buf))
		return fail(err, elen, "a job line is at most %zu characters",
			    sizeof(buf) - 1);
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (strchr(buf, '\t') || strstr(buf, "  ") || buf[0] == ' ' ||
	    (len && buf[len - 1] == ' '))
		return fail(err, elen, "fields are separated by one space");
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), f++) {
		if (f == JF_MAX)
			return fail(err, elen, "'%s' after runtime=: a job line has %d fields",
				    tok, JF_MAX);
		eq = strchr(tok, '=');
		if (!eq || (size_t)(eq - tok) != strlen(field_names[f]) ||
		    strncmp(tok, field_names[f], eq - tok))
			return fail(err, elen, "field %d is '%s', not %s=VALUE",
				    f + 1, tok, field_names[f]);
		if (set_field(f, eq + 1, j))
			return fail(err, elen, "%s: '%s' is not a valid value",
				    field_names[f], eq + 1);
	}
	if (f < JF_MAX)
		return fail(err, elen, "%s= is missing", field_names[f]);
	return 0;
}

bool bench_job_here(const struct bench_job *j, const char *release)
{
	size_t n = strlen(j->kernel);

	if (!strcmp(j->kernel, "host") || !strcmp(j->kernel, release))
		return true;
	return !strncmp(release, j->kernel, n) &&
	       (release[n] == '.' || release[n] == '-');
}

int bench_shard_parse(const char *s, unsigned int *i, unsigned int *n)
{
	unsigned int a, b;
	int used = 0;

	/* digits and one slash only: no sign or space sscanf would take */
	if (strspn(s, "0123456789/") != strlen(s) ||
	    sscanf(s, "%u/%u%n", &a, &b, &used) != 2 || s[used] ||
	    !b || a >= b || b > 1000000)
		return -EINVAL;
	*i = a;
	*n = b;
	return 0;
}
