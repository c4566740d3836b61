/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the tracer's own BPF programs cost in the kernel: run time, runs
 * and recursion misses per program, from bpf_prog_info. The kernel counts
 * run time and runs only while its BPF statistics are on; prog_stats_on()
 * turns them on for a run and prog_stats_off() gives the machine back as
 * it was. A snapshot before and one after a run give the run's cost.
 *
 *	struct prog_stats_switch sw;
 *	struct prog_stats before, after;
 *
 *	prog_stats_on(&sw);
 *	prog_stats_read(t, &before);
 *	... the run ...
 *	prog_stats_read(t, &after);
 *	prog_stats_off(&sw);
 *	prog_stats_sub(&after, &before);	// after is the run's cost
 */
#ifndef DIOSCOPE_PROG_STATS_H
#define DIOSCOPE_PROG_STATS_H

#include <stdbool.h>
#include <linux/types.h>
#include "trace/tracer.h"

struct prog_cost {
	__u64 run_time_ns;		/* while statistics were on */
	__u64 runs;			/* run_cnt, likewise */
	__u64 recursion_misses;		/* counted always (5.12+) */
};

struct prog_stat {
	char name[64];			/* the program's name in its object */
	__u32 id;			/* the kernel's program id */
	int target;			/* enum ds_target owning it, -1 none */
	enum ds_tier tier;
	struct prog_cost c;
};

#define PROG_STATS_MAX DS_MAX_LINKS

struct prog_stats {
	int n;
	struct prog_stat p[PROG_STATS_MAX];
	/* sums over the programs of each target, and over all of them */
	struct prog_cost target[DS_T_MAX];
	struct prog_cost total;
	/*
	 * The sched_switch program that times tasks off the CPU, apart
	 * from total: it runs on every switch of the machine, not per IO.
	 */
	struct prog_cost offcpu;
	/* the program that writes out CPUs' batches when asked, apart too */
	struct prog_cost batch;
	/* the sched_process_exit program that frees exited tasks' state */
	struct prog_cost reaper;
	bool reaper_on;			/* that program runs */
	/* false on kernels whose bpf_prog_info has no recursion_misses */
	bool misses_counted;
};

enum prog_stats_mode {
	PROG_STATS_OFF,			/* could not turn them on: see why */
	PROG_STATS_FD,			/* bpf_enable_stats(), held by an fd */
	PROG_STATS_SYSCTL,		/* kernel.bpf_stats_enabled, restored */
};

struct prog_stats_switch {
	enum prog_stats_mode mode;
	int fd;				/* PROG_STATS_FD */
	int restore;			/* PROG_STATS_SYSCTL: value to put back */
	const char *sysctl;		/* the sysctl's file */
	char why[160];			/* how it was done, or why not */
};

/*
 * Turn the kernel's BPF run-time statistics on: by bpf_enable_stats(),
 * whose fd the kernel counts, so that closing it (on any exit) turns them
 * off again; else by kernel.bpf_stats_enabled, put back by
 * prog_stats_off(). Returns the mode; sw->why says how, or why not.
 */
enum prog_stats_mode prog_stats_on(struct prog_stats_switch *sw);
/* The same with the sysctl at another path, and optionally no fd. */
enum prog_stats_mode prog_stats_on_at(struct prog_stats_switch *sw,
				      const char *sysctl, bool try_fd);
/* Back as before prog_stats_on(); 0 or -errno if the sysctl stayed on. */
int prog_stats_off(struct prog_stats_switch *sw);
/* "fd", "sysctl", "off" */
const char *prog_stats_mode_name(enum prog_stats_mode mode);

/* A snapshot of every program the tracer has loaded; 0 or -errno. */
int prog_stats_read(const struct tracer *t, struct prog_stats *s);
/*
 * The same for programs loaded by anyone, by id (another tracer's, to
 * set beside ours); ids no longer loaded are left out. 0 or -errno.
 */
int prog_stats_read_ids(const __u32 *ids, int n, struct prog_stats *s);
/*
 * after -= before, program by program (matched by id); the sums are
 * made again. Programs missing from before count from zero.
 */
void prog_stats_sub(struct prog_stats *after, const struct prog_stats *before);
/* Recompute the per-target and total sums from the programs. */
void prog_stats_sum(struct prog_stats *s);

#endif
