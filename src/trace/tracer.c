// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and attaching follow the plan; what the kernel refuses moves
 * that target one tier down and the objects are loaded again, until
 * everything that is enabled loads and attaches.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "trace/tracer.h"
#include "event/io_record.h"
#include "trace/kretprobe.h"
#include "trace/tier_misses.h"
#include "dio_window.skel.h"
#include "iomap_begin.skel.h"
#include "end_io.skel.h"
#include "unwritten.skel.h"
#include "extent_churn.skel.h"
#include "writeback.skel.h"
#include "insert_merge.skel.h"
#include "task_exit.skel.h"
#include "offcpu.skel.h"
#include "batch.skel.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/macros.h"

#define MAX_ROUNDS 12

/* What the programs are built for, set before they load. */
struct prog_consts {
	const struct filters *f;
	bool records;		/* per-IO records */
	bool offcpu;		/* the sched_switch program runs */
	bool batch;		/* events go out in per-CPU batches */
};

/* Every skeleton has the same variables, from common.bpf.h. */
#define SET_CONSTS(ro, c) do {						\
	const struct filters *f_ = (c)->f;				\
									\
	(ro)->io_records = (c)->records;				\
	(ro)->offcpu_on = (c)->offcpu;					\
	(ro)->batch_on = (c)->batch;					\
	(ro)->targ_tgid = f_->tgid;					\
	(ro)->targ_dev = f_->dev;					\
	(ro)->targ_ino = f_->ino;					\
	(ro)->filter_comm = f_->comm[0] != '\0';			\
	memcpy((void *)(ro)->targ_comm, f_->comm, DS_COMM_LEN);	\
} while (0)

#define SKEL_OPS(name)							\
static struct bpf_object *open_##name(const struct bpf_object_open_opts *o, \
				      const struct prog_consts *c,	\
				      void **skel)			\
{									\
	struct name##_bpf *s = name##_bpf__open_opts(o);		\
									\
	if (!s)								\
		return NULL;						\
	SET_CONSTS(s->rodata, c);					\
	*skel = s;							\
	return s->obj;							\
}									\
static int load_##name(void *skel)					\
{									\
	return name##_bpf__load(skel);					\
}									\
static void destroy_##name(void *skel)					\
{									\
	name##_bpf__destroy(skel);					\
}

SKEL_OPS(dio_window)
SKEL_OPS(iomap_begin)
SKEL_OPS(end_io)
SKEL_OPS(unwritten)
SKEL_OPS(extent_churn)
SKEL_OPS(writeback)
SKEL_OPS(insert_merge)

struct skel_ops {
	struct bpf_object *(*open)(const struct bpf_object_open_opts *o,
				   const struct prog_consts *c, void **skel);
	int (*load)(void *skel);
	void (*destroy)(void *skel);
};

#define OPS(name) { open_##name, load_##name, destroy_##name }
static const struct skel_ops skel_ops[DS_OBJ_MAX] = {
	[DS_OBJ_DIO_WINDOW] = OPS(dio_window),
	[DS_OBJ_IOMAP_BEGIN] = OPS(iomap_begin),
	[DS_OBJ_END_IO] = OPS(end_io),
	[DS_OBJ_UNWRITTEN] = OPS(unwritten),
	[DS_OBJ_EXTENT_CHURN] = OPS(extent_churn),
	[DS_OBJ_WRITEBACK] = OPS(writeback),
	[DS_OBJ_INSERT_MERGE] = OPS(insert_merge),
};

/*
 * The records' atomic claims (BPF_ATOMIC with fetch) load from 5.12 on;
 * before, the programs write each event on their own.
 */
