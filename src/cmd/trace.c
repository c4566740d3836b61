// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope trace: events as lines while they happen; on Ctrl-C, counts
 * per event and a latency histogram per traced function.
 */
#include <getopt.h>
#include <stdio.h>
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "event/format.h"
#include "trace/event_loop.h"
#include "event/stats.h"
#include "trace/targets.h"

struct trace_ctx {
	struct filters f;
	struct event_stats stats;
	__u64 t0;
	bool quiet;
};

static void event_stats_print(FILE *f, const struct event_stats *s,
			      const unsigned char tiers[DS_T_MAX])
{
	char title[128];
	int i;

	fprintf(f, "\n%-16s %12s\n", "EVENT", "COUNT");
	for (i = 1; i < DS_EV_TYPE_MAX; i++)
		fprintf(f, "%-16s %12llu\n", event_type_name(i),
			(unsigned long long)s->by_type[i]);
	fprintf(f, "%-16s %12llu\n%-16s %12llu\n%-16s %12llu\n",
		"  PRE_IO", (unsigned long long)s->pre_io,
		"  CONVERT", (unsigned long long)s->convert,
		"  merges done", (unsigned long long)s->merges_done);
	for (i = 0; i < DS_T_MAX; i++) {
		if (!s->hist[i].count)
			continue;
		snprintf(title, sizeof(title), "%s (%s)", ds_targets[i].symbol,
			 tier_name(tiers ? tiers[i] : 0));
		log2_hist_print(f, &s->hist[i], title);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: dioscope trace [OPTIONS]\n"
"\n"
"Streams ext4 direct-IO and extent events, one per line: time, command,\n"
"pid, inode, event, offset (bytes) or logical block, length, duration,\n"
"detail. Ctrl-C prints counts per event and log2 latency histograms per\n"
"traced function.\n"
"\n"
"  -q, --quiet       no lines, only the summary\n"
CLI_TRACE_HELP);
}

static int on_event(void *ctx, const struct ds_event *e)
{
	struct trace_ctx *c = ctx;
	char line[320];

	if (!c->t0)
		c->t0 = e->ts_ns;
	event_stats_add(&c->stats, e);
	if (c->quiet || !filter_match(&c->f, e))
		return 0;
	event_line(e, c->t0, line, sizeof(line));
	puts(line);
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		CLI_TRACE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static struct trace_ctx c;
	struct tracer_opts o = { 0 };
	unsigned char tiers[DS_T_MAX];
	struct event_loop_result res;
	struct tracer t;
	int opt, rc, i;

	while ((opt = getopt_long(argc, argv, "q" CLI_TRACE_SHORTOPTS, longopts,
				  NULL)) != -1) {
		if (opt == 'q') {
			c.quiet = true;
			continue;
		}
		if (opt == 'h') {
			usage(stdout);
			return 0;
		}
		rc = cli_trace_opt(opt, optarg, &o);
		if (rc < 0)
			return 2;
		if (rc == 0) {
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	c.f = o.filters;
	event_loop_install_signals();
	rc = cli_tracer_open(&t, &o);
	if (rc)
		return rc;
	fprintf(stderr, "tracing %d functions; Ctrl-C to stop\n", t.plan.covered);
	if (!c.quiet)
		puts(event_header());
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = event_loop_run(&t, on_event, &c, 0, &res);
	for (i = 0; i < DS_T_MAX; i++)
		tiers[i] = t.plan.t[i].tier;
	event_stats_print(stdout, &c.stats, tiers);
	cli_report_lost(&t);
	tracer_close(&t);
	return rc ? 1 : 0;
}
