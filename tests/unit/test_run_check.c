// SPDX-License-Identifier: GPL-2.0
/*
 * A run is checked against its meta before it is believed: each way of
 * damaging a synthetic run that once gave wrong numbers with status 0 is
 * now refused, naming the file (and line) at fault.
 */
#include <errno.h>
#include <fcntl.h>
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
#include "run/analysis.h"
#include "run/meta.h"
#include "run/synth.h"
#include "run/record_file.h"
#include "analysis/fio_json.h"
#include "util/atomic_file.h"
#include <sys/resource.h>

#define IOS 2000

static char dir[64];

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/dioscope-check.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return synth_run(dir, IOS);
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

/* the second time round, everything in one thread (--one-thread) */
static bool one_thread;

/*
 * The run analysed with its CSVs, after once without (--no-csv, where
 * the join runs in a thread of its own unless one_thread): both must
 * find the same, failures and their words included.
 */
static int analyse(struct run_analysis *ra)
{
	struct analysis_opts o = { .csv = true, .one_thread = one_thread };
	struct analysis_opts q = { .one_thread = one_thread };
	struct run_analysis quiet;
	int qerr = run_analyse(dir, &q, &quiet);
	int err = run_analyse(dir, &o, ra);

	assert_int_equal(qerr, err);
	assert_string_equal(quiet.error, ra->error);
	assert_string_equal(quiet.why_incomplete, ra->why_incomplete);
	assert_int_equal(quiet.nlat, ra->nlat);
	assert_int_equal(quiet.join.joined, ra->join.joined);
	assert_int_equal(quiet.join.fio_entries, ra->join.fio_entries);
	assert_int_equal(quiet.events_read, ra->events_read);
	assert_true(quiet.wasted_joined_ns == ra->wasted_joined_ns);
	run_analysis_free(&quiet);
	return err;
}

/* Replace the value of key in meta (or append it). */
static void meta_put(const char *key, const char *val)
{
	char path[128];
	struct meta m;

	path_of(path, sizeof(path), "meta");
	assert_int_equal(meta_read(&m, path), 0);
	meta_set(&m, key, "%s", val);
	assert_int_equal(meta_write(&m, path), 0);
	meta_free(&m);
}