static bool has_bpf_atomics(const char *release)
{
	unsigned int major = 0, minor = 0;

	if (sscanf(release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 5 || (major == 5 && minor >= 12);
}

/* The names users search for: "fentry: EPERM" */
static const char *errno_name(int err)
{
	switch (err) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case 524: return "ENOTSUPP, no trampoline for it";
	case E2BIG: return "E2BIG";
	case ESRCH: return "ESRCH";
	default: return "error";
	}
}

/* libbpf's last complaint about each program, to explain a failure */
static char libbpf_log[16384];
static bool libbpf_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	size_t used = strlen(libbpf_log);
	va_list copy;

	if (level == LIBBPF_DEBUG)
		return 0;
	va_copy(copy, ap);
	if (used < sizeof(libbpf_log) - 1)
		vsnprintf(libbpf_log + used, sizeof(libbpf_log) - used, fmt,
			  copy);
	va_end(copy);
	if (libbpf_verbose)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

const char *tracer_env_problem(void)
{
	if (geteuid() != 0)
		return "dioscope needs root (CAP_BPF and CAP_PERFMON) to load BPF programs";
	if (access("/sys/fs/bpf", F_OK) && access("/proc/sys/kernel/bpf_stats_enabled", F_OK))
		return "this kernel has no BPF support";
	return NULL;
}

static bool prog_in(const char *const *list, const char *name)
{
	int i;

	for (i = 0; i < DS_MAX_PROGS && list[i]; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/* Which target, in which tier, owns an enabled program of this name? */
static int owner_of(const struct tracer *t, const char *prog,
		    enum ds_tier *tier)
{
	int i;

	for (i = 0; i < DS_T_MAX; i++) {
		const char *const *progs = plan_progs(&ds_targets[i],
						      &t->plan.t[i]);

		if (progs && prog_in(progs, prog)) {
			*tier = t->plan.t[i].tier;
			return i;
		}
	}
	return -1;
}

int tracer_prog_target(const struct tracer *t, const char *prog,
		       enum ds_tier *tier)
{
	*tier = DS_TIER_NONE;
	return owner_of(t, prog, tier);
}

static void mark_failed(struct tracer *t, int target, enum ds_tier tier,
			const char *why)
{
	struct target_facts *tf = &t->kf.t[target];

	tf->failed[tier] = true;
	snprintf(tf->fail_reason[tier], sizeof(tf->fail_reason[tier]), "%s",
		 why);
}

static void destroy_objects(struct tracer *t)
{
	int i;

	for (i = t->nlinks - 1; i >= 0; i--)
		bpf_link__destroy(t->links[i]);
	t->nlinks = 0;
	/* only once no link holds them open */
	kretprobe_remove_all(&t->kretprobes);
	for (i = 0; i < DS_OBJ_MAX; i++) {
		if (t->skel[i])
			skel_ops[i].destroy(t->skel[i]);
		t->skel[i] = NULL;
		t->obj[i] = NULL;
	}
}

/* Every element of the IO records' table free (bpf/common.bpf.h). */
static int ios_seal_all(int fd)
{
	struct ds_io io;
	__u32 i;

	memset(&io, 0, sizeof(io));
	io.n = DS_IO_SEALED;
	for (i = 0; i < DS_IOS_MAX; i++)
		if (bpf_map_update_elem(fd, &i, &io, BPF_ANY))
			return -errno;
	return 0;
}

/*
 * An array of n words that user space reads without a syscall where the
 * kernel allows (5.5+): a map syscall holds its CPU's BPF guard, which
 * makes kprobe programs there skip while the reader is preempted (top
 * reads the lost count every refresh, the readers the batches' bits
 * every few milliseconds). The fd or -errno; *mem NULL where the array
 * is not mapped, and read through the map instead.
 */
static int shared_words(const char *name, __u32 n, const __u64 **mem)
{
	LIBBPF_OPTS(bpf_map_create_opts, mm, .map_flags = BPF_F_MMAPABLE);
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, sizeof(__u32),
				sizeof(__u64), n, &mm);
	void *p;

	*mem = NULL;
	if (fd < 0) {
		/* before 5.5: not mappable */
		fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, sizeof(__u32),
				    sizeof(__u64), n, NULL);
		return fd < 0 ? -errno : fd;
	}
	p = mmap(NULL, n * sizeof(__u64), PROT_READ, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED)
		*mem = p;
	return fd;
}

static int create_maps(struct tracer *t, unsigned int ringbuf_mb)
{
	size_t rb = (size_t)(ringbuf_mb ? ringbuf_mb : DS_RINGBUF_MB_DEFAULT) << 20;

	t->events_fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "events", 0, 0,
				      rb, NULL);
	/* the count of events the programs could not write */
	t->lost_fd = shared_words("lost", 1, &t->lost_mem);
	if (t->lost_fd < 0)
		return t->lost_fd;
	/* a bit per CPU whose batch holds events */
	t->batch_cpus_fd = shared_words("batch_cpus", DS_BATCH_CPU_WORDS,
					&t->batch_cpus);
	t->devs_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "ext4_devs",
				    sizeof(__u32), sizeof(__u8), DS_EXT4_DEVS_MAX,
				    NULL);
	/* a plain hash, as bpf/common.bpf.h says why */
	t->tasks_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "tasks", sizeof(__u32),
				     sizeof(struct task_state), DS_TASKS_MAX,
				     NULL);
	/*
	 * Without records the programs never touch it: one element, and
	 * none of the DS_IOS_MAX updates that seal a whole table.
	 */
	t->ios_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ios", sizeof(__u32),
				   sizeof(struct ds_io),
				   t->io_records ? DS_IOS_MAX : 1, NULL);
	t->wanted_fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "wanted",
				      sizeof(struct wanted_key), sizeof(__u8),
				      DS_WANTED_MAX, NULL);
	t->batches_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "batches",
				       sizeof(__u32), sizeof(struct ds_batch),
				       1, NULL);
	t->clock_cpus_fd = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY,
					  "clock_cpus", sizeof(__u32),
					  sizeof(__u32), 1, NULL);
	if (t->events_fd < 0 || t->devs_fd < 0 ||
	    t->tasks_fd < 0 || t->ios_fd < 0 ||
	    t->wanted_fd < 0 || t->batches_fd < 0 || t->clock_cpus_fd < 0 ||
	    t->batch_cpus_fd < 0)
		return -errno;
	return t->io_records ? ios_seal_all(t->ios_fd) : 0;
}

