// SPDX-License-Identifier: GPL-2.0
/*
 * A direct IO's record, as the kernel writes it, expands into exactly
 * the ds_events the programs write one by one without --io-records.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "event/io_record.h"

#define MAX_SEEN 16

struct seen {
	struct ds_event e[MAX_SEEN];
	int n;
	int fail_at;	/* return an error at this call, from 1; 0: never */
};

static int collect(void *ctx, const struct ds_event *e)
{
	struct seen *s = ctx;

	if (s->n >= MAX_SEEN)
		return -1;
	s->e[s->n++] = *e;
	return s->fail_at && s->n == s->fail_at ? -5 : 0;
}

static struct ds_event classic(__u16 type, __u8 target, __u32 tid,
			       const char *comm, __u64 ts)
{
	struct ds_event e;

	memset(&e, 0, sizeof(e));
	e.ts_ns = ts;
	e.dur_ns = ts / 7;
	e.ino = 12;
	e.pos = 4096 * ts;
	e.len = 4096;
	e.aux0 = 0xffff888012345678ull;
	e.aux1 = ts * 3;
	e.ret = -(__s64)ts;
	e.dev = (7u << 20) | 3;
	e.pid = 100;
	e.tid = tid;
	e.flags = 0x11;
	e.aux2 = 5;
	e.type = type;
	e.target = target;
	e.tier = DS_TIER_TRACEPOINT;
	strncpy(e.comm, comm, sizeof(e.comm));
	/* a record carries no clock off the CPU: its timed calls say so */
	e.offcpu_ns = DS_OFFCPU_UNKNOWN;
	return e;
}

/* What the programs do: the same events, packed into one record. */
static size_t pack(struct ds_io *io, const struct ds_event *ev, int n)
{
	int i;

	memset(io, 0, sizeof(*io));
	io->dev = ev[0].dev;
	io->ino = ev[0].ino;
	for (i = 0; i < n; i++) {
		struct ds_io_slot *s = &io->slot[i];
		__u8 who = ev[i].tid == ev[0].tid ? DS_IO_SUBMITTER
						  : DS_IO_COMPLETER;

		io->who[who].pid = ev[i].pid;
		io->who[who].tid = ev[i].tid;
		memcpy(io->who[who].comm, ev[i].comm, DS_COMM_LEN);
		s->ts_ns = ev[i].ts_ns;
		s->dur_ns = ev[i].dur_ns;
		s->pos = ev[i].pos;
		s->len = ev[i].len;
		s->aux0 = ev[i].aux0;
		s->aux1 = ev[i].aux1;
		s->ret = ev[i].ret;
		s->flags = ev[i].flags;
		s->aux2 = ev[i].aux2;
		s->type = ev[i].type;
		s->target = ev[i].target;
		s->tier = ev[i].tier;
		s->who = who;
	}
	io->n = n;
	return DS_IO_HDR + n * DS_IO_SLOT;
}

static void one_io(struct ds_event *ev)
{
	ev[0] = classic(DS_EV_DIO_SUBMIT, DS_T_DIO_RW, 200, "fio", 10);
	ev[1] = classic(DS_EV_MAP_BLOCKS, DS_T_MAP_BLOCKS, 200, "fio", 11);
	ev[2] = classic(DS_EV_IOMAP_BEGIN, DS_T_IOMAP_BEGIN, 200, "fio", 12);
	ev[3] = classic(DS_EV_DIO_COMPLETE, DS_T_DIO_COMPLETE, 300,
			"kworker/1:2", 40);
}

static void test_expands_to_the_same_events(void **state)
{
	struct ds_event ev[4];
	struct seen s = { 0 };
	struct ds_io io;
	size_t size;
	int i;

	one_io(ev);
	size = pack(&io, ev, 4);
	assert_true(io_record_is(size));
	assert_int_equal(io_payload_each(&io, size, collect, &s), 0);
	assert_int_equal(s.n, 4);
	/* byte for byte: the record file and its digest cannot tell */
	for (i = 0; i < 4; i++)
		assert_memory_equal(&s.e[i], &ev[i], sizeof(ev[i]));
	assert_int_equal(s.e[3].tid, 300);
	assert_string_equal(s.e[3].comm, "kworker/1:2");
}

static void test_unwritten_slot_is_skipped(void **state)
{
	struct ds_event ev[4];
	struct seen s = { 0 };
	struct ds_io io;
	size_t size;

	one_io(ev);
	size = pack(&io, ev, 4);
	/* claimed by a program still writing it when the IO was closed */
	io.slot[1].type = 0;
	assert_int_equal(io_payload_each(&io, size, collect, &s), 0);
	assert_int_equal(s.n, 3);
	assert_memory_equal(&s.e[1], &ev[2], sizeof(ev[2]));
	/* a bad side is no event either */
	io.slot[2].who = 7;
	s.n = 0;
	assert_int_equal(io_payload_each(&io, size, collect, &s), 0);
	assert_int_equal(s.n, 2);
}

