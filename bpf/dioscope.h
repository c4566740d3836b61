/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Events shared between the BPF programs and the dioscope program.
 *
 * One fixed-size record per observation keeps the ring buffer, the record
 * file and the correlator simple: no variable-length decoding anywhere.
 * The layout is part of the record-file format; bump DS_RECORD_VERSION in
 * src/run/record_file.h when it changes.
 */
#ifndef DIOSCOPE_H
#define DIOSCOPE_H

#define DS_COMM_LEN 16

/* What a record means, independent of the probe that produced it. */
enum ds_event_type {
	DS_EV_DIO_SUBMIT = 1,	/* a direct IO enters the filesystem */
	DS_EV_DIO_COMPLETE,	/* ... and completes (maybe in a workqueue) */
	DS_EV_IOMAP_BEGIN,	/* ext4_iomap_begin: mapping for an IO */
	DS_EV_END_IO,		/* ext4_dio_write_end_io / legacy end_io */
	DS_EV_MAP_BLOCKS,	/* ext4_ext_map_blocks (PRE_IO, CONVERT, ...) */
	DS_EV_CONVERT,		/* ext4_convert_unwritten_extents */
	DS_EV_CONVERT_INIT,	/* ext4_ext_convert_to_initialized */
	DS_EV_SPLIT,		/* ext4_split_extent_at */
	DS_EV_MERGE,		/* one pair of extents looked at for a merge */
	DS_EV_MERGE_CALL,	/* ext4_ext_try_to_merge as a whole */
	DS_EV_WB_MAP,		/* writeback maps an extent of dirty pages */
	DS_EV_OP_BEGIN,		/* fallocate (a DS_OP_* mode) starts */
	DS_EV_OP_END,		/* ... and ends */
	DS_EV_TYPE_MAX,
};

/*
 * Traced kernel functions (or tracepoint groups standing in for them).
 * The order is the order of `dioscope probe`.
 */
enum ds_target {
	DS_T_DIO_RW,		/* iomap_dio_rw / __iomap_dio_rw submission */
	DS_T_DIO_COMPLETE,	/* iomap_dio_complete */
	DS_T_IOMAP_BEGIN,	/* ext4_iomap_begin */
	DS_T_END_IO,		/* ext4_dio_write_end_io */
	DS_T_MAP_BLOCKS,	/* ext4_ext_map_blocks */
	DS_T_CONVERT,		/* ext4_convert_unwritten_extents */
	DS_T_CONVERT_INIT,	/* ext4_ext_convert_to_initialized */
	DS_T_SPLIT,		/* ext4_split_extent_at */
	DS_T_MERGE_RIGHT,	/* ext4_ext_try_to_merge_right */
	DS_T_MERGE,		/* ext4_ext_try_to_merge */
	DS_T_LEGACY_DIO,	/* ext4_direct_IO (before 5.5) */
	DS_T_LEGACY_END_IO,	/* ext4_end_io_dio (before 5.5) */
	DS_T_WB_MAP,		/* writeback maps an extent (mpage_map_one_extent) */
	DS_T_FALLOCATE,		/* ext4_fallocate, by mode */
	DS_T_INSERT,		/* ext4_ext_insert_extent: insert-time merges */
	DS_T_MAX,
};

enum ds_tier {
	DS_TIER_NONE = 0,
	DS_TIER_FENTRY = 1,
	DS_TIER_KPROBE = 2,
	DS_TIER_TRACEPOINT = 3,
};

/* ds_event.flags for DIO windows */
#define DS_DIO_WRITE	(1u << 0)
#define DS_DIO_AIO	(1u << 1)
#define DS_DIO_SYNC	(1u << 2)	/* O_SYNC or O_DSYNC */
#define DS_DIO_SYSCALL	(1u << 3)	/* window seen at the syscall */

/* ds_event.flags for DS_EV_MERGE */
#define DS_MERGE_LEFT_UNWRITTEN		(1u << 0)
#define DS_MERGE_RIGHT_UNWRITTEN	(1u << 1)
#define DS_MERGE_DONE			(1u << 2)
/* boundary known exactly (entry and exit both seen) */
#define DS_MERGE_EXACT			(1u << 3)
/*
 * An ext4_ext_insert_extent() call (target DS_T_INSERT): DONE when it
 * extended a neighbour in place instead of adding the new extent, which
 * removes the boundary between them as a try_to_merge merge does.
 * PREPEND: the new extent went before the neighbour (else after it).
 * NOMERGE: the caller forbade merging (PRE_IO / SPLIT_NOMERGE).
 */
#define DS_MERGE_INSERT			(1u << 4)
#define DS_MERGE_PREPEND		(1u << 5)
#define DS_MERGE_NOMERGE		(1u << 6)

