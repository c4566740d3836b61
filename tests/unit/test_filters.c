// SPDX-License-Identifier: GPL-2.0
/* Filters, event decoding into lines, and the per-target statistics. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "event/format.h"
#include "event/stats.h"
#include "trace/filters.h"

static struct ds_event ev(unsigned int type, __u32 pid, __u64 ino, __u64 dur)
{
	struct ds_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.pid = pid;
	e.ino = ino;
	e.dev = kdev_make(7, 3);
	e.dur_ns = dur;
	strcpy(e.comm, "fio");
	return e;
}

static void test_parse_dev(void **state)
{
	__u32 dev;

	assert_int_equal(filter_parse_dev("7:3", &dev), 0);
	assert_int_equal(dev, (7u << 20) | 3);
	assert_int_equal(filter_parse_dev("/", &dev), 0);
	assert_int_not_equal(filter_parse_dev("/no/such/path", &dev), 0);
	assert_int_not_equal(filter_parse_dev("99999:1", &dev), 0);
	/* 0:0 is no device: a filter on it would filter nothing */
	assert_int_equal(filter_parse_dev("0:0", &dev), -ERANGE);
	/* /dev/null is a character device: its own st_dev is used */
	assert_int_equal(filter_parse_dev("/dev/null", &dev), 0);
}

static void test_match(void **state)
{
	struct filters f = { .tgid = 100 };
	struct ds_event sub = ev(DS_EV_DIO_SUBMIT, 200, 12, 0);
	struct ds_event done = ev(DS_EV_END_IO, 200, 12, 5000);
	struct ds_event conv = ev(DS_EV_MAP_BLOCKS, 200, 12, 5000);

	assert_false(filter_match(&f, &sub));
	/* completion work of another task (a kworker) stays */
	assert_true(filter_match(&f, &done));
	conv.flags = DS_GET_BLOCKS_PRE_IO;
	assert_false(filter_match(&f, &conv));
	conv.flags = DS_GET_BLOCKS_CONVERT;
	assert_true(filter_match(&f, &conv));

	memset(&f, 0, sizeof(f));
	f.ino = 13;
	assert_false(filter_match(&f, &done));
	f.ino = 12;
	f.min_ns = 6000;
	assert_false(filter_match(&f, &done));
	/* points in time have no duration to cut on */
	assert_true(filter_match(&f, &sub));
	f.min_ns = 0;
	strcpy(f.comm, "dd");
	assert_false(filter_match(&f, &sub));
	f.dev = kdev_make(7, 3);
	strcpy(f.comm, "fio");
	assert_true(filter_match(&f, &sub));
}

static void test_format(void **state)
{
	struct ds_event e = ev(DS_EV_MAP_BLOCKS, 7, 12, 2500);
	char line[320], fl[64];

	e.flags = DS_GET_BLOCKS_PRE_IO | DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_UNWRIT_EXT;
	e.pos = 5;
	e.len = 1;
	e.ts_ns = 3000000000ULL;
	event_line(&e, 1000000000ULL, line, sizeof(line));
	assert_non_null(strstr(line, "2.000000"));
	assert_non_null(strstr(line, "map_blocks"));
	assert_non_null(strstr(line, "CREATE|UNWRIT|PRE_IO/SPLIT_NOMERGE"));
	assert_non_null(strstr(line, "2.50"));
	assert_string_equal(gb_flags_str(0x4000, fl, sizeof(fl)), "0x4000");
	assert_string_equal(iomap_type_name(DS_IOMAP_UNWRITTEN), "UNWRITTEN");
	assert_string_equal(iomap_type_name(77), "?");

	e = ev(DS_EV_MERGE, 7, 12, 800);
	e.flags = DS_MERGE_DONE | DS_MERGE_LEFT_UNWRITTEN;
	e.aux1 = 10;
	e.len = 4;
	e.aux0 = 2;
	event_detail(&e, line, sizeof(line));
	assert_string_equal(line, "merged left=10+4u right=+2");
}

static void test_stats(void **state)
{
	struct event_stats s = { 0 };
	struct ds_event e = ev(DS_EV_MAP_BLOCKS, 7, 12, 0);

	e.target = DS_T_MAP_BLOCKS;
	e.flags = DS_GET_BLOCKS_PRE_IO;
	e.dur_ns = 1500;		/* 1 us: slot 0 */
	event_stats_add(&s, &e);
	e.flags = DS_GET_BLOCKS_CONVERT;
	e.dur_ns = 9000;		/* 9 us: slot 3 */
	event_stats_add(&s, &e);
	assert_int_equal(s.pre_io, 1);
	assert_int_equal(s.convert, 1);
	assert_int_equal(s.by_target[DS_T_MAP_BLOCKS], 2);
	assert_int_equal(s.hist[DS_T_MAP_BLOCKS].slots[0], 1);
	assert_int_equal(s.hist[DS_T_MAP_BLOCKS].slots[3], 1);
	assert_int_equal(log2_slot(0), 0);
	assert_int_equal(log2_slot(1), 0);
	assert_int_equal(log2_slot(2), 1);
	assert_int_equal(log2_slot(1023), 9);
	assert_int_equal(log2_slot(1024), 10);
	assert_int_equal(log2_slot(~0ULL), DS_HIST_SLOTS - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_dev),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_stats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
