// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The merge no try_to_merge call shows: ext4_ext_insert_extent() extends
 * a neighbour in place when the new extent continues it (append) or
 * precedes it (prepend), unless the caller passed PRE_IO (6.19:
 * SPLIT_NOMERGE). On 7.x this is how a direct write into a hole joins
 * the unwritten piece of another write still in flight.
 *
 * The entry reads the new extent, the leaf and the neighbour the kernel
 * will look at, and predicts from ext4_can_extents_be_merged()'s rules
 * (fs/ext4/extents.c) which way a merge would go. The exit observes
 * whether one happened: an insertion adds one entry to the leaf, an
 * in-place extension none, and each merge ext4_ext_try_to_merge() makes
 * inside the call (counted by extent_churn's merge_right programs)
 * removes one. One event per call: DS_EV_MERGE, target DS_T_INSERT
 * (bpf/dioscope.h says what its fields hold).
 */
#include "common.bpf.h"

#define EXT_UNWRITTEN_MAX_LEN	(EXT_INIT_MAX_LEN - 1)

/* entry_val.flags */
#define INS_APPEND	(1u << 0)	/* predicted: appended to the left one */
#define INS_PREPEND	(1u << 1)	/* predicted: prepended to the right one */
#define INS_NOMERGE	(1u << 3)	/* PRE_IO / SPLIT_NOMERGE passed */
/* bits 8-15: merges inside the call (insert_note_merges), 16-31: the
 * neighbour's raw ee_len */

struct ext_val {
	__u32 lblk;
	__u16 raw;
	__u64 pblk;
};

static __always_inline void ext_read(struct ext4_extent *ex, struct ext_val *v)
{
	v->lblk = BPF_CORE_READ(ex, ee_block);
	v->raw = BPF_CORE_READ(ex, ee_len);
	v->pblk = BPF_CORE_READ(ex, ee_start_lo) |
		  ((__u64)BPF_CORE_READ(ex, ee_start_hi) << 32);
}

/* ext4_can_extents_be_merged(ex1, ex2): ex2 continues ex1 */
static __always_inline bool can_merge(const struct ext_val *a,
				      const struct ext_val *b)
{
	__u32 la = ext_len(a->raw), lb = ext_len(b->raw);

	if (ext_unwritten(a->raw) != ext_unwritten(b->raw))
		return false;
	if (a->lblk + la != b->lblk)
		return false;
	if (la + lb > EXT_INIT_MAX_LEN)
		return false;
	if (ext_unwritten(a->raw) && la + lb > EXT_UNWRITTEN_MAX_LEN)
		return false;
	return a->pblk + la == b->pblk;
}

/*
 * The kernel's choice of neighbour: ext4_find_extent() may have left ex
 * on either side of the new extent.
 */
static __always_inline __u32 predict(struct ext4_extent_header *hdr,
				     struct ext4_extent *ex, __u16 entries,
				     const struct ext_val *nv, __u16 *nraw)
{
	struct ext4_extent *first = (void *)(hdr + 1);
	struct ext4_extent *last = first + (entries ? entries - 1 : 0);
	struct ext_val xv;
	bool try_append = true;

	ext_read(ex, &xv);
	if (ex < last && xv.lblk + ext_len(xv.raw) < nv->lblk) {
		ex += 1;
		try_append = false;
	} else if (ex > first && nv->lblk + ext_len(nv->raw) < xv.lblk) {
		ex -= 1;
	}
	ext_read(ex, &xv);
	*nraw = xv.raw;
	if (try_append && can_merge(&xv, nv))
		return INS_APPEND;
	if (can_merge(nv, &xv))
		return INS_PREPEND;
	return 0;
}

static __always_inline int insert_enter(struct inode *inode,
					struct ext4_ext_path *path,
					void *ppath,
					struct ext4_extent *newext, int gb_flags)
{
	struct ext4_extent_header *hdr = NULL;
	struct ext4_ext_path *leaf;
	struct ext4_extent *ex = NULL;
	__u32 dev = inode_dev(inode), flags = 0;
	__u64 ino = BPF_CORE_READ(inode, i_ino);
	__u16 entries = 0, xraw = 0;
	struct ext_val nv;

	if (!work_wanted(dev, ino))
		return 0;
	ext_read(newext, &nv);
	if (gb_flags & DS_GET_BLOCKS_SPLIT_NOMERGE)
		flags |= INS_NOMERGE;
	if (path) {
		leaf = path_leaf(path);
		hdr = BPF_CORE_READ(leaf, p_hdr);
		ex = BPF_CORE_READ(leaf, p_ext);
		entries = BPF_CORE_READ(hdr, eh_entries);
	}
	if (ex && !(flags & INS_NOMERGE))
		flags |= predict(hdr, ex, entries, &nv, &xraw);
	flags |= (__u32)xraw << 16;
	entry_save(DS_T_INSERT, dev, ino, flags,
		   &(union entry_args){ .insert = {
			   { nv.lblk, nv.raw, entries }, (__u64)hdr,
			   (__u64)ppath } });
	return 0;
}

static __always_inline struct ext4_ext_path *deref_path(void *ppath)
{
	struct ext4_ext_path *path = NULL;

	if (ppath)
		bpf_probe_read_kernel(&path, sizeof(path), ppath);
	return path;
}

/* merge the call made by extending a neighbour: 1, 0, or -1 unknown */
static __always_inline int observed(const struct entry_val *v,
				    struct ext4_ext_path *path)
{
	struct ext4_extent_header *hdr;
	__u16 before = v->args.insert.ex.entries, after;
	__u32 nested = (v->flags >> 8) & 0xff;

	if (!path || !v->args.insert.hdr)
		return -1;
	hdr = BPF_CORE_READ(path_leaf(path), p_hdr);
	/* another leaf, a new one, or the tree moved into the inode */
	if ((__u64)hdr != v->args.insert.hdr)
		return -1;
	after = BPF_CORE_READ(hdr, eh_entries);
	return (int)before + 1 - (int)nested - (int)after >= 1;
}

static __always_inline void fill_merge(struct ds_event *e,
				       const struct entry_val *v)
{
	__u32 nlblk = v->args.insert.ex.lblk;
	__u16 nraw = v->args.insert.ex.raw, xraw = v->flags >> 16;
	__u32 nlen = ext_len(nraw);
	__u32 xlen = ext_len(xraw);

	e->aux2 = 1;
	if (v->flags & INS_PREPEND) {
		e->flags |= DS_MERGE_PREPEND;
		e->pos = nlblk + nlen;
		e->aux1 = nlblk;
		e->len = nlen;
		e->aux0 = xlen;
		if (ext_unwritten(nraw))
			e->flags |= DS_MERGE_LEFT_UNWRITTEN;
		if (ext_unwritten(xraw))
			e->flags |= DS_MERGE_RIGHT_UNWRITTEN;
		return;
	}
	/* appended (or, unpredicted, taken as such): the boundary is ours */
	e->pos = nlblk;
	e->aux1 = nlblk - xlen;
	e->len = xlen;
	e->aux0 = nlen;
	if (ext_unwritten(xraw))
		e->flags |= DS_MERGE_LEFT_UNWRITTEN;
	if (ext_unwritten(nraw))
		e->flags |= DS_MERGE_RIGHT_UNWRITTEN;
}

/* ret: 0 or -errno before 6.12, the path or an ERR_PTR from 6.12 */
static __always_inline int insert_exit(__u8 tier, long ret, bool ret_path)
{
	struct ext4_ext_path *path;
	struct entry_val v;
	struct ds_event *e;
	bool err = ret < 0 && ret > -4096;
	int merged;

	e = exit_event(DS_T_INSERT, DS_EV_MERGE, tier, &v);
	if (!e)
		return 0;
	path = ret_path ? (void *)ret : deref_path((void *)v.args.insert.ppath);
	e->flags = DS_MERGE_INSERT;
	if (v.flags & INS_NOMERGE)
		e->flags |= DS_MERGE_NOMERGE;
	merged = err || (v.flags & INS_NOMERGE) ? 0 : observed(&v, path);
	/* unobservable: the prediction stands, not marked exact */
	if (merged < 0)
		merged = !!(v.flags & (INS_APPEND | INS_PREPEND));
	else if (merged)
		e->flags |= DS_MERGE_EXACT;
	if (merged) {
		e->flags |= DS_MERGE_DONE;
		fill_merge(e, &v);
	} else {
		e->pos = v.args.insert.ex.lblk;
		e->len = ext_len(v.args.insert.ex.raw);
		e->aux1 = e->pos;
	}
	e->ret = err ? ret : 0;
	event_submit(e);
	return 0;
}

/*
 * ext4_ext_insert_extent(handle, inode, path, newext, gb_flags) returns
 * the path from 6.12; before, the third argument is a path ** and it
 * returns 0 or -errno (fs/ext4/extents.c). The fentry verifier of those
 * kernels will not hand over a path **: bpf_get_func_arg() (5.17+)
 * reads it, and without that helper (5.10) the program does not load
 * and the planner moves the target to kprobe.
 */
SEC("fentry/ext4_ext_insert_extent")
int BPF_PROG(fentry_insert, void *handle, struct inode *inode,
	     struct ext4_ext_path *path, struct ext4_extent *newext,
	     int gb_flags)
{
	return insert_enter(inode, path, NULL, newext, gb_flags);
}

SEC("fexit/ext4_ext_insert_extent")
int fexit_insert(unsigned long long *ctx)
{
	return insert_exit(DS_TIER_FENTRY, ctx[5], true);
}

SEC("fentry/ext4_ext_insert_extent")
int fentry_insert_pp(unsigned long long *ctx)
{
	__u64 ppath = 0;

	bpf_get_func_arg(ctx, 2, &ppath);
	return insert_enter((struct inode *)ctx[1], deref_path((void *)ppath),
			    (void *)ppath, (struct ext4_extent *)ctx[3],
			    ctx[4]);
}

SEC("fexit/ext4_ext_insert_extent")
int fexit_insert_pp(unsigned long long *ctx)
{
	return insert_exit(DS_TIER_FENTRY, (int)ctx[5], false);
}

SEC("kprobe/ext4_ext_insert_extent")
int BPF_KPROBE(kprobe_insert, void *handle, struct inode *inode,
	       struct ext4_ext_path *path, struct ext4_extent *newext,
	       int gb_flags)
{
	return insert_enter(inode, path, NULL, newext, gb_flags);
}

SEC("kretprobe/ext4_ext_insert_extent")
int BPF_KRETPROBE(kretprobe_insert, long ret)
{
	return insert_exit(DS_TIER_KPROBE, ret, true);
}

SEC("kprobe/ext4_ext_insert_extent")
int BPF_KPROBE(kprobe_insert_pp, void *handle, struct inode *inode,
	       void *ppath, struct ext4_extent *newext, int gb_flags)
{
	return insert_enter(inode, deref_path(ppath), ppath, newext, gb_flags);
}

SEC("kretprobe/ext4_ext_insert_extent")
int BPF_KRETPROBE(kretprobe_insert_pp, int ret)
{
	return insert_exit(DS_TIER_KPROBE, ret, false);
}

/*
 * Tier 3 on kernels carrying patches/7.3: a tracepoint at the in-place
 * extension, of the ext4_ext_merge class (left in the tree, right the
 * new extent when appended; the other way round when prepended).
 */
struct trace_event_raw_ext4_ext_merge___ins {
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

SEC("tp/ext4/ext4_ext_insert_merge")
int tp_insert_merge(struct trace_event_raw_ext4_ext_merge___ins *ctx)
{
	__u32 dev = ctx->dev;
	struct ds_event *e;

	if (!work_wanted(dev, ctx->ino))
		return 0;
	e = event_reserve(DS_EV_MERGE, DS_T_INSERT, DS_TIER_TRACEPOINT, dev,
			  ctx->ino);
	if (!e)
		return 0;
	e->pos = ctx->boundary;
	e->aux1 = ctx->left_lblk;
	e->len = ctx->left_len;
	e->aux0 = ctx->right_len;
	e->flags = DS_MERGE_INSERT | DS_MERGE_DONE | DS_MERGE_EXACT;
	e->aux2 = 1;
	if (ctx->left_unwritten)
		e->flags |= DS_MERGE_LEFT_UNWRITTEN;
	if (ctx->right_unwritten)
		e->flags |= DS_MERGE_RIGHT_UNWRITTEN;
	event_submit(e);
	return 0;
}
