/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every dioscope BPF object shares: the event ring buffer, the
 * per-CPU count of events the ring buffer refused, the filters, and the
 * table that carries a function's entry state to its exit.
 *
 * Each .bpf.c becomes its own skeleton; user space creates the maps once
 * and hands the same file descriptors to every skeleton
 * (bpf_map__reuse_fd), so all programs write into one ring buffer.
 */
#ifndef DIOSCOPE_COMMON_BPF_H
#define DIOSCOPE_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "dioscope.h"

#define EXT4_SUPER_MAGIC 0xEF53

char LICENSE[] SEC("license") = "GPL";

/* Filters, set by user space before load; 0 means "any". */
const volatile __u32 targ_tgid = 0;
const volatile __u32 targ_dev = 0;
const volatile __u64 targ_ino = 0;
const volatile bool filter_comm = false;
const volatile char targ_comm[DS_COMM_LEN] = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, DS_RINGBUF_MB_DEFAULT << 20);
} events SEC(".maps");

/*
 * Events that could not be written (the ring buffer full, a table full):
 * nothing is lost silently. One word, added to atomically, that user
 * space maps and reads without a syscall (src/trace/tracer.c); losses
 * are rare, so CPUs do not fight over its cache line.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/*
 * The events each CPU holds (struct ds_batch, bpf/dioscope.h), when
 * batch_on: set by user space where BPF atomics exist (5.12+) and the
 * program that writes a CPU's batch out on request loaded.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ds_batch);
} batches SEC(".maps");

const volatile bool batch_on = false;

/* A bit per CPU whose batch holds events, read by user space unmapped. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DS_BATCH_CPU_WORDS);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
} batch_cpus SEC(".maps");

/*
 * Devices holding ext4, filled by user space: the generic iomap and
 * syscall tracepoints fire for every filesystem and carry no superblock.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DS_EXT4_DEVS_MAX);
	__type(key, __u32);
	__type(value, __u8);
} ext4_devs SEC(".maps");

/*
 * Per task, by tid: its clock, and a slot per target that carries a
 * call's entry to its exit (struct task_state). One lookup a program,
 * where a table of slots by task and target and a table of clocks took
 * one each. Kept from call to call: a call's entry writes into its slot
 * and its exit marks it taken (ts 0); an update and a delete a call,
 * each taking the bucket's lock and an element off a free list, cost
 * twice as much. Not LRU: an eviction would drop the slot of a call
 * still in flight and lose its exit silently. A full table refuses the
 * insert, which is counted; task_exit.bpf.c frees the state of tasks
 * that exit. The sched_switch program (offcpu.bpf.c) adds up, in the
 * clock, the time a task with a timed call open spends switched out; a
 * task without one costs it a lookup and nothing else.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DS_TASKS_MAX);
	__type(key, __u32);
	__type(value, struct task_state);
} tasks SEC(".maps");

/*
 * Per CPU: the tid of the running task when its clock may be open, set
 * before a timed call opens it and cleared as the task is switched out
 * (offcpu.bpf.c). sched_switch looks up only a task that may have to
 * stop or restart its clock, not both tasks of every switch of the
 * machine: most switches are of tasks that run no traced call.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} clock_cpus SEC(".maps");

/* What a new task's state starts from: never written. */
static struct task_state task_zero;

/* Set by user space: one record per IO on the tracepoint tier (dioscope.h). */
const volatile bool io_records = false;

/*
 * Set by user space when the sched_switch program (offcpu.bpf.c) runs:
 * without it no clock advances, and a call's time off the CPU is unknown
 * from its entry on, at no cost.
 */
const volatile bool offcpu_on = false;

