// SPDX-License-Identifier: GPL-2.0
/*
 * A run recorded in an older record format reports what it did. Each
 * stream of tests/data/streams (format 2, recorded in the kernel lab) is
 * reported as it is, and again with its events rewritten in today's
 * format and meta given today's digest: summary.csv, ios.csv,
 * inodes.csv and events.csv must come out the same, byte for byte. And
 * each format's digest is still checked against meta: a digest of the
 * other kind is refused, in the old format and in the new.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "run/analysis.h"
#include "run/meta.h"
#include "run/record_file.h"

/* the tests run from the top of the source tree */
#define STREAMS "tests/data/streams"

static char tmp[64];

static int setup(void **state)
{
	snprintf(tmp, sizeof(tmp), "/tmp/dioscope-formats.XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd);
}

static void copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	assert_false(ferror(in));
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* Every file of a stream into dir (made): a run of the format it was. */
static void copy_stream(const char *stream, const char *dir)
{
	char from[512], to[512], src[256];
	struct dirent *d;
	DIR *dp;

	snprintf(src, sizeof(src), "%s/%s", STREAMS, stream);
	assert_int_equal(mkdir(dir, 0755), 0);
	dp = opendir(src);
	assert_non_null(dp);
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(from, sizeof(from), "%s/%s", src, d->d_name);
		snprintf(to, sizeof(to), "%s/%s", dir, d->d_name);
		copy_file(from, to);
	}
	closedir(dp);
}

static void meta_put(const char *dir, const char *key, const char *val)
{
	char path[512];
	struct meta m;

	snprintf(path, sizeof(path), "%s/meta", dir);
	assert_int_equal(meta_read(&m, path), 0);
	meta_set(&m, key, "%s", val);
	assert_int_equal(meta_write(&m, path), 0);
	meta_free(&m);
}

static const char *meta_value(const char *dir, const char *key, char *buf,
			      size_t len)
{
	char path[512];
	struct meta m;
	const char *v;

	snprintf(path, sizeof(path), "%s/meta", dir);
	assert_int_equal(meta_read(&m, path), 0);
	v = meta_get(&m, key);
	assert_non_null(v);
	snprintf(buf, len, "%s", v);
	meta_free(&m);
	return buf;
}

/*
 * dir's events.bin rewritten in today's format, event for event, and
 * meta's format and digest with it, as `record` would have written them.
 */
static void rewrite_today(const char *dir)
{
	struct record_writer w;
	struct record_reader r;
	struct ds_event e;
	char from[512], to[512], num[16];
	int rc;

	snprintf(from, sizeof(from), "%s/events.bin", dir);
	snprintf(to, sizeof(to), "%s/events.new", dir);
	assert_int_equal(record_reader_open(&r, from), 0);
	assert_int_not_equal(r.version, DS_RECORD_VERSION);
	assert_int_equal(record_writer_open(&w, to), 0);
	while ((rc = record_reader_next(&r, &e)) == 1)
		assert_int_equal(record_writer_add(&w, &e), 0);
	assert_int_equal(rc, 0);
	record_reader_close(&r);
	assert_int_equal(record_writer_close(&w), 0);
	assert_int_equal(rename(to, from), 0);
	snprintf(num, sizeof(num), "%d", DS_RECORD_VERSION);
	meta_put(dir, "format", num);
	meta_put(dir, "events_digest", w.digest_value);
}

static void analyse_ok(const char *dir)
{
	struct analysis_opts o = { .csv = true, .events_csv = true };
	struct run_analysis ra;

	memset(&ra, 0, sizeof(ra));
	if (run_analyse(dir, &o, &ra))
		fail_msg("%s: %s", dir, ra.error);
	assert_true(ra.complete);
	assert_string_equal(ra.why_incomplete, "");
	run_analysis_free(&ra);
}

static void analyse_refused(const char *dir)
{
	struct analysis_opts o = { .csv = false };
	struct run_analysis ra;

	memset(&ra, 0, sizeof(ra));
	assert_int_equal(run_analyse(dir, &o, &ra), -EBADMSG);
	assert_non_null(strstr(ra.error, "events_digest"));
	run_analysis_free(&ra);
}

static void same_file(const char *a, const char *b, const char *name)
{
	char pa[512], pb[512];
	FILE *fa, *fb;
	int ca, cb;
	long at = 0;

	snprintf(pa, sizeof(pa), "%s/%s", a, name);
	snprintf(pb, sizeof(pb), "%s/%s", b, name);
	fa = fopen(pa, "rb");
	fb = fopen(pb, "rb");
	assert_non_null(fa);
	assert_non_null(fb);
	do {
		ca = getc(fa);
		cb = getc(fb);
		if (ca != cb)
			fail_msg("%s and %s differ at byte %ld", pa, pb, at);
		at++;
	} while (ca != EOF);
	fclose(fa);
	fclose(fb);
}

/*
 * The same stream in its own format and in today's: the same CSVs. The
 * runs have the same name in two folders, as summary.csv names its run.
 */
static void same_report(const char *stream)
{
	char old_parent[128], new_parent[128], old[256], new[256];
	char digest[64], other[80];

	snprintf(old_parent, sizeof(old_parent), "%s/old", tmp);
	snprintf(new_parent, sizeof(new_parent), "%s/new", tmp);
	mkdir(old_parent, 0755);
	mkdir(new_parent, 0755);
	snprintf(old, sizeof(old), "%s/%s", old_parent, stream);
	snprintf(new, sizeof(new), "%s/%s", new_parent, stream);
	copy_stream(stream, old);
	copy_stream(stream, new);
	rewrite_today(new);
	analyse_ok(old);
	analyse_ok(new);
	same_file(old, new, "summary.csv");
	same_file(old, new, "ios.csv");
	same_file(old, new, "inodes.csv");
	same_file(old, new, "events.csv");

	/* each checked with its own kind of digest, not the other's */
	meta_value(old, "events_digest", digest, sizeof(digest));
	assert_null(strchr(digest, ':'));
	meta_put(new, "events_digest", digest);
	analyse_refused(new);
	snprintf(other, sizeof(other), "xxh3:%s", digest);
	meta_put(old, "events_digest", other);
	analyse_refused(old);
}

static void test_sparse_concurrent(void **state)
{
	same_report("sparse-concurrent");
}

static void test_writeback_zero_range(void **state)
{
	same_report("writeback-zero-range");
}

static void test_known_churn(void **state)
{
	same_report("known-churn");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sparse_concurrent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writeback_zero_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_known_churn, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