/* ds_event.aux0 of DS_EV_OP_BEGIN/END: which fallocate operation */
#define DS_OP_ALLOCATE		1	/* mode 0 or KEEP_SIZE */
#define DS_OP_ZERO_RANGE	2
#define DS_OP_PUNCH		3
#define DS_OP_OTHER		4	/* collapse, insert, unshare */

/*
 * ext4_map_blocks() flag of writeback's allocation (mpage_map_one_extent),
 * from fs/ext4/ext4.h (EXT4_GET_BLOCKS_IO_SUBMIT).
 */
#define DS_GET_BLOCKS_IO_SUBMIT		0x0400

/*
 * ext4_map_blocks() flags, from fs/ext4/ext4.h (stable since 2.6.3x):
 * PRE_IO marks the split made before a direct write into unwritten
 * extents, CONVERT the conversion done when it completes.
 */
#define DS_GET_BLOCKS_CREATE		0x0001
#define DS_GET_BLOCKS_UNWRIT_EXT	0x0002
#define DS_GET_BLOCKS_PRE_IO		0x0008
/* 6.19 renamed PRE_IO to SPLIT_NOMERGE, same bit */
#define DS_GET_BLOCKS_SPLIT_NOMERGE	0x0008
#define DS_GET_BLOCKS_CONVERT		0x0010

/* ext4_map_blocks.m_flags, from fs/ext4/ext4.h (BH_New, BH_Mapped, ...) */
#define DS_MAP_NEW		(1u << 5)
#define DS_MAP_MAPPED		(1u << 4)
#define DS_MAP_UNWRITTEN	(1u << 11)

/* iomap types, from include/linux/iomap.h */
#define DS_IOMAP_HOLE		0
#define DS_IOMAP_DELALLOC	1
#define DS_IOMAP_MAPPED		2
#define DS_IOMAP_UNWRITTEN	3
#define DS_IOMAP_INLINE		4

/*
 * Units depend on the type: DIO, iomap, end_io and convert carry bytes;
 * extent events carry logical blocks.
 *
 *  type          pos        len        aux0           aux1        flags
 *  DIO_SUBMIT    offset     count      iocb address   -           DS_DIO_*
 *  DIO_COMPLETE  offset     size       iocb address   -           DS_DIO_*
 *  IOMAP_BEGIN   offset     length     iomap type     map length  iomap flags
 *  END_IO        offset     size       error handed in -          dio flags
 *  MAP_BLOCKS    lblk       len        m_flags        pblk        gb flags
 *  CONVERT       offset     len        -              -           -
 *  CONVERT_INIT  lblk       len        -              -           -
 *  SPLIT         split lblk ext. len   ext. lblk      -           split_flag
 *  MERGE         boundary   left len   right len      left lblk   DS_MERGE_*
 *  MERGE_CALL    ext. lblk  ext. len   -              -           -
 *  MERGE/INSERT  see below
 *  WB_MAP        lblk       len        m_flags        -           -
 *  OP_BEGIN      offset     len        DS_OP_*        fallocate mode -
 *  OP_END        offset     len        DS_OP_*        -           -
 *
 * ts_ns is when what is reported ended (bpf_ktime_get_ns); dur_ns is 0 for
 * points in time. aux2 carries a second word: SPLIT, the get_blocks flags
 * argument; MERGE, the number of pairs of extents merged (one call of
 * ext4_ext_try_to_merge_right can merge several in a row).
 *
 * MERGE from target DS_T_INSERT (flags DS_MERGE_INSERT) is one call of
 * ext4_ext_insert_extent(). With DS_MERGE_DONE the neighbour was
 * extended in place: pos is the boundary that went (append: the new
 * extent's first block; prepend: the block after its last), len/aux1
 * the left extent's length and first block and aux0 the right one's
 * length, as they were before, aux2 1. Without DONE nothing merged at
 * insertion: pos and len are the new extent's, aux2 0. The merges the
 * call then made in ext4_ext_try_to_merge() are MERGE events of their
 * own (target DS_T_MERGE_RIGHT), so every boundary removed is counted
 * once. EXACT: the leaf's entry count confirmed the merge; without it
 * the tree changed shape in the call and the merge is inferred from the
 * extents around the new one at entry.
 */
