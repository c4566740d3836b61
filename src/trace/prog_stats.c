// SPDX-License-Identifier: GPL-2.0
/*
 * The tracer's in-kernel cost, read from bpf_prog_info. libbpf 1.1
 * (Debian 12) has no bpf_prog_get_info_by_fd() yet (it came in 1.2), so
 * the info is read with bpf_obj_get_info_by_fd(), which it wraps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "trace/prog_stats.h"
#include "offcpu.skel.h"
#include "batch.skel.h"
#include "task_exit.skel.h"

#define STATS_SYSCTL "/proc/sys/kernel/bpf_stats_enabled"

const char *prog_stats_mode_name(enum prog_stats_mode mode)
{
	switch (mode) {
	case PROG_STATS_FD: return "fd";
	case PROG_STATS_SYSCTL: return "sysctl";
	default: return "off";
	}
}

static int sysctl_read(const char *path)
{
	char buf[16] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	return atoi(buf);
}

static int sysctl_write(const char *path, int val)
{
	char buf[16];
	int fd = open(path, O_WRONLY | O_TRUNC);
	int len, err = 0;

	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%d\n", val);
	if (write(fd, buf, len) != len)
		err = -errno ? -errno : -EIO;
	close(fd);
	return err;
}

static enum prog_stats_mode by_sysctl(struct prog_stats_switch *sw,
				      const char *fd_why)
{
	int prev = sysctl_read(sw->sysctl), err;

	if (prev < 0) {
		snprintf(sw->why, sizeof(sw->why), "%s; %s unreadable: %s",
			 fd_why, sw->sysctl, strerror(-prev));
		return sw->mode = PROG_STATS_OFF;
	}
	err = prev == 1 ? 0 : sysctl_write(sw->sysctl, 1);
	if (err) {
		snprintf(sw->why, sizeof(sw->why), "%s; writing %s: %s",
			 fd_why, sw->sysctl, strerror(-err));
		return sw->mode = PROG_STATS_OFF;
	}
	sw->restore = prev;
	snprintf(sw->why, sizeof(sw->why),
		 "%s; kernel.bpf_stats_enabled set to 1 for the run, then back to %d",
		 fd_why, prev);
	return sw->mode = PROG_STATS_SYSCTL;
}

enum prog_stats_mode prog_stats_on_at(struct prog_stats_switch *sw,
				      const char *sysctl, bool try_fd)
{
	char fd_why[64] = "bpf_enable_stats() not tried";

	memset(sw, 0, sizeof(*sw));
	sw->fd = -1;
	sw->restore = -1;
	sw->sysctl = sysctl;
	if (try_fd) {
		/* since 5.8; the kernel turns them off when the fd closes */
		sw->fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (sw->fd >= 0) {
			snprintf(sw->why, sizeof(sw->why),
				 "bpf_enable_stats(BPF_STATS_RUN_TIME)");
			return sw->mode = PROG_STATS_FD;
		}
		snprintf(fd_why, sizeof(fd_why), "bpf_enable_stats() failed: %s",
			 strerror(errno));
	}
	return by_sysctl(sw, fd_why);
}

enum prog_stats_mode prog_stats_on(struct prog_stats_switch *sw)
{
	return prog_stats_on_at(sw, STATS_SYSCTL, true);
}

int prog_stats_off(struct prog_stats_switch *sw)
{
	int err = 0;

	if (sw->mode == PROG_STATS_FD && sw->fd >= 0)
		close(sw->fd);
	if (sw->mode == PROG_STATS_SYSCTL && sw->restore >= 0 &&
	    sw->restore != 1)
		err = sysctl_write(sw->sysctl, sw->restore);
	sw->fd = -1;
	sw->restore = -1;
	return err;
}

static void cost_add(struct prog_cost *to, const struct prog_cost *c)
{
	to->run_time_ns += c->run_time_ns;
	to->runs += c->runs;
	to->recursion_misses += c->recursion_misses;
}

void prog_stats_sum(struct prog_stats *s)
{
	int i;

	memset(s->target, 0, sizeof(s->target));
	memset(&s->total, 0, sizeof(s->total));
	for (i = 0; i < s->n; i++) {
		const struct prog_stat *p = &s->p[i];

		if (p->target >= 0 && p->target < DS_T_MAX)
			cost_add(&s->target[p->target], &p->c);
		cost_add(&s->total, &p->c);
	}
}