/*
 * The IOs being assembled: a table indexed by a hash of the kiocb, each
 * element kept from IO to IO. A hash map's insert and delete per IO,
 * each taking a bucket lock and a free-list element, cost more than the
 * ring-buffer writes a record saves; an array element is an address.
 * An IO whose element is taken by another IO in flight is written event
 * by event, as without records. User space seals every element before
 * the programs load (dioscope.h: DS_IO_SEALED is free).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, DS_IOS_MAX);
	__type(key, __u32);
	__type(value, struct ds_io);
} ios SEC(".maps");

/*
 * With a task filter, the IOs and files a wanted task submitted: their
 * completions and the conversions, splits and merges done for them in
 * workqueues pass, other tasks' do not. LRU: a file's mark may go, an
 * IO's is taken at its completion.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, DS_WANTED_MAX);
	__type(key, struct wanted_key);
	__type(value, __u8);
} wanted SEC(".maps");

static __always_inline bool comm_matches(void)
{
	char comm[DS_COMM_LEN];
	int i;

	if (!filter_comm)
		return true;
	bpf_get_current_comm(comm, sizeof(comm));
	for (i = 0; i < DS_COMM_LEN; i++) {
		if (comm[i] != targ_comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

static __always_inline bool task_wanted(void)
{
	if (targ_tgid && (bpf_get_current_pid_tgid() >> 32) != targ_tgid)
		return false;
	return comm_matches();
}

static __always_inline bool task_filtered(void)
{
	return targ_tgid || filter_comm;
}

/* At a wanted task's submission: its IO (kiocb) and its file. */
static __always_inline void mark_wanted(__u64 iocb, __u32 dev, __u64 ino)
{
	struct wanted_key k = { .dev = dev, .id = ino };
	__u8 one = 1;

	if (!task_filtered())
		return;
	bpf_map_update_elem(&wanted, &k, &one, BPF_ANY);
	if (!iocb)
		return;
	k = (struct wanted_key){ .id = iocb };
	bpf_map_update_elem(&wanted, &k, &one, BPF_ANY);
}

/* A completion: of a wanted task's IO; its mark is taken. */
static __always_inline bool io_wanted(__u64 iocb)
{
	struct wanted_key k = { .id = iocb };

	if (!task_filtered())
		return true;
	/* taken in any case: a kiocb's address is reused */
	return bpf_map_delete_elem(&wanted, &k) == 0 || task_wanted();
}

/* The device filter alone: the first thing to look at, and free. */
static __always_inline bool dev_wanted(__u32 dev)
{
	return !targ_dev || dev == targ_dev;
}

static __always_inline bool file_wanted(__u32 dev, __u64 ino)
{
	return dev_wanted(dev) && (!targ_ino || ino == targ_ino);
}

/*
 * Work that runs wherever the kernel puts it (completion, conversion,
 * split, merge, writeback): on a file the filters want, done by a wanted
 * task or on a file one submitted IO to.
 */
static __always_inline bool work_wanted(__u32 dev, __u64 ino)
{
	struct wanted_key k = { .dev = dev, .id = ino };

	if (!file_wanted(dev, ino))
		return false;
	if (!task_filtered() || task_wanted())
		return true;
	return bpf_map_lookup_elem(&wanted, &k) != NULL;
}

/*
 * Several fields of one kernel object in one probe read. A probe read
 * costs mostly its call (about 60 instructions on 7.3), little more for
 * a hundred bytes than for 8, and the fields a program needs of a
 * kiocb, an inode or a superblock lie close together: read
 * from the first to the end of the last, as this kernel lays them out
 * (CO-RE offsets, constants once loaded, which the verifier checks).
 * A layout wider than a span is read field by field.
 */
#define DS_SPAN_MAX	128

struct span {
	__u64 w[DS_SPAN_MAX / 8];
};

/* A span starts 8-aligned: the verifier refuses misaligned stack reads. */
#define SPAN_BASE(lo)	((lo) & ~7u)

/*
 * Bytes lo to end of obj into s, from lo's 8-aligned start; false:
 * wider than a span, not read.
 */
