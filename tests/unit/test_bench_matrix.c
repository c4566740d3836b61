// SPDX-License-Identifier: GPL-2.0
/* The bench's scenario matrix, sizes, and what it notes of the machine. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "bench/env.h"
#include "run/clock_kind.h"
#include "bench/matrix.h"

static void test_lines(void **state)
{
	struct bench_matrix m = { 0 };
	char l1[] = "scenario unwritten-seq fallocate";
	char l2[] = "bs 4k 64k 1m";
	char l3[] = "variant nojournal -O^has_journal dioread_lock";
	char l4[] = "# a comment";
	char l5[] = "variant default - -";
	char l6[] = "scenario sparse-rand sparse";
	char bad1[] = "scenario x sideways";
	char bad2[] = "bs 4q";
	char bad3[] = "frobnicate";
	char bad4[] = "variant only-a-name";

	assert_int_equal(bench_matrix_parse_line(&m, l1), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l2), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l3), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l4), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l5), 0);
	assert_int_equal(bench_matrix_parse_line(&m, l6), 0);
	assert_int_equal(m.nsc, 2);
	assert_int_equal(m.sc[0].setup, BM_FALLOCATE);
	assert_int_equal(m.sc[1].setup, BM_SPARSE);
	assert_int_equal(m.nbs, 3);
	assert_string_equal(m.var[0].mkfs, "-O^has_journal");
	assert_string_equal(m.var[1].mkfs, "");
	assert_string_equal(m.var[1].mount, "");
	assert_non_null(bench_scenario(&m, "unwritten-seq"));
	assert_null(bench_scenario(&m, "nope"));
	assert_int_equal(bench_matrix_parse_line(&m, bad1), -EINVAL);
	assert_int_equal(bench_matrix_parse_line(&m, bad2), -EINVAL);
	assert_int_equal(bench_matrix_parse_line(&m, bad3), -EINVAL);
	assert_int_equal(bench_matrix_parse_line(&m, bad4), -EINVAL);
}

/* The matrix the bench ships: every scenario has its job file. */
/* Names become paths: "../../x" once wrote and deleted outside -o. */
static void test_names_are_file_names(void **state)
{
	const char *bad[] = {
		"scenario ../../x fallocate\n", "scenario a/b empty\n",
		"scenario .hidden empty\n", "scenario .. empty\n",
		"variant ../up - -\n", "bs 4k/..\n", "scenario a\033[2J empty\n",
	};
	struct bench_matrix m;
	char line[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&m, 0, sizeof(m));
		snprintf(line, sizeof(line), "%s", bad[i]);
		assert_int_equal(bench_matrix_parse_line(&m, line), -EINVAL);
	}
	memset(&m, 0, sizeof(m));
	snprintf(line, sizeof(line), "scenario unwritten-seq.v2_a fallocate\n");
	assert_int_equal(bench_matrix_parse_line(&m, line), 0);
	assert_false(bench_name_ok(""));
	assert_true(bench_name_ok("dioread_nolock"));
}

static void test_shipped(void **state)
{
	struct bench_matrix m;
	char path[128], prog[128];
	int i;

	assert_int_equal(bench_matrix_read("bench/matrix", &m), 0);
	assert_int_equal(m.nsc, 12);
	assert_string_equal(m.bs[0], "4k");
	assert_string_equal(m.var[0].name, "default");
	assert_string_equal(m.var[0].mount, "");
	for (i = 0; i < m.nsc; i++) {
		int rc = bench_job("bench", m.sc[i].name, path, sizeof(path),
				   prog, sizeof(prog));

		/* the driver is built by make, which the unit tests need */
		if (rc)
			fail_msg("%s: no job file or driver (%d)", m.sc[i].name, rc);
	}
	assert_int_equal(bench_job("bench", "dio-zero-range", path, sizeof(path),
				   prog, sizeof(prog)), 0);
	assert_string_equal(prog, "bench/zero-range");
	assert_string_equal(path, "bench/dio-zero-range.zr");
	assert_int_equal(bench_job("bench", "nosuch", path, sizeof(path), prog,
				   sizeof(prog)), -ENOENT);
	assert_int_equal(bench_matrix_read("/no/such/matrix", &m), -ENOENT);
	assert_non_null(strstr(m.error, "/no/such/matrix"));
}

static void test_emulated(void **state)
{
	setenv("DIOSCOPE_EMULATED", "1", 1);
	assert_true(run_emulated());
	setenv("DIOSCOPE_EMULATED", "0", 1);
	assert_false(run_emulated());
	unsetenv("DIOSCOPE_EMULATED");
}

/* DIOSCOPE_CLOCK names the clock; only icount is not the wall clock. */
static void test_clock(void **state)
{
	setenv("DIOSCOPE_CLOCK", "icount", 1);
	assert_string_equal(run_clock(), "icount");
	setenv("DIOSCOPE_CLOCK", "wall", 1);
	assert_string_equal(run_clock(), "wall");
	setenv("DIOSCOPE_CLOCK", "ICOUNT", 1);
	assert_string_equal(run_clock(), "wall");
	unsetenv("DIOSCOPE_CLOCK");
	/* this machine's kernel was not booted by lab.sh --icount */
	assert_string_equal(run_clock(), "wall");
}

/* An earlier bench's runs go; nothing else in the directory does. */
static void test_clear_runs(void **state)
{
	char dir[] = "/tmp/dioscope-cell.XXXXXX", p[256];
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/run-1", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/run-1/meta", dir);
	f = fopen(p, "w");
	fclose(f);
	snprintf(p, sizeof(p), "%s/run-12", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/run-x", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/notes", dir);
	f = fopen(p, "w");
	fclose(f);
	assert_int_equal(bench_clear_runs(dir), 0);
	snprintf(p, sizeof(p), "%s/run-1", dir);
	assert_int_not_equal(access(p, F_OK), 0);
	snprintf(p, sizeof(p), "%s/run-12", dir);
	assert_int_not_equal(access(p, F_OK), 0);
	snprintf(p, sizeof(p), "%s/run-x", dir);
	assert_int_equal(access(p, F_OK), 0);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/notes", dir);
	assert_int_equal(access(p, F_OK), 0);
	unlink(p);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(bench_clear_runs("/no/such/dir"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_names_are_file_names),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_emulated),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_clear_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
