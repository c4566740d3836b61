// SPDX-License-Identifier: GPL-2.0
/* A path that does not fit is refused, never cut into another name. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "util/json.h"
#include "util/path.h"
#include "run/summary.h"

static void test_fits(void **state)
{
	char buf[16];

	assert_int_equal(path_fmt(buf, sizeof(buf), "%s/%s", "runs", "meta"), 0);
	assert_string_equal(buf, "runs/meta");
	/* 15 characters and the NUL: just fits */
	assert_int_equal(path_fmt(buf, sizeof(buf), "%s", "123456789012345"), 0);
}

static void test_too_long(void **state)
{
	char buf[16];

	assert_int_equal(path_fmt(buf, sizeof(buf), "%s/%s", "results", "summary.csv"),
			 -ENAMETOOLONG);
	assert_string_equal(buf, "");
	assert_int_equal(json_path_beside("results/a.csv", buf, 10), -ENAMETOOLONG);
	assert_int_equal(json_path_beside("r/a.csv", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "r/a.json");
}

/* a scenario named by a directory longer than the summary's column */
static void test_long_scenario(void **state)
{
	static struct run_analysis ra;
	struct summary s;

	memset(&ra, 0, sizeof(ra));
	memset(ra.dir, 'x', sizeof(ra.dir) - 1);
	ra.dir[0] = '/';
	assert_int_equal(summary_of_runs(&ra, 1, &s), -ENAMETOOLONG);
	ra.dir[200] = '/';
	ra.dir[220] = '\0';
	assert_int_equal(summary_of_runs(&ra, 1, &s), 0);
	assert_int_equal(strlen(s.scenario), 19);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fits),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_long_scenario),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