static off_t size_of(const char *name)
{
	char path[128];
	struct stat st;

	path_of(path, sizeof(path), name);
	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void test_whole_run_checks_out(void **state)
{
	struct run_analysis ra;

	assert_int_equal(analyse(&ra), 0);
	assert_int_equal(ra.tot.ios, IOS);
	assert_int_equal(ra.events_read, IOS * 5);
	assert_true(ra.complete);
	run_analysis_free(&ra);
}

/* Cut at an event boundary: 1200 of 2630 IOs once passed as complete. */
static void test_events_cut_short(void **state)
{
	struct run_analysis ra;
	char path[128], name[128];
	off_t good;

	assert_int_equal(analyse(&ra), 0);
	run_analysis_free(&ra);
	good = size_of("ios.csv");
	path_of(path, sizeof(path), "events.bin");
	assert_int_equal(truncate(path, size_of("events.bin") - 500 *
				  sizeof(struct ds_event)), 0);
	assert_int_equal(analyse(&ra), -EBADMSG);
	assert_non_null(strstr(ra.error, "meta says 10000 were written"));
	run_analysis_free(&ra);
	/* the CSVs of the good run are left as they were */
	assert_int_equal(size_of("ios.csv"), good);
	path_of(path, sizeof(path), "ios.csv");
	atomic_tmp_name(path, sizeof(path), strcpy(name, path));
	assert_int_equal(access(path, F_OK), -1);
}

static void test_events_flipped(void **state)
{
	struct run_analysis ra;
	char path[128];
	int fd, i;

	off_t size = size_of("events.bin");

	path_of(path, sizeof(path), "events.bin");
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	/* spread over the events, whatever the record format */
	for (i = 0; i < 1000; i++) {
		off_t at = 64 + (size - 64) * i / 1000;
		unsigned char b;

		assert_int_equal(pread(fd, &b, 1, at), 1);
		b ^= 0x5a;
		assert_int_equal(pwrite(fd, &b, 1, at), 1);
	}
	close(fd);
	/* the record format's own checksum or meta's digest: refused */
	assert_true(analyse(&ra) < 0);
	assert_non_null(strstr(ra.error, "events"));
	run_analysis_free(&ra);
}

/* A zero-filled tail: invalid events, counted, refused; cheap per event. */
static void test_zero_tail(void **state)
{
	struct run_analysis ra;
	char path[128];

	path_of(path, sizeof(path), "events.bin");
	assert_int_equal(truncate(path, size_of("events.bin") +
				  200000 * sizeof(struct ds_event)), 0);
	assert_true(analyse(&ra) < 0);
	assert_non_null(strstr(ra.error, "events.bin"));
	run_analysis_free(&ra);
	/* not complete: refused, or read as far as it goes and said why */
	meta_put("complete", "no");
	if (!analyse(&ra))
		assert_true(ra.why_incomplete[0] && ra.tot.ios == IOS);
	run_analysis_free(&ra);
}

/* The same zeros as whole events of the first format: invalid, counted. */
static void test_invalid_events_counted(void **state)
{
	struct record_writer w;
	struct run_analysis ra;
	struct ds_event e = { .type = DS_EV_MAP_BLOCKS, .tier = 3 };
	char path[128];
	int i;

	path_of(path, sizeof(path), "events.bin");
	assert_int_equal(record_writer_open_version(&w, path, 1), 0);
	for (i = 0; i < 100; i++) {
		e.ts_ns = 1000 + i;
		assert_int_equal(record_writer_add(&w, &e), 0);
	}
	memset(&e, 0, sizeof(e));
	for (i = 0; i < 300000; i++)
		assert_int_equal(record_writer_add(&w, &e), 0);
	assert_int_equal(record_writer_close(&w), 0);
	meta_put("complete", "no");
	assert_int_equal(analyse(&ra), 0);
	assert_int_equal(ra.invalid_events, 300000);
	assert_non_null(strstr(ra.why_incomplete, "300000 invalid events"));
	run_analysis_free(&ra);
	meta_put("complete", "yes");
	assert_int_equal(analyse(&ra), -EBADMSG);
	run_analysis_free(&ra);
}

/* A latency log cut mid-file once moved p50 from 749 to 866 us. */
static void test_fio_log_cut(void **state)
{
	struct run_analysis ra;
	char path[128];

	path_of(path, sizeof(path), "fio_lat.2.log");
	assert_int_equal(truncate(path, size_of("fio_lat.2.log") / 2 + 3), 0);
	assert_int_equal(analyse(&ra), -EBADMSG);
	assert_non_null(strstr(ra.error, "fio.json counts 2000 IOs"));
	run_analysis_free(&ra);
}

/* Put extra lines of fmt (given k twice) after line `after` of a log. */
static void log_insert(const char *name, int after, int extra, const char *fmt)
{
	char path[128], tmp[140], line[256];
	FILE *in, *out;
	int n = 0, k;

	path_of(path, sizeof(path), name);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	in = fopen(path, "r");
	out = fopen(tmp, "w");
	assert_non_null(in);
	assert_non_null(out);
	for (;;) {
		if (n == after)
			for (k = 0; k < extra; k++)
				fprintf(out, fmt, k, k);
		if (!fgets(line, sizeof(line), in))
			break;
		fputs(line, out);
		n++;
	}
	fclose(in);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(rename(tmp, path), 0);
}

/* The fio-only rows of ios.csv (no kernel IO: an empty first column). */
static int fio_rows(unsigned long long *lat, int max, unsigned int *job)
{
	char path[128], line[4096];
	unsigned long long off, bs, l;
	int n = 0;
	FILE *f;

	path_of(path, sizeof(path), "ios.csv");
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (line[0] != ',')
			continue;
		assert_int_equal(sscanf(line, ",%u,write,%llu,%llu,%llu,", job,
					&off, &bs, &l), 4);
		if (n < max)
			lat[n] = l;
		n++;
	}
	fclose(f);
	return n;
}

/*
 * A log that went on past the IOs the kernel saw (their events lost):
 * the join finds its way on, and the entries it passed are written as
 * fio-only rows, in the log's order, at the end.
 */
static void test_fio_only_rows(void **state)
{
	static unsigned long long lat[2000];
	struct run_analysis ra;
	unsigned int job = 0;
	int k, n;

	/* wider than the join's window of 512; past the synthetic files */
	log_insert("fio_lat.2.log", 100, 1500,
		   "0, %d, 1, 4096, 5%09d, 0\n");
	meta_put("complete", "no");
	assert_int_equal(analyse(&ra), 0);
	assert_int_equal(ra.join.fio_entries, IOS + 1500);
	assert_int_equal(ra.join.joined, IOS);
	assert_int_equal(ra.nlat, IOS);
	assert_non_null(strstr(ra.why_incomplete, "hold 3500 entries, fio.json counts 2000"));
	run_analysis_free(&ra);
	n = fio_rows(lat, 2000, &job);
	assert_int_equal(n, 1500);
	assert_int_equal(job, 1);
	for (k = 0; k < n; k++)
		assert_int_equal(lat[k], k);
}