static int reuse_maps(struct tracer *t, struct bpf_object *obj)
{
	static const char *const names[] = {
		"events", "lost", "ext4_devs", "tasks", "ios", "wanted",
		"batches", "clock_cpus", "batch_cpus",
	};
	int fds[] = { t->events_fd, t->lost_fd, t->devs_fd, t->tasks_fd,
		      t->ios_fd, t->wanted_fd, t->batches_fd,
		      t->clock_cpus_fd, t->batch_cpus_fd };
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(obj, names[i]);

		if (!m)
			return -ENOENT;
		err = bpf_map__reuse_fd(m, fds[i]);
		if (err)
			return err;
	}
	return 0;
}

/* Turn on exactly the programs the plan needs; false if none in obj. */
static bool set_autoload(struct tracer *t, enum ds_object o)
{
	struct bpf_program *prog;
	bool any = false;
	enum ds_tier tier;

	bpf_object__for_each_program(prog, t->obj[o]) {
		bool on = owner_of(t, bpf_program__name(prog), &tier) >= 0;

		bpf_program__set_autoload(prog, on);
		any |= on;
	}
	return any;
}

/*
 * Find the program libbpf blamed and move its target down a tier. A
 * refusal of fentry by policy (EPERM) holds for every fentry program.
 */
static int blame_load_failure(struct tracer *t, int err)
{
	char name[128], why[96];
	enum ds_tier tier;
	const char *p;
	int target, i;

	p = strstr(libbpf_log, "prog '");
	if (!p || sscanf(p, "prog '%127[^']'", name) != 1)
		return -1;
	target = owner_of(t, name, &tier);
	if (target < 0)
		return -1;
	/* the records are a saving, not a need: without them, events */
	if (tier == DS_TIER_TRACEPOINT && t->io_records) {
		t->io_records = false;
		return 0;
	}
	if (strstr(libbpf_log, "CO-RE relocat") || strstr(libbpf_log, "relo #"))
		snprintf(why, sizeof(why), "CO-RE relocation failed");
	else if (strstr(libbpf_log, "invalid func unknown#"))
		snprintf(why, sizeof(why), "a BPF helper it needs is missing in this kernel");
	else
		snprintf(why, sizeof(why), "load failed: %s (%s)",
			 errno_name(-err), strerror(-err));
	/* EACCES is the verifier refusing one program; these are policy */
	if (tier == DS_TIER_FENTRY && (err == -EPERM || err == -EOPNOTSUPP ||
				       err == -524 /* ENOTSUPP */)) {
		for (i = 0; i < DS_T_MAX; i++)
			mark_failed(t, i, tier, why);
		return 0;
	}
	mark_failed(t, target, tier, why);
	return 0;
}