static __always_inline bool span_read(struct span *s, const void *obj,
				      __u32 lo, __u32 end)
{
	__u32 base = SPAN_BASE(lo);
	__u32 n = end - base;

	if (end <= lo || n > sizeof(*s))
		return false;
	/* zeroed on a fault, as a field read would be */
	bpf_probe_read_kernel(s, n, (const char *)obj + base);
	return true;
}

/* The field at offset off of an object span_read() from offset lo. */
#define SPAN_GET(s, lo, off, type)					\
	(*(type *)((char *)(s)->w + ((off) - SPAN_BASE(lo))))

/* Offsets of fields, and the end of one, of this kernel (CO-RE). */
#define OFF(type, f)	bpf_core_field_offset(type, f)
#define END(type, f)	(OFF(type, f) + bpf_core_field_size(type, f))

/* An inode's superblock and number. */
static __always_inline struct super_block *inode_sb_ino(struct inode *inode,
							__u64 *ino)
{
	__u32 lo = OFF(struct inode, i_sb);
	struct span s;

	if (!span_read(&s, inode, lo, END(struct inode, i_ino))) {
		*ino = BPF_CORE_READ(inode, i_ino);
		return BPF_CORE_READ(inode, i_sb);
	}
	*ino = SPAN_GET(&s, lo, OFF(struct inode, i_ino), unsigned long);
	return SPAN_GET(&s, lo, OFF(struct inode, i_sb), struct super_block *);
}

/* A superblock's device and magic. */
static __always_inline __u64 sb_dev_magic(struct super_block *sb, __u32 *dev)
{
	__u32 lo = OFF(struct super_block, s_dev);
	struct span s;

	if (!span_read(&s, sb, lo, END(struct super_block, s_magic))) {
		*dev = BPF_CORE_READ(sb, s_dev);
		return BPF_CORE_READ(sb, s_magic);
	}
	*dev = SPAN_GET(&s, lo, OFF(struct super_block, s_dev), dev_t);
	return SPAN_GET(&s, lo, OFF(struct super_block, s_magic),
			unsigned long);
}

/* What the programs read of a kiocb. */
struct kiocb_view {
	struct file *filp;
	__u64 pos;
	bool aio;	/* ki_complete set: completed asynchronously */
};

/* Not through a kiocb_view: CO-RE would look for its fields in the kernel */
static __always_inline struct inode *file_inode(struct file *f)
{
	return BPF_CORE_READ(f, f_inode);
}

static __always_inline void kiocb_read(struct kiocb *iocb,
				       struct kiocb_view *k)
{
	__u32 lo = OFF(struct kiocb, ki_filp);
	struct span s;

	if (!span_read(&s, iocb, lo, END(struct kiocb, ki_complete))) {
		k->filp = BPF_CORE_READ(iocb, ki_filp);
		k->pos = BPF_CORE_READ(iocb, ki_pos);
		k->aio = BPF_CORE_READ(iocb, ki_complete) != NULL;
		return;
	}
	k->filp = SPAN_GET(&s, lo, OFF(struct kiocb, ki_filp), struct file *);
	k->pos = SPAN_GET(&s, lo, OFF(struct kiocb, ki_pos), __u64);
	k->aio = SPAN_GET(&s, lo, OFF(struct kiocb, ki_complete), void *) !=
		 NULL;
}

static __always_inline bool is_ext4_dev(__u32 dev)
{
	return bpf_map_lookup_elem(&ext4_devs, &dev) != NULL;
}

static __always_inline bool inode_is_ext4(struct inode *inode)
{
	return BPF_CORE_READ(inode, i_sb, s_magic) == EXT4_SUPER_MAGIC;
}

static __always_inline __u32 inode_dev(struct inode *inode)
{
	return BPF_CORE_READ(inode, i_sb, s_dev);
}

/*
 * For the generic iomap and syscall hooks, which see every filesystem: an
 * ext4 inode the filters want, with its device and number.
 */
