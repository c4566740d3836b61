// SPDX-License-Identifier: GPL-2.0
/* The machine in a run's meta, and compare's refusal to pool hardware. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "bench/machine.h"
#include "compare/machine.h"
#include "util/fs.h"

static void test_parse(void **state)
{
	const char *bad[] = { "", "cpu|2|100", "cpu|2|100|h|x", "cpu|0|100|h",
			      "cpu|2|0|h", "cpu|two|100|h", "|2|100|h",
			      "cpu|2|100|", "cpu|2|-1|h", "c\npu|2|100|h" };
	struct machine m;
	size_t i;

	assert_int_equal(machine_parse("Intel(R) Xeon(R) CPU @ 2.20GHz|8|16777216000|node-3", &m), 0);
	assert_string_equal(m.cpu_model, "Intel(R) Xeon(R) CPU @ 2.20GHz");
	assert_int_equal(m.cores, 8);
	assert_true(m.mem_bytes == 16777216000ULL);
	assert_string_equal(m.host_id, "node-3");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (machine_parse(bad[i], &m) != -EINVAL)
			fail_msg("accepted: '%s'", bad[i]);
}

static void test_read_env(void **state)
{
	struct machine m;

	setenv("DIOSCOPE_MACHINE", "cpu|4|1024|host-a", 1);
	assert_int_equal(machine_read(&m), 0);
	assert_string_equal(m.host_id, "host-a");
	setenv("DIOSCOPE_MACHINE", "cpu|4", 1);
	assert_int_equal(machine_read(&m), -EINVAL);
	unsetenv("DIOSCOPE_MACHINE");
	assert_int_equal(machine_read(&m), 0);
	assert_true(m.cores > 0);
	assert_true(m.mem_bytes > 0);
}

static void write_meta(const char *dir, const char *cpu, const char *host)
{
	char p[512];
	FILE *f;

	assert_int_equal(mkdir_p(dir), 0);
	snprintf(p, sizeof(p), "%s/meta", dir);
	f = fopen(p, "w");
	assert_non_null(f);
	if (cpu)
		fprintf(f, "machine_cpu_model=%s\nmachine_cores=2\nmachine_mem_bytes=100\n",
			cpu);
	fprintf(f, "machine_host_id=%s\n", host);
	fclose(f);
}

static void test_pool(void **state)
{
	char tmpl[] = "/tmp/dioscope-machine.XXXXXX", d[3][256], hw[512];
	char why[1024], cmd[300];
	char *dirs[3] = { d[0], d[1], d[2] };
	struct run_list runs = { .n = 3, .dir = dirs };
	int i;

	assert_non_null(mkdtemp(tmpl));
	for (i = 0; i < 3; i++)
		snprintf(d[i], sizeof(d[i]), "%s/run-%d", tmpl, i + 1);
	write_meta(d[0], "X", "a");
	write_meta(d[1], NULL, "b");	/* says nothing of its hardware */
	write_meta(d[2], "X", "c");
	assert_int_equal(machine_of_runs(&runs, hw, sizeof(hw), why, sizeof(why)), 0);
	assert_string_equal(hw, "X, 2 cores, 100 bytes of memory");
	assert_int_equal(machine_hosts(&runs), 3);
	write_meta(d[2], "Y", "c");
	assert_int_equal(machine_of_runs(&runs, hw, sizeof(hw), why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "run-3"));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_read_env),
		cmocka_unit_test(test_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