/*
 * A skeleton of its own beside the planned objects, on the shared maps:
 * opened, loaded and attached into *out, or destroyed and *out NULL.
 * 0 or -errno.
 */
#define AUX_OPEN(name, t, o, out)					\
({									\
	LIBBPF_OPTS(bpf_object_open_opts, oo_,				\
		    .btf_custom_path = (o)->custom_btf);		\
	struct name##_bpf *s_ = name##_bpf__open_opts(&oo_);		\
	int e_ = s_ ? 0 : -errno;					\
									\
	if (!e_)							\
		e_ = reuse_maps(t, s_->obj);				\
	if (!e_)							\
		e_ = name##_bpf__load(s_);				\
	if (!e_)							\
		e_ = name##_bpf__attach(s_);				\
	if (e_) {							\
		name##_bpf__destroy(s_);				\
		s_ = NULL;						\
	}								\
	*(out) = s_;							\
	e_;								\
})

/*
 * The slots of tasks that exit are freed in the kernel (task_exit.bpf.c).
 * Without it tracing still works, but a long trace over many short-lived
 * threads fills the entries table, and every call it then refuses is
 * counted lost: say so up front.
 */
static void reaper_open(struct tracer *t, const struct tracer_opts *o)
{
	int err = AUX_OPEN(task_exit, t, o, &t->reaper);

	if (err)
		ds_err("sched_process_exit: %s (%s): entry slots of exited tasks are not freed; a long trace may fill the table, whose refusals count as lost",
		       errno_name(-err), strerror(-err));
}

/*
 * Time off the CPU inside timed calls (offcpu.bpf.c). Without it the
 * calls still carry their wall time, and their on-CPU time is unknown.
 */
static void offcpu_open(struct tracer *t, const struct tracer_opts *o)
{
	int err;

	if (o->no_offcpu) {
		snprintf(t->offcpu_why, sizeof(t->offcpu_why),
			 "not asked for (--no-offcpu)");
		return;
	}
	err = AUX_OPEN(offcpu, t, o, &t->offcpu);
	if (!err)
		return;
	snprintf(t->offcpu_why, sizeof(t->offcpu_why), "sched_switch: %s (%s)",
		 errno_name(-err), strerror(-err));
	ds_err("%s: time off the CPU is not measured; on-CPU times are unknown",
	       t->offcpu_why);
}

/*
 * The program that writes out a CPU's batch on request (batch.bpf.c):
 * loaded, not attached. Without it, or without BPF atomics (5.12), the
 * programs write each event on its own, as they did.
 */
static void batch_open(struct tracer *t, const struct tracer_opts *o)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = o->custom_btf);
	struct batch_bpf *s;
	int n;

	if (o->no_batch || !has_bpf_atomics(t->kf.release))
		return;
	n = libbpf_num_possible_cpus();
	s = batch_bpf__open_opts(&oo);
	if (n <= 0 || !s || reuse_maps(t, s->obj) || batch_bpf__load(s)) {
		batch_bpf__destroy(s);
		return;
	}
	t->batch = s;
	t->ncpus = n < DS_CPUS_MAX ? n : DS_CPUS_MAX;
}

