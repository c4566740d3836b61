// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Extent splits and merges: the churn the iomap DIO port can cause when a
 * merge undoes a PRE_IO split that an in-flight write still needs.
 *
 * ext4_ext_try_to_merge_right is where every pair of extents is merged
 * (ext4_ext_try_to_merge calls it for the left and the right neighbour),
 * so a merge event is one call of it; its entry shows the boundary that
 * may go away and its exit whether it went.
 */
#include "common.bpf.h"

/*
 * ext4_split_extent_at() has had three signatures (fs/ext4/extents.c):
 * (handle, inode, ppath, split, split_flag, flags) returning 0 or -errno
 * before 6.12, (handle, inode, path, split, split_flag, flags) returning
 * the path from 6.12, and (handle, inode, path, split, flags) from 7.2.
 * The planner picks the programs of the one the kernel's BTF shows; the
 * 5-argument one has no split_flag to report (0).
 */

static __always_inline int split_enter(struct inode *inode,
				       struct ext4_ext_path *path,
				       __u32 split, int split_flag, int flags)
{
	struct ext4_extent *ex;
	__u32 dev = inode_dev(inode);
	__u64 ino = BPF_CORE_READ(inode, i_ino);
	__u16 raw;

	if (!work_wanted(dev, ino))
		return 0;
	/* without the path the split point is known, the extent is not */
	if (!path) {
		entry_save(DS_T_SPLIT, dev, ino, split_flag,
			   &(union entry_args){ .split = { split, (__u32)flags } });
		return 0;
	}
	ex = BPF_CORE_READ(path_leaf(path), p_ext);
	raw = BPF_CORE_READ(ex, ee_len);
	entry_save(DS_T_SPLIT, dev, ino, split_flag,
		   &(union entry_args){ .split = { split, (__u32)flags,
			   { BPF_CORE_READ(ex, ee_block), raw } } });
	return 0;
}

/* the path a path ** points at, or NULL */
static __always_inline struct ext4_ext_path *deref_path(void *ppath)
{
	struct ext4_ext_path *path = NULL;

	if (ppath)
		bpf_probe_read_kernel(&path, sizeof(path), ppath);
	return path;
}

static __always_inline int split_exit(__u8 tier, long ret)
{
	struct entry_val v;
	struct ds_event *e;

	e = exit_event(DS_T_SPLIT, DS_EV_SPLIT, tier, &v);
	if (!e)
		return 0;
	e->pos = (__u32)v.args.split.at;
	e->aux2 = v.args.split.flags;
	e->aux0 = v.args.split.ex.lblk;
	e->len = ext_len(v.args.split.ex.raw);
	e->aux1 = ext_unwritten(v.args.split.ex.raw);
	e->flags = v.flags;
	/* the path, an ERR_PTR, 0 or -errno: only errors are kept */
	e->ret = (ret < 0 && ret > -4096) ? ret : 0;
	event_submit(e);
	return 0;
}

/*
 * The fentry verifier of kernels before 6.12 refuses to hand over a
 * struct ext4_ext_path ** ("not a struct"): the program takes its
 * arguments raw and reads that one with bpf_get_func_arg() (5.17+).
 * Where that helper is missing (5.10) the split is still counted, with
 * its split point but not the extent.
 */
SEC("fentry/ext4_split_extent_at")
int fentry_split_pp(unsigned long long *ctx)
{
	__u64 ppath = 0;

	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_get_func_arg))
		bpf_get_func_arg(ctx, 2, &ppath);
	return split_enter((struct inode *)ctx[1], deref_path((void *)ppath),
			   ctx[3], ctx[4], ctx[5]);
}

SEC("fentry/ext4_split_extent_at")
int BPF_PROG(fentry_split, void *handle, struct inode *inode,
	     struct ext4_ext_path *path, __u32 split, int split_flag, int flags)
{
	return split_enter(inode, path, split, split_flag, flags);
}

