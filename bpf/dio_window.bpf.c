// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The window of each direct IO: when it enters the filesystem and when it
 * completes. Completion of an async write that needs conversion runs in a
 * workqueue, so submit and complete are separate events, paired in user
 * space by the kiocb address (tiers 1 and 2) or by inode and offset.
 */
#include "common.bpf.h"

#define IOMAP_DIO_WRITE		(1u << 30)	/* fs/iomap/direct-io.c, 5.5+ */
#define O_DIRECT_FLAG		040000		/* x86 asm-generic/fcntl.h */

/* struct iov_iter before 5.14 kept the direction in "type" */
struct iov_iter___old {
	unsigned int type;
} __attribute__((preserve_access_index));

static __always_inline bool iter_is_write(struct iov_iter *iter)
{
	struct iov_iter___old *old = (void *)iter;

	if (bpf_core_field_exists(iter->data_source))
		return BPF_CORE_READ(iter, data_source);
	return BPF_CORE_READ(old, type) & 1;
}

/* The bytes an iov_iter holds, and whether it is a write's source. */
static __always_inline bool iter_read(struct iov_iter *iter, __u64 *count)
{
	struct span s;
	__u32 lo;

	if (bpf_core_field_exists(iter->data_source)) {
		lo = OFF(struct iov_iter, data_source);
		if (span_read(&s, iter, lo, END(struct iov_iter, count))) {
			*count = SPAN_GET(&s, lo, OFF(struct iov_iter, count),
					  size_t);
			return SPAN_GET(&s, lo,
					OFF(struct iov_iter, data_source), bool);
		}
	}
	*count = BPF_CORE_READ(iter, count);
	return iter_is_write(iter);
}

/* A submission's fields, into a ds_event or a record's slot alike. */
#define SUBMIT_FILL(x, iocb, k, iter) do {				\
	__u64 count_;							\
									\
	(x)->pos = (k)->pos;						\
	(x)->aux0 = (__u64)(iocb);					\
	if (iter_read(iter, &count_))					\
		(x)->flags |= DS_DIO_WRITE;				\
	(x)->len = count_;						\
	if ((k)->aio)							\
		(x)->flags |= DS_DIO_AIO;				\
} while (0)

static __always_inline int submit_event(struct kiocb *iocb,
					const struct kiocb_view *k,
					struct iov_iter *iter, __u8 target,
					__u8 tier, __u32 dev, __u64 ino)
{
	struct ds_event *e;

	e = event_reserve(DS_EV_DIO_SUBMIT, target, tier, dev, ino);
	if (!e)
		return 0;
	SUBMIT_FILL(e, iocb, k, iter);
	event_submit(e);
	return 0;
}

/*
 * The file of each IO whose submission was traced, by a hash of its
 * kiocb: its completion, which often runs on another CPU, takes the
 * device and inode from here instead of reading them again through the
 * file, the inode and the superblock (three probe reads, of memory that
 * CPU seldom has in its cache). An element is trusted for the same kiocb
 * and file only, and when its check matches (two IOs of one hash may
 * write it at once); it is cleared when used, so that a kiocb and a
 * file reused for an IO not traced find nothing. Else the completion
 * reads them as before.
 */
struct io_file {
	__u64 iocb;
	__u64 filp;
	__u64 ino;
	__u32 dev;
	__u32 check;
};

#define IO_FILES_BITS	12

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1u << IO_FILES_BITS);
	__type(key, __u32);
	__type(value, struct io_file);
} io_files SEC(".maps");

static __always_inline __u32 io_file_check(__u64 iocb, __u64 filp,
					   __u64 ino, __u32 dev)
{
	__u64 x = iocb ^ filp ^ ino ^ dev;

	return (__u32)x ^ (__u32)(x >> 32) ^ 0x5bd1e995;
}

static __always_inline struct io_file *io_file_of(__u64 iocb)
{
	__u32 i = (iocb * 0x9E3779B97F4A7C15ull) >> (64 - IO_FILES_BITS);

	return bpf_map_lookup_elem(&io_files, &i);
}

