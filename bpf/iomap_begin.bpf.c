// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ext4_iomap_begin: how each direct IO was mapped (hole, mapped,
 * unwritten) and how long the mapping took; for a write into unwritten
 * extents this is where the PRE_IO split happens.
 */
#include "common.bpf.h"

#define IOMAP_DIRECT	(1u << 4)	/* include/linux/iomap.h */

static __always_inline int begin_enter(struct inode *inode, loff_t offset,
				       loff_t length, unsigned int flags,
				       struct iomap *iomap)
{
	__u32 dev;
	__u64 ino;

	if (!task_wanted())
		return 0;
	dev = inode_dev(inode);
	ino = BPF_CORE_READ(inode, i_ino);
	if (!file_wanted(dev, ino))
		return 0;
	entry_save(DS_T_IOMAP_BEGIN, dev, ino, flags,
		   &(union entry_args){ .fill = { (__u64)iomap, offset, length } });
	return 0;
}

static __always_inline int begin_exit(__u8 tier, long ret)
{
	struct iomap *iomap;
	struct entry_val v;
	struct ds_event *e;

	e = exit_event(DS_T_IOMAP_BEGIN, DS_EV_IOMAP_BEGIN, tier, &v);
	if (!e)
		return 0;
	iomap = (void *)v.args.fill.obj;
	e->pos = v.args.fill.pos;
	e->len = v.args.fill.len;
	e->flags = v.flags;
	e->ret = ret;
	if (!ret) {
		e->aux0 = BPF_CORE_READ(iomap, type);
		e->aux1 = BPF_CORE_READ(iomap, length);
	}
	event_submit(e);
	return 0;
}

SEC("fentry/ext4_iomap_begin")
int BPF_PROG(fentry_iomap_begin, struct inode *inode, loff_t offset,
	     loff_t length, unsigned int flags, struct iomap *iomap)
{
	return begin_enter(inode, offset, length, flags, iomap);
}

SEC("fexit/ext4_iomap_begin")
int BPF_PROG(fexit_iomap_begin, struct inode *inode, loff_t offset,
	     loff_t length, unsigned int flags, struct iomap *iomap,
	     struct iomap *srcmap, int ret)
{
	return begin_exit(DS_TIER_FENTRY, ret);
}

SEC("kprobe/ext4_iomap_begin")
int BPF_KPROBE(kprobe_iomap_begin, struct inode *inode, loff_t offset,
	       loff_t length, unsigned int flags, struct iomap *iomap)
{
	return begin_enter(inode, offset, length, flags, iomap);
}

SEC("kretprobe/ext4_iomap_begin")
int BPF_KRETPROBE(kretprobe_iomap_begin, int ret)
{
	return begin_exit(DS_TIER_KPROBE, ret);
}

/*
 * Tier 3: iomap_iter() fires "iomap_iter" just before ->iomap_begin and
 * "iomap_iter_dstmap" right after it succeeds, so the pair brackets the
 * filesystem's mapping call (5.15+). Only direct IO on ext4 is kept.
 * With records on, the bracket holds the kiocb of the IO the task is
 * submitting (dio_window.bpf.c): what the mapping does joins its record.
 */
SEC("tp/iomap/iomap_iter")
int tp_iomap_iter(struct trace_event_raw_iomap_iter *ctx)
{
	struct entry_val *cur;
	__u32 dev = ctx->dev;
	__u64 iocb = 0;

	if (!(ctx->flags & IOMAP_DIRECT) || !dev_wanted(dev))
		return 0;
	/*
	 * The call that ends the iteration maps nothing: where the actors
	 * advance the iteration (6.18 and 7.3 here; not 6.1, where it shows
	 * the mapping's length) it shows nothing left past pos, length 0. A
	 * first call shows length 0 only at pos 0, as no mapping exists yet.
	 */
	if (!ctx->length && ctx->pos)
		return 0;
	if (!is_ext4_dev(dev))
		return 0;
	if (!task_wanted() || !file_wanted(dev, ctx->ino))
		return 0;
	if (io_records) {
		cur = slot_of_current(DS_T_DIO_RW);
		if (cur)
			iocb = cur->args.fill.obj;
	}
	entry_save(DS_T_IOMAP_BEGIN, dev, ctx->ino, ctx->flags,
		   &(union entry_args){ .fill = { iocb, ctx->pos, ctx->length } });
	return 0;
}

SEC("tp/iomap/iomap_iter_dstmap")
int tp_iomap_iter_dstmap(struct trace_event_raw_iomap_class *ctx)
{
	struct task_state *t;
	struct entry_val v;

	t = entry_take_open(DS_T_IOMAP_BEGIN, &v);
	if (!t)
		return 0;
	tp_exit_emit(DS_T_IOMAP_BEGIN, DS_EV_IOMAP_BEGIN, v.args.fill.obj, t,
		     &v, 0, ctx->type, ctx->length);
	return 0;
}
