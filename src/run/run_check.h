/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run is checked against its own meta before it is believed. The
 * recorder writes into meta what it wrote (the number of events and a
 * digest of them, record_digest.h); the reader recomputes both from events.bin, and fio's
 * per-IO logs are counted against the IOs fio.json says it did. A run
 * that does not check out is refused (when meta says it is whole) or
 * reported incomplete, never summarised as if it were whole.
 */
#ifndef DIOSCOPE_RUN_CHECK_H
#define DIOSCOPE_RUN_CHECK_H

#include <stdbool.h>
#include <linux/types.h>
#include "dioscope.h"

/* An event no tracer writes: a type, target or tier out of range. */
bool run_event_invalid(const struct ds_event *e);
/* "fentry", "kprobe", "tracepoint" or "-" */
bool run_tier_known(const char *name);

#endif
