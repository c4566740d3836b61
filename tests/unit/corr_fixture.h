/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event sequences the correlator tests build: events added in time
 * order into ev[], fed by run(), the IOs they make collected in out[].
 * A test file may set MAX_EV before including this.
 */
#ifndef DIOSCOPE_TEST_CORR_FIXTURE_H
#define DIOSCOPE_TEST_CORR_FIXTURE_H

#include <string.h>
#include "analysis/correlator.h"

#define DEV 7
#define INO 12
#define BLK 4096
#define WORKER 999
#ifndef MAX_EV
#define MAX_EV 256
#endif

static struct ds_event ev[MAX_EV];
static int nev;
static struct corr_io out[MAX_EV];
static int nout;
static struct correlator corr;

static int collect(void *ctx, const struct corr_io *io)
{
	out[nout++] = *io;
	return 0;
}

static struct ds_event *add(__u16 type, __u64 ts, __u32 tid)
{
	struct ds_event *e = &ev[nev++];

	memset(e, 0, sizeof(*e));
	e->type = type;
	e->ts_ns = ts;
	e->tid = e->pid = tid;
	e->dev = DEV;
	e->ino = INO;
	return e;
}

/* The completion of a direct write of one block at blk. */
static void complete(__u64 ts, __u32 tid, __u64 blk, __u64 iocb)
{
	struct ds_event *e = add(DS_EV_DIO_COMPLETE, ts, tid);

	e->pos = blk * BLK;
	e->len = BLK;
	e->ret = BLK;
	e->aux0 = iocb;
}

static void split(__u64 ts, __u32 tid, __u64 lblk, __u64 dur)
{
	struct ds_event *e = add(DS_EV_SPLIT, ts, tid);

	e->pos = lblk;
	e->dur_ns = dur;
}

static int setup(void **state)
{
	nev = nout = 0;
	return correlator_init(&corr, 12, 0, collect, NULL);
}

static int teardown(void **state)
{
	correlator_free(&corr);
	return 0;
}

/* Feed the events as they are (they are built in time order). */
static void run(void)
{
	int i;

	for (i = 0; i < nev; i++)
		assert_int_equal(correlator_add(&corr, &ev[i]), 0);
	assert_int_equal(correlator_finish(&corr), 0);
}

#endif
