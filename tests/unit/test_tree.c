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
#include "run/union.h"
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

static void mkrun(const char *root, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(mkdir_p(p), 0);
}

static void rm_rf(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Two trees of jobs: their union links each run once, a run twice is refused. */
static void test_union(void **state)
{
	char tmpl[] = "/tmp/dioscope-union.XXXXXX", t1[256], t2[256];
	char u[256], p[512], err[1024];
	const char *trees[2] = { t1, t2 };
	struct tree_names l;

	assert_non_null(mkdtemp(tmpl));
	snprintf(t1, sizeof(t1), "%s/t1", tmpl);
	snprintf(t2, sizeof(t2), "%s/t2", tmpl);
	mkrun(t1, "6.1.0/seq.4k.default/run-1");
	mkrun(t1, "6.1.0/rand.4k.default/run-2");
	mkrun(t2, "6.1.0/seq.4k.default/run-2");
	mkrun(t2, "6.1.0/rand.4k.default/run-1");
	mkrun(t2, "guard-off/6.1.0/seq.4k.default/run-1");
	snprintf(u, sizeof(u), "%s/u", tmpl);
	assert_int_equal(tree_union(trees, 2, u, err, sizeof(err)), 5);
	snprintf(p, sizeof(p), "%s/6.1.0/seq.4k.default", u);
	assert_int_equal(tree_list(p, true, &l), 2);
	tree_names_free(&l);
	snprintf(p, sizeof(p), "%s/guard-off/6.1.0/seq.4k.default", u);
	assert_true(tree_has_runs(p));
	/* made once, not over itself */
	assert_int_equal(tree_union(trees, 2, u, err, sizeof(err)), -EEXIST);
	rm_rf(u);
	mkrun(t2, "6.1.0/seq.4k.default/run-1");
	assert_int_equal(tree_union(trees, 2, u, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "6.1.0/seq.4k.default/run-1"));
	/* refused whole: nothing made */
	assert_int_equal(access(u, F_OK), -1);
	rm_rf(tmpl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_number),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_subdirs),
		cmocka_unit_test(test_union),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