static __always_inline void io_file_note(__u64 iocb, struct file *filp,
					 __u32 dev, __u64 ino)
{
	struct io_file *f = io_file_of(iocb);

	if (!f)
		return;
	f->iocb = iocb;
	f->filp = (__u64)filp;
	f->ino = ino;
	f->dev = dev;
	f->check = io_file_check(iocb, (__u64)filp, ino, dev);
}

/* The device and inode of iocb's traced submission into filp: true if known. */
static __always_inline bool io_file_take(__u64 iocb, struct file *filp,
					 __u32 *dev, __u64 *ino)
{
	struct io_file *f = io_file_of(iocb);
	struct io_file c;

	if (!f)
		return false;
	c = *f;
	if (c.iocb != iocb || c.filp != (__u64)filp ||
	    c.check != io_file_check(c.iocb, c.filp, c.ino, c.dev))
		return false;
	f->iocb = 0;
	*dev = c.dev;
	*ino = c.ino;
	return true;
}

/*
 * A completion of iocb into filp: on an ext4 file the filters want, its
 * device and inode in *dev, *ino.
 */
static __always_inline bool complete_wanted(__u64 iocb, struct file *filp,
					    __u32 *dev, __u64 *ino)
{
	if (!io_file_take(iocb, filp, dev, ino) &&
	    !ext4_inode_wanted(file_inode(filp), dev, ino))
		return false;
	return io_wanted(iocb);
}

/*
 * Is a submission by the running task into iocb's file traced? Then the
 * kiocb's fields are in *k, its file in *dev, *ino, and the IO is marked
 * for the completion work other tasks do for it (the -c/-p filters).
 */
static __always_inline bool submit_wanted(struct kiocb *iocb,
					  struct kiocb_view *k, __u32 *dev,
					  __u64 *ino)
{
	struct inode *inode;

	if (!task_wanted())
		return false;
	kiocb_read(iocb, k);
	inode = file_inode(k->filp);
	if (!ext4_inode_wanted(inode, dev, ino))
		return false;
	mark_wanted((__u64)iocb, *dev, *ino);
	return true;
}

static __always_inline int submit(struct kiocb *iocb, struct iov_iter *iter,
				  __u8 target, __u8 tier)
{
	struct kiocb_view k;
	__u32 dev;
	__u64 ino;

	if (!submit_wanted(iocb, &k, &dev, &ino))
		return 0;
	/*
	 * A fentry program's kiocb is a typed pointer, on which the
	 * verifier allows no arithmetic but adding (7.3: "pointer
	 * arithmetic with *= operator prohibited"): its completions read
	 * the file again.
	 */
	if (tier != DS_TIER_FENTRY)
		io_file_note((__u64)iocb, k.filp, dev, ino);
	return submit_event(iocb, &k, iter, target, tier, dev, ino);
}

/*
 * iomap_dio_complete() moves ki_pos past what was done, so the offset is
 * read at entry and the result at exit.
 */
static __always_inline int complete_enter(struct iomap_dio *dio)
{
	struct kiocb *iocb = BPF_CORE_READ(dio, iocb);
	__u32 dev;
	__u64 ino;

	if (!complete_wanted((__u64)iocb, BPF_CORE_READ(iocb, ki_filp), &dev,
			     &ino))
		return 0;
	entry_save(DS_T_DIO_COMPLETE, dev, ino, BPF_CORE_READ(dio, flags),
		   &(union entry_args){ .fill = {
			   (__u64)iocb, BPF_CORE_READ(iocb, ki_pos),
			   BPF_CORE_READ(dio, size) } });
	return 0;
}

