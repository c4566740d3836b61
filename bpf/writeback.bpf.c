// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writeback IOs and the operations that do not wait for them.
 *
 * Writeback maps each extent of dirty pages in mpage_map_one_extent()
 * (inlined on the kernels we know, so only its tracepoint,
 * ext4_da_write_pages_extent, sees it): that opens a writeback IO; the
 * ext4_ext_map_blocks call that follows and the conversion at its
 * completion are traced by unwritten.bpf.c. fallocate in its modes is
 * bracketed so that a merge done inside it is known to be fallocate's or
 * ZERO_RANGE's: ext4_fallocate() on the fentry and kprobe tiers, the
 * fallocate syscall (its descriptor's file) on the tracepoint tier.
 */
#include "common.bpf.h"

/* fallocate modes, from include/uapi/linux/falloc.h */
#define FALLOC_FL_PUNCH_HOLE		0x02
#define FALLOC_FL_COLLAPSE_RANGE	0x08
#define FALLOC_FL_ZERO_RANGE		0x10
#define FALLOC_FL_INSERT_RANGE		0x20
#define FALLOC_FL_UNSHARE_RANGE		0x40

SEC("tp/ext4/ext4_da_write_pages_extent")
int tp_wb_map(struct trace_event_raw_ext4_da_write_pages_extent *ctx)
{
	__u32 dev = ctx->dev;
	struct ds_event *e;

	/* writeback runs in flushers as often as in the writer: by file */
	if (!work_wanted(dev, ctx->ino))
		return 0;
	e = event_reserve(DS_EV_WB_MAP, DS_T_WB_MAP, DS_TIER_TRACEPOINT, dev,
			  ctx->ino);
	if (!e)
		return 0;
	e->pos = ctx->lblk;
	e->len = ctx->len;
	e->aux0 = ctx->flags;
	event_submit(e);
	return 0;
}

static __always_inline __u64 op_of_mode(int mode)
{
	if (mode & FALLOC_FL_ZERO_RANGE)
		return DS_OP_ZERO_RANGE;
	if (mode & FALLOC_FL_PUNCH_HOLE)
		return DS_OP_PUNCH;
	if (mode & (FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE |
		    FALLOC_FL_UNSHARE_RANGE))
		return DS_OP_OTHER;
	return DS_OP_ALLOCATE;
}

static __always_inline int op_event(__u16 type, __u8 tier, __u32 dev,
				    __u64 ino, int mode, __u64 off, __u64 len)
{
	struct ds_event *e;

	e = event_reserve(type, DS_T_FALLOCATE, tier, dev, ino);
	if (!e)
		return 0;
	e->aux0 = type == DS_EV_OP_BEGIN ? op_of_mode(mode) : 0;
	e->aux1 = mode;
	e->pos = off;
	e->len = len;
	event_submit(e);
	return 0;
}

/*
 * The start of an operation on an ext4 file the filters want: an event
 * now, and its file kept for the end, which may not know it.
 */
static __always_inline int falloc_enter(__u8 tier, struct inode *inode,
					int mode, __u64 off, __u64 len)
{
	__u32 dev;
	__u64 ino;

	if (!inode || !task_wanted() || !ext4_inode_wanted(inode, &dev, &ino))
		return 0;
	mark_wanted(0, dev, ino);
	entry_save(DS_T_FALLOCATE, dev, ino, mode,
		   &(union entry_args){ .span = { 0 } });
	return op_event(DS_EV_OP_BEGIN, tier, dev, ino, mode, off, len);
}

static __always_inline int falloc_exit(__u8 tier)
{
	struct entry_val v;
	struct ds_event *e;

	e = exit_event(DS_T_FALLOCATE, DS_EV_OP_END, tier, &v);
	if (!e)
		return 0;
	e->aux1 = v.flags;
	event_submit(e);
	return 0;
}

/* long ext4_fallocate(struct file *file, int mode, loff_t offset, loff_t len) */
SEC("fentry/ext4_fallocate")
int BPF_PROG(fentry_fallocate, struct file *file, int mode, loff_t off,
	     loff_t len)
{
	return falloc_enter(DS_TIER_FENTRY, BPF_CORE_READ(file, f_inode), mode,
			    off, len);
}

SEC("fexit/ext4_fallocate")
int BPF_PROG(fexit_fallocate, struct file *file, int mode, loff_t off,
	     loff_t len, long ret)
{
	return falloc_exit(DS_TIER_FENTRY);
}

SEC("kprobe/ext4_fallocate")
int BPF_KPROBE(kprobe_fallocate, struct file *file, int mode, loff_t off,
	       loff_t len)
{
	return falloc_enter(DS_TIER_KPROBE, BPF_CORE_READ(file, f_inode), mode,
			    off, len);
}

SEC("kretprobe/ext4_fallocate")
int BPF_KRETPROBE(kretprobe_fallocate, long ret)
{
	return falloc_exit(DS_TIER_KPROBE);
}

/* The file behind the calling task's descriptor fd, or NULL. */
static __always_inline struct inode *fd_inode(long fd)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct file **fds = BPF_CORE_READ(t, files, fdt, fd);
	struct file *f = NULL;

	if (fd < 0 || fd >= BPF_CORE_READ(t, files, fdt, max_fds))
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f ? BPF_CORE_READ(f, f_inode) : NULL;
}

/* Tier 3: the syscall, fallocate(fd, mode, offset, len). */
SEC("tp/syscalls/sys_enter_fallocate")
int tp_sys_enter_fallocate(struct trace_event_raw_sys_enter *ctx)
{
	return falloc_enter(DS_TIER_TRACEPOINT, fd_inode(ctx->args[0]),
			    (int)ctx->args[1], ctx->args[2], ctx->args[3]);
}

SEC("tp/syscalls/sys_exit_fallocate")
int tp_sys_exit_fallocate(struct trace_event_raw_sys_exit *ctx)
{
	return falloc_exit(DS_TIER_TRACEPOINT);
}
