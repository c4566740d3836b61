// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope top: unwritten-extent churn per inode while it happens. A
 * screen refreshed every interval, or lines (one per active inode per
 * interval, totals at exit) when standard output is not a terminal.
 *
 * It runs its own ring-buffer loop rather than event_loop_run(): the
 * screen needs a tick every interval and the keyboard at once, so the
 * loop waits on the ring buffer and the terminal together.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <bpf/libbpf.h>
#include "event/io_record.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "trace/event_loop.h"
#include "top/inode_path.h"
#include "top/agg.h"
#include "top/batch.h"
#include "top/view.h"
#include "top/openmetrics.h"
#include "trace/prog_stats.h"
#include "util/clock.h"
#include "util/macros.h"

#define TOP_INODES 4096
#define PATH_CACHE 4096
#define MAX_WAIT_MS 250
/*
 * A refresh counts the events stamped up to this long before it: a CPU
 * may hold newer ones in its batch until the next DS_BATCH_FLUSH_MS
 * request, or be filling one as it is asked, and such an event would
 * come in after younger ones had been counted (late).
 */
#define ORDER_HOLD_NS (10ULL * DS_BATCH_FLUSH_MS * 1000000)
#define VIEW_PATH_BUDGET_MS 20
#define NS_PER_S 1000000000ULL

struct top_opts {
	struct tracer_opts t;
	double interval_s;
	unsigned long long count;	/* intervals; 0: until stopped */
	bool batch;
	int sort;		/* -1: what this kernel shows best */
	const char *openmetrics;	/* ADDR:PORT to serve /metrics on */
};

struct top_ctx {
	struct filters f;
	struct top_agg agg;
	struct inode_path paths;
	struct top_row *rows, all;
	int nrows;
	char tiers[640];
	unsigned long long lost_seen, lost_last;
	struct top_batch batch;
	struct top_view view;
	bool use_view;
	struct om_server *om;		/* NULL: not serving */
	struct top_row *om_rows;
	struct prog_stats_switch stats;	/* the programs' run time on */
	struct prog_stats progs0, progs;
	int progs_err;
};

static int opt_sort(const struct ds_opt *opt, const char *arg)
{
	int *sort = opt->value;

	*sort = strlen(arg) == 1 ? top_sort_by_key(arg[0]) : -1;
	if (*sort < 0) {
		ds_err("no column sorts by '%s'", arg);
		return -1;
	}
	return 0;
}

/* A bad ADDR:PORT is a usage error, said before anything is traced. */
static int opt_openmetrics(const struct ds_opt *opt, const char *arg)
{
	char host[64], err[256];
	unsigned int port;

	if (om_parse_addr(arg, host, sizeof(host), &port, err, sizeof(err))) {
		ds_err("--openmetrics: %s", err);
		return -1;
	}
	*(const char **)opt->value = arg;
	return 0;
}