/* Would CPU cpu's batch hold events? Unmapped: maybe, ask it. */
static bool batch_held(const struct tracer *t, int cpu)
{
	__u64 w;

	if (!t->batch_cpus)
		return true;
	w = __atomic_load_n(&t->batch_cpus[cpu / 64], __ATOMIC_RELAXED);
	return w & (1ull << (cpu % 64));
}

int tracer_flush_batches(struct tracer *t)
{
	int fd, cpu, err;

	if (!t->batch)
		return 0;
	fd = bpf_program__fd(t->batch->progs.ds_batch_flush);
	for (cpu = 0; cpu < t->ncpus; cpu++) {
		LIBBPF_OPTS(bpf_test_run_opts, run,
			    .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = cpu);

		if (!batch_held(t, cpu))
			continue;
		err = bpf_prog_test_run_opts(fd, &run);
		/* a CPU that is possible but not online holds nothing */
		if (err && errno != ENXIO)
			return -errno;
	}
	return 0;
}

bool tracer_flush_due(struct tracer *t)
{
	if (mono_ns() - t->flushed_ns < DS_BATCH_FLUSH_MS * 1000000ull)
		return false;
	tracer_flush_batches(t);
	t->flushed_ns = mono_ns();
	return true;
}

/*
 * Before 5.12 the verifier refuses every BPF atomic but a plain add, in
 * any instruction of a program, even one a constant prunes: its first
 * pass reads them all ("BPF_STX uses reserved fields"). The programs
 * hold the others (compare-and-swap, fetch-and-add, and, or) only on the
 * paths of the per-CPU batches and the per-IO records, which such a
 * kernel never takes: there they become jumps to the next instruction.
 * They act on map values, which no CO-RE relocation rewrites.
 */
static int atomics_strip(struct bpf_object *obj)
{
	struct bpf_program *prog;
	struct bpf_insn *insns;
	size_t i, n;
	int err;

	bpf_object__for_each_program(prog, obj) {
		n = bpf_program__insn_cnt(prog);
		insns = malloc(n * sizeof(*insns));
		if (!insns)
			return -ENOMEM;
		memcpy(insns, bpf_program__insns(prog), n * sizeof(*insns));
		for (i = 0; i < n; i++) {
			if (insns[i].code != (BPF_STX | BPF_ATOMIC | BPF_W) &&
			    insns[i].code != (BPF_STX | BPF_ATOMIC | BPF_DW))
				continue;
			if (insns[i].imm == BPF_ADD)
				continue;
			insns[i] = (struct bpf_insn){ .code = BPF_JMP | BPF_JA };
		}
		err = bpf_program__set_insns(prog, insns, n);
		free(insns);
		if (err)
			return err;
	}
	return 0;
}

static int load_round(struct tracer *t, const struct tracer_opts *o)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts,
		    .btf_custom_path = o->custom_btf);
	struct prog_consts c = {
		.f = &o->filters,
		.records = t->io_records,
		.offcpu = t->offcpu != NULL,
		.batch = t->batch != NULL,
	};
	int i, err;

	for (i = 0; i < DS_OBJ_MAX; i++) {
		t->obj[i] = skel_ops[i].open(&open_opts, &c, &t->skel[i]);
		if (!t->obj[i])
			return -errno ? -errno : -EINVAL;
		if (!set_autoload(t, i)) {
			skel_ops[i].destroy(t->skel[i]);
			t->skel[i] = NULL;
			t->obj[i] = NULL;
			continue;
		}
		err = reuse_maps(t, t->obj[i]);
		if (!err && !has_bpf_atomics(t->kf.release))
			err = atomics_strip(t->obj[i]);
		if (err)
			return err;
		libbpf_log[0] = '\0';
		err = skel_ops[i].load(t->skel[i]);
		if (err)
			return blame_load_failure(t, err) ? err : -EAGAIN;
	}
	return 0;
}