struct ds_event {
	__u64 ts_ns;
	__u64 dur_ns;
	__u64 ino;
	__u64 pos;
	__u64 len;
	__u64 aux0;
	__u64 aux1;
	__s64 ret;
	__u32 dev;		/* kernel dev_t: major << 20 | minor */
	__u32 pid;		/* tgid */
	__u32 tid;
	__u32 flags;
	__u32 aux2;
	__u16 type;		/* enum ds_event_type */
	__u8 target;		/* enum ds_target */
	__u8 tier;		/* enum ds_tier */
	char comm[DS_COMM_LEN];
	/*
	 * Of a timed call (dur_ns > 0): the part of dur_ns its task spent
	 * switched out (DS_OFFCPU_UNKNOWN when not measured), and how many
	 * traced calls ran nested inside it, whose programs' run time
	 * dur_ns holds too. After comm: a record of the older event size is
	 * this struct's beginning.
	 */
	__u64 offcpu_ns;
	__u32 nested;
	__u32 pad;
};

#define DS_OFFCPU_UNKNOWN	(~0ULL)

/*
 * Events a CPU holds before writing them to the ring buffer together
 * (bpf/common.bpf.h, kernels with BPF atomics): a ring buffer write takes
 * its lock and its cache lines from whichever CPU wrote last and cost
 * more than the rest of an event, where the batch's memory stays in its
 * CPU's cache. A batch goes out when it holds DS_BATCH_MAX events, and
 * when user space asks: every DS_BATCH_FLUSH_MS (src/trace/tracer.h)
 * and at the end of a run. An event waits at most that long, so the
 * readers' time order (src/analysis/corr_order.h) is kept for up to
 * several million events a second. Writing out the batch at the end of
 * each piece of work (a submission's mapping, a completion) was tried:
 * the two writes per IO took most of what batching saves.
 *
 * A program that interrupts the one filling its CPU's batch (an
 * interrupt, or a preempted fentry program's successor) writes its event
 * on its own, from a spare slot.
 *
 * On the ring buffer a batch is DS_BATCH_TAG followed by its events:
 * DS_BATCH_HDR + n * sizeof(struct ds_event) bytes, a size no ds_event
 * and no struct ds_io has.
 */
#define DS_BATCH_MAX	16		/* a power of 2 */
#define DS_BATCH_SPARE	4		/* a power of 2 */
#define DS_BATCH_HDR	8
#define DS_BATCH_TAG	0x68637462736f6964ULL	/* "diosbtch" */
/*
 * Which CPUs hold events (map batch_cpus, a bit per CPU, shared memory):
 * the readers ask only those to write them out, not every CPU of a
 * large machine every DS_BATCH_FLUSH_MS.
 */
#define DS_CPUS_MAX	8192
#define DS_BATCH_CPU_WORDS (DS_CPUS_MAX / 64)

/* ds_event.pad while an event is filled in: which slot holds it */
#define DS_SLOT_HELD	1
#define DS_SLOT_SPARE	2		/* + the spare's index */

/*
 * The claims are 64-bit words: the compiler makes 64-bit atomics for
 * BPF v1 and v2 too, so the objects keep the instruction set they had
 * (v3's 32-bit arithmetic leaves 5.10's verifier without bounds where
 * v1's has them).
 */
struct ds_batch {
	__u64 held;		/* 1 while a program fills ev[n] */
	__u32 n;		/* events held */
	__u32 pad;
	__u64 tag;		/* DS_BATCH_TAG: written out before ev[] */
	struct ds_event ev[DS_BATCH_MAX];
	__u64 spare_held[DS_BATCH_SPARE];
	struct ds_event spare[DS_BATCH_SPARE];
};

/* the size of struct ds_event before offcpu_ns and nested */
#define DS_EVENT_SIZE_V1	104

/*
 * One direct IO's events, assembled in the kernel (the tracepoint tier,
 * with --io-records): its submission, mappings and completion wait in
 * the map "ios", keyed by the kiocb, and go to the ring buffer as one
 * record when the IO completes, one write where there were up to five
 * (README, "Self-benchmark": on the machine measured, no cheaper).
 * User space expands a record into exactly the ds_events it stands
 * for (src/event/io_record.c), so nothing after the ring buffer, the
 * record file included, sees a difference. A slot holds what a ds_event
 * holds but the IO's file and who ran it, which the record keeps once.
 * A field added to ds_event is added here and to the expansion.
 *
 * The ring buffer tells a record from a ds_event by its size:
 * DS_IO_HDR + n * DS_IO_SLOT, which no ds_event has.
 */
#define DS_IO_SLOTS	6		/* submission, mappings, completion */
#define DS_IOS_BITS	12
#define DS_IOS_MAX	(1u << DS_IOS_BITS)	/* elements of the map "ios" */
#define DS_IO_SEALED	0x10000u	/* n: written out, the element free */
#define DS_IO_OPENING	0x40000000u	/* n: being set up for a new IO */
#define DS_IO_VOID	0xffffu		/* slot type: taken by mistake, skip */

