// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The completion side of a direct write: ext4_dio_write_end_io (5.5+)
 * converts unwritten extents and extends i_size; ext4_end_io_dio did the
 * same for the legacy path. Runs in the submitting task for synchronous
 * IO and in a workqueue for async IO that needs conversion.
 */
#include "common.bpf.h"

static __always_inline int end_io_enter(__u32 target, struct kiocb *iocb,
					__u64 pos, __u64 size, __u64 error,
					__u32 flags)
{
	struct inode *inode = BPF_CORE_READ(iocb, ki_filp, f_inode);
	__u32 dev = inode_dev(inode);
	__u64 ino = BPF_CORE_READ(inode, i_ino);

	if (!work_wanted(dev, ino))
		return 0;
	entry_save(target, dev, ino, flags,
		   &(union entry_args){ .span = { pos, size, error } });
	return 0;
}

static __always_inline int end_io_exit(__u32 target, __u8 tier, long ret)
{
	struct entry_val v;
	struct ds_event *e;

	e = exit_event(target, DS_EV_END_IO, tier, &v);
	if (!e)
		return 0;
	e->pos = v.args.span.pos;
	e->len = v.args.span.len;
	e->aux0 = v.args.span.val;	/* the error handed in */
	e->flags = v.flags;
	e->ret = ret;
	event_submit(e);
	return 0;
}

SEC("fentry/ext4_dio_write_end_io")
int BPF_PROG(fentry_end_io, struct kiocb *iocb, ssize_t size, int error,
	     unsigned int flags)
{
	return end_io_enter(DS_T_END_IO, iocb, BPF_CORE_READ(iocb, ki_pos),
			    size, error, flags);
}

SEC("fexit/ext4_dio_write_end_io")
int BPF_PROG(fexit_end_io, struct kiocb *iocb, ssize_t size, int error,
	     unsigned int flags, int ret)
{
	return end_io_exit(DS_T_END_IO, DS_TIER_FENTRY, ret);
}

SEC("kprobe/ext4_dio_write_end_io")
int BPF_KPROBE(kprobe_end_io, struct kiocb *iocb, ssize_t size, int error,
	       unsigned int flags)
{
	return end_io_enter(DS_T_END_IO, iocb, BPF_CORE_READ(iocb, ki_pos),
			    size, error, flags);
}

SEC("kretprobe/ext4_dio_write_end_io")
int BPF_KRETPROBE(kretprobe_end_io, int ret)
{
	return end_io_exit(DS_T_END_IO, DS_TIER_KPROBE, ret);
}

/* ext4_end_io_dio(iocb, offset, size, private), kernels before 5.5 */

SEC("fentry/ext4_end_io_dio")
int BPF_PROG(fentry_legacy_end_io, struct kiocb *iocb, loff_t offset,
	     ssize_t size)
{
	return end_io_enter(DS_T_LEGACY_END_IO, iocb, offset, size, 0, 0);
}

SEC("fexit/ext4_end_io_dio")
int BPF_PROG(fexit_legacy_end_io, struct kiocb *iocb, loff_t offset,
	     ssize_t size, void *private, int ret)
{
	return end_io_exit(DS_T_LEGACY_END_IO, DS_TIER_FENTRY, ret);
}

SEC("kprobe/ext4_end_io_dio")
int BPF_KPROBE(kprobe_legacy_end_io, struct kiocb *iocb, loff_t offset,
	       ssize_t size)
{
	return end_io_enter(DS_T_LEGACY_END_IO, iocb, offset, size, 0, 0);
}

SEC("kretprobe/ext4_end_io_dio")
int BPF_KRETPROBE(kretprobe_legacy_end_io, int ret)
{
	return end_io_exit(DS_T_LEGACY_END_IO, DS_TIER_KPROBE, ret);
}
