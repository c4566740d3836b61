/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run is checked against its own meta before it is believed. The
 * recorder writes into meta what it wrote (the number of events and a
 * digest of them); the reader recomputes both from events.bin, and fio's
 * per-IO logs are counted against the IOs fio.json says it did. A run
 * that does not check out is refused (when meta says it is whole) or
 * reported incomplete, never summarised as if it were whole.
 */
#ifndef DIOSCOPE_RUN_CHECK_H
#define DIOSCOPE_RUN_CHECK_H

#include <stdbool.h>
#include <linux/types.h>
#include "dioscope.h"

#define RUN_DIGEST_SEED 0x64696f73636f7065ULL	/* "dioscope" */

/*
 * Fold one event into a digest. Over the fields, not the bytes, so that
 * it does not depend on how the record file lays events out.
 */
__u64 run_digest_add(__u64 h, const struct ds_event *e);
/* An event no tracer writes: a type, target or tier out of range. */
bool run_event_invalid(const struct ds_event *e);
/* "fentry", "kprobe", "tracepoint" or "-" */
bool run_tier_known(const char *name);

#endif
