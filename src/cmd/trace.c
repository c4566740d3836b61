// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope trace: events as lines while they happen; on Ctrl-C, counts
 * per event and a latency histogram per traced function.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "event/format.h"
#include "trace/event_loop.h"
#include "event/stats.h"
#include "trace/prog_stats.h"
#include "trace/targets.h"
#include "export/json.h"
#include "util/json.h"

struct trace_ctx {
	struct filters f;
	struct event_stats stats;
	__u64 t0;
	bool quiet;
	bool json;		/* NDJSON: an object per line, flushed */
	int write_err;
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

/* The tracer's in-kernel cost over the whole trace. */
struct trace_cost {
	struct prog_stats_switch sw;
	struct prog_stats before, progs;
	int err;
};

static void cost_start(const struct tracer *t, struct trace_cost *c)
{
	if (prog_stats_on(&c->sw) == PROG_STATS_OFF)
		ds_err("BPF run-time statistics are off, the tracer's cost is unknown: %s",
		       c->sw.why);
	c->err = prog_stats_read(t, &c->before);
}

static void cost_end(const struct tracer *t, struct trace_cost *c)
{
	if (!c->err)
		c->err = prog_stats_read(t, &c->progs);
	if (!c->err)
		prog_stats_sub(&c->progs, &c->before);
	prog_stats_off(&c->sw);
}

static void self_account(const struct trace_ctx *c, const struct tracer *t,
			 const struct trace_cost *cost, struct self_account *a)
{
	*a = (struct self_account){
		.lost_events = tracer_lost(t),
		.kretprobe_missed = tracer_kretprobe_missed(t),
		.kretprobe_counted = !t->kretprobe_pmu,
		.progs = cost->err ? NULL : &cost->progs,
		.stats = &cost->sw,
		.ios = c->stats.by_type[DS_EV_DIO_SUBMIT],
	};
}

static void print_json_summary(struct trace_ctx *c, const struct tracer *t,
			       const struct trace_cost *cost)
{
	struct self_account a;
	struct json_object *o;

	self_account(c, t, cost, &a);
	o = trace_summary_json(&c->stats, &a);
	if (!c->write_err && o)
		json_write_line(o, stdout);
	json_object_put(o);
	cli_report_lost(t);
}

static void print_summary(struct trace_ctx *c, const struct tracer *t,
			  const struct trace_cost *cost,
			  const unsigned char tiers[DS_T_MAX])
{
	const struct prog_cost *tot = &cost->progs.total;
	__u64 ios = c->stats.by_type[DS_EV_DIO_SUBMIT];

	event_stats_print(stdout, &c->stats, tiers);
	if (cost->err || cost->sw.mode == PROG_STATS_OFF)
		printf("\nin-kernel cost of the tracer: unknown (%s)\n",
		       cost->err ? strerror(-cost->err) : cost->sw.why);
	else
		printf("\nin-kernel cost of the tracer: %llu ns in %llu program runs%s",
		       (unsigned long long)tot->run_time_ns,
		       (unsigned long long)tot->runs, ios ? ", " : "\n");
	if (!cost->err && cost->sw.mode != PROG_STATS_OFF && ios)
		printf("%.0f ns per DIO submitted\n", (double)tot->run_time_ns / ios);
	if (!cost->err && cost->progs.misses_counted)
		printf("recursion misses: %llu\n",
		       (unsigned long long)tot->recursion_misses);
	cli_report_lost(t);
}

static int print_json(struct trace_ctx *c, const struct ds_event *e)
{
	struct json_object *o = event_json(e);
	int err = o ? json_write_line(o, stdout) : -ENOMEM;

	json_object_put(o);
	/* a closed pipe (| head) ends the trace like Ctrl-C */
	if (err)
		c->write_err = err;
	return err ? -1 : 0;
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
	if (c->json)
		return print_json(c, e);
	event_line(e, c->t0, line, sizeof(line));
	if (puts(line) < 0) {
		c->write_err = -errno;
		return -1;
	}
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	static struct trace_ctx c;
	struct tracer_opts o = { 0 };
	const struct ds_opt opts[] = {
		OPT_FLAG('q', "quiet", &c.quiet, "no lines, only the summary"),
		OPT_FLAG(0, "json", &c.json,
			 "NDJSON: one JSON object per event and line, flushed per\n"
			 "line, and on Ctrl-C one {\"kind\":\"summary\"} object with\n"
			 "the counts, losses and the tracer's in-kernel cost"),
		OPT_TRACE(&o),
		OPT_END(),
	};
	const struct ds_cmd cmd = {
		.name = "trace", .usage = "[OPTIONS]", .opts = opts,
		.about =
"Streams ext4 direct-IO and extent events, one per line: time, command,\n"
"pid, inode, event, offset (bytes) or logical block, length, duration,\n"
"detail. Ctrl-C prints counts per event and log2 latency histograms per\n"
"traced function.",
	};
	unsigned char tiers[DS_T_MAX];
	struct event_loop_result res;
	struct trace_cost cost;
	struct tracer t;
	int rc, i;

	rc = opt_parse(&cmd, argc, argv);
	if (rc < 1)
		return opt_exit(rc);
	c.f = o.filters;
	/* lines in the order they happened: no CPU holds events back */
	o.no_batch = true;
	event_loop_install_signals();
	/* a reader that went away (| head) ends the trace, cleanly */
	signal(SIGPIPE, SIG_IGN);
	rc = cli_tracer_open(&t, &o);
	if (rc)
		return rc;
	fprintf(stderr, "tracing %d functions; Ctrl-C to stop\n", t.plan.covered);
	if (!c.quiet && !c.json)
		puts(event_header());
	setvbuf(stdout, NULL, _IOLBF, 0);
	cost_start(&t, &cost);
	rc = event_loop_run(&t, on_event, &c, 0, &res);
	cost_end(&t, &cost);
	for (i = 0; i < DS_T_MAX; i++)
		tiers[i] = t.plan.t[i].tier;
	if (c.json)
		print_json_summary(&c, &t, &cost);
	else
		print_summary(&c, &t, &cost, tiers);
	tracer_close(&t);
	/* a reader that went away is an end, not a failure */
	if (c.write_err == -EPIPE)
		return 0;
	if (c.write_err)
		ds_err("writing: %s", strerror(-c.write_err));
	return rc ? 1 : 0;
}
