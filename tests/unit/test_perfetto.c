// SPDX-License-Identifier: GPL-2.0
/*
 * The Perfetto trace of a run: fed by the correlator's decisions, it has
 * the IOs and churn pairs the correlator counted, an arrow from each
 * pair's merge to its split, and slices that nest even where the probes
 * saw a call end after the IO's completion.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <json-c/json.h>
#include "analysis/correlator.h"
#include "export/perfetto.h"

#define DEV ((7u << 20) | 3)
#define INO 12
#define BLK 4096
#define WORKER 99
#define MAX_EV 64

static struct ds_event ev[MAX_EV];
static int nev;
static char path[64];
static struct perfetto *pf;

static struct ds_event *add(__u16 type, __u64 ts, __u32 tid, __u64 pos,
			    __u64 dur)
{
	struct ds_event *e = &ev[nev++];

	memset(e, 0, sizeof(*e));
	e->type = type;
	e->ts_ns = ts;
	e->tid = e->pid = tid;
	e->dev = DEV;
	e->ino = INO;
	e->pos = pos;
	e->dur_ns = dur;
	e->len = 1;
	e->target = type == DS_EV_SPLIT ? DS_T_SPLIT :
		    type == DS_EV_MERGE ? DS_T_MERGE_RIGHT : DS_T_MAP_BLOCKS;
	snprintf(e->comm, sizeof(e->comm), tid == WORKER ? "kworker/1:2" : "fio");
	return e;
}

static void submit(__u64 ts, __u32 tid, __u64 blk, __u64 iocb, __u32 aio)
{
	struct ds_event *e = add(DS_EV_DIO_SUBMIT, ts, tid, blk * BLK, 0);

	e->len = BLK;
	e->flags = DS_DIO_WRITE | aio;
	e->aux0 = iocb;
	e->target = DS_T_DIO_RW;
}

static void complete(__u64 ts, __u32 tid, __u64 blk, __u64 iocb)
{
	struct ds_event *e = add(DS_EV_DIO_COMPLETE, ts, tid, blk * BLK, 0);

	e->len = BLK;
	e->ret = BLK;
	e->aux0 = iocb;
	e->target = DS_T_DIO_COMPLETE;
}

static void merge(__u64 ts, __u32 tid, __u64 lblk, __u64 dur)
{
	add(DS_EV_MERGE, ts, tid, lblk, dur)->flags = DS_MERGE_DONE |
		DS_MERGE_LEFT_UNWRITTEN | DS_MERGE_RIGHT_UNWRITTEN;
}

static void map(__u64 ts, __u32 tid, __u64 blk, __u32 flags, __u64 dur)
{
	add(DS_EV_MAP_BLOCKS, ts, tid, blk, dur)->flags = flags;
}

static int collect(void *ctx, const struct corr_io *io)
{
	return perfetto_io(ctx, io);
}

/* Through the correlator into the trace, as a report does. */
static struct correlator corr;

static struct json_object *run(void)
{
	struct json_object *doc;
	int i;

	snprintf(path, sizeof(path), "/tmp/test_perfetto.XXXXXX");
	close(mkstemp(path));
	pf = perfetto_open(path, "test");
	assert_non_null(pf);
	assert_int_equal(correlator_init(&corr, 12, 0, collect, pf), 0);
	corr.obs = perfetto_observer(pf);
	for (i = 0; i < nev; i++) {
		assert_int_equal(perfetto_event(pf, &ev[i]), 0);
		assert_int_equal(correlator_add(&corr, &ev[i]), 0);
	}
	assert_int_equal(correlator_finish(&corr), 0);
	assert_int_equal(perfetto_close(pf, true), 0);
	doc = json_object_from_file(path);
	assert_non_null(doc);
	unlink(path);
	return doc;
}

static int teardown(void **state)
{
	correlator_free(&corr);
	nev = 0;
	return 0;
}

