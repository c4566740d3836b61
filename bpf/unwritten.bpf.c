// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unwritten-extent work: ext4_ext_map_blocks with PRE_IO (the split made
 * before a direct write) or CONVERT (the conversion when it completes),
 * ext4_convert_unwritten_extents (the end_io conversion loop) and
 * ext4_ext_convert_to_initialized.
 */
#include "common.bpf.h"

/* ext4_ext_map_blocks(handle, inode, map, flags) */

static __always_inline int map_enter(struct inode *inode,
				     struct ext4_map_blocks *map, int flags)
{
	__u32 dev = inode_dev(inode);
	__u64 ino = BPF_CORE_READ(inode, i_ino);

	/* conversions and writeback run in workqueues: by file */
	if (!(flags & (DS_GET_BLOCKS_CONVERT | DS_GET_BLOCKS_IO_SUBMIT)) &&
	    !task_wanted())
		return 0;
	if (!work_wanted(dev, ino))
		return 0;
	entry_save(DS_T_MAP_BLOCKS, dev, ino, flags,
		   &(union entry_args){ .fill = { (__u64)map,
			   BPF_CORE_READ(map, m_lblk), BPF_CORE_READ(map, m_len) } });
	return 0;
}

static __always_inline int map_exit(__u8 tier, long ret)
{
	struct ext4_map_blocks *map;
	struct entry_val v;
	struct ds_event *e;

	e = exit_event(DS_T_MAP_BLOCKS, DS_EV_MAP_BLOCKS, tier, &v);
	if (!e)
		return 0;
	map = (void *)v.args.fill.obj;
	e->pos = v.args.fill.pos;
	e->len = v.args.fill.len;
	e->flags = v.flags;
	e->ret = (int)ret;
	e->aux0 = BPF_CORE_READ(map, m_flags);
	e->aux1 = BPF_CORE_READ(map, m_pblk);
	event_submit(e);
	return 0;
}

SEC("fentry/ext4_ext_map_blocks")
int BPF_PROG(fentry_map_blocks, void *handle, struct inode *inode,
	     struct ext4_map_blocks *map, int flags)
{
	return map_enter(inode, map, flags);
}

SEC("fexit/ext4_ext_map_blocks")
int BPF_PROG(fexit_map_blocks, void *handle, struct inode *inode,
	     struct ext4_map_blocks *map, int flags, int ret)
{
	return map_exit(DS_TIER_FENTRY, ret);
}

SEC("kprobe/ext4_ext_map_blocks")
int BPF_KPROBE(kprobe_map_blocks, void *handle, struct inode *inode,
	       struct ext4_map_blocks *map, int flags)
{
	return map_enter(inode, map, flags);
}

SEC("kretprobe/ext4_ext_map_blocks")
int BPF_KRETPROBE(kretprobe_map_blocks, int ret)
{
	return map_exit(DS_TIER_KPROBE, ret);
}

SEC("tp/ext4/ext4_ext_map_blocks_enter")
int tp_map_blocks_enter(struct trace_event_raw_ext4__map_blocks_enter *ctx)
{
	__u32 dev = ctx->dev;

	if (!dev_wanted(dev))
		return 0;
	if (!(ctx->flags & (DS_GET_BLOCKS_CONVERT | DS_GET_BLOCKS_IO_SUBMIT)) &&
	    !task_wanted())
		return 0;
	if (!work_wanted(dev, ctx->ino))
		return 0;
	entry_save(DS_T_MAP_BLOCKS, dev, ctx->ino, ctx->flags,
		   &(union entry_args){ .fill = { 0, ctx->lblk, ctx->len } });
	return 0;
}

/*
 * The IO a mapping call belongs to, with records on: the one the task is
 * mapping (iomap_begin.bpf.c's bracket open), else none.
 */
static __always_inline __u64 mapping_io(void)
{
	struct entry_val *b;

	if (!io_records)
		return 0;
	b = slot_of_current(DS_T_IOMAP_BEGIN);
	return b && b->ts ? b->args.fill.obj : 0;
}

SEC("tp/ext4/ext4_ext_map_blocks_exit")
int tp_map_blocks_exit(struct trace_event_raw_ext4__map_blocks_exit *ctx)
{
	struct task_state *t;
	struct entry_val v;

	t = entry_take_open(DS_T_MAP_BLOCKS, &v);
	if (!t)
		return 0;
	tp_exit_emit(DS_T_MAP_BLOCKS, DS_EV_MAP_BLOCKS, mapping_io(), t, &v,
		     ctx->ret, ctx->mflags, ctx->pblk);
	return 0;
}

/* ext4_convert_unwritten_extents(handle, inode, offset, len) */

static __always_inline int convert_enter(struct inode *inode, loff_t offset,
					 ssize_t len)
{
	__u32 dev = inode_dev(inode);
	__u64 ino = BPF_CORE_READ(inode, i_ino);

	if (!work_wanted(dev, ino))
		return 0;
	entry_save(DS_T_CONVERT, dev, ino, 0,
		   &(union entry_args){ .span = { offset, len } });
	return 0;
}

