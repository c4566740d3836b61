// SPDX-License-Identifier: GPL-2.0
/*
 * The record file: round trip of every format, the events' digest, refusal of foreign files,
 * torn tails, corrupt blocks, pipes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "run/record_file.h"

static char path[64];
/* the second time round, blocks are read by a thread of their own */
static bool read_ahead;

static int open_reader(struct record_reader *r, const char *p)
{
	int err = record_reader_open(r, p);

	if (!err && read_ahead)
		assert_int_equal(record_reader_read_ahead(r), 0);
	return err;
}

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
	e->offcpu_ns = i % 5 ? (__u64)i : DS_OFFCPU_UNKNOWN;
	e->nested = i % 4;
}

/* A file of the event size before offcpu_ns, in format version. */
static void write_old_size(unsigned int version)
{
	struct ds_record_header h;
	struct record_writer w;
	struct ds_event e;
	FILE *f;
	int i;

	assert_int_equal(record_writer_open_version(&w, path, version), 0);
	for (i = 0; i < 3; i++) {
		fill(&e, i);
		/* what an older dioscope had: no such fields */
		e.offcpu_ns = 0;
		e.nested = 0;
		if (version == 1) {
			f = w.f;
			assert_int_equal(fwrite(&e, DS_EVENT_SIZE_V1, 1, f), 1);
		} else {
			assert_int_equal(record_writer_add(&w, &e), 0);
		}
	}
	assert_int_equal(record_writer_close(&w), 0);
	f = fopen(path, "r+b");
	assert_int_equal(fread(&h, sizeof(h), 1, f), 1);
	h.event_size = DS_EVENT_SIZE_V1;
	rewind(f);
	assert_int_equal(fwrite(&h, sizeof(h), 1, f), 1);
	fclose(f);
}

/*
 * Records of the older size are read, their timed calls' time off the
 * CPU unknown rather than 0, their points in time 0.
 */
static void old_size(unsigned int version)
{
	struct record_reader r;
	struct ds_event e, got;
	int i;

	write_old_size(version);
	assert_int_equal(open_reader(&r, path), 0);
	for (i = 0; i < 3; i++) {
		fill(&e, i);
		assert_int_equal(record_reader_next(&r, &got), 1);
		assert_int_equal(got.ts_ns, e.ts_ns);
		assert_int_equal(got.dur_ns, e.dur_ns);
		assert_string_equal(got.comm, "fio");
		assert_true(got.offcpu_ns == (i ? DS_OFFCPU_UNKNOWN : 0));
		assert_int_equal(got.nested, 0);
	}
	assert_int_equal(record_reader_next(&r, &got), 0);
	assert_int_equal(r.truncated_bytes, 0);
	record_reader_close(&r);
}

static void test_old_size_v1(void **state)
{
	old_size(1);
}