static __always_inline bool ext4_inode_wanted(struct inode *inode, __u32 *dev,
					      __u64 *ino)
{
	struct super_block *sb = inode_sb_ino(inode, ino);

	if (sb_dev_magic(sb, dev) != EXT4_SUPER_MAGIC || !dev_wanted(*dev))
		return false;
	return file_wanted(*dev, *ino);
}

static __always_inline void count_lost_n(__u64 events)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);

	if (n)
		__sync_fetch_and_add(n, events);
}

static __always_inline void count_lost(void)
{
	count_lost_n(1);
}

/* The bytes a ring buffer record takes, with its header. */
#define DS_RB_HDR 8
#define DS_RB_SIZE(n) (((n) + DS_RB_HDR + 7) & ~7ull)

static __always_inline __u64 output_wakeup_flag(__u64 size);

/* This CPU's batch holds events (held) or none: its bit in batch_cpus. */
static __always_inline void batch_mark(bool held)
{
	__u32 cpu = bpf_get_smp_processor_id(), w = cpu / 64;
	__u64 *word = bpf_map_lookup_elem(&batch_cpus, &w);

	if (!word)
		return;
	if (held)
		__sync_fetch_and_or(word, 1ull << (cpu & 63));
	else
		__sync_fetch_and_and(word, ~(1ull << (cpu & 63)));
}

/*
 * Write out the events b holds, its holder or a CPU's flush request
 * being the only one at it. A refused write loses them all: counted.
 */
static __always_inline void batch_write(struct ds_batch *b)
{
	__u32 n = b->n;
	__u64 size;

	if (!n)
		return;
	if (n > DS_BATCH_MAX)
		n = DS_BATCH_MAX;
	size = DS_BATCH_HDR + n * sizeof(struct ds_event);
	b->tag = DS_BATCH_TAG;
	if (bpf_ringbuf_output(&events, &b->tag, size,
			       output_wakeup_flag(size)))
		count_lost_n(n);
	b->n = 0;
	batch_mark(false);
}

/*
 * Where this CPU's next event is filled in: the batch's next slot, or,
 * when a program it interrupted fills the batch, a spare one. *slot
 * says which (DS_SLOT_*). NULL when every slot is taken.
 */
static __always_inline struct ds_event *batch_slot(__u32 *slot)
{
	struct ds_batch *b;
	__u32 zero = 0, i;

	b = bpf_map_lookup_elem(&batches, &zero);
	if (!b)
		return NULL;
	if (!__sync_val_compare_and_swap(&b->held, 0, 1)) {
		/* never full here: the commit that fills it writes it */
		*slot = DS_SLOT_HELD;
		return &b->ev[b->n & (DS_BATCH_MAX - 1)];
	}
	for (i = 0; i < DS_BATCH_SPARE; i++) {
		if (!__sync_val_compare_and_swap(&b->spare_held[i], 0, 1)) {
			*slot = DS_SLOT_SPARE + i;
			return &b->spare[i];
		}
	}
	return NULL;
}

/* The event from batch_slot() is filled in: it counts from now on. */
static __always_inline void batch_commit(struct ds_event *e)
{
	__u32 zero = 0, slot = e->pad;
	struct ds_batch *b;

	e->pad = 0;
	b = bpf_map_lookup_elem(&batches, &zero);
	if (!b)
		return;
	if (slot == DS_SLOT_HELD) {
		if (++b->n >= DS_BATCH_MAX)
			batch_write(b);
		else if (b->n == 1)
			batch_mark(true);
		/* only programs of this CPU read it, in order */
		*(volatile __u64 *)&b->held = 0;
		return;
	}
	if (bpf_ringbuf_output(&events, e, sizeof(*e),
			       output_wakeup_flag(sizeof(*e))))
		count_lost();
	*(volatile __u64 *)&b->spare_held[(slot - DS_SLOT_SPARE) &
					  (DS_BATCH_SPARE - 1)] = 0;
}