/* One program's counters; false if the kernel has no info for it. */
static int read_one(int fd, struct prog_stat *p, bool *misses)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	p->id = info.id;
	if (!p->name[0])
		snprintf(p->name, sizeof(p->name), "%s", info.name);
	p->c.run_time_ns = info.run_time_ns;
	p->c.runs = info.run_cnt;
	p->c.recursion_misses = info.recursion_misses;
	/* the kernel fills only the part of the struct it knows */
	*misses = len >= offsetof(struct bpf_prog_info, recursion_misses) +
			 sizeof(info.recursion_misses);
	return 0;
}

/* The cost of a program outside the plan's, into *c (0 without it). */
static int aux_read(const struct bpf_program *prog, struct prog_cost *c)
{
	struct prog_stat p = { .target = -1 };
	bool m;
	int err;

	if (!prog)
		return 0;
	err = read_one(bpf_program__fd(prog), &p, &m);
	*c = p.c;
	return err;
}

static int aux_progs_read(const struct tracer *t, struct prog_stats *s)
{
	int err = aux_read(t->offcpu ? t->offcpu->progs.ds_sched_switch : NULL,
			   &s->offcpu);

	if (!err)
		err = aux_read(t->batch ? t->batch->progs.ds_batch_flush : NULL,
			       &s->batch);
	s->reaper_on = t->reaper != NULL;
	if (!err)
		err = aux_read(t->reaper ? t->reaper->progs.ds_task_exit : NULL,
			       &s->reaper);
	return err;
}

int prog_stats_read(const struct tracer *t, struct prog_stats *s)
{
	struct bpf_program *prog;
	bool misses = true, m = false;
	int i, fd, err;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < DS_OBJ_MAX; i++) {
		if (!t->obj[i])
			continue;
		bpf_object__for_each_program(prog, t->obj[i]) {
			struct prog_stat *p = &s->p[s->n];

			fd = bpf_program__fd(prog);
			if (fd < 0 || !bpf_program__autoload(prog))
				continue;
			if (s->n >= PROG_STATS_MAX)
				return -E2BIG;
			snprintf(p->name, sizeof(p->name), "%s",
				 bpf_program__name(prog));
			p->target = tracer_prog_target(t, p->name, &p->tier);
			err = read_one(fd, p, &m);
			if (err)
				return err;
			misses &= m;
			s->n++;
		}
	}
	s->misses_counted = s->n > 0 && misses;
	prog_stats_sum(s);
	return aux_progs_read(t, s);
}

int prog_stats_read_ids(const __u32 *ids, int n, struct prog_stats *s)
{
	bool misses = true, m = false;
	int i, fd, err;

	memset(s, 0, sizeof(*s));
	if (n > PROG_STATS_MAX)
		return -E2BIG;
	for (i = 0; i < n; i++) {
		struct prog_stat *p = &s->p[s->n];

		fd = bpf_prog_get_fd_by_id(ids[i]);
		if (fd < 0)
			continue;	/* unloaded meanwhile */
		p->target = -1;
		err = read_one(fd, p, &m);
		close(fd);
		if (err)
			return err;
		misses &= m;
		s->n++;
	}
	s->misses_counted = s->n > 0 && misses;
	prog_stats_sum(s);
	return 0;
}

static const struct prog_stat *find_id(const struct prog_stats *s, __u32 id)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->p[i].id == id)
			return &s->p[i];
	return NULL;
}

/* Counters only grow while a program lives; a smaller one is a new one. */
static __u64 delta(__u64 after, __u64 before)
{
	return after >= before ? after - before : after;
}

static void cost_sub(struct prog_cost *after, const struct prog_cost *before)
{
	after->run_time_ns = delta(after->run_time_ns, before->run_time_ns);
	after->runs = delta(after->runs, before->runs);
	after->recursion_misses = delta(after->recursion_misses,
					before->recursion_misses);
}

void prog_stats_sub(struct prog_stats *after, const struct prog_stats *before)
{
	int i;

	for (i = 0; i < after->n; i++) {
		struct prog_stat *p = &after->p[i];
		const struct prog_stat *b = find_id(before, p->id);

		if (!b)
			continue;
		p->c.run_time_ns = delta(p->c.run_time_ns, b->c.run_time_ns);
		p->c.runs = delta(p->c.runs, b->c.runs);
		p->c.recursion_misses = delta(p->c.recursion_misses,
					      b->c.recursion_misses);
	}
	prog_stats_sum(after);
	cost_sub(&after->offcpu, &before->offcpu);
	cost_sub(&after->batch, &before->batch);
	cost_sub(&after->reaper, &before->reaper);
}
