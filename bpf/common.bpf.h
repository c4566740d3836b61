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

/* Reservations the ring buffer refused, per CPU: nothing is lost silently. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

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
 * One slot per task and target, kept from call to call: a call's entry
 * writes into its task's slot where it exists and its exit marks it taken
 * (ts 0), two lookups a call where an update and a delete, each taking
 * the bucket's lock and an element off a free list, cost twice as much.
 * Not LRU: an eviction would drop the slot of a call still in flight and
 * lose its exit silently. A full table refuses the insert, which is
 * counted; task_exit.bpf.c frees the slots of tasks that exit.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DS_ENTRIES_MAX);
	__type(key, struct entry_key);
	__type(value, struct entry_val);
} entries SEC(".maps");

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
	struct super_block *sb = BPF_CORE_READ(inode, i_sb);

	/* the device first: it rejects other filesystems in one read */
	*dev = BPF_CORE_READ(sb, s_dev);
	if (!dev_wanted(*dev) || BPF_CORE_READ(sb, s_magic) != EXT4_SUPER_MAGIC)
		return false;
	*ino = BPF_CORE_READ(inode, i_ino);
	return file_wanted(*dev, *ino);
}

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);

	if (n)
		(*n)++;
}

/*
 * Reserve and fill the common part of an event. Returns NULL when the ring
 * buffer is full (counted in "lost").
 */
static __always_inline struct ds_event *
event_reserve(__u16 type, __u8 target, __u8 tier, __u32 dev, __u64 ino)
{
	struct ds_event *e;
	__u64 id;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_lost();
		return NULL;
	}
	id = bpf_get_current_pid_tgid();
	__builtin_memset(e, 0, sizeof(*e));
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
 * Waking the reader costs more than an event: wake it only once a batch
 * is waiting. Below that it finds the events at its next poll timeout.
 */
#define DS_WAKEUP_BYTES (64 * 1024)

static __always_inline void event_submit(struct ds_event *e)
{
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);

	bpf_ringbuf_submit(e, avail >= DS_WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP
						       : BPF_RB_NO_WAKEUP);
}

static __always_inline struct entry_key entry_key_of(__u32 target)
{
	struct entry_key k = {
		.tid = (__u32)bpf_get_current_pid_tgid(),
		.target = target,
	};
	return k;
}

/* Remember a call's entry time, its file, flags and what its exit needs. */
static __always_inline void entry_save(__u32 target, __u32 dev, __u64 ino,
				       __u32 flags, const union entry_args *args)
{
	struct entry_key k = entry_key_of(target);
	struct entry_val *slot = bpf_map_lookup_elem(&entries, &k);
	struct entry_val v = {
		.ts = bpf_ktime_get_ns(),
		.ino = ino,
		.dev = dev,
		.flags = flags,
		.args = *args,
	};

	/* only this task writes its slot: no lock needed */
	if (slot) {
		*slot = v;
		return;
	}
	/* a refused insert would lose this call's exit event: count it */
	if (bpf_map_update_elem(&entries, &k, &v, BPF_ANY))
		count_lost();
}

/*
 * Take back what entry_save() stored. Returns false when the entry was
 * not seen (tracing started mid-call, the table refused it, or this
 * exit's entry was taken already).
 */
static __always_inline bool entry_take(__u32 target, struct entry_val *out)
{
	struct entry_key k = entry_key_of(target);
	struct entry_val *v = bpf_map_lookup_elem(&entries, &k);

	if (!v || !v->ts)
		return false;
	*out = *v;
	v->ts = 0;	/* taken: a second exit finds nothing */
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
	struct ds_event *e;

	if (!entry_take(target, v))
		return NULL;
	e = event_reserve(type, target, tier, v->dev, v->ino);
	if (e)
		e->dur_ns = e->ts_ns - v->ts;
	return e;
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
