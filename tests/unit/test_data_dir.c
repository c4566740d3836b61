// SPDX-License-Identifier: GPL-2.0
/*
 * The one order in which dioscope looks for its data: the environment,
 * the checkout of the binary, the installed directory; and the workload
 * drivers beside the job files, else installed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "util/data_dir.h"

static char top[64];
static char checkout[128], installed[128], lib[128], exe[160];

static void make_file(const char *path, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void make_tree(const char *root, bool matrix)
{
	char path[256];

	assert_int_equal(mkdir(root, 0755), 0);
	snprintf(path, sizeof(path), "%s/bench", root);
	assert_int_equal(mkdir(path, 0755), 0);
	if (!matrix)
		return;
	snprintf(path, sizeof(path), "%s/bench/matrix", root);
	make_file(path, 0644);
}

static int setup(void **state)
{
	snprintf(top, sizeof(top), "/tmp/dioscope-data.XXXXXX");
	if (!mkdtemp(top))
		return -1;
	snprintf(checkout, sizeof(checkout), "%s/checkout", top);
	snprintf(installed, sizeof(installed), "%s/share", top);
	snprintf(lib, sizeof(lib), "%s/lib", top);
	snprintf(exe, sizeof(exe), "%s/dioscope", checkout);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) ? -1 : 0;
}

static void test_env_first(void **state)
{
	struct data_dir d;

	make_tree(checkout, true);
	make_tree(installed, true);
	/* set, it wins even when it holds nothing: a wrong value is said */
	data_dir_find_in(&d, "/nonexistent", exe, installed);
	assert_int_equal(d.source, DATA_ENV);
	assert_string_equal(d.root, "/nonexistent");
	/* set but empty is unset */
	data_dir_find_in(&d, "", exe, installed);
	assert_int_equal(d.source, DATA_CHECKOUT);
}

static void test_checkout_before_installed(void **state)
{
	struct data_dir d;
	char sub[PATH_MAX + 8], want[200];

	make_tree(checkout, true);
	make_tree(installed, true);
	data_dir_find_in(&d, NULL, exe, installed);
	assert_int_equal(d.source, DATA_CHECKOUT);
	assert_string_equal(d.root, checkout);
	data_dir_sub(&d, "plots", sub, sizeof(sub));
	snprintf(want, sizeof(want), "%s/plots", checkout);
	assert_string_equal(sub, want);
}

/* a binary copied away from its checkout takes the installed data */
static void test_copied_binary(void **state)
{
	struct data_dir d;
	char away[160];

	make_tree(checkout, false);
	make_tree(installed, true);
	data_dir_find_in(&d, NULL, exe, installed);
	assert_int_equal(d.source, DATA_INSTALLED);
	assert_string_equal(d.root, installed);
	snprintf(away, sizeof(away), "%s/bin/dioscope", top);
	data_dir_find_in(&d, NULL, away, installed);
	assert_int_equal(d.source, DATA_INSTALLED);
	data_dir_find_in(&d, NULL, NULL, installed);
	assert_int_equal(d.source, DATA_INSTALLED);
}

static void test_nothing_found(void **state)
{
	struct data_dir d;

	data_dir_find_in(&d, NULL, exe, installed);
	assert_int_equal(d.source, DATA_NONE);
	assert_string_equal(d.root, installed);
	assert_string_equal(data_source_name(DATA_NONE), "not found");
}

static void test_helper_order(void **state)
{
	char bench[200], path[256], want[256];

	make_tree(checkout, true);
	assert_int_equal(mkdir(lib, 0755), 0);
	snprintf(bench, sizeof(bench), "%s/bench", checkout);
	assert_int_equal(data_helper_in(bench, lib, "zero-range", path,
					sizeof(path)), -ENOENT);
	snprintf(want, sizeof(want), "%s/zero-range", lib);
	make_file(want, 0755);
	assert_int_equal(data_helper_in(bench, lib, "zero-range", path,
					sizeof(path)), 0);
	assert_string_equal(path, want);
	/* not executable beside the job files: the installed one */
	snprintf(want, sizeof(want), "%s/zero-range", bench);
	make_file(want, 0644);
	assert_int_equal(data_helper_in(bench, lib, "zero-range", path,
					sizeof(path)), 0);
	assert_string_not_equal(path, want);
	assert_int_equal(chmod(want, 0755), 0);
	assert_int_equal(data_helper_in(bench, lib, "zero-range", path,
					sizeof(path)), 0);
	assert_string_equal(path, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_env_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_checkout_before_installed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_copied_binary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_helper_order, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