static struct json_object *key(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static const char *str(struct json_object *o, const char *k)
{
	struct json_object *v = key(o, k);

	return v ? json_object_get_string(v) : "";
}

static int count(struct json_object *doc, const char *ph, const char *name)
{
	struct json_object *t = key(doc, "traceEvents");
	size_t i;
	int n = 0;

	for (i = 0; i < json_object_array_length(t); i++) {
		struct json_object *e = json_object_array_get_idx(t, i);

		n += !strcmp(str(e, "ph"), ph) && (!name || !strcmp(str(e, "name"), name));
	}
	return n;
}

static struct json_object *find(struct json_object *doc, const char *ph,
				const char *name)
{
	struct json_object *t = key(doc, "traceEvents");
	size_t i;

	for (i = 0; i < json_object_array_length(t); i++) {
		struct json_object *e = json_object_array_get_idx(t, i);

		if (!strcmp(str(e, "ph"), ph) && !strcmp(str(e, "name"), name))
			return e;
	}
	fail_msg("no %s event %s", ph, name);
	return NULL;
}

static double ts(struct json_object *e)
{
	return json_object_get_double(key(e, "ts"));
}

/* Timestamps never go back in the file (so on no track either). */
static void assert_ordered(struct json_object *doc)
{
	struct json_object *t = key(doc, "traceEvents");
	double last = -1;
	size_t i;

	for (i = 0; i < json_object_array_length(t); i++) {
		struct json_object *e = json_object_array_get_idx(t, i);

		if (!strcmp(str(e, "ph"), "M"))
			continue;
		assert_true(ts(e) >= last);
		last = ts(e);
	}
}

static void test_churn_pair_arrow(void **state)
{
	struct json_object *doc, *s, *f, *sp, *io, *x;
	struct ds_event *cv;

	submit(100, 1, 8, 0xa0, DS_DIO_AIO);
	submit(105, 2, 20, 0xa1, DS_DIO_AIO);
	merge(150, 2, 8, 11);
	add(DS_EV_SPLIT, 300, WORKER, 8, 13)->offcpu_ns = DS_OFFCPU_UNKNOWN;
	cv = add(DS_EV_MAP_BLOCKS, 310, WORKER, 8, 40);
	cv->flags = DS_GET_BLOCKS_CONVERT;
	cv->offcpu_ns = 15;
	cv->nested = 2;
	complete(400, WORKER, 8, 0xa0);
	complete(410, WORKER, 20, 0xa1);
	doc = run();
	/* a slice's time on the CPU and its nested calls; none unmeasured */
	x = find(doc, "X", "ext4_ext_map_blocks CONVERT");
	assert_int_equal(json_object_get_int(key(key(x, "args"), "on_cpu_ns")), 25);
	assert_int_equal(json_object_get_int(key(key(x, "args"), "nested_calls")), 2);
	x = key(find(doc, "X", "ext4_split_extent_at"), "args");
	assert_false(json_object_object_get_ex(x, "on_cpu_ns", NULL));
	assert_int_equal(corr.tot.churn_pairs, 1);
	assert_int_equal(json_object_get_int(key(key(doc, "otherData"), "churn_pairs")), 1);
	assert_int_equal(json_object_get_int(key(key(doc, "otherData"), "ios")), 2);
	/* one arrow, from the merge (task 2) to the split (the worker) */
	assert_int_equal(count(doc, "s", NULL), 1);
	assert_int_equal(count(doc, "f", NULL), 1);
	s = find(doc, "s", "churn pair");
	f = find(doc, "f", "churn pair");
	assert_int_equal(json_object_get_int(key(s, "id")), json_object_get_int(key(f, "id")));
	assert_int_equal(json_object_get_int(key(s, "tid")), 2);
	assert_int_equal(json_object_get_int(key(f, "tid")), WORKER);
	/* at the merge's start, 139 ns, and the split's, 287 ns, after t0 100 */
	assert_float_equal(ts(s), 0.039, 1e-9);
	assert_float_equal(ts(f), 0.187, 1e-9);
	/* the split and merge instants carry inode and block */
	sp = find(doc, "i", "split");
	assert_int_equal(json_object_get_int(key(key(sp, "args"), "lblk")), 8);
	assert_int_equal(json_object_get_int(key(key(sp, "args"), "ino")), INO);
	assert_int_equal(count(doc, "i", "merge"), 1);
	/* async IOs: b/e by id, the worker's conversion nested in the first */
	assert_int_equal(count(doc, "b", "write"), 2);
	assert_int_equal(count(doc, "e", "write"), 2);
	assert_int_equal(count(doc, "b", "ext4_ext_map_blocks CONVERT"), 1);
	io = find(doc, "b", "write");
	assert_int_equal(json_object_get_int(key(key(io, "args"), "churn_pairs")), 1);
	assert_ordered(doc);
	json_object_put(doc);
}

/*
 * A synchronous IO whose conversion the probes saw end after its
 * completion point: the IO's slice grows to hold it, its latency stays.
 */
static void test_crossing_call_nests(void **state)
{
	struct json_object *doc, *b, *e, *x;

	submit(1000, 1, 5, 0xa0, 0);
	map(1100, 1, 5, DS_GET_BLOCKS_PRE_IO, 50);
	complete(1400, 1, 5, 0xa0);
	/* began at 1380, inside the window, ended at 1450, after it */
	map(1450, 1, 5, DS_GET_BLOCKS_CONVERT, 70);
	doc = run();
	b = find(doc, "B", "write");
	e = find(doc, "E", "write");
	x = find(doc, "X", "ext4_ext_map_blocks CONVERT");
	assert_int_equal(json_object_get_int(key(key(b, "args"), "lat_ns")), 400);
	assert_true(ts(e) >= ts(x) + json_object_get_double(key(x, "dur")) - 1e-9);
	assert_int_equal(count(doc, "B", NULL), count(doc, "E", NULL));
	assert_ordered(doc);
	json_object_put(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_churn_pair_arrow, teardown),
		cmocka_unit_test_teardown(test_crossing_call_nests, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