/* Returns 1 to go on, 0 after --help, -1 on a bad option. */
static int parse_args(int argc, char **argv, struct top_opts *o)
{
	/* -i is the interval here: the inode filter is --inode alone */
	const struct ds_opt opts[] = {
		OPT_DOUBLE('i', "interval", &o->interval_s, "S", 0.1, 3600,
			   "refresh every S seconds, default 1"),
		OPT_U64('n', "count", &o->count, "N", 1, 1000000000,
			"stop after N intervals"),
		OPT_FLAG('b', "batch", &o->batch, "lines instead of the screen"),
		OPT_CALLBACK('s', "sort", &o->sort, "KEY",
			     "sort by the column of KEY (see the keys above)",
			     opt_sort),
		OPT_CALLBACK(0, "openmetrics", &o->openmetrics, "ADDR:PORT",
			     "serve the totals at http://ADDR:PORT/metrics for\n"
			     "Prometheus (OpenMetrics); PORT alone: on 127.0.0.1;\n"
			     "port 0: a free one, named on stderr",
			     opt_openmetrics),
		OPT_TRACE_TIER(&o->t), OPT_TRACE_IO_RECORDS(&o->t),
		OPT_TRACE_BTF(&o->t),
		OPT_TRACE_PID(&o->t),
		OPT_TRACE_COMM(&o->t),
		OPT_TRACE_INODE(&o->t, 0),
		OPT_TRACE_DEVICE(&o->t),
		OPT_TRACE_BUFFER(&o->t), OPT_TRACE_NO_OFFCPU(&o->t),
		OPT_TRACE_VERBOSE(&o->t),
		OPT_END(),
	};
	const struct ds_cmd cmd = {
		.name = "top", .usage = "[OPTIONS]", .opts = opts,
		.about =
"Unwritten-extent churn per inode, live: direct writes and reads,\n"
"writeback IOs, PRE_IO splits, conversions, completion splits (splits\n"
"inside a conversion), merges, churn pairs (a merge that removes a\n"
"boundary an in-flight direct IO needs, and the split that puts it back)\n"
"and the time they waste, per second; conversion latency p50/p99; the\n"
"unwritten extents seen. Columns this kernel cannot observe show '-'\n"
"and the header says why. When standard output is not a terminal, or\n"
"with --batch, prints one line per active inode per interval and the\n"
"totals at exit. An interval counts the events up to 0.1 s before its\n"
"end; the newer ones, with any older that CPUs still hold, count in\n"
"the next.\n"
"\n"
"Keys: q quit, f or space freeze, w r b s c S m p x l L u i sort, ? help.",
	};

	o->interval_s = 1;
	o->sort = -1;
	return opt_parse(&cmd, argc, argv);
}

/* "tracepoint: dio_submit map_blocks; none: split merge", grouped by tier */
static void tiers_summary(const struct tracer *t, char *buf, size_t len)
{
	static const enum ds_tier order[] = { DS_TIER_FENTRY, DS_TIER_KPROBE,
					      DS_TIER_TRACEPOINT, DS_TIER_NONE };
	bool legacy = !strcmp(dio_path_name(&t->kf), "legacy");
	size_t used = 0;
	unsigned int k;
	int i, n;

	buf[0] = '\0';
	for (k = 0; k < ARRAY_SIZE(order); k++) {
		for (i = 0, n = 0; i < DS_T_MAX && used < len; i++) {
			/* the legacy path's functions mean nothing on iomap */
			if ((ds_targets[i].legacy && !legacy) ||
			    t->plan.t[i].tier != order[k])
				continue;
			used += snprintf(buf + used, len - used, "%s%s%s %s",
					 !n && used ? "; " : "",
					 n ? "" : (order[k] ? tier_name(order[k]) : "none"),
					 n ? "" : ":", ds_targets[i].name);
			n++;
		}
	}
}

static int on_event(void *ctx, const struct ds_event *e)
{
	struct top_ctx *c = ctx;
	unsigned int bits;

	if (!filter_match(&c->f, e))
		return 0;
	/* block size per device, for the block range of each DIO window */
	if (e->dev && !top_agg_knows_dev(&c->agg, e->dev)) {
		bits = inode_path_blkbits(&c->paths, e->dev);
		top_agg_set_blkbits(&c->agg, e->dev, bits ? bits : 12);
	}
	top_agg_add(&c->agg, e);
	return 0;
}

static int on_rb_event(void *ctx, void *data, size_t size)
{
	return io_payload_each(data, size, on_event, ctx);
}

static void view_refresh(struct top_ctx *c)
{
	__u64 before = c->paths.resolved;

	top_view_draw(&c->view);
	/* names asked for while drawing: resolve a slice, show what came */
	inode_path_work(&c->paths, VIEW_PATH_BUDGET_MS);
	if (c->paths.resolved != before)
		top_view_draw(&c->view);
}

static void view_info(struct top_ctx *c, struct tracer *t,
		      const struct top_opts *o, struct top_view_info *info)
{
	unsigned long long lost = tracer_lost(t);

	memset(info, 0, sizeof(*info));
	info->kernel = t->kf.release;
	info->tiers = c->tiers;
	info->interval_s = o->interval_s;
	info->lost_total = lost;
	info->lost_last = lost - c->lost_seen;
	info->tracked = top_agg_tracked(&c->agg);
	info->evicted = c->agg.evicted;
	c->lost_seen = lost;
}