static void test_event_passes_through(void **state)
{
	struct ds_event e = classic(DS_EV_SPLIT, DS_T_SPLIT, 1, "x", 5);
	struct seen s = { 0 };

	assert_false(io_record_is(sizeof(e)));
	assert_int_equal(io_payload_each(&e, sizeof(e), collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_memory_equal(&s.e[0], &e, sizeof(e));
}

static void test_other_sizes_are_skipped(void **state)
{
	char buf[sizeof(struct ds_io) + 64];
	struct seen s = { 0 };

	memset(buf, 0x5a, sizeof(buf));
	assert_false(io_record_is(DS_IO_HDR));
	assert_false(io_record_is(DS_IO_HDR + DS_IO_SLOT + 8));
	assert_false(io_record_is(DS_IO_HDR + (DS_IO_SLOTS + 1) * DS_IO_SLOT));
	assert_true(io_record_is(DS_IO_HDR + DS_IO_SLOT));
	assert_true(io_record_is(sizeof(struct ds_io)));
	assert_int_equal(io_payload_each(buf, 40, collect, &s), 0);
	assert_int_equal(io_payload_each(buf, DS_IO_HDR + DS_IO_SLOT + 8,
					 collect, &s), 0);
	assert_int_equal(s.n, 0);
}

static void test_error_stops(void **state)
{
	struct ds_event ev[4];
	struct seen s = { .fail_at = 2 };
	struct ds_io io;
	size_t size;

	one_io(ev);
	size = pack(&io, ev, 4);
	assert_int_equal(io_payload_each(&io, size, collect, &s), -5);
	assert_int_equal(s.n, 2);
}

/* What batch_write() (bpf/common.bpf.h) writes: the tag, then n events. */
static size_t batch_pack(struct ds_batch *b, int n)
{
	int i;

	memset(b, 0, sizeof(*b));
	b->tag = DS_BATCH_TAG;
	for (i = 0; i < n; i++)
		b->ev[i] = classic(DS_EV_MAP_BLOCKS, DS_T_MAP_BLOCKS, 40 + i,
				   "fio", 1000 + i);
	return DS_BATCH_HDR + n * sizeof(struct ds_event);
}

static void test_batch_expands_in_order(void **state)
{
	static struct ds_batch b;
	struct seen s = { 0 };
	size_t size = batch_pack(&b, DS_BATCH_MAX);
	int i;

	assert_true(io_batch_is(&b.tag, size));
	assert_int_equal(io_payload_each(&b.tag, size, collect, &s), 0);
	assert_int_equal(s.n, DS_BATCH_MAX);
	for (i = 0; i < DS_BATCH_MAX; i++)
		assert_memory_equal(&s.e[i], &b.ev[i], sizeof(b.ev[i]));
}

static void test_batch_of_one_and_error(void **state)
{
	static struct ds_batch b;
	struct seen s = { 0 }, f = { .fail_at = 3 };
	size_t size = batch_pack(&b, 1);

	assert_int_equal(io_payload_each(&b.tag, size, collect, &s), 0);
	assert_int_equal(s.n, 1);
	size = batch_pack(&b, 5);
	assert_int_equal(io_payload_each(&b.tag, size, collect, &f), -5);
	assert_int_equal(f.n, 3);
}

/* No size of a record, an event or a batch is the size of another kind. */
static void test_batch_sizes_are_apart(void **state)
{
	static struct ds_batch b;
	size_t size;
	int n;

	batch_pack(&b, DS_BATCH_MAX);
	for (n = 1; n <= DS_BATCH_MAX; n++) {
		size = DS_BATCH_HDR + n * sizeof(struct ds_event);
		assert_false(io_record_is(size));
		assert_int_not_equal(size, sizeof(struct ds_event));
		assert_true(io_batch_is(&b.tag, size));
	}
	for (n = 1; n <= DS_IO_SLOTS; n++)
		assert_false(io_batch_is(&b.tag, DS_IO_HDR + n * DS_IO_SLOT));
	/* too many events, or no tag: not a batch */
	assert_false(io_batch_is(&b.tag, DS_BATCH_HDR + (DS_BATCH_MAX + 1) *
					 sizeof(struct ds_event)));
	b.tag = 0;
	assert_false(io_batch_is(&b.tag, DS_BATCH_HDR +
					 sizeof(struct ds_event)));
}

/* The reader is woken once per 64 KiB waiting, not on every record after. */
static void test_wakeup_once_per_batch(void **state)
{
	__u64 avail = 0, step = 112;
	int wakes = 0;

	assert_false(ds_rb_wakes(0, step));
	assert_true(ds_rb_wakes(DS_WAKEUP_BYTES - 8, DS_WAKEUP_BYTES + 104));
	/* a reader that fell behind: a megabyte waits, records keep coming */
	assert_false(ds_rb_wakes(1 << 20, (1 << 20) + step));
	while (avail < 4 * DS_WAKEUP_BYTES) {
		wakes += ds_rb_wakes(avail, avail + step);
		avail += step;
	}
	assert_int_equal(wakes, 4);	/* at 64, 128, 192 and 256 KiB */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wakeup_once_per_batch),
		cmocka_unit_test(test_expands_to_the_same_events),
		cmocka_unit_test(test_unwritten_slot_is_skipped),
		cmocka_unit_test(test_event_passes_through),
		cmocka_unit_test(test_other_sizes_are_skipped),
		cmocka_unit_test(test_error_stops),
		cmocka_unit_test(test_batch_expands_in_order),
		cmocka_unit_test(test_batch_of_one_and_error),
		cmocka_unit_test(test_batch_sizes_are_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
