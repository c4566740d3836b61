/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON of what the tracer sees live: one event as one object (the NDJSON
 * lines of `trace --json`) and the plan of `probe --json`. Units are in
 * the key names (offset_bytes, lblk, len_blocks, dur_ns); values that
 * mean nothing for an event type are left out, not written as 0.
 */
#ifndef DIOSCOPE_EXPORT_JSON_H
#define DIOSCOPE_EXPORT_JSON_H

#include <stdbool.h>
#include <linux/types.h>
#include "dioscope.h"

struct json_object;
struct tracer;
struct event_stats;
struct prog_stats;
struct prog_stats_switch;

/* What the tracer lost and what it cost, for a live command's summary. */
struct self_account {
	__u64 lost_events;
	__u64 kretprobe_missed;
	bool kretprobe_counted;		/* false: a PMU return probe */
	const struct prog_stats *progs;	/* NULL: not read */
	const struct prog_stats_switch *stats;
	__u64 ios;			/* DIO windows seen, to divide by */
};

#define PROBE_JSON_FORMAT "dioscope-probe"
#define TRACE_JSON_FORMAT "dioscope-trace"
#define DIOSCOPE_JSON_VERSION 1

/* {"kind":"event", ...}; NULL when out of memory. */
struct json_object *event_json(const struct ds_event *e);
/* {"kind":"summary", counts per event and target, self-accounting} */
struct json_object *trace_summary_json(const struct event_stats *s,
				       const struct self_account *a);
/* lost events, misses, in-kernel cost total, per target and per IO */
struct json_object *self_account_json(const struct self_account *a);
/* The whole plan of probe: kernel facts and a tier or a reason per target. */
struct json_object *probe_json(const struct tracer *t);

#endif
