/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tracer: gathers kernel facts, plans tiers, loads and attaches the
 * BPF objects, falling back tier by tier when a program does not load or
 * attach, and owns the shared maps.
 */
#ifndef DIOSCOPE_TRACER_H
#define DIOSCOPE_TRACER_H

#include <stdbool.h>
#include <linux/types.h>
#include "trace/planner.h"
#include "trace/filters.h"
#include "trace/kretprobe.h"

struct bpf_link;
struct bpf_object;
struct task_exit_bpf;
struct offcpu_bpf;
struct batch_bpf;

struct tracer_opts {
	enum ds_tier forced;		/* DS_TIER_NONE: best available */
	const char *custom_btf;		/* --btf */
	struct filters filters;
	unsigned int ringbuf_mb;	/* 0: default */
	bool verbose;			/* show libbpf's messages */
	bool io_records;		/* per-IO records (dioscope.h) */
	bool no_offcpu;			/* no sched_switch program */
	bool no_batch;			/* each event on its own, in order */
};

#define DS_MAX_LINKS 64

struct tracer {
	struct kernel_facts kf;
	struct plan plan;
	void *skel[DS_OBJ_MAX];
	struct bpf_object *obj[DS_OBJ_MAX];
	struct task_exit_bpf *reaper;	/* frees the slots of exited tasks */
	/* times tasks off the CPU inside timed calls; NULL: not measured */
	struct offcpu_bpf *offcpu;
	char offcpu_why[128];		/* why it is NULL */
	int events_fd, lost_fd, devs_fd, tasks_fd, ios_fd;
	int wanted_fd;
	int batches_fd, clock_cpus_fd, batch_cpus_fd;
	/* batch_cpus mapped: which CPUs hold events; NULL: ask them all */
	const __u64 *batch_cpus;
	/* writes out a CPU's batch of events; NULL: events go out one by one */
	struct batch_bpf *batch;
	int ncpus;			/* possible CPUs, for the batches */
	__u64 flushed_ns;		/* last periodic flush, CLOCK_MONOTONIC */
	/* the lost count, mapped (BPF_F_MMAPABLE); NULL: read by lookup */
	const __u64 *lost_mem;
	/*
	 * The devices put in ext4_devs so far: a map update from user space
	 * holds the CPU's BPF guard, and a kprobe program that fires while
	 * its holder is preempted is skipped. Only a new device is written.
	 */
	__u32 devs_known[DS_EXT4_DEVS_MAX];
	unsigned int ndevs_known;
	bool io_records;		/* the programs assemble per-IO records */
	struct bpf_link *links[DS_MAX_LINKS];
	int nlinks;
	int rounds;			/* load attempts it took */
	struct kretprobe_set kretprobes;
	bool kretprobe_pmu;		/* a return probe fell back to the PMU,
					 * whose misses cannot be counted */
};

/*
 * Write out the events each CPU holds (bpf/dioscope.h, struct ds_batch):
 * before reading the ring buffer for the last time, and every few
 * milliseconds for events that end no piece of work. 0 or -errno.
 */
int tracer_flush_batches(struct tracer *t);
/* How often readers ask: what a batch holds waits at most about this. */
#define DS_BATCH_FLUSH_MS 10
/*
 * The readers' periodic request: writes the batches out when
 * DS_BATCH_FLUSH_MS have passed since it last did, and says whether
 * they had. A CPU it could not ask is asked again the next time.
 */
bool tracer_flush_due(struct tracer *t);
/* 0 on success; -ENOENT when nothing at all can be traced. */
int tracer_open(struct tracer *t, const struct tracer_opts *o);
void tracer_close(struct tracer *t);
/* Events the programs could not write; no syscall where mapped. */
__u64 tracer_lost(const struct tracer *t);
/*
 * Returns the return probes missed so far (maxactive overrun), as far as
 * kprobe_profile counts them.
 */
__u64 tracer_kretprobe_missed(const struct tracer *t);
/*
 * The target whose plan enabled the program of this name, and its tier;
 * -1 if none. A program shared by targets belongs to the first of them.
 */
int tracer_prog_target(const struct tracer *t, const char *prog,
		       enum ds_tier *tier);
/*
 * The records of IOs still in flight, expanded into fn: what the kernel
 * saw of them belongs to the run. 0 or what fn returned.
 */
int tracer_drain_ios(struct tracer *t, int (*fn)(void *ctx,
			const struct ds_event *e), void *ctx);
/* Refresh the set of ext4 devices from /proc/self/mountinfo. */
int tracer_update_ext4_devs(struct tracer *t);
/* Readable reason when the environment cannot run the tracer at all. */
const char *tracer_env_problem(void);

#endif
