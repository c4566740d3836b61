/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event encoding of record format 2: each event as the difference
 * from the previous event of its type, in variable-length integers.
 *
 *	type		varint
 *	mask		varint, one bit per field below that differs from
 *			its prediction (enum codec_field)
 *	ts_ns		zigzag varint, from the previous event's ts_ns
 *	fields		for each bit set, in bit order: a zigzag varint of
 *			value - prediction (comm: a length byte and that
 *			many bytes, the rest is NUL)
 *
 * A field's prediction is its value in the previous event of the same
 * type (slot type % CODEC_SLOTS) in the same block; pid and comm are
 * predicted from the last event of the same tid when the tid cache
 * holds it. Events of one kind repeat most fields (inode, device, task,
 * length, flags), so a typical event takes 10 to 20 bytes of the 120 it
 * has in memory. The state starts from zero at each block: a block is
 * decoded without anything before it.
 */
#ifndef DIOSCOPE_RECORD_CODEC_H
#define DIOSCOPE_RECORD_CODEC_H

#include <stddef.h>
#include <linux/types.h>
#include "dioscope.h"

#define CODEC_SLOTS 32
#define CODEC_TIDS 64
/* the longest encoding of one event */
#define CODEC_MAX_EVENT 224

/*
 * The fields after comm came with the larger event: a file of the older
 * size never sets their bits, and its events decode as before.
 */
enum codec_field {
	CF_TARGET, CF_TIER, CF_TID, CF_PID, CF_DEV, CF_INO, CF_DUR, CF_POS,
	CF_LEN, CF_AUX0, CF_AUX1, CF_RET, CF_FLAGS, CF_AUX2, CF_COMM,
	CF_OFFCPU, CF_NESTED,
	CF_MAX,
};

struct codec_tid {
	__u32 tid, pid;
	char comm[DS_COMM_LEN];
};

struct codec_state {
	__u64 ts;
	struct ds_event prev[CODEC_SLOTS];
	struct codec_tid tids[CODEC_TIDS];
};

void codec_reset(struct codec_state *s);
/* Encode e into out (CODEC_MAX_EVENT bytes at least); returns its length. */
size_t codec_encode(struct codec_state *s, const struct ds_event *e,
		    unsigned char *out);
/*
 * Decode one event from p[0, n): its length, 0 when the bytes end
 * within it, -1 when they are not an encoding.
 */
int codec_decode(struct codec_state *s, const unsigned char *p, size_t n,
		 struct ds_event *e);

#endif