SEC("fentry/ext4_split_extent_at")
int BPF_PROG(fentry_split5, void *handle, struct inode *inode,
	     struct ext4_ext_path *path, __u32 split, int flags)
{
	return split_enter(inode, path, split, 0, flags);
}

SEC("fexit/ext4_split_extent_at")
int fexit_split(unsigned long long *ctx)
{
	return split_exit(DS_TIER_FENTRY, ctx[6]);
}

SEC("fexit/ext4_split_extent_at")
int fexit_split5(unsigned long long *ctx)
{
	return split_exit(DS_TIER_FENTRY, ctx[5]);
}

/* libbpf's BPF_KPROBE stops at five arguments; the sixth is in r9 on x86 */
static __always_inline int kprobe_arg6(struct pt_regs *ctx)
{
#if defined(__TARGET_ARCH_x86)
	return (int)ctx->r9;
#else
	return 0;
#endif
}

SEC("kprobe/ext4_split_extent_at")
int BPF_KPROBE(kprobe_split_pp, void *handle, struct inode *inode,
	       void *ppath, __u32 split, int split_flag)
{
	return split_enter(inode, deref_path(ppath), split, split_flag,
			   kprobe_arg6(ctx));
}

SEC("kprobe/ext4_split_extent_at")
int BPF_KPROBE(kprobe_split, void *handle, struct inode *inode,
	       struct ext4_ext_path *path, __u32 split, int split_flag)
{
	return split_enter(inode, path, split, split_flag, kprobe_arg6(ctx));
}

SEC("kprobe/ext4_split_extent_at")
int BPF_KPROBE(kprobe_split5, void *handle, struct inode *inode,
	       struct ext4_ext_path *path, __u32 split, int flags)
{
	return split_enter(inode, path, split, 0, flags);
}

SEC("kretprobe/ext4_split_extent_at")
int BPF_KRETPROBE(kretprobe_split, long ret)
{
	return split_exit(DS_TIER_KPROBE, ret);
}

/*
 * An ext4_ext_insert_extent() call in progress on this task counts the
 * merges ext4_ext_try_to_merge() makes inside it (flags bits 8-15), to
 * tell them from its own in-place extension.
 */
static __always_inline void insert_note_merges(__u32 pairs)
{
	struct entry_val *v;
	__u32 n;

	if (!pairs)
		return;
	v = slot_of_current(DS_T_INSERT);
	if (!v)
		return;
	n = ((v->flags >> 8) & 0xff) + pairs;
	v->flags = (v->flags & ~0xff00u) | ((n > 0xff ? 0xff : n) << 8);
}

/* ext4_ext_try_to_merge_right(inode, path, ex) */

static __always_inline int merge_right_enter(struct inode *inode,
					     struct ext4_ext_path *path,
					     struct ext4_extent *ex)
{
	struct ext4_extent_header *hdr;
	struct ext4_extent *next;
	__u32 dev = inode_dev(inode);
	__u64 ino = BPF_CORE_READ(inode, i_ino);
	__u16 entries, raw, nraw;
	__u64 last;

	if (!work_wanted(dev, ino))
		return 0;
	hdr = BPF_CORE_READ(path_leaf(path), p_hdr);
	entries = BPF_CORE_READ(hdr, eh_entries);
	/* extents follow the header: EXT_LAST_EXTENT() */
	last = (__u64)(hdr + 1) + (entries - 1) * sizeof(*ex);
	raw = BPF_CORE_READ(ex, ee_len);
	next = ex + 1;
	/*
	 * flags: bit 0 says a right neighbour is there, the upper half holds
	 * the leaf's entries, whose drop at exit is the number of merges
	 */
	if ((__u64)ex >= last) {
		/* no right neighbour: nothing can merge, still a call */
		entry_save(DS_T_MERGE_RIGHT, dev, ino, (__u32)entries << 16,
			   &(union entry_args){ .merge = {
				   { BPF_CORE_READ(ex, ee_block), raw },
				   (__u64)hdr } });
		return 0;
	}
	nraw = BPF_CORE_READ(next, ee_len);
	entry_save(DS_T_MERGE_RIGHT, dev, ino, 1 | ((__u32)entries << 16),
		   &(union entry_args){ .merge = {
			   { BPF_CORE_READ(ex, ee_block), raw }, (__u64)hdr,
			   { BPF_CORE_READ(next, ee_block), nraw } } });
	return 0;
}