/* The tracer's losses and in-kernel cost so far. */
static void self_account(struct top_ctx *c, const struct tracer *t,
			 struct om_self *self)
{
	memset(self, 0, sizeof(*self));
	self->lost_events = tracer_lost(t);
	self->kretprobe_missed = tracer_kretprobe_missed(t);
	self->kretprobe_known = !t->kretprobe_pmu;
	if (!c->progs_err)
		c->progs_err = prog_stats_read(t, &c->progs);
	if (c->progs_err)
		return;
	prog_stats_sub(&c->progs, &c->progs0);
	self->bpf_known = c->stats.mode != PROG_STATS_OFF;
	self->bpf_run_ns = c->progs.total.run_time_ns;
	self->bpf_runs = c->progs.total.runs;
	self->misses_known = c->progs.misses_counted;
	self->bpf_recursion_misses = c->progs.total.recursion_misses;
}

/* What /metrics serves: the totals since the start. */
static void publish(struct top_ctx *c, const struct tracer *t)
{
	struct om_self self;
	struct top_row all;
	int n;

	if (!c->om)
		return;
	n = top_agg_totals(&c->agg, mono_ns(), c->om_rows, TOP_INODES, &all);
	self_account(c, t, &self);
	om_publish(c->om, c->om_rows, n, &all, top_agg_lat_total(&c->agg),
		   &self);
}

/* One interval ends: to the screen or as lines. -1 when output failed. */
static int tick(struct top_ctx *c, struct tracer *t, const struct top_opts *o)
{
	struct top_view_info info;

	publish(c, t);
	view_info(c, t, o, &info);
	c->nrows = top_agg_tick(&c->agg, mono_ns(), c->rows, TOP_INODES,
				&c->all);
	if (c->use_view) {
		top_view_update(&c->view, c->rows, c->nrows, &c->all, &info);
		view_refresh(c);
		return 0;
	}
	top_sort(c->rows, c->nrows, o->sort);
	return top_batch_interval(&c->batch, time(NULL), c->rows, c->nrows,
				  &c->all, info.lost_last);
}

/* Keys typed so far; false when it is time to stop. */
static bool on_keys(struct top_ctx *c)
{
	enum top_view_action a = top_view_keys(&c->view);

	if (a == TOP_VIEW_QUIT)
		return false;
	if (a == TOP_VIEW_REDRAW)
		view_refresh(c);
	return true;
}

static int wait_setup(struct ring_buffer *rb, bool keys)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		return -1;
	ev.data.fd = ring_buffer__epoll_fd(rb);
	if (epoll_ctl(ep, EPOLL_CTL_ADD, ev.data.fd, &ev))
		goto fail;
	ev.data.fd = STDIN_FILENO;
	if (keys && epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &ev))
		goto fail;
	return ep;
fail:
	close(ep);
	return -1;
}

