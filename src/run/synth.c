// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "run/meta.h"
#include "run/record_file.h"
#include "run/recorder.h"
#include "run/synth.h"
#include "trace/targets.h"
#include "util/fs.h"
#include "run/tree.h"
#include "util/atomic_file.h"
#include "util/err.h"
#include "util/path.h"

#define JOBS 4
#define BS 4096ULL
#define DEV (7u << 20)
#define INO 12
#define WORKER_TID 99
#define IOCB_BASE 0xffff888000000000ULL

struct synth {
	struct record_writer w;
	FILE *log[JOBS];
	__u64 ts, t_start, written[JOBS];
	__u64 job_size;
	int err;
};

static void emit(struct synth *s, __u16 type, __u8 target, __u32 tid,
		 __u64 dur, __u64 pos, __u64 len, __u32 flags, __u64 aux0,
		 __s64 ret)
{
	struct ds_event e = {
		.ts_ns = s->ts, .dur_ns = dur, .ino = INO, .pos = pos,
		.len = len, .aux0 = aux0, .ret = ret, .dev = DEV,
		.pid = tid, .tid = tid, .flags = flags, .type = type,
		.target = target, .tier = DS_TIER_TRACEPOINT,
	};

	snprintf(e.comm, sizeof(e.comm), "%s", tid == WORKER_TID ?
		 "kworker/0:1" : "fio");
	if (!s->err)
		s->err = record_writer_add(&s->w, &e);
}

/* One IO's events in time order, and its fio log line. */
static void one_io(struct synth *s, unsigned long long i)
{
	unsigned int job = i % JOBS;
	__u32 tid = 1000 + job;
	__u64 pos = job * s->job_size + (s->written[job]++ * BS) % s->job_size;
	__u64 lblk = pos / BS, iocb = IOCB_BASE + (i % 4096) * 256;
	/* a spread of latencies with a tail, the same on every run */
	__u64 lat = 20000 + (i * 7919) % 30000 + ((i % 997) ? 0 : 900000);
	__u64 submit = s->ts;

	emit(s, DS_EV_DIO_SUBMIT, DS_T_DIO_RW, tid, 0, pos, BS,
	     DS_DIO_WRITE | DS_DIO_AIO, iocb, 0);
	s->ts += 900;
	emit(s, DS_EV_MAP_BLOCKS, DS_T_MAP_BLOCKS, tid, 600, lblk, 1,
	     DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_UNWRIT_EXT |
	     DS_GET_BLOCKS_PRE_IO, DS_MAP_UNWRITTEN | DS_MAP_MAPPED, 1);
	s->ts += 300;
	emit(s, DS_EV_IOMAP_BEGIN, DS_T_IOMAP_BEGIN, tid, 1100, pos, BS, 0,
	     DS_IOMAP_UNWRITTEN, 0);
	s->ts = submit + lat - 2000;
	emit(s, DS_EV_MAP_BLOCKS, DS_T_MAP_BLOCKS, WORKER_TID, 1500, lblk, 1,
	     DS_GET_BLOCKS_CREATE | DS_GET_BLOCKS_CONVERT, DS_MAP_MAPPED, 1);
	s->ts = submit + lat;
	emit(s, DS_EV_DIO_COMPLETE, DS_T_DIO_COMPLETE, WORKER_TID, 0, pos, BS,
	     DS_DIO_AIO, iocb, BS);
	/* fio sees a little more than the kernel window */
	fprintf(s->log[job], "%llu, %llu, 1, %llu, %llu, 0\n",
		(unsigned long long)((s->ts - s->t_start) / 1000000),
		(unsigned long long)(lat + 3000), BS,
		(unsigned long long)pos);
	s->ts += 500;
}

static int write_meta(const char *dir, unsigned long long ios,
		      __u64 size, const char *digest)
{
	struct meta m = { 0 };
	char path[PATH_MAX];
	int t, err;

	meta_set(&m, "format", "%d", DS_RECORD_VERSION);
	meta_set(&m, "kernel_release", "synthetic");
	meta_set(&m, "synthetic", "yes");
	for (t = 0; t < DS_T_MAX; t++) {
		char key[64];
		bool on = t == DS_T_DIO_RW || t == DS_T_DIO_COMPLETE ||
			  t == DS_T_IOMAP_BEGIN || t == DS_T_MAP_BLOCKS;

		snprintf(key, sizeof(key), "tier.%s", ds_targets[t].name);
		meta_set(&m, key, "%s", on ? "tracepoint" : "-");
	}
	meta_set(&m, "scenario", "synthetic");
	meta_set(&m, "block_size_bytes", "%llu", BS);
	meta_set(&m, "size_bytes", "%llu", (unsigned long long)size);
	meta_set(&m, "fs_block_size", "%llu", BS);
	meta_set(&m, "events", "%llu", ios * 5);
	meta_set(&m, "events_digest", "%s", digest);
	meta_set(&m, "lost_events", "0");
	meta_set(&m, "complete", "yes");
	meta_set(&m, "emulated", "no");
	err = tree_path(path, sizeof(path), dir, RUN_META);
	if (!err)
		err = meta_write(&m, path);
	meta_free(&m);
	return err;
}