static __always_inline int merge_right_exit(__u8 tier, long ret)
{
	struct ext4_extent_header *hdr;
	struct entry_val v;
	struct ds_event *e;
	__u16 raw, nraw, after;

	e = exit_event(DS_T_MERGE_RIGHT, DS_EV_MERGE, tier, &v);
	if (!e)
		return 0;
	raw = v.args.merge.ex.raw;
	hdr = (void *)v.args.merge.hdr;
	after = BPF_CORE_READ(hdr, eh_entries);
	/* pairs merged: the leaf lost one entry per merge */
	e->aux2 = (v.flags >> 16) > after ? (v.flags >> 16) - after : 0;
	e->aux1 = v.args.merge.ex.lblk;
	e->len = ext_len(raw);
	e->flags = DS_MERGE_EXACT;
	if (ext_unwritten(raw))
		e->flags |= DS_MERGE_LEFT_UNWRITTEN;
	if (v.flags & 1) {	/* a right neighbour was there */
		nraw = v.args.merge.next.raw;
		e->pos = v.args.merge.next.lblk;
		e->aux0 = ext_len(nraw);
		if (ext_unwritten(nraw))
			e->flags |= DS_MERGE_RIGHT_UNWRITTEN;
	} else {
		e->pos = v.args.merge.ex.lblk + ext_len(raw);
	}
	if (ret > 0)
		e->flags |= DS_MERGE_DONE;
	e->ret = ret;
	insert_note_merges(e->aux2);
	event_submit(e);
	return 0;
}

SEC("fentry/ext4_ext_try_to_merge_right")
int BPF_PROG(fentry_merge_right, struct inode *inode,
	     struct ext4_ext_path *path, struct ext4_extent *ex)
{
	return merge_right_enter(inode, path, ex);
}

SEC("fexit/ext4_ext_try_to_merge_right")
int BPF_PROG(fexit_merge_right, struct inode *inode,
	     struct ext4_ext_path *path, struct ext4_extent *ex, int ret)
{
	return merge_right_exit(DS_TIER_FENTRY, ret);
}

SEC("kprobe/ext4_ext_try_to_merge_right")
int BPF_KPROBE(kprobe_merge_right, struct inode *inode,
	       struct ext4_ext_path *path, struct ext4_extent *ex)
{
	return merge_right_enter(inode, path, ex);
}

SEC("kretprobe/ext4_ext_try_to_merge_right")
int BPF_KRETPROBE(kretprobe_merge_right, int ret)
{
	return merge_right_exit(DS_TIER_KPROBE, ret);
}

/* ext4_ext_try_to_merge(handle, inode, path, ex): the whole attempt */

static __always_inline int merge_enter(struct inode *inode,
				       struct ext4_extent *ex)
{
	__u32 dev = inode_dev(inode);
	__u64 ino = BPF_CORE_READ(inode, i_ino);

	if (!work_wanted(dev, ino))
		return 0;
	entry_save(DS_T_MERGE, dev, ino, 0,
		   &(union entry_args){ .span = { BPF_CORE_READ(ex, ee_block),
						  BPF_CORE_READ(ex, ee_len) } });
	return 0;
}

static __always_inline int merge_exit(__u8 tier)
{
	struct entry_val v;
	struct ds_event *e;

	e = exit_event(DS_T_MERGE, DS_EV_MERGE_CALL, tier, &v);
	if (!e)
		return 0;
	e->pos = v.args.span.pos;
	e->len = ext_len(v.args.span.len);
	event_submit(e);
	return 0;
}