static __always_inline int convert_exit(__u8 tier, long ret)
{
	struct entry_val v;
	struct ds_event *e;

	e = exit_event(DS_T_CONVERT, DS_EV_CONVERT, tier, &v);
	if (!e)
		return 0;
	e->pos = v.args.span.pos;
	e->len = v.args.span.len;
	e->ret = (int)ret;
	event_submit(e);
	return 0;
}

SEC("fentry/ext4_convert_unwritten_extents")
int BPF_PROG(fentry_convert, void *handle, struct inode *inode,
	     loff_t offset, ssize_t len)
{
	return convert_enter(inode, offset, len);
}

SEC("fexit/ext4_convert_unwritten_extents")
int BPF_PROG(fexit_convert, void *handle, struct inode *inode, loff_t offset,
	     ssize_t len, int ret)
{
	return convert_exit(DS_TIER_FENTRY, ret);
}

SEC("fexit/ext4_convert_unwritten_extents")
int BPF_PROG(fexit_convert5, void *handle, struct inode *inode, loff_t offset,
	     ssize_t len, void *converted, int ret)
{
	return convert_exit(DS_TIER_FENTRY, ret);
}

SEC("kprobe/ext4_convert_unwritten_extents")
int BPF_KPROBE(kprobe_convert, void *handle, struct inode *inode,
	       loff_t offset, ssize_t len)
{
	return convert_enter(inode, offset, len);
}

SEC("kretprobe/ext4_convert_unwritten_extents")
int BPF_KRETPROBE(kretprobe_convert, int ret)
{
	return convert_exit(DS_TIER_KPROBE, ret);
}

/* ext4_ext_convert_to_initialized(handle, inode, map, path[p], flags) */

static __always_inline int init_enter(struct inode *inode,
				      struct ext4_map_blocks *map)
{
	__u32 dev = inode_dev(inode);
	__u64 ino = BPF_CORE_READ(inode, i_ino);

	if (!work_wanted(dev, ino))
		return 0;
	entry_save(DS_T_CONVERT_INIT, dev, ino, 0,
		   &(union entry_args){ .span = { BPF_CORE_READ(map, m_lblk),
						  BPF_CORE_READ(map, m_len) } });
	return 0;
}

static __always_inline int init_exit(__u8 tier, long ret)
{
	struct entry_val v;
	struct ds_event *e;

	e = exit_event(DS_T_CONVERT_INIT, DS_EV_CONVERT_INIT, tier, &v);
	if (!e)
		return 0;
	e->pos = v.args.span.pos;
	e->len = v.args.span.len;
	e->ret = ret;
	event_submit(e);
	return 0;
}

SEC("fentry/ext4_ext_convert_to_initialized")
int BPF_PROG(fentry_convert_init, void *handle, struct inode *inode,
	     struct ext4_map_blocks *map)
{
	return init_enter(inode, map);
}

/*
 * Before 6.12 five arguments, the fourth a path ** (not declared, not
 * read); from 6.12 a sixth (allocated) and the path returned.
 */
SEC("fexit/ext4_ext_convert_to_initialized")
int fexit_convert_init(unsigned long long *ctx)
{
	return init_exit(DS_TIER_FENTRY, ctx[5]);
}

SEC("fexit/ext4_ext_convert_to_initialized")
int fexit_convert_init6(unsigned long long *ctx)
{
	long ret = ctx[6];

	/* the path or an ERR_PTR: only errors are kept */
	return init_exit(DS_TIER_FENTRY, ret < 0 && ret > -4096 ? ret : 0);
}

SEC("kprobe/ext4_ext_convert_to_initialized")
int BPF_KPROBE(kprobe_convert_init, void *handle, struct inode *inode,
	       struct ext4_map_blocks *map)
{
	return init_enter(inode, map);
}

SEC("kretprobe/ext4_ext_convert_to_initialized")
int BPF_KRETPROBE(kretprobe_convert_init, long ret)
{
	return init_exit(DS_TIER_KPROBE, ret);
}

/* Tier 3 sees the entry only: a point in time, no duration. */
SEC("tp/ext4/ext4_ext_convert_to_initialized_enter")
int tp_convert_init(struct trace_event_raw_ext4_ext_convert_to_initialized_enter *ctx)
{
	__u32 dev = ctx->dev;
	struct ds_event *e;

	if (!work_wanted(dev, ctx->ino))
		return 0;
	e = event_reserve(DS_EV_CONVERT_INIT, DS_T_CONVERT_INIT,
			  DS_TIER_TRACEPOINT, dev, ctx->ino);
	if (!e)
		return 0;
	e->pos = ctx->m_lblk;
	e->len = ctx->m_len;
	event_submit(e);
	return 0;
}
