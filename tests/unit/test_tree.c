// SPDX-License-Identifier: GPL-2.0
/* The names of the results tree and the listing of its runs. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "run/tree.h"
#include "util/fs.h"

static void test_run_number(void **state)
{
	assert_int_equal(tree_run_number("run-1"), 1);
	assert_int_equal(tree_run_number("run-10"), 10);
	assert_int_equal(tree_run_number("run-0"), 0);
	assert_int_equal(tree_run_number("run-01"), 0);
	assert_int_equal(tree_run_number("run-"), 0);
	assert_int_equal(tree_run_number("run-3x"), 0);
	assert_int_equal(tree_run_number("run-99999999999999999999999"), 0);
	assert_int_equal(tree_run_number("xrun-3"), 0);
}

static void test_paths(void **state)
{
	char buf[32];

	assert_int_equal(tree_run_dir(buf, sizeof(buf), "r", "seq.4k.default", 2), 0);
	assert_string_equal(buf, "r/seq.4k.default/run-2");
	assert_int_equal(tree_path(buf, sizeof(buf), "d", RUN_META), 0);
	assert_string_equal(buf, "d/meta");
	assert_int_equal(tree_path(buf, 8, "dir", RUN_SUMMARY), -ENAMETOOLONG);
}

static void test_subdirs(void **state)
{
	char tmpl[] = "/tmp/dioscope-tree.XXXXXX", p[256], *out[8];
	const char *names[] = { "run-10", "run-2", "run-1", "run-x", "b", "a" };
	unsigned int i;
	int n;

	assert_non_null(mkdtemp(tmpl));
	assert_false(tree_has_runs(tmpl));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", tmpl, names[i]);
		assert_int_equal(mkdir_p(p), 0);
	}
	assert_true(tree_has_runs(tmpl));
	n = tree_subdirs(tmpl, true, out, 8);
	assert_int_equal(n, 3);
	/* by number: run-2 before run-10 */
	snprintf(p, sizeof(p), "%s/run-1", tmpl);
	assert_string_equal(out[0], p);
	snprintf(p, sizeof(p), "%s/run-2", tmpl);
	assert_string_equal(out[1], p);
	snprintf(p, sizeof(p), "%s/run-10", tmpl);
	assert_string_equal(out[2], p);
	while (n--)
		free(out[n]);
	n = tree_subdirs(tmpl, false, out, 8);
	assert_int_equal(n, 6);
	snprintf(p, sizeof(p), "%s/a", tmpl);
	assert_string_equal(out[0], p);
	for (i = 0; i < (unsigned int)n; i++) {
		rmdir(out[i]);
		free(out[i]);
	}
	assert_int_equal(rmdir(tmpl), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_number),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_subdirs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