static __always_inline int complete_exit(__u8 tier, long ret)
{
	struct kiocb *iocb;
	struct entry_val v;
	struct ds_event *e;
	__u32 flags;

	e = exit_event(DS_T_DIO_COMPLETE, DS_EV_DIO_COMPLETE, tier, &v);
	if (!e)
		return 0;
	flags = v.flags;
	e->aux0 = v.args.fill.obj;
	e->pos = v.args.fill.pos;
	e->len = v.args.fill.len;
	e->ret = ret;
	e->aux2 = flags;
	if (flags & IOMAP_DIO_WRITE)
		e->flags |= DS_DIO_WRITE;
	iocb = (void *)v.args.fill.obj;
	if (BPF_CORE_READ(iocb, ki_complete))
		e->flags |= DS_DIO_AIO;
	event_submit(e);
	return 0;
}

/* Tier 1: fentry/fexit */

SEC("fentry/iomap_dio_rw")
int BPF_PROG(fentry_dio_rw, struct kiocb *iocb, struct iov_iter *iter)
{
	return submit(iocb, iter, DS_T_DIO_RW, DS_TIER_FENTRY);
}

SEC("fentry/iomap_dio_complete")
int BPF_PROG(fentry_dio_complete, struct iomap_dio *dio)
{
	return complete_enter(dio);
}

SEC("fexit/iomap_dio_complete")
int BPF_PROG(fexit_dio_complete, struct iomap_dio *dio, long ret)
{
	return complete_exit(DS_TIER_FENTRY, ret);
}

/* Tier 2: kprobe/kretprobe */

SEC("kprobe/iomap_dio_rw")
int BPF_KPROBE(kprobe_dio_rw, struct kiocb *iocb, struct iov_iter *iter)
{
	return submit(iocb, iter, DS_T_DIO_RW, DS_TIER_KPROBE);
}

SEC("kprobe/iomap_dio_complete")
int BPF_KPROBE(kprobe_dio_complete, struct iomap_dio *dio)
{
	return complete_enter(dio);
}

SEC("kretprobe/iomap_dio_complete")
int BPF_KRETPROBE(kretprobe_dio_complete, long ret)
{
	return complete_exit(DS_TIER_KPROBE, ret);
}

/*
 * Tier 3: the iomap DIO tracepoints (6.x), taken raw: their arguments
 * hold the kiocb, which pairs submission and completion exactly, and the
 * iov_iter, which says the direction (the event's ki_flags lack
 * IOCB_WRITE for plain pwrite).
 */

/*
 * With records on, the submission opens the IO's record, and the task's
 * DIO_RW slot names the IO it is submitting, for the mapping events
 * (iomap_begin.bpf.c, unwritten.bpf.c) to join it.
 */
SEC("raw_tp/iomap_dio_rw_begin")
int BPF_PROG(tp_dio_rw_begin, struct kiocb *iocb, struct iov_iter *iter)
{
	const __u8 tier = DS_TIER_TRACEPOINT;
	struct kiocb_view k;
	struct ds_io_slot *s;
	struct ds_io *io;
	__u32 dev;
	__u64 ino;

	if (!submit_wanted(iocb, &k, &dev, &ino))
		return 0;
	io_file_note((__u64)iocb, k.filp, dev, ino);
	if (!io_records)
		return submit_event(iocb, &k, iter, DS_T_DIO_RW, tier, dev,
				    ino);
	entry_save(DS_T_DIO_RW, dev, ino, 0,
		   &(union entry_args){ .fill = { (__u64)iocb } });
	io = io_open((__u64)iocb, dev, ino, &s);
	if (!io)
		return submit_event(iocb, &k, iter, DS_T_DIO_RW, tier, dev,
				    ino);
	SUBMIT_FILL(s, iocb, &k, iter);
	io_slot_done(s, DS_EV_DIO_SUBMIT, DS_T_DIO_RW, tier, DS_IO_SUBMITTER);
	return 0;
}

/* It fires after ki_pos moved past what was done. */
#define COMPLETE_FILL(x, iocb, k, error, ret) do {			\
	(x)->aux0 = (__u64)(iocb);					\
	(x)->pos = (k)->pos;						\
	if ((ret) > 0)							\
		(x)->pos -= (ret);					\
	(x)->len = (ret) > 0 ? (ret) : 0;				\
	(x)->ret = (error) ? (error) : (ret);				\
	if ((k)->aio)							\
		(x)->flags |= DS_DIO_AIO;				\
} while (0)