static bool already_linked(struct bpf_program *prog, struct bpf_program **done,
			   int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (done[i] == prog)
			return true;
	return false;
}

static struct bpf_link *attach_prog(struct tracer *t, int target,
				    struct bpf_program *prog)
{
	const struct target_plan *tp = &t->plan.t[target];
	const char *name = bpf_program__name(prog);

	const char *sym = t->kf.t[target].sym_name;
	bool ret = !strncmp(name, "kretprobe", 9);
	struct bpf_link *link;

	if (tp->tier != DS_TIER_KPROBE)
		return bpf_program__attach(prog);
	/*
	 * By the name kallsyms has, which may be a compiler clone. A return
	 * probe through kprobe_events first: the PMU's few return slots lose
	 * returns when many IOs are in flight.
	 */
	if (ret) {
		link = kretprobe_attach(&t->kretprobes, prog, sym);
		if (link)
			return link;
		t->kretprobe_pmu = true;
	}
	return bpf_program__attach_kprobe(prog, ret, sym);
}

static int attach_round(struct tracer *t)
{
	struct bpf_program *done[DS_MAX_LINKS];
	char why[96];
	int i, k;

	for (i = 0; i < DS_T_MAX; i++) {
		const char *const *progs = plan_progs(&ds_targets[i],
						      &t->plan.t[i]);
		struct bpf_object *obj = t->obj[ds_targets[i].obj];

		for (k = 0; progs && k < DS_MAX_PROGS && progs[k]; k++) {
			struct bpf_program *prog;
			struct bpf_link *link;

			prog = bpf_object__find_program_by_name(obj, progs[k]);
			if (!prog)
				return -ENOENT;
			if (already_linked(prog, done, t->nlinks))
				continue;
			if (t->nlinks >= DS_MAX_LINKS)
				return -E2BIG;
			link = attach_prog(t, i, prog);
			if (!link) {
				snprintf(why, sizeof(why), "attach failed: %s (%s)",
					 errno_name(errno), strerror(errno));
				mark_failed(t, i, t->plan.t[i].tier, why);
				return -EAGAIN;
			}
			done[t->nlinks] = prog;
			t->links[t->nlinks++] = link;
		}
	}
	return 0;
}

int tracer_open(struct tracer *t, const struct tracer_opts *o)
{
	char path[PATH_MAX];
	int err;

	memset(t, 0, sizeof(*t));
	/* closing a tracer that never opened must be harmless */
	t->events_fd = t->lost_fd = t->devs_fd = t->tasks_fd = -1;
	t->ios_fd = t->wanted_fd = t->batches_fd = t->clock_cpus_fd = -1;
	t->batch_cpus_fd = -1;
	libbpf_verbose = o->verbose;
	libbpf_set_print(libbpf_print);
	kretprobe_remove_stale();
	err = kernel_facts_gather(&t->kf, o->custom_btf);
	if (err)
		return err;
	tier_misses_load(&t->kf, tier_misses_path(path, sizeof(path)));
	t->io_records = o->io_records && has_bpf_atomics(t->kf.release);
	err = create_maps(t, o->ringbuf_mb);
	if (err)
		goto fail;
	tracer_update_ext4_devs(t);
	/* first: the programs are built knowing whether these run */
	batch_open(t, o);
	offcpu_open(t, o);
	for (t->rounds = 1; t->rounds <= MAX_ROUNDS; t->rounds++) {
		plan_targets(&t->kf, o->forced, &t->plan);
		if (!t->plan.covered) {
			err = -ENOENT;
			goto fail;
		}
		err = load_round(t, o);
		if (!err)
			err = attach_round(t);
		if (!err) {
			reaper_open(t, o);
			return 0;
		}
		destroy_objects(t);
		if (err != -EAGAIN)
			goto fail;
	}
	err = -ELOOP;
fail:
	tracer_close(t);
	return err;
}