SEC("fentry/ext4_ext_try_to_merge")
int BPF_PROG(fentry_merge, void *handle, struct inode *inode,
	     struct ext4_ext_path *path, struct ext4_extent *ex)
{
	return merge_enter(inode, ex);
}

SEC("fexit/ext4_ext_try_to_merge")
int BPF_PROG(fexit_merge, void *handle, struct inode *inode,
	     struct ext4_ext_path *path, struct ext4_extent *ex)
{
	return merge_exit(DS_TIER_FENTRY);
}

SEC("kprobe/ext4_ext_try_to_merge")
int BPF_KPROBE(kprobe_merge, void *handle, struct inode *inode,
	       struct ext4_ext_path *path, struct ext4_extent *ex)
{
	return merge_enter(inode, ex);
}

SEC("kretprobe/ext4_ext_try_to_merge")
int BPF_KRETPROBE(kretprobe_merge)
{
	return merge_exit(DS_TIER_KPROBE);
}

/*
 * Tier 3 on kernels carrying patches/<kernel>/0001: tracepoints at the
 * split and merge sites. Their layout is ours; CO-RE matches it by field
 * name.
 */
struct trace_event_raw_ext4_ext_split___ds {
	struct trace_entry ent;
	dev_t dev;
	ino_t ino;
	__u32 split;
	__u32 ee_lblk;
	__u64 ee_pblk;
	unsigned short ee_len;
	unsigned char unwritten;
	int split_flag;
	int flags;
} __attribute__((preserve_access_index));

struct trace_event_raw_ext4_ext_merge___ds {
	struct trace_entry ent;
	dev_t dev;
	ino_t ino;
	__u32 boundary;
	__u32 left_lblk;
	unsigned short left_len;
	unsigned char left_unwritten;
	__u32 right_lblk;
	unsigned short right_len;
	unsigned char right_unwritten;
} __attribute__((preserve_access_index));

SEC("tp/ext4/ext4_ext_split")
int tp_split(struct trace_event_raw_ext4_ext_split___ds *ctx)
{
	__u32 dev = ctx->dev;
	struct ds_event *e;

	if (!work_wanted(dev, ctx->ino))
		return 0;
	e = event_reserve(DS_EV_SPLIT, DS_T_SPLIT, DS_TIER_TRACEPOINT, dev,
			  ctx->ino);
	if (!e)
		return 0;
	e->pos = ctx->split;
	e->aux0 = ctx->ee_lblk;
	e->len = ctx->ee_len;
	e->aux1 = ctx->unwritten;
	/* the 7.3 series has no split_flag: 7.2 dropped the argument */
	e->flags = bpf_core_field_exists(ctx->split_flag) ? ctx->split_flag : 0;
	e->aux2 = ctx->flags;
	event_submit(e);
	return 0;
}

SEC("tp/ext4/ext4_ext_merge")
int tp_merge(struct trace_event_raw_ext4_ext_merge___ds *ctx)
{
	__u32 dev = ctx->dev;
	struct ds_event *e;

	if (!work_wanted(dev, ctx->ino))
		return 0;
	e = event_reserve(DS_EV_MERGE, DS_T_MERGE_RIGHT, DS_TIER_TRACEPOINT,
			  dev, ctx->ino);
	if (!e)
		return 0;
	e->pos = ctx->boundary;
	e->aux1 = ctx->left_lblk;
	e->len = ctx->left_len;
	e->aux0 = ctx->right_len;
	e->flags = DS_MERGE_DONE | DS_MERGE_EXACT;
	e->aux2 = 1;	/* one event per pair merged */
	if (ctx->left_unwritten)
		e->flags |= DS_MERGE_LEFT_UNWRITTEN;
	if (ctx->right_unwritten)
		e->flags |= DS_MERGE_RIGHT_UNWRITTEN;
	event_submit(e);
	return 0;
}