/* The completion closes the IO's record: true when it went into it. */
static __always_inline bool complete_record(struct kiocb *iocb,
					    const struct kiocb_view *k,
					    int error, long ret)
{
	__u64 key = (__u64)iocb;
	struct ds_io_slot *s;
	struct ds_io *io;

	io = io_find(key);
	if (!io)
		return false;
	s = io_check(io, io_claim(io), key);
	if (!s && io->key != key)
		return false;
	if (s) {
		s->ts_ns = bpf_ktime_get_ns();
		COMPLETE_FILL(s, iocb, k, error, ret);
		io_slot_done(s, DS_EV_DIO_COMPLETE, DS_T_DIO_COMPLETE,
			     DS_TIER_TRACEPOINT, DS_IO_COMPLETER);
	}
	who_fill(&io->who[DS_IO_COMPLETER]);
	io_close(io);
	return s != NULL;
}

SEC("raw_tp/iomap_dio_complete")
int BPF_PROG(tp_dio_complete, struct kiocb *iocb, int error, long ret)
{
	struct kiocb_view k;
	struct ds_event *e;
	__u32 dev;
	__u64 ino;

	kiocb_read(iocb, &k);
	if (!complete_wanted((__u64)iocb, k.filp, &dev, &ino))
		return 0;
	if (io_records && complete_record(iocb, &k, error, ret))
		return 0;
	e = event_reserve(DS_EV_DIO_COMPLETE, DS_T_DIO_COMPLETE,
			  DS_TIER_TRACEPOINT, dev, ino);
	if (!e)
		return 0;
	COMPLETE_FILL(e, iocb, &k, error, ret);
	event_submit(e);
	return 0;
}

/*
 * Tier 3 on kernels without the iomap DIO tracepoints: the window of a
 * pread64/pwrite64 on an O_DIRECT file. Other syscalls are not covered.
 */

static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	struct file *f = NULL;

	if (fd < 0)
		return NULL;
	bpf_core_read(&f, sizeof(f), fds + fd);
	return f;
}

static __always_inline int sys_enter_rw(struct trace_event_raw_sys_enter *ctx,
					bool write)
{
	struct file *f;
	struct inode *inode;
	__u32 dev;
	__u64 ino;

	if (!task_wanted())
		return 0;
	f = fd_file((int)ctx->args[0]);
	if (!f || !(BPF_CORE_READ(f, f_flags) & O_DIRECT_FLAG))
		return 0;
	inode = BPF_CORE_READ(f, f_inode);
	if (!ext4_inode_wanted(inode, &dev, &ino))
		return 0;
	mark_wanted(0, dev, ino);
	entry_save(DS_T_DIO_RW, dev, ino, write ? DS_DIO_WRITE : 0,
		   &(union entry_args){ .span = { ctx->args[3], ctx->args[2] } });
	return 0;
}

static __always_inline int sys_exit_rw(struct trace_event_raw_sys_exit *ctx)
{
	struct entry_val v;
	struct ds_event *e;
	__u32 flags, nested;
	__u64 offcpu;

	/* the submission is reported at the exit, with its entry time */
	e = exit_event(DS_T_DIO_RW, DS_EV_DIO_SUBMIT, DS_TIER_TRACEPOINT, &v);
	if (!e)
		return 0;
	flags = DS_DIO_SYSCALL | v.flags;
	/* the clock's reading belongs to the window, reported next */
	offcpu = e->offcpu_ns;
	nested = e->nested;
	e->offcpu_ns = 0;
	e->nested = 0;
	e->ts_ns = v.ts;
	e->dur_ns = 0;
	e->pos = v.args.span.pos;
	e->len = v.args.span.len;
	e->flags = flags;
	event_submit(e);
	e = event_reserve(DS_EV_DIO_COMPLETE, DS_T_DIO_COMPLETE,
			  DS_TIER_TRACEPOINT, v.dev, v.ino);
	if (!e)
		return 0;
	e->dur_ns = e->ts_ns - v.ts;
	e->offcpu_ns = offcpu;
	e->nested = nested;
	e->pos = v.args.span.pos;
	e->len = ctx->ret > 0 ? ctx->ret : 0;
	e->ret = ctx->ret;
	e->flags = flags;
	event_submit(e);
	return 0;
}