/*
 * Lines past the last IO, more than the join's window: counted once the
 * logs are read to their end, and written as fio-only rows.
 */
static void test_fio_log_longer(void **state)
{
	static unsigned long long lat[1000];
	struct run_analysis ra;
	unsigned int job;

	log_insert("fio_lat.4.log", 500, 1000, "9, %d, 1, 4096, 5%09d, 0\n");
	assert_int_equal(analyse(&ra), -EBADMSG);
	assert_non_null(strstr(ra.error, "hold 3000 entries, fio.json counts 2000 IOs"));
	run_analysis_free(&ra);
	meta_put("complete", "no");
	assert_int_equal(analyse(&ra), 0);
	assert_int_equal(ra.join.fio_entries, IOS + 1000);
	run_analysis_free(&ra);
	assert_int_equal(fio_rows(lat, 1000, &job), 1000);
	assert_int_equal(job, 3);
	assert_int_equal(lat[999], 999);
}

/*
 * A bad line is said by file and line, the first in the logs' order,
 * before what else is wrong: as when the logs were read first, whole.
 */
static void test_fio_log_bad_line(void **state)
{
	struct run_analysis ra;
	char path[128];
	FILE *f;

	log_insert("fio_lat.3.log", 10, 1, "junk %d %d\n");
	assert_int_equal(analyse(&ra), -EINVAL);
	assert_non_null(strstr(ra.error, "fio_lat.3.log:11: not a fio latency log entry"));
	run_analysis_free(&ra);
	log_insert("fio_lat.2.log", 400, 1, "junk %d %d\n");
	path_of(path, sizeof(path), "fio.json");
	f = fopen(path, "w");
	fputs("garbage", f);
	fclose(f);
	assert_int_equal(analyse(&ra), -EINVAL);
	assert_non_null(strstr(ra.error, "fio_lat.2.log:401: not a fio latency log entry"));
	run_analysis_free(&ra);
}

static void test_fio_json_missing_or_garbage(void **state)
{
	struct run_analysis ra;
	char path[128];
	FILE *f;

	path_of(path, sizeof(path), "fio.json");
	f = fopen(path, "w");
	fputs("garbage", f);
	fclose(f);
	assert_true(analyse(&ra) < 0);
	assert_non_null(strstr(ra.error, "fio.json"));
	run_analysis_free(&ra);
	unlink(path);
	assert_true(analyse(&ra) < 0);
	assert_non_null(strstr(ra.error, "fio.json"));
	run_analysis_free(&ra);
}

static void test_meta_values(void **state)
{
	struct run_analysis ra;
	char path[128];
	FILE *f;

	meta_put("lost_events", "-5");
	assert_int_equal(analyse(&ra), -EINVAL);
	assert_non_null(strstr(ra.error, "lost_events=-5: not a non-negative decimal"));
	run_analysis_free(&ra);
	meta_put("lost_events", "0x10");
	assert_int_equal(analyse(&ra), -EINVAL);
	run_analysis_free(&ra);
	meta_put("lost_events", "0");
	meta_put("tier.split", "fentyr");
	assert_int_equal(analyse(&ra), -EINVAL);
	assert_non_null(strstr(ra.error, "tier.split=fentyr: unknown tier"));
	assert_non_null(strstr(ra.error, "/meta:"));
	run_analysis_free(&ra);
	meta_put("tier.split", "-");
	/* CRLF endings once read tier values as "tracepoint\r" */
	path_of(path, sizeof(path), "meta");
	f = fopen(path, "a");
	fputs("note=x\r\n", f);
	fclose(f);
	assert_int_equal(analyse(&ra), -EINVAL);
	assert_non_null(strstr(ra.error, "carriage return"));
	run_analysis_free(&ra);
}

/* Keys past the 96th once were dropped: lost_events=5000 read as 0. */
static void test_meta_many_keys(void **state)
{
	struct run_analysis ra;
	char key[32], path[128];
	struct meta m;
	int i;

	path_of(path, sizeof(path), "meta");
	assert_int_equal(meta_read(&m, path), 0);
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "extra_%d", i);
		meta_set(&m, key, "%d", i);
	}
	meta_set(&m, "lost_events", "5000");
	assert_int_equal(meta_write(&m, path), 0);
	meta_free(&m);
	/* written last, so that it is past the 200 others */
	assert_int_equal(meta_read(&m, path), 0);
	assert_true(m.n > 200);
	meta_free(&m);
	assert_int_equal(analyse(&ra), 0);
	assert_int_equal(ra.lost_events, 5000);
	run_analysis_free(&ra);
}