/*
 * Reserve and fill the common part of an event. Returns NULL when the ring
 * buffer is full (counted in "lost").
 */
static __always_inline struct ds_event *
event_reserve(__u16 type, __u8 target, __u8 tier, __u32 dev, __u64 ino)
{
	struct ds_event *e;
	__u32 slot = 0;
	__u64 id;

	if (batch_on)
		e = batch_slot(&slot);
	else
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost();
		return NULL;
	}
	id = bpf_get_current_pid_tgid();
	__builtin_memset(e, 0, sizeof(*e));
	e->pad = slot;
	e->ts_ns = bpf_ktime_get_ns();
	e->type = type;
	e->target = target;
	e->tier = tier;
	e->dev = dev;
	e->ino = ino;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

/*
 * Waking the reader costs more than an event: wake it once per batch
 * waiting, when a record's bytes carry what waits past a multiple of
 * DS_WAKEUP_BYTES. Below that it finds the events at its next poll
 * timeout. Waking on every record once a batch waits made each one pay
 * for a wakeup (an interrupt to this CPU) whenever the reader fell
 * behind, which is when the machine is busy.
 */

/* before and after: the bytes waiting without and with the record */
static __always_inline __u64 wakeup_flag(__u64 before, __u64 after)
{
	return ds_rb_wakes(before, after) ? BPF_RB_FORCE_WAKEUP
					  : BPF_RB_NO_WAKEUP;
}

/* A reserved event counts in what waits already. */
static __always_inline void event_submit(struct ds_event *e)
{
	__u64 avail, size = DS_RB_SIZE(sizeof(*e));

	if (batch_on) {
		batch_commit(e);
		return;
	}
	avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	bpf_ringbuf_submit(e, wakeup_flag(avail > size ? avail - size : 0,
					  avail));
}

/* Copied in by bpf_ringbuf_output(): it does not count yet. */
static __always_inline __u64 output_wakeup_flag(__u64 size)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	return wakeup_flag(avail, avail + DS_RB_SIZE(size));
}

static __always_inline __u32 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/*
 * The running task's state; with create, made on its first traced call
 * (NULL: the table is full). Without, NULL when it has none.
 */
static __always_inline struct task_state *task_of_current(bool create)
{
	__u32 tid = current_tid();
	struct task_state *t = bpf_map_lookup_elem(&tasks, &tid);

	if (t || !create)
		return t;
	bpf_map_update_elem(&tasks, &tid, &task_zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&tasks, &tid);
}

/* The running task's slot of target, taken or not; NULL: none yet. */
static __always_inline struct entry_val *slot_of_current(__u32 target)
{
	struct task_state *t = task_of_current(false);

	return t ? &t->slot[target] : NULL;
}

/*
 * A timed call opens: sched_switch counts its task's time off the CPU
 * from now on, and v takes the clock's reading. reopen: the slot still
 * held a call whose exit was never seen, which stays counted as open.
 */
static __always_inline void clock_open(struct task_clock *c,
				       struct entry_val *v, bool reopen)
{
	__u32 zero = 0, tid, *running;

	if (!offcpu_on)
		return;
	/*
	 * Before the count, for a switch right after it; and after, for a
	 * preemptible program switched out in between, which cleared it
	 * while the count was still 0.
	 */
	running = bpf_map_lookup_elem(&clock_cpus, &zero);
	tid = current_tid();
	if (running)
		*(volatile __u32 *)running = tid;
	if (!reopen)
		c->open++;
	if (running)
		*(volatile __u32 *)running = tid;
	c->calls++;
	v->offcpu = c->offcpu;
	v->calls = c->calls;
	v->clocked = 1;
}

/*
 * A timed call's exit, t its task's state: the clock stops counting
 * once none is open. Returns the clock, NULL when the call was not
 * clocked.
 */