SEC("tp/syscalls/sys_enter_pwrite64")
int tp_sys_enter_pwrite64(struct trace_event_raw_sys_enter *ctx)
{
	return sys_enter_rw(ctx, true);
}

SEC("tp/syscalls/sys_exit_pwrite64")
int tp_sys_exit_pwrite64(struct trace_event_raw_sys_exit *ctx)
{
	return sys_exit_rw(ctx);
}

SEC("tp/syscalls/sys_enter_pread64")
int tp_sys_enter_pread64(struct trace_event_raw_sys_enter *ctx)
{
	return sys_enter_rw(ctx, false);
}

SEC("tp/syscalls/sys_exit_pread64")
int tp_sys_exit_pread64(struct trace_event_raw_sys_exit *ctx)
{
	return sys_exit_rw(ctx);
}

/*
 * Before 5.5, ext4 did direct IO through ext4_direct_IO(); a synchronous
 * IO is complete when it returns. Async completions end in
 * ext4_end_io_dio (end_io.bpf.c).
 */

#define EIOCBQUEUED 529

static __always_inline int legacy_enter(struct kiocb *iocb,
					struct iov_iter *iter, __u8 tier)
{
	struct inode *inode = BPF_CORE_READ(iocb, ki_filp, f_inode);
	__u32 dev = inode_dev(inode);
	__u64 ino = BPF_CORE_READ(inode, i_ino);

	if (!task_wanted() || !file_wanted(dev, ino))
		return 0;
	submit(iocb, iter, DS_T_LEGACY_DIO, tier);
	entry_save(DS_T_LEGACY_DIO, dev, ino,
		   iter_is_write(iter) ? DS_DIO_WRITE : 0,
		   &(union entry_args){ .fill = {
			   (__u64)iocb, BPF_CORE_READ(iocb, ki_pos),
			   BPF_CORE_READ(iter, count) } });
	return 0;
}

static __always_inline int legacy_exit(__u8 tier, long ret)
{
	struct entry_val v;
	struct ds_event *e;

	/* queued async IO completes in ext4_end_io_dio, not here */
	if (ret == -EIOCBQUEUED) {
		entry_take(DS_T_LEGACY_DIO, &v);
		return 0;
	}
	e = exit_event(DS_T_LEGACY_DIO, DS_EV_DIO_COMPLETE, tier, &v);
	if (!e)
		return 0;
	e->aux0 = v.args.fill.obj;
	e->pos = v.args.fill.pos;
	e->len = v.args.fill.len;
	e->ret = ret;
	e->flags = v.flags;
	event_submit(e);
	return 0;
}

SEC("fentry/ext4_direct_IO")
int BPF_PROG(fentry_legacy_dio, struct kiocb *iocb, struct iov_iter *iter)
{
	return legacy_enter(iocb, iter, DS_TIER_FENTRY);
}

SEC("fexit/ext4_direct_IO")
int BPF_PROG(fexit_legacy_dio, struct kiocb *iocb, struct iov_iter *iter,
	     long ret)
{
	return legacy_exit(DS_TIER_FENTRY, ret);
}

SEC("kprobe/ext4_direct_IO")
int BPF_KPROBE(kprobe_legacy_dio, struct kiocb *iocb, struct iov_iter *iter)
{
	return legacy_enter(iocb, iter, DS_TIER_KPROBE);
}

SEC("kretprobe/ext4_direct_IO")
int BPF_KRETPROBE(kretprobe_legacy_dio, long ret)
{
	return legacy_exit(DS_TIER_KPROBE, ret);
}
