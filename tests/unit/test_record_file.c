// SPDX-License-Identifier: GPL-2.0
/* The record file: round trip, refusal of foreign files, torn tails. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "run/record_file.h"

static char path[64];

static int setup(void **state)
{
	int fd;

	strcpy(path, "/tmp/dioscope-rec.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static void fill(struct ds_event *e, int i)
{
	memset(e, 0, sizeof(*e));
	e->ts_ns = 1000 + i;
	e->dur_ns = i * 3;
	e->ino = 12;
	e->pos = i * 4096ULL;
	e->len = 4096;
	e->type = DS_EV_MAP_BLOCKS;
	e->target = DS_T_MAP_BLOCKS;
	e->tier = DS_TIER_TRACEPOINT;
	e->flags = DS_GET_BLOCKS_PRE_IO;
	snprintf(e->comm, sizeof(e->comm), "fio");
}

static void test_round_trip(void **state)
{
	struct record_writer w;
	struct record_reader r;
	struct ds_event e, got;
	int i;

	assert_int_equal(record_writer_open(&w, path), 0);
	for (i = 0; i < 1000; i++) {
		fill(&e, i);
		assert_int_equal(record_writer_add(&w, &e), 0);
	}
	assert_int_equal(record_writer_close(&w), 0);
	assert_int_equal(record_reader_open(&r, path), 0);
	for (i = 0; i < 1000; i++) {
		fill(&e, i);
		assert_int_equal(record_reader_next(&r, &got), 1);
		assert_memory_equal(&e, &got, sizeof(e));
	}
	assert_int_equal(record_reader_next(&r, &got), 0);
	assert_int_equal(r.count, 1000);
	assert_int_equal(r.truncated_bytes, 0);
	record_reader_close(&r);
}

static void test_torn_tail(void **state)
{
	struct record_writer w;
	struct record_reader r;
	struct ds_event e;
	FILE *f;

	assert_int_equal(record_writer_open(&w, path), 0);
	fill(&e, 1);
	record_writer_add(&w, &e);
	record_writer_close(&w);
	f = fopen(path, "ab");
	fwrite(&e, 10, 1, f);
	fclose(f);
	assert_int_equal(record_reader_open(&r, path), 0);
	assert_int_equal(record_reader_next(&r, &e), 1);
	assert_int_equal(record_reader_next(&r, &e), 0);
	assert_int_equal(r.truncated_bytes, 10);
	record_reader_close(&r);
}

static void test_refuses_foreign(void **state)
{
	struct record_reader r;
	struct ds_record_header h = { .version = 99,
				      .event_size = sizeof(struct ds_event) };
	FILE *f = fopen(path, "wb");

	fputs("not a record file at all, just text", f);
	fclose(f);
	assert_int_equal(record_reader_open(&r, path), -EINVAL);
	assert_non_null(strstr(r.error, "not a dioscope record"));

	memcpy(h.magic, DS_RECORD_MAGIC, 8);
	f = fopen(path, "wb");
	fwrite(&h, sizeof(h), 1, f);
	fclose(f);
	assert_int_equal(record_reader_open(&r, path), -EINVAL);
	assert_non_null(strstr(r.error, "format 99"));

	assert_true(record_reader_open(&r, "/nonexistent/x") < 0);
	assert_non_null(strstr(r.error, "/nonexistent/x"));
}

/*
 * Past the 64 MiB at which the reader lets go of the pages behind it:
 * every event as written.
 */
static void test_large_file(void **state)
{
	const int n = (70 << 20) / sizeof(struct ds_event);
	struct record_writer w;
	struct record_reader r;
	struct ds_event e, got;
	int i;

	assert_int_equal(record_writer_open(&w, path), 0);
	for (i = 0; i < n; i++) {
		fill(&e, i);
		assert_int_equal(record_writer_add(&w, &e), 0);
	}
	assert_int_equal(record_writer_close(&w), 0);

	assert_int_equal(record_reader_open(&r, path), 0);
	for (i = 0; i < n; i++) {
		fill(&e, i);
		assert_int_equal(record_reader_next(&r, &got), 1);
		assert_memory_equal(&got, &e, sizeof(e));
	}
	assert_int_equal(record_reader_next(&r, &got), 0);
	record_reader_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_foreign, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