static __always_inline struct task_clock *
clock_stop(struct task_state *t, const struct entry_val *v)
{
	if (!v->clocked)
		return NULL;
	if (t->clock.open)
		t->clock.open--;
	return &t->clock;
}

/*
 * clock_stop(), and into e (never NULL: 6.1's verifier cannot tell that
 * a reserved event tested once is not NULL the second time, and refuses
 * the path where it is) how long the task was switched out
 * since the entry v, and how many traced calls it entered meanwhile
 * (whose entry and exit programs ran inside this call's time).
 */
static __always_inline void clock_into(struct task_state *t,
				       const struct entry_val *v,
				       struct ds_event *e)
{
	struct task_clock *c = clock_stop(t, v);

	if (!c) {
		e->offcpu_ns = DS_OFFCPU_UNKNOWN;
		return;
	}
	e->offcpu_ns = c->offcpu - v->offcpu;
	e->nested = c->calls - v->calls;
}

/* Remember a call's entry time, its file, flags and what its exit needs. */
static __always_inline void entry_save(__u32 target, __u32 dev, __u64 ino,
				       __u32 flags, const union entry_args *args)
{
	struct task_state *t = task_of_current(true);
	struct entry_val *slot;
	struct entry_val v = {
		.ino = ino,
		.dev = dev,
		.flags = flags,
		.args = *args,
	};

	/* a refused insert would lose this call's exit event: count it */
	if (!t) {
		count_lost();
		return;
	}
	slot = &t->slot[target];
	clock_open(&t->clock, &v, slot->ts);
	/* last: the clock's own bookkeeping is not the call's time */
	v.ts = bpf_ktime_get_ns();
	/* only this task writes its slot: no lock needed */
	*slot = v;
}

/*
 * entry_take() without closing the call's clock: the task's state, for
 * clock_stop(), or NULL.
 */
static __always_inline struct task_state *entry_take_open(__u32 target,
							  struct entry_val *out)
{
	struct task_state *t = task_of_current(false);
	struct entry_val *v;

	if (!t)
		return NULL;
	v = &t->slot[target];
	if (!v->ts)
		return NULL;
	*out = *v;
	v->ts = 0;	/* taken: a second exit finds nothing */
	return t;
}

/*
 * Take back what entry_save() stored. Returns false when the entry was
 * not seen (tracing started mid-call, the table refused it, or this
 * exit's entry was taken already).
 */
static __always_inline bool entry_take(__u32 target, struct entry_val *out)
{
	struct task_state *t = entry_take_open(target, out);

	if (!t)
		return false;
	clock_stop(t, out);
	return true;
}

/*
 * The exit half of a traced call: its entry state in *v, and an event
 * with time, duration and file filled in. NULL when the entry was not
 * seen or the ring buffer is full.
 */
static __always_inline struct ds_event *
exit_event(__u32 target, __u16 type, __u8 tier, struct entry_val *v)
{
	struct task_state *t = entry_take_open(target, v);
	struct ds_event *e;

	if (!t)
		return NULL;
	e = event_reserve(type, target, tier, v->dev, v->ino);
	if (!e) {
		clock_stop(t, v);
		return NULL;
	}
	e->dur_ns = e->ts_ns - v->ts;
	clock_into(t, v, e);
	return e;
}

/* --- one record per IO (struct ds_io) --- */

static __always_inline void who_fill(struct ds_io_who *w)
{
	__u64 id = bpf_get_current_pid_tgid();

	w->pid = id >> 32;
	w->tid = (__u32)id;
	bpf_get_current_comm(w->comm, sizeof(w->comm));
}

/* The element of the IO of this kiocb (a multiplicative hash). */
static __always_inline struct ds_io *io_elem(__u64 key)
{
	__u32 i = (key * 0x9E3779B97F4A7C15ull) >> (64 - DS_IOS_BITS);

	return bpf_map_lookup_elem(&ios, &i);
}