static void fd_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Undoes shared_words(): n words at *mem, mapped or not. */
static void shared_words_close(int *fd, const __u64 **mem, __u32 n)
{
	if (*mem)
		munmap((void *)*mem, n * sizeof(__u64));
	*mem = NULL;
	fd_close(fd);
}

void tracer_close(struct tracer *t)
{
	destroy_objects(t);
	task_exit_bpf__destroy(t->reaper);
	t->reaper = NULL;
	offcpu_bpf__destroy(t->offcpu);
	t->offcpu = NULL;
	batch_bpf__destroy(t->batch);
	t->batch = NULL;
	shared_words_close(&t->lost_fd, &t->lost_mem, 1);
	shared_words_close(&t->batch_cpus_fd, &t->batch_cpus,
			   DS_BATCH_CPU_WORDS);
	fd_close(&t->batches_fd);
	fd_close(&t->clock_cpus_fd);
	fd_close(&t->events_fd);
	fd_close(&t->devs_fd);
	fd_close(&t->tasks_fd);
	fd_close(&t->ios_fd);
	fd_close(&t->wanted_fd);
}

int tracer_drain_ios(struct tracer *t, int (*fn)(void *ctx,
			const struct ds_event *e), void *ctx)
{
	struct ds_io io;
	__u32 i, n;
	int err;

	/* each lookup holds the CPU's BPF guard: none without records */
	if (t->ios_fd < 0 || !t->io_records)
		return 0;
	for (i = 0; i < DS_IOS_MAX; i++) {
		if (bpf_map_lookup_elem(t->ios_fd, &i, &io))
			return -errno;
		if (io.n >= DS_IO_SEALED)
			continue;
		/*
		 * Freed before it is expanded: an IO that completes after
		 * this finds no record and its completion goes out on its
		 * own. One that completes between the read and the write
		 * goes out twice: the window is this loop's step, at the
		 * end of a run, when what is left are IOs of other tasks.
		 */
		n = io.n < DS_IO_SLOTS ? io.n : DS_IO_SLOTS;
		io.n = DS_IO_SEALED;
		if (bpf_map_update_elem(t->ios_fd, &i, &io, BPF_ANY))
			return -errno;
		err = io_payload_each(&io, DS_IO_HDR + DS_IO_SLOT * n, fn, ctx);
		if (err)
			return err;
	}
	return 0;
}

__u64 tracer_kretprobe_missed(const struct tracer *t)
{
	return kretprobe_missed(&t->kretprobes);
}

__u64 tracer_lost(const struct tracer *t)
{
	__u64 n = 0;
	__u32 zero = 0;

	if (t->lost_mem)
		return __atomic_load_n(t->lost_mem, __ATOMIC_RELAXED);
	if (t->lost_fd < 0 || bpf_map_lookup_elem(t->lost_fd, &zero, &n))
		return 0;
	return n;
}

static bool dev_known(const struct tracer *t, __u32 dev)
{
	unsigned int i;

	for (i = 0; i < t->ndevs_known; i++)
		if (t->devs_known[i] == dev)
			return true;
	return false;
}

int tracer_update_ext4_devs(struct tracer *t)
{
	char line[4096], fstype[64];
	unsigned int maj, min;
	FILE *f = fopen("/proc/self/mountinfo", "r");
	__u8 one = 1;
	int n = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - ");
		__u32 dev;

		if (!sep || sscanf(line, "%*s %*s %u:%u", &maj, &min) != 2)
			continue;
		if (sscanf(sep + 3, "%63s", fstype) != 1 ||
		    strcmp(fstype, "ext4"))
			continue;
		dev = kdev_make(maj, min);
		if (dev_known(t, dev)) {
			n++;
			continue;
		}
		if (bpf_map_update_elem(t->devs_fd, &dev, &one, BPF_ANY))
			continue;
		n++;
		if (t->ndevs_known < ARRAY_SIZE(t->devs_known))
			t->devs_known[t->ndevs_known++] = dev;
	}
	fclose(f);
	return n;
}
