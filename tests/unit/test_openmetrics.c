// SPDX-License-Identifier: GPL-2.0
/*
 * The OpenMetrics exposition of top: a bounded label set whose counters
 * never go down (an inode top dropped and saw again, inodes past the
 * bound in "other"), and the two text formats' differences.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "top/openmetrics.h"

static struct top_row rows[OM_MAX_INODES + 8];

static void row(int i, __u64 ino, __u64 writes)
{
	memset(&rows[i], 0, sizeof(rows[i]));
	rows[i].dev = 7 << 20;
	rows[i].ino = ino;
	rows[i].n[TOP_N_WRITES] = writes;
}

static void test_bounded_and_monotonic(void **state)
{
	static struct om_snap snap;
	struct top_row all = { 0 };
	int i;

	/* more inodes than the bound: the rest go to "other" */
	for (i = 0; i < OM_MAX_INODES + 4; i++)
		row(i, 100 + i, 10);
	all.n[TOP_N_WRITES] = 10 * (OM_MAX_INODES + 4);
	om_fold(&snap, rows, OM_MAX_INODES + 4, &all, NULL);
	assert_int_equal(snap.n, OM_MAX_INODES);
	assert_int_equal(snap.s[0].v[TOP_N_WRITES], 10);
	assert_int_equal(snap.s[OM_MAX_INODES].v[TOP_N_WRITES], 40);

	/* inode 100 was dropped by top and came back counting from 3 */
	row(0, 100, 3);
	all.n[TOP_N_WRITES] += 3;
	om_fold(&snap, rows, 1, &all, NULL);
	assert_int_equal(snap.s[0].v[TOP_N_WRITES], 13);
	assert_int_equal(snap.s[OM_MAX_INODES].v[TOP_N_WRITES], 40);
	/* ... and counts on */
	row(0, 100, 5);
	all.n[TOP_N_WRITES] += 2;
	om_fold(&snap, rows, 1, &all, NULL);
	assert_int_equal(snap.s[0].v[TOP_N_WRITES], 15);
	/* a new inode past the bound only adds to "other" */
	row(0, 999, 7);
	all.n[TOP_N_WRITES] += 7;
	om_fold(&snap, rows, 1, &all, NULL);
	assert_int_equal(snap.n, OM_MAX_INODES);
	assert_int_equal(snap.s[OM_MAX_INODES].v[TOP_N_WRITES], 47);
}

static char *render(const struct om_snap *snap, bool om)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	om_render(f, snap, om);
	fclose(f);
	return buf;
}

static void test_formats(void **state)
{
	static struct om_snap snap;
	struct top_row all = { 0 };
	char *om, *text;

	snap.observable[TOP_N_WRITES] = true;
	snap.observable[TOP_N_CONV] = true;
	row(0, 12, 4);
	all.n[TOP_N_WRITES] = 4;
	om_fold(&snap, rows, 1, &all, NULL);
	om = render(&snap, true);
	text = render(&snap, false);
	assert_non_null(strstr(om, "# TYPE dioscope_dio_writes counter\n"));
	assert_non_null(strstr(text, "# TYPE dioscope_dio_writes_total counter\n"));
	assert_non_null(strstr(om, "dioscope_dio_writes_total{dev=\"7:0\",ino=\"12\"} 4\n"));
	assert_non_null(strstr(om, "# UNIT dioscope_conversion_latency_seconds seconds\n"));
	assert_null(strstr(text, "# UNIT"));
	assert_string_equal(om + strlen(om) - 6, "# EOF\n");
	assert_null(strstr(text, "# EOF"));
	/* what the tier cannot see is left out, not 0 */
	assert_null(strstr(om, "dioscope_churn_pairs"));
	assert_null(strstr(om, "dioscope_completion_splits"));
	free(om);
	free(text);
}

static void test_writeback_and_completion_splits(void **state)
{
	static struct om_snap snap;
	struct top_row all = { 0 };
	char *om, *text;

	snap.observable[TOP_N_WB_IOS] = true;
	snap.observable[TOP_N_COMPL_SPLITS] = true;
	row(0, 12, 0);
	rows[0].n[TOP_N_WB_IOS] = 6;
	rows[0].n[TOP_N_COMPL_SPLITS] = 2;
	all.n[TOP_N_WB_IOS] = 9;
	all.n[TOP_N_COMPL_SPLITS] = 2;
	om_fold(&snap, rows, 1, &all, NULL);
	om = render(&snap, true);
	text = render(&snap, false);
	assert_non_null(strstr(om, "# TYPE dioscope_writeback_ios counter\n"));
	assert_non_null(strstr(text, "# TYPE dioscope_writeback_ios_total counter\n"));
	assert_non_null(strstr(om, "# HELP dioscope_writeback_ios Writeback IOs"));
	assert_non_null(strstr(om, "dioscope_writeback_ios_total{dev=\"7:0\",ino=\"12\"} 6\n"));
	/* the inodes past the bound, or evicted, are in "other" */
	assert_non_null(strstr(om, "dioscope_writeback_ios_total{dev=\"other\",ino=\"other\"} 3\n"));
	assert_non_null(strstr(om, "# TYPE dioscope_completion_splits counter\n"));
	assert_non_null(strstr(om, "dioscope_completion_splits_total{dev=\"7:0\",ino=\"12\"} 2\n"));
	assert_non_null(strstr(om, "dioscope_completion_splits_total{dev=\"other\",ino=\"other\"} 0\n"));
	free(om);
	free(text);
}

static void test_addresses(void **state)
{
	char host[64], err[128];
	unsigned int port;

	assert_int_equal(om_parse_addr("9466", host, sizeof(host), &port, err, sizeof(err)), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(port, 9466);
	assert_int_equal(om_parse_addr(":0", host, sizeof(host), &port, err, sizeof(err)), 0);
	assert_string_equal(host, "127.0.0.1");
	assert_int_equal(om_parse_addr("0.0.0.0:80", host, sizeof(host), &port, err, sizeof(err)), 0);
	assert_string_equal(host, "0.0.0.0");
	assert_int_equal(om_parse_addr("[::1]:9", host, sizeof(host), &port, err, sizeof(err)), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(om_parse_addr("host:70000", host, sizeof(host), &port, err, sizeof(err)), -1);
	assert_int_equal(om_parse_addr("a:b", host, sizeof(host), &port, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounded_and_monotonic),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_writeback_and_completion_splits),
		cmocka_unit_test(test_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