static void test_old_size_v2(void **state)
{
	old_size(2);
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
	assert_int_equal(open_reader(&r, path), 0);
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

static void test_torn_tail_v1(void **state)
{
	struct record_writer w;
	struct record_reader r;
	struct ds_event e;
	FILE *f;

	assert_int_equal(record_writer_open_version(&w, path, 1), 0);
	fill(&e, 1);
	record_writer_add(&w, &e);
	record_writer_close(&w);
	f = fopen(path, "ab");
	fwrite(&e, 10, 1, f);
	fclose(f);
	assert_int_equal(open_reader(&r, path), 0);
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
	assert_int_equal(open_reader(&r, path), -EINVAL);
	assert_non_null(strstr(r.error, "not a dioscope record"));

	memcpy(h.magic, DS_RECORD_MAGIC, 8);
	f = fopen(path, "wb");
	fwrite(&h, sizeof(h), 1, f);
	fclose(f);
	assert_int_equal(open_reader(&r, path), -EINVAL);
	assert_non_null(strstr(r.error, "format 99"));
	assert_non_null(strstr(r.error, "reads 1 to 3"));

	/* the next format, and none at all */
	h.version = DS_RECORD_VERSION + 1;
	f = fopen(path, "wb");
	fwrite(&h, sizeof(h), 1, f);
	fclose(f);
	assert_int_equal(open_reader(&r, path), -EINVAL);
	h.version = 0;
	f = fopen(path, "wb");
	fwrite(&h, sizeof(h), 1, f);
	fclose(f);
	assert_int_equal(open_reader(&r, path), -EINVAL);

	assert_true(open_reader(&r, "/nonexistent/x") < 0);
	assert_non_null(strstr(r.error, "/nonexistent/x"));
}

/*
 * Past the 64 MiB at which the reader lets go of the pages behind it:
 * every event as written.
 */
static void large_file(unsigned int version)
{
	const int n = (70 << 20) / sizeof(struct ds_event);
	struct record_writer w;
	struct record_reader r;
	struct ds_event e, got;
	int i;

	assert_int_equal(record_writer_open_version(&w, path, version), 0);
	for (i = 0; i < n; i++) {
		fill(&e, i);
		assert_int_equal(record_writer_add(&w, &e), 0);
	}
	assert_int_equal(record_writer_close(&w), 0);

	assert_int_equal(open_reader(&r, path), 0);
	for (i = 0; i < n; i++) {
		fill(&e, i);
		assert_int_equal(record_reader_next(&r, &got), 1);
		assert_memory_equal(&got, &e, sizeof(e));
	}
	assert_int_equal(record_reader_next(&r, &got), 0);
	record_reader_close(&r);
}

static void test_large_file(void **state)
{
	unsigned int version;

	for (version = 1; version <= DS_RECORD_VERSION; version++)
		large_file(version);
}

static __u64 rnd_state = 88172645463325252ULL;

static __u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/*
 * Events as a run mixes them: several types and tasks, repeated and
 * changing fields, time going back a little, extreme values, a comm
 * with bytes after its NUL. Any field the codec got wrong shows.
 */
static void mixed(struct ds_event *e, int i)
{
	static const char *const comms[] = { "fio", "kworker/u8:3",
					     "0123456789abcdef", "" };
	__u64 r = rnd();

	memset(e, 0, sizeof(*e));
	e->ts_ns = 1000000000ULL + i * 1700ULL - (r % 5 == 0 ? 900 : 0);
	e->type = 1 + r % 12;
	e->target = (r >> 4) % 13;
	e->tier = 1 + (r >> 8) % 3;
	e->tid = 1000 + (r >> 10) % 5;
	e->pid = e->tid - (r >> 13) % 2;
	e->dev = (7u << 20) | ((r >> 14) % 2);
	e->ino = (r >> 15) % 3 ? 12 : ~0ULL - i;
	e->dur_ns = (r >> 17) % 4 ? (r >> 20) % 100000 : 0;
	e->pos = (r >> 24) % 2 ? (__u64)i * 4096 : rnd();
	e->len = (r >> 25) % 2 ? 4096 : 1 << ((r >> 26) % 20);
	e->aux0 = 0xffff888000000000ULL + (rnd() % 4096) * 256;
	e->aux1 = (r >> 30) % 3 ? 0 : rnd();
	e->ret = (r >> 32) % 2 ? -(__s64)((r >> 33) % 30) : (__s64)rnd();
	e->flags = (r >> 36) % 16;
	e->aux2 = (r >> 40) % 3 ? 0 : 0xffffffffu;
	snprintf(e->comm, sizeof(e->comm), "%s", comms[(r >> 42) % 4]);
	if ((r >> 44) % 7 == 0)
		e->comm[14] = 'x';	/* after the NUL: kept as it was */
}

static void write_mixed(int n, unsigned int version)
{
	struct record_writer w;
	struct ds_event e;
	int i;

	rnd_state = 88172645463325252ULL;
	assert_int_equal(record_writer_open_version(&w, path, version), 0);
	for (i = 0; i < n; i++) {
		mixed(&e, i);
		assert_int_equal(record_writer_add(&w, &e), 0);
	}
	assert_int_equal(record_writer_close(&w), 0);
}

/* Read back n events as write_mixed() wrote them; returns what was read. */
static int read_mixed(struct record_reader *r, int n)
{
	struct ds_event e, got;
	int i, rc = 1;

	rnd_state = 88172645463325252ULL;
	for (i = 0; i < n && (rc = record_reader_next(r, &got)) == 1; i++) {
		mixed(&e, i);
		assert_memory_equal(&got, &e, sizeof(e));
	}
	return rc == 1 ? i : rc < 0 ? rc : i;
}

static void test_round_trip_mixed(void **state)
{
	unsigned int version;
	struct record_reader r;
	struct ds_event got;
	const int n = 50000;	/* several blocks */

	for (version = 1; version <= DS_RECORD_VERSION; version++) {
		write_mixed(n, version);
		assert_int_equal(open_reader(&r, path), 0);
		assert_int_equal(r.version, version);
		assert_int_equal(read_mixed(&r, n), n);
		assert_int_equal(record_reader_next(&r, &got), 0);
		assert_int_equal(r.count, n);
		assert_int_equal(r.truncated_bytes, 0);
		if (version >= 2)
			assert_true(r.blocks > 1);
		record_reader_close(&r);
	}
}

/* Write n mixed events, one of them (at `changed`, or none) altered. */
static void write_digest(int n, unsigned int version, int changed,
			 char *digest)
{
	struct record_writer w;
	struct ds_event e;
	int i;

	rnd_state = 88172645463325252ULL;
	assert_int_equal(record_writer_open_version(&w, path, version), 0);
	for (i = 0; i < n; i++) {
		mixed(&e, i);
		if (i == changed)
			e.aux1 ^= 1;
		assert_int_equal(record_writer_add(&w, &e), 0);
	}
	assert_int_equal(record_writer_close(&w), 0);
	strcpy(digest, w.digest_value);
}

/*
 * The reader's digest is the writer's, in every format; formats 1 and 2
 * keep their digest over the fields (the value older runs' meta holds:
 * the same events give the same value in both), format 3 on is XXH3 and
 * says so. One changed field changes it.
 */
static void test_digest(void **state)
{
	char wrote[RECORD_DIGEST_LEN], read[RECORD_DIGEST_LEN];
	char first[DS_RECORD_VERSION + 1][RECORD_DIGEST_LEN];
	struct record_reader r;
	unsigned int version;
	const int n = 30000;

	for (version = 1; version <= DS_RECORD_VERSION; version++) {
		write_digest(n, version, -1, wrote);
		assert_int_equal(open_reader(&r, path), 0);
		assert_int_equal(read_mixed(&r, n), n);
		record_reader_digest(&r, read);
		record_reader_close(&r);
		assert_string_equal(read, wrote);
		assert_int_equal(!strncmp(wrote, "xxh3:", 5), version >= 3);
		assert_int_equal(strlen(wrote), version >= 3 ? 21 : 16);
		strcpy(first[version], wrote);
		write_digest(n, version, n / 2, wrote);
		assert_string_not_equal(wrote, first[version]);
	}
	assert_string_equal(first[1], first[2]);
	assert_string_not_equal(first[2], first[3]);
}

static long file_size(void)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/* The synthetic run's kind of events takes at most 32 bytes each. */
static void test_compact(void **state)
{
	struct record_writer w;
	struct ds_event e;
	int i;

	assert_int_equal(record_writer_open(&w, path), 0);
	for (i = 0; i < 10000; i++) {
		fill(&e, i);
		e.ts_ns = 1000000000ULL + i * 1700ULL;
		e.tid = e.pid = 1000 + i % 4;
		assert_int_equal(record_writer_add(&w, &e), 0);
	}
	assert_int_equal(record_writer_close(&w), 0);
	assert_true(file_size() < 10000 * 32);
}

/*
 * Cut anywhere in the last block: the events before the cut come back
 * exactly, none after it, and the rest is counted as truncated.
 */
static void test_torn_tail_v2(void **state)
{
	const int n = 3000;
	struct record_reader r;
	long size, cut;
	int got, prev = 0;

	write_mixed(n, 2);
	size = file_size();
	for (cut = size; cut > size - 9000 && cut > 32; cut -= 97) {
		assert_int_equal(truncate(path, cut), 0);
		assert_int_equal(open_reader(&r, path), 0);
		got = read_mixed(&r, n);
		assert_true(got >= 0 && got <= n);
		if (cut == size)
			assert_int_equal(got, n);
		else
			assert_true(got < n && r.truncated_bytes > 0);
		assert_true(cut < size ? got <= (prev ? prev : n) : 1);
		assert_int_equal(got + r.truncated_events <= (__u64)n, 1);
		prev = got;
		record_reader_close(&r);
	}
}

/* A flipped byte is found by the block's check, never read as data. */
static void corrupt_blocks(unsigned int version)
{
	struct record_reader r;
	long size, at;
	int fd, rc;
	unsigned char c;

	write_mixed(20000, version);
	size = file_size();
	for (at = sizeof(struct ds_record_header); at < size; at += size / 23) {
		write_mixed(20000, version);
		fd = open(path, O_RDWR);
		assert_true(fd >= 0);
		assert_int_equal(pread(fd, &c, 1, at), 1);
		c ^= 0x10;
		assert_int_equal(pwrite(fd, &c, 1, at), 1);
		close(fd);
		assert_int_equal(open_reader(&r, path), 0);
		rc = read_mixed(&r, 20000);
		assert_true(rc < 0);
		assert_non_null(strstr(r.error, "corrupt"));
		record_reader_close(&r);
	}
}

static void test_corrupt_block(void **state)
{
	unsigned int version;

	for (version = 2; version <= DS_RECORD_VERSION; version++)
		corrupt_blocks(version);
}

/* Written front to back, read front to back: through a pipe too. */
static void test_pipe(void **state)
{
	char fifo[80];
	struct record_reader r;
	struct ds_event got;
	pid_t pid;
	int st;

	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *dst = path;

		/* the writer side: a copy of the file into the pipe */
		write_mixed(20000, 2);
		execlp("cp", "cp", dst, fifo, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(open_reader(&r, fifo), 0);
	assert_int_equal(read_mixed(&r, 20000), 20000);
	assert_int_equal(record_reader_next(&r, &got), 0);
	record_reader_close(&r);
	waitpid(pid, &st, 0);
	unlink(fifo);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_mixed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_digest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_tail_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_foreign, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_size_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_size_v2, setup, teardown),
	};

	int failed = cmocka_run_group_tests_name("read in place", tests, NULL,
						 NULL);

	read_ahead = true;
	return failed + cmocka_run_group_tests_name("read ahead", tests, NULL,
						    NULL);
}
