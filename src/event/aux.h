/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The positional words of struct ds_event (aux0, aux1, aux2) by what
 * they hold for each event type (the table in bpf/dioscope.h), so that a
 * reader of user space sees which value is read, not which slot. Each
 * accessor is for the event types its comment names; on another type it
 * returns whatever that type keeps in the slot. Code that handles the
 * slots as such (the record codec, the digest, events.csv) reads them
 * directly.
 */
#ifndef DIOSCOPE_EVENT_AUX_H
#define DIOSCOPE_EVENT_AUX_H

#include <stdbool.h>
#include <linux/types.h>
#include "dioscope.h"

/* DIO_SUBMIT, DIO_COMPLETE: the kiocb's address, 0 where not known */
static inline __u64 ds_dio_iocb(const struct ds_event *e)
{
	return e->aux0;
}

/* IOMAP_BEGIN: the mapping's type (DS_IOMAP_*) and length in bytes */
static inline __u64 ds_iomap_type(const struct ds_event *e)
{
	return e->aux0;
}

static inline __u64 ds_iomap_length(const struct ds_event *e)
{
	return e->aux1;
}

/* END_IO: the error handed to the end_io callback */
static inline __s64 ds_end_io_error(const struct ds_event *e)
{
	return (__s64)e->aux0;
}

/* MAP_BLOCKS, WB_MAP: ext4_map_blocks.m_flags (DS_MAP_*) */
static inline __u64 ds_map_mflags(const struct ds_event *e)
{
	return e->aux0;
}

/* MAP_BLOCKS: the first physical block mapped */
static inline __u64 ds_map_pblk(const struct ds_event *e)
{
	return e->aux1;
}

/* SPLIT: the split extent's first block, whether it was unwritten, and
 * the get_blocks flags of the call that split it */
static inline __u64 ds_split_extent_lblk(const struct ds_event *e)
{
	return e->aux0;
}

static inline bool ds_split_unwritten(const struct ds_event *e)
{
	return e->aux1;
}

static inline __u32 ds_split_gb_flags(const struct ds_event *e)
{
	return e->aux2;
}

/* MERGE: the right extent's length and the left one's first block (the
 * left one's length is len), as they were before the merge */
static inline __u64 ds_merge_right_len(const struct ds_event *e)
{
	return e->aux0;
}

static inline __u64 ds_merge_left_lblk(const struct ds_event *e)
{
	return e->aux1;
}

/* MERGE: the pairs of extents merged (0: an insertion that merged
 * nothing) */
static inline __u32 ds_merge_pairs(const struct ds_event *e)
{
	return e->aux2;
}

/* MERGE with DS_MERGE_DONE: the pairs it merged, counted as one at least */
static inline __u32 ds_merge_pairs_done(const struct ds_event *e)
{
	return e->aux2 ? e->aux2 : 1;
}

/* OP_BEGIN, OP_END: the fallocate operation (DS_OP_*) */
static inline __u64 ds_op_kind(const struct ds_event *e)
{
	return e->aux0;
}

#endif