/* ds_io_slot.who */
#define DS_IO_SUBMITTER	0
#define DS_IO_COMPLETER	1

struct ds_io_slot {
	__u64 ts_ns;
	__u64 dur_ns;
	__u64 pos;
	__u64 len;
	__u64 aux0;
	__u64 aux1;
	__s64 ret;
	__u32 flags;
	__u32 aux2;
	__u16 type;		/* 0 until the slot is written: set last */
	__u8 target;
	__u8 tier;
	__u8 who;		/* DS_IO_SUBMITTER or DS_IO_COMPLETER */
	__u8 pad[3];
};

struct ds_io_who {
	__u32 pid;
	__u32 tid;
	char comm[DS_COMM_LEN];
};

struct ds_io {
	__u64 key;		/* the kiocb's address */
	__u64 ino;
	__u32 dev;
	__u32 n;		/* slots claimed, or DS_IO_SEALED + that */
	struct ds_io_who who[2];
	struct ds_io_slot slot[DS_IO_SLOTS];
};

#define DS_IO_HDR	__builtin_offsetof(struct ds_io, slot)
#define DS_IO_SLOT	sizeof(struct ds_io_slot)

/*
 * Whether a record that brings the bytes waiting in the ring buffer
 * from before to after wakes the reader (bpf/common.bpf.h): once per
 * DS_WAKEUP_BYTES that wait, not on every record past them.
 */
#define DS_WAKEUP_BYTES (64 * 1024)

static inline int ds_rb_wakes(__u64 before, __u64 after)
{
	return before / DS_WAKEUP_BYTES != after / DS_WAKEUP_BYTES;
}

/*
 * The maps every BPF object shares: user space (src/trace/tracer.c)
 * creates them once, with these sizes and layouts, and hands them to
 * each object; bpf/common.bpf.h declares them with the same.
 */
#define DS_RINGBUF_MB_DEFAULT	16	/* events, unless the command says */
#define DS_EXT4_DEVS_MAX	256	/* devices holding ext4 */
#define DS_TASKS_MAX		4096	/* tasks with traced calls (struct task_state) */
#define DS_WANTED_MAX		16384	/* IOs and files a wanted task submitted */

/*
 * With -p or -c, what a wanted task submitted, for the work other tasks
 * do for it: an IO by its kiocb (dev 0), a file by device and inode.
 */
struct wanted_key {
	__u32 dev;
	__u32 pad;
	__u64 id;	/* the kiocb's address, or the inode's number */
};

/*
 * An extent as its leaf holds it: the first logical block and the raw
 * length (bit 15 set: unwritten); entries, the leaf's count of extents,
 * only where the call's exit compares it.
 */
struct ds_ext {
	__u32 lblk;
	__u16 raw;
	__u16 entries;
};

/*
 * What a call's exit needs besides its time, file and flags, by kind of
 * call. Each view fills all 24 bytes: the verifier sees no byte unset.
 */
union entry_args {
	/* a range and what the call fills for it: kiocb, iomap, map */
	struct { __u64 obj, pos, len; } fill;
	/* a range and one value: end_io's error, else 0 */
	struct { __u64 pos, len, val; } span;
	/* ext4_split_extent_at: the split block, the caller's flags, the extent */
	struct { __u64 at, flags; struct ds_ext ex; } split;
	/* ext4_ext_try_to_merge_right: the extent, its leaf, its right neighbour */
	struct { struct ds_ext ex; __u64 hdr; struct ds_ext next; } merge;
	/* ext4_ext_insert_extent: the new extent, its leaf, the path's address */
	struct { struct ds_ext ex; __u64 hdr, ppath; } insert;
};

/*
 * Entry state of a traced call, read back at its exit: offcpu and calls
 * are its task's clock (struct task_clock) at entry, clocked says
 * whether the task had one.
 */
struct entry_val {
	__u64 ts;
	__u64 ino;
	__u32 dev;
	__u32 flags;
	union entry_args args;
	__u64 offcpu;
	__u32 calls;
	__u32 clocked;
};

/*
 * Per task with a timed call open (bpf/offcpu.bpf.c): when it was last
 * switched out (0: it runs), the time it spent switched out so far, its
 * open timed calls and the timed calls it ever entered.
 */
struct task_clock {
	__u64 out_at;
	__u64 offcpu;
	__u32 open;
	__u32 calls;
};

/*
 * A task's state in the map "tasks", by tid: its clock, and a slot per
 * target for the entry of its call in flight there (bpf/common.bpf.h).
 */
struct task_state {
	struct task_clock clock;
	struct entry_val slot[DS_T_MAX];
};

#endif /* DIOSCOPE_H */