static int write_json(const char *dir, unsigned long long ios,
		      const struct synth *s)
{
	char path[PATH_MAX];
	double secs = (s->ts - s->t_start) / 1e9;
	struct atomic_file af;
	FILE *f;
	int j, err;

	if (tree_path(path, sizeof(path), dir, "fio.json"))
		return -ENAMETOOLONG;
	err = atomic_open(&af, path);
	if (err)
		return err;
	f = af.f;
	fprintf(f, "{\"fio version\": \"fio-synthetic\", \"jobs\": [");
	for (j = 0; j < JOBS; j++)
		fprintf(f, "%s{\"jobname\": \"synth\", \"error\": 0, \"write\": "
			"{\"total_ios\": %llu, \"iops\": %.3f}}", j ? ", " : "",
			ios / JOBS + (j < (int)(ios % JOBS)),
			secs > 0 ? ios / JOBS / secs : 0);
	fprintf(f, "]}\n");
	return atomic_commit(&af, false);
}

/* The fio logs, each written aside: 0, or the first -errno. */
static int open_logs(struct synth *s, struct atomic_file *logs,
		     const char *dir)
{
	char path[PATH_MAX];
	int j, err = 0;

	for (j = 0; j < JOBS && !err; j++) {
		err = path_fmt(path, sizeof(path), "%s/fio_lat.%d.log", dir,
			       j + 1);
		if (!err)
			err = atomic_open(&logs[j], path);
		if (err)
			break;
		s->log[j] = logs[j].f;
		setvbuf(s->log[j], NULL, _IOFBF, 1 << 20);
	}
	return err;
}

static int close_logs(struct synth *s, struct atomic_file *logs, int err)
{
	int j, e;

	for (j = 0; j < JOBS; j++) {
		if (!s->log[j])
			continue;
		if (err) {
			atomic_abort(&logs[j]);
		} else {
			e = atomic_commit(&logs[j], false);
			err = err ? err : e;
		}
		s->log[j] = NULL;
	}
	return err;
}

/*
 * Every file of the run is written aside and renamed over its name, never
 * through a symbolic link or a device left there (report -f over a
 * directory that holds one).
 */
int synth_run(const char *dir, unsigned long long ios)
{
	static struct synth s;
	struct atomic_file logs[JOBS];
	char path[PATH_MAX], tmp[PATH_MAX + 32];
	unsigned long long i;
	int j, err;

	memset(&s, 0, sizeof(s));
	err = tree_path(path, sizeof(path), dir, RUN_EVENTS);
	if (!err)
		err = atomic_tmp_name(tmp, sizeof(tmp), path);
	if (!err)
		err = mkdir_p(dir);
	if (!err)
		err = atomic_check(path);
	if (!err) {
		unlink(tmp);	/* ours by its name */
		err = record_writer_open(&s.w, tmp);
	}
	if (err) {
		ds_err("%s: %s", *path ? path : dir, atomic_strerror(err));
		return err;
	}
	s.job_size = 256ULL << 20;
	s.ts = s.t_start = 1000000000ULL;
	err = open_logs(&s, logs, dir);
	for (i = 0; i < ios && !err && !s.err; i++)
		one_io(&s, i);
	err = err ? err : s.err;
	err = close_logs(&s, logs, err);
	j = record_writer_close(&s.w);
	err = err ? err : j;
	if (!err)
		err = atomic_rename(tmp, path);
	else
		unlink(tmp);
	if (!err)
		err = write_json(dir, ios, &s);
	/* meta last, and only for a whole run: it vouches for the rest */
	if (!err)
		err = write_meta(dir, ios, JOBS * s.job_size, s.w.digest_value);
	if (err)
		ds_err("writing %s: %s", dir, atomic_strerror(err));
	return err;
}