/*
 * A slot of io, or NULL when all are taken or io went out already. The
 * claim is atomic: the submitter and the completer may add at once.
 */
static __always_inline struct ds_io_slot *io_claim(struct ds_io *io)
{
	__u32 i = __sync_fetch_and_add(&io->n, 1);

	struct ds_io_slot *s;

	if (i >= DS_IO_SLOTS)
		return NULL;
	/* the address after the test, where the verifier sees it bounded */
	asm volatile("" : "+r"(i));
	s = &io->slot[i];
	/* its own slot only: the others' cache lines stay where they are */
	__builtin_memset(s, 0, sizeof(*s));
	return s;
}

/* The slot is whole: the type goes last, so a reader never sees half. */
static __always_inline void io_slot_done(struct ds_io_slot *s, __u16 type,
					 __u8 target, __u8 tier, __u8 who)
{
	s->target = target;
	s->tier = tier;
	s->who = who;
	asm volatile("" ::: "memory");
	s->type = type;
}

/*
 * Write io out and free its element. Sealing first makes this happen
 * once, and makes a later claim fail, so that its event goes out on its
 * own. A slot claimed but not yet written (its writer still runs on
 * another CPU) goes out empty: counted lost.
 */
static __always_inline void io_close(struct ds_io *io)
{
	__u32 n = __sync_fetch_and_add(&io->n, DS_IO_SEALED);
	__u32 i, unwritten = 0;
	__u64 size;

	if (n >= DS_IO_SEALED)
		return;
	if (n > DS_IO_SLOTS)
		n = DS_IO_SLOTS;
	for (i = 0; i < DS_IO_SLOTS; i++)
		if (i < n && !io->slot[i].type)
			unwritten++;
	if (unwritten)
		count_lost_n(unwritten);
	size = DS_IO_HDR + n * DS_IO_SLOT;
	if (bpf_ringbuf_output(&events, io, size, output_wakeup_flag(size)))
		count_lost_n(n - unwritten);
}

/* An IO in flight this long is one whose completion never came. */
#define DS_IO_STALE_NS	(10ull * 1000000000)

/*
 * The element for a new IO of this kiocb, its submitter and slot 0
 * claimed, in *s; NULL when another IO in flight holds it. An IO left
 * under the same kiocb, or for long, is one whose completion never came
 * (its submission failed): it goes out now, as far as it got.
 */
static __always_inline struct ds_io *io_open(__u64 key, __u32 dev, __u64 ino,
					     struct ds_io_slot **s)
{
	struct ds_io *io = io_elem(key);
	__u64 now = bpf_ktime_get_ns();
	__u32 n;

	if (!io)
		return NULL;
	n = io->n;
	if (n < DS_IO_SEALED) {
		if (io->key != key && now - io->slot[0].ts_ns < DS_IO_STALE_NS)
			return NULL;
		io_close(io);
		n = io->n;
	}
	/*
	 * Free to opening (two openers: one wins), which still refuses
	 * every claim and look-up, then to slot 0 claimed once it is ready.
	 */
	if (n < DS_IO_SEALED ||
	    __sync_val_compare_and_swap(&io->n, n, DS_IO_OPENING) != n)
		return NULL;
	io->key = key;
	io->dev = dev;
	io->ino = ino;
	who_fill(&io->who[DS_IO_SUBMITTER]);
	__builtin_memset(&io->slot[0], 0, sizeof(io->slot[0]));
	io->slot[0].ts_ns = now;
	asm volatile("" ::: "memory");
	io->n = 1;
	*s = &io->slot[0];
	return io;
}

/*
 * The element of the IO of this kiocb if it is still being assembled,
 * else NULL.
 */
static __always_inline struct ds_io *io_find(__u64 key)
{
	struct ds_io *io = io_elem(key);

	if (!io || io->key != key || io->n >= DS_IO_SEALED)
		return NULL;
	return io;
}