static void test_meta_duplicate_and_nul(void **state)
{
	char path[128];
	struct meta m;
	FILE *f;

	path_of(path, sizeof(path), "meta2");
	f = fopen(path, "w");
	fputs("a=1\nb=2\na=3\n", f);
	fclose(f);
	assert_int_equal(meta_read(&m, path), -EINVAL);
	assert_non_null(strstr(m.error, "meta2:3: a key given twice"));
	f = fopen(path, "w");
	fwrite("a=1\nb=2\0x\n", 1, 10, f);
	fclose(f);
	assert_int_equal(meta_read(&m, path), -EINVAL);
	assert_non_null(strstr(m.error, "meta2:2: a NUL"));
	unlink(path);
}

/* A FIFO in place of a run's file once blocked report forever. */
static void test_fifo_refused(void **state)
{
	struct run_analysis ra;
	char path[128];

	path_of(path, sizeof(path), "events.bin");
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_true(analyse(&ra) < 0);
	assert_non_null(strstr(ra.error, "a FIFO, not a regular file"));
	run_analysis_free(&ra);
	unlink(path);
	assert_int_equal(synth_run(dir, 10), 0);
	path_of(path, sizeof(path), "fio_lat.3.log");
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_true(analyse(&ra) < 0);
	assert_non_null(strstr(ra.error, "fio_lat.3.log: a FIFO"));
	run_analysis_free(&ra);
	unlink(path);
	/* a directory as a log once said "No such device" */
	assert_int_equal(mkdir(path, 0700), 0);
	assert_true(analyse(&ra) < 0);
	assert_non_null(strstr(ra.error, "fio_lat.3.log: a directory"));
	run_analysis_free(&ra);
	rmdir(path);
}

/* events.bin cut while report maps it once killed report with SIGBUS. */
static void test_shrink_under_mapping(void **state)
{
	struct ds_event e = { .type = DS_EV_MAP_BLOCKS };
	struct record_writer w;
	struct record_reader r;
	char path[128];
	int i, rc;

	/* the first format is the one read through a mapping */
	path_of(path, sizeof(path), "v1.bin");
	assert_int_equal(record_writer_open_version(&w, path, 1), 0);
	for (i = 0; i < 20000; i++)
		assert_int_equal(record_writer_add(&w, &e), 0);
	assert_int_equal(record_writer_close(&w), 0);
	assert_int_equal(record_reader_open(&r, path), 0);
	assert_non_null(r.map);
	for (i = 0; i < 10; i++)
		assert_int_equal(record_reader_next(&r, &e), 1);
	assert_int_equal(truncate(path, 4096), 0);
	while ((rc = record_reader_next(&r, &e)) == 1)
		;
	assert_int_equal(rc, -EIO);
	assert_non_null(strstr(r.error, "shrank"));
	record_reader_close(&r);
}

static long max_rss_kb(void)
{
	struct rusage u;

	getrusage(RUSAGE_SELF, &u);
	return u.ru_maxrss;
}

/* 512 MiB of whitespace once cost 527 MB of memory: read in pieces. */
static void test_fio_json_bounded(void **state)
{
	static char blank[1 << 20];
	struct fio_result r;
	char path[128];
	long before;
	FILE *f;
	int i;

	memset(blank, ' ', sizeof(blank));
	path_of(path, sizeof(path), "fio.json");
	f = fopen(path, "w");
	fputs("{\"fio version\": \"fio-3.33\",", f);
	for (i = 0; i < 96; i++)
		fwrite(blank, 1, sizeof(blank), f);
	fputs("\"jobs\": [{\"write\": {\"total_ios\": 3, \"iops\": 1}}]}\n", f);
	fclose(f);
	before = max_rss_kb();
	assert_int_equal(fio_json_read(path, &r), 0);
	assert_int_equal(r.write.total_ios, 3);
	assert_true(max_rss_kb() - before < 32 * 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole_run_checks_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_cut_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_flipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zero_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_events_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fio_log_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fio_only_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fio_log_longer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fio_log_bad_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fio_json_missing_or_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_many_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_duplicate_and_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shrink_under_mapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fio_json_bounded, setup, teardown),
	};

	int failed = cmocka_run_group_tests_name("threads", tests, NULL, NULL);

	one_thread = true;
	return failed + cmocka_run_group_tests_name("one thread", tests, NULL,
						    NULL);
}
