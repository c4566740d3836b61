/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The digest of a record file's events, which the recorder writes into
 * meta (events_digest) and the reader recomputes. Which digest a file
 * holds is its format's business (record_file.c's table of formats):
 *
 *	RD_FIELDS	formats 1 and 2: a multiply-rotate mix over each
 *			event's fields, value "%016llx"; it costs more
 *			than decoding the event
 *	RD_XXH3		format 3 on: xxHash's XXH3 (64 bits) over the
 *			file's whole blocks as written, headers included,
 *			value "xxh3:%016llx"; a few bytes per nanosecond
 *
 * Each kind ignores the calls of the other (events, bytes), so that the
 * writer and the reader feed both and name no format here.
 */
#ifndef DIOSCOPE_RECORD_DIGEST_H
#define DIOSCOPE_RECORD_DIGEST_H

#include <stddef.h>
#include <linux/types.h>
#include "dioscope.h"

enum record_digest_kind { RD_FIELDS, RD_XXH3 };

/* the longest value of meta's events_digest, NUL included */
#define RECORD_DIGEST_LEN 24

struct XXH3_state_s;

struct record_digest {
	enum record_digest_kind kind;
	__u64 h;			/* RD_FIELDS */
	struct XXH3_state_s *x;		/* RD_XXH3 */
};

/* 0 or -ENOMEM. */
int record_digest_init(struct record_digest *d, enum record_digest_kind kind);
void record_digest_event(struct record_digest *d, const struct ds_event *e);
void record_digest_bytes(struct record_digest *d, const void *p, size_t n);
/* meta's value for what was fed so far, into buf (RECORD_DIGEST_LEN) */
void record_digest_value(const struct record_digest *d, char *buf);
void record_digest_free(struct record_digest *d);

/*
 * Fold one event into a field digest. Over the fields, not the bytes, so
 * that it does not depend on how formats 1 and 2 lay events out.
 */
__u64 record_digest_fields(__u64 h, const struct ds_event *e);

#endif