static int run(struct top_ctx *c, struct tracer *t, const struct top_opts *o)
{
	__u64 interval = o->interval_s * NS_PER_S, next, now, last_devs;
	struct epoll_event evs[4];
	struct ring_buffer *rb;
	unsigned long done = 0;
	int ep, n, i, wait_ms, err = 0;
	bool go = true;

	rb = ring_buffer__new(t->events_fd, on_rb_event, c, NULL);
	if (!rb)
		return -errno;
	/* keys come from a terminal; epoll cannot watch /dev/null or files */
	ep = wait_setup(rb, c->use_view && isatty(STDIN_FILENO));
	if (ep < 0) {
		ring_buffer__free(rb);
		return -errno;
	}
	next = mono_ns() + interval;
	last_devs = mono_ns();
	while (go && !event_loop_stop_signal()) {
		now = mono_ns();
		wait_ms = now >= next ? 0 : (next - now) / 1000000 + 1;
		n = epoll_wait(ep, evs, 4,
			       wait_ms < MAX_WAIT_MS ? wait_ms : MAX_WAIT_MS);
		/* the BPF side wakes us per batch: read what is there anyway */
		tracer_flush_due(t);
		ring_buffer__consume(rb);
		/* a terminal that went away ends the view like a hangup */
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == STDIN_FILENO &&
			    (evs[i].events & (EPOLLHUP | EPOLLERR)))
				go = false;
		}
		/* also after EINTR: a resize arrives as a key */
		if (go && c->use_view)
			go = on_keys(c);
		now = mono_ns();
		if (go && now >= next) {
			if (tick(c, t, o)) {
				err = -EPIPE;
				break;
			}
			next = next + interval > now ? next + interval : now + interval;
			if (o->count && ++done >= o->count)
				break;
		}
		/* filesystems mounted after the start are traced too */
		if (now - last_devs >= NS_PER_S) {
			tracer_update_ext4_devs(t);
			last_devs = now;
		}
	}
	/* what the kernel wrote before we stopped still counts */
	tracer_flush_batches(t);
	ring_buffer__consume(rb);
	tracer_drain_ios(t, on_event, c);
	top_agg_all_in(&c->agg);
	close(ep);
	ring_buffer__free(rb);
	return err;
}

static int totals(struct top_ctx *c, struct tracer *t)
{
	struct top_losses lost;
	struct om_self self;

	c->nrows = top_agg_totals(&c->agg, mono_ns(), c->rows, TOP_INODES,
				  &c->all);
	top_sort(c->rows, c->nrows, TOP_SORT_INODE);
	/* every loss, as record's meta lost_events counts them */
	self_account(c, t, &self);
	lost = (struct top_losses){
		.ringbuf = self.lost_events,
		.recursion = self.bpf_recursion_misses,
		.recursion_known = !c->progs_err && self.misses_known,
		.kretprobe = self.kretprobe_missed,
		.kretprobe_known = self.kretprobe_known,
		.late = c->agg.order.late,
	};
	return top_batch_totals(&c->batch, c->rows, c->nrows, &c->all, &lost);
}

static int ctx_init(struct top_ctx *c, const struct top_opts *o,
		    const struct tracer *t, const struct top_caps *caps)
{
	c->f = o->t.filters;
	c->rows = calloc(TOP_INODES, sizeof(*c->rows));
	if (!c->rows || inode_path_init(&c->paths, PATH_CACHE))
		return -ENOMEM;
	if (top_agg_init(&c->agg, &(struct top_agg_conf){
				.inodes = TOP_INODES, .hold_ns = ORDER_HOLD_NS,
			 }, caps, mono_ns()))
		return -ENOMEM;
	/* as report does for a recording with -c/-p */
	correlator_want_tasks(&c->agg.corr, c->f.tgid, c->f.comm);
	tiers_summary(t, c->tiers, sizeof(c->tiers));
	c->batch.f = stdout;
	c->batch.caps = &c->agg.caps;
	c->batch.paths = &c->paths;
	return 0;
}

/* At exit, what tracing cost: the observer's share of what it saw. */
static void report_cost(struct top_ctx *c, const struct tracer *t)
{
	struct om_self self;
	struct top_row all;
	__u64 ios;

	top_agg_totals(&c->agg, mono_ns(), c->rows, TOP_INODES, &all);
	ios = all.n[TOP_N_WRITES] + all.n[TOP_N_READS];
	self_account(c, t, &self);
	if (!self.bpf_known) {
		ds_err("in-kernel cost of the tracer: unknown (%s)",
		       c->progs_err ? strerror(-c->progs_err) : c->stats.why);
		return;
	}
	/* "%.0f" of nothing printed "program runs0" when no IO was seen */
	if (ios)
		ds_err("in-kernel cost of the tracer: %llu ns in %llu program runs, %.0f ns per direct IO",
		       (unsigned long long)self.bpf_run_ns,
		       (unsigned long long)self.bpf_runs,
		       (double)self.bpf_run_ns / ios);
	else
		ds_err("in-kernel cost of the tracer: %llu ns in %llu program runs (no direct IO seen)",
		       (unsigned long long)self.bpf_run_ns,
		       (unsigned long long)self.bpf_runs);
	if (self.misses_known && self.bpf_recursion_misses)
		ds_err("%llu calls missed by recursion: counts are lower bounds",
		       (unsigned long long)self.bpf_recursion_misses);
}