/*
 * After a claim: still the IO it was claimed for? An element can go out
 * and hold the next IO between the look and the claim; the slot so
 * taken from that IO is left void (skipped, not counted lost) and the
 * event goes out on its own.
 */
static __always_inline struct ds_io_slot *io_check(struct ds_io *io,
						   struct ds_io_slot *s,
						   __u64 key)
{
	if (!s || io->key == key)
		return s;
	s->type = DS_IO_VOID;
	return NULL;
}

/*
 * A slot for an event of the calling task in the record of the IO it
 * submits (kiocb key), if that is an IO of the same file; NULL: the
 * event goes out on its own.
 */
static __always_inline struct ds_io_slot *io_fold(__u64 key, __u32 dev,
						  __u64 ino)
{
	struct ds_io *io;

	if (!io_records || !key)
		return NULL;
	io = io_find(key);
	if (!io || io->dev != dev || io->ino != ino ||
	    io->who[DS_IO_SUBMITTER].tid != (__u32)bpf_get_current_pid_tgid())
		return NULL;
	return io_check(io, io_claim(io), key);
}

/*
 * The exit of a call that a pair of tracepoints brackets, its entry in
 * *v (taken, of the task state t): into the record of the IO of kiocb key where one is being
 * assembled for the task, else an event of its own. pos, len and flags
 * are the entry's; ret, aux0 and aux1 the exit's.
 */
#define TP_EXIT_FILL(x, v, ret_, aux0_, aux1_) do {			\
	(x)->pos = (v)->args.fill.pos;					\
	(x)->len = (v)->args.fill.len;					\
	(x)->flags = (v)->flags;					\
	(x)->ret = (ret_);						\
	(x)->aux0 = (aux0_);						\
	(x)->aux1 = (aux1_);						\
} while (0)

static __always_inline void tp_exit_emit(__u8 target, __u16 type, __u64 key,
					 struct task_state *t,
					 struct entry_val *v, __s64 ret,
					 __u64 aux0, __u64 aux1)
{
	struct ds_io_slot *s = io_fold(key, v->dev, v->ino);
	struct ds_event *e;

	if (s) {
		s->ts_ns = bpf_ktime_get_ns();
		s->dur_ns = s->ts_ns - v->ts;
		TP_EXIT_FILL(s, v, ret, aux0, aux1);
		io_slot_done(s, type, target, DS_TIER_TRACEPOINT,
			     DS_IO_SUBMITTER);
		/* a slot carries no clock: the record reads as unknown */
		clock_stop(t, v);
		return;
	}
	e = event_reserve(type, target, DS_TIER_TRACEPOINT, v->dev, v->ino);
	if (!e) {
		clock_stop(t, v);
		return;
	}
	e->dur_ns = e->ts_ns - v->ts;
	clock_into(t, v, e);
	TP_EXIT_FILL(e, v, ret, aux0, aux1);
	event_submit(e);
}

/* --- extents (fs/ext4/ext4_extents.h) --- */

#define EXT_INIT_MAX_LEN	(1u << 15)	/* fs/ext4/ext4_extents.h */

static __always_inline __u32 ext_len(__u16 raw)
{
	return raw > EXT_INIT_MAX_LEN ? raw - EXT_INIT_MAX_LEN : raw;
}

static __always_inline bool ext_unwritten(__u16 raw)
{
	return raw > EXT_INIT_MAX_LEN;
}

/* The leaf entry of a path: path[path->p_depth]. */
static __always_inline struct ext4_ext_path *
path_leaf(struct ext4_ext_path *path)
{
	__u16 depth = BPF_CORE_READ(path, p_depth);

	return (void *)path + depth * bpf_core_type_size(struct ext4_ext_path);
}

#endif /* DIOSCOPE_COMMON_BPF_H */
