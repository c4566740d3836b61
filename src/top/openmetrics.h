/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `top --openmetrics ADDR:PORT`: top's totals since the start served at
 * /metrics by libmicrohttpd, as OpenMetrics text when the scraper asks
 * for it (Prometheus does) and as Prometheus' text format 0.0.4
 * otherwise. Counters per device and inode for the first
 * OM_MAX_INODES inodes seen, the rest in one series dev="other",
 * ino="other", so that the label set stays bounded and no counter ever
 * goes down; a histogram of conversion latency; the tracer's losses and
 * in-kernel cost. Names and units after the OpenMetrics conventions
 * (base units, "_total" counters, "# UNIT").
 *
 * The main loop publishes a snapshot after each interval; the server's
 * thread renders the last one, under a lock.
 */
#ifndef DIOSCOPE_TOP_OPENMETRICS_H
#define DIOSCOPE_TOP_OPENMETRICS_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "top/agg.h"

#define OM_MAX_INODES 16
#define OM_LAT_MIN_EXP 10	/* buckets from 2^10 ns (1 us) */
#define OM_LAT_MAX_EXP 34	/* ... to 2^34 ns (17 s), then +Inf */
#define OM_LAT_BUCKETS (OM_LAT_MAX_EXP - OM_LAT_MIN_EXP + 1)

struct om_series {
	__u32 dev;
	__u64 ino;		/* 0: the "other" series */
	__u64 last[TOP_N_MAX];	/* top's total at the last snapshot */
	__u64 v[TOP_N_MAX];	/* what this series counted */
};

/* What the tracer says of itself; a false "known" is left out. */
struct om_self {
	__u64 lost_events;
	__u64 kretprobe_missed;
	bool kretprobe_known;
	__u64 bpf_run_ns, bpf_runs;
	bool bpf_known;
	__u64 bpf_recursion_misses;
	bool misses_known;
};

struct om_snap {
	struct om_series s[OM_MAX_INODES + 1];	/* the last: "other" */
	int n;					/* inode series in use */
	__u64 all[TOP_N_MAX];
	__u64 lat_le[OM_LAT_BUCKETS];		/* cumulative at 2^k ns */
	__u64 lat_count, lat_sum_ns;
	__u64 events;
	struct om_self self;
	bool observable[TOP_N_MAX];		/* seen by this kernel's tier */
};

struct om_server;

/*
 * Parse "ADDR:PORT", ":PORT" or "PORT" (loopback then), "[IPv6]:PORT";
 * port 0 takes a free one. 0, or -1 with err filled.
 */
int om_parse_addr(const char *spec, char *host, size_t hlen,
		  unsigned int *port, char *err, size_t elen);
/* Start serving; NULL with err filled. */
struct om_server *om_start(const char *spec, const struct top_caps *caps,
			   char *err, size_t elen);
/* "http://127.0.0.1:9100/metrics" */
const char *om_url(const struct om_server *s);
/* Take what top counted so far (rows and all from top_agg_totals). */
void om_publish(struct om_server *s, const struct top_row *rows, int n,
		const struct top_row *all, const struct top_lat *lat,
		const struct om_self *self);
void om_stop(struct om_server *s);
/* The exposition of a snapshot; openmetrics false: text format 0.0.4. */
void om_render(FILE *f, const struct om_snap *snap, bool openmetrics);
/* Fold top's totals into snap's series: a pure step, for the tests. */
void om_fold(struct om_snap *snap, const struct top_row *rows, int n,
	     const struct top_row *all, const struct top_lat *lat);

#endif