/* Served from the start: a scrape before the first interval sees zeros. */
static int om_setup(struct top_ctx *c, const struct top_opts *o,
		    const struct tracer *t)
{
	char err[256];

	if (prog_stats_on(&c->stats) == PROG_STATS_OFF)
		ds_err("BPF run-time statistics are off, the tracer's cost is unknown: %s",
		       c->stats.why);
	c->progs_err = prog_stats_read(t, &c->progs0);
	if (!o->openmetrics)
		return 0;
	c->om_rows = calloc(TOP_INODES, sizeof(*c->om_rows));
	if (!c->om_rows)
		return -ENOMEM;
	c->om = om_start(o->openmetrics, &c->agg.caps, err, sizeof(err));
	if (!c->om) {
		ds_err("--openmetrics: %s", err);
		return -EADDRNOTAVAIL;
	}
	publish(c, t);
	ds_err("serving OpenMetrics on %s", om_url(c->om));
	return 0;
}

static void ctx_free(struct top_ctx *c)
{
	om_stop(c->om);
	c->om = NULL;
	free(c->om_rows);
	prog_stats_off(&c->stats);
	top_view_stop(&c->view);
	top_agg_free(&c->agg);
	inode_path_free(&c->paths);
	free(c->rows);
}

int cmd_top(int argc, char **argv)
{
	static struct top_ctx c;
	struct top_view_info info;
	struct top_opts o = { 0 };
	struct top_caps caps;
	struct tracer t;
	int rc, err;

	rc = parse_args(argc, argv, &o);
	if (rc < 1)
		return opt_exit(rc);
	c.use_view = !o.batch && isatty(STDOUT_FILENO);
	event_loop_install_signals();
	/* a reader that went away ends the lines, not the process */
	signal(SIGPIPE, SIG_IGN);
	rc = cli_tracer_open(&t, &o.t);
	if (rc)
		return rc;
	top_caps_from_plan(&t.plan, &caps);
	if (!t.offcpu)
		top_caps_no_offcpu(&caps, t.offcpu_why);
	if (o.sort < 0)
		o.sort = top_default_sort(&caps);
	rc = 1;
	if (ctx_init(&c, &o, &t, &caps)) {
		ds_err("out of memory");
		goto out;
	}
	/* an address that cannot be served is the caller's to fix, as usage */
	err = om_setup(&c, &o, &t);
	if (err) {
		rc = err == -EADDRNOTAVAIL ? 2 : 1;
		goto out;
	}
	if (c.use_view && top_view_start(&c.view, &c.agg.caps, &c.paths,
					 TOP_INODES, o.sort)) {
		ds_err("cannot set up the terminal (TERM=%s): lines instead, as with --batch",
			getenv("TERM") ? getenv("TERM") : "");
		top_view_stop(&c.view);
		c.use_view = false;
	}
	if (c.use_view) {
		/* the header before the first interval ends */
		view_info(&c, &t, &o, &info);
		top_view_update(&c.view, c.rows, 0, &c.all, &info);
		top_view_draw(&c.view);
	} else {
		fprintf(stderr, "tracing %d functions; Ctrl-C to stop\n",
			t.plan.covered);
		top_batch_intro(&c.batch, t.kf.release, c.tiers, o.interval_s);
		fflush(stdout);
	}
	err = run(&c, &t, &o);
	top_view_stop(&c.view);
	if (err && err != -EPIPE)
		ds_err("%s", strerror(-err));
	if (!c.use_view && err != -EPIPE)
		err = totals(&c, &t) ? -EPIPE : err;
	rc = err && err != -EPIPE ? 1 : 0;
	report_cost(&c, &t);
	cli_report_lost(&t);
out:
	ctx_free(&c);
	tracer_close(&t);
	return rc;
}
