// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope record -o DIR -- COMMAND: runs COMMAND with tracing on and
 * keeps every event in DIR/events.bin, with DIR/meta saying what kernel,
 * which tiers, and whether the run is whole, and DIR/counts.csv the calls
 * seen per traced function.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "commands.h"
#include "csv.h"
#include "event_loop.h"
#include "event_stats.h"
#include "meta.h"
#include "record_file.h"

struct record_ctx {
	struct record_writer w;
	struct event_stats stats;
	int write_err;
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: dioscope record -o DIR [OPTIONS] -- COMMAND [ARGS...]\n"
"\n"
"Runs COMMAND with tracing on and stores every event in DIR/events.bin,\n"
"the calls per traced function in DIR/counts.csv, the count of each event\n"
"in DIR/event_counts.csv, and in DIR/meta the kernel, the tier of each\n"
"function, the command, the lost-event count and whether the run\n"
"completed. Exits with COMMAND's exit status.\n"
"\n"
"  -o, --output DIR  where to store the recording (created if missing)\n"
"  -f, --force       overwrite a recording already in DIR\n"
CLI_TRACE_HELP);
}

static int on_event(void *ctx, const struct ds_event *e)
{
	struct record_ctx *c = ctx;

	event_stats_add(&c->stats, e);
	if (!c->write_err)
		c->write_err = record_writer_add(&c->w, e);
	/* keep reading: a full disk must not leave the kernel side stuck */
	return 0;
}

static int mkdir_p(const char *dir)
{
	char path[4096], *p;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

static void join_args(char *buf, size_t len, int argc, char **argv)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < argc && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? " " : "",
				 argv[i]);
}

static int write_counts(const char *dir, const struct tracer *t,
			const struct event_stats *s)
{
	char path[4096];
	struct csv_row r;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/counts.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	csv_header(f, "target,symbol,tier,calls");
	for (i = 0; i < DS_T_MAX; i++) {
		csv_begin(&r, f);
		csv_str(&r, ds_targets[i].name);
		csv_str(&r, ds_targets[i].symbol);
		csv_str(&r, tier_name(t->plan.t[i].tier));
		if (t->plan.t[i].tier)
			csv_u64(&r, s->by_target[i]);
		else
			csv_str(&r, "");	/* not traced: no count, not 0 */
		csv_end(&r);
	}
	return fclose(f) ? -errno : 0;
}

/* Counts per event type, and the PRE_IO / CONVERT share of map_blocks. */
static int write_event_counts(const char *dir, const struct event_stats *s)
{
	char path[4096];
	struct csv_row r;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/event_counts.csv", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	csv_header(f, "event,count");
	for (i = 1; i < DS_EV_TYPE_MAX; i++) {
		csv_begin(&r, f);
		csv_str(&r, event_type_name(i));
		csv_u64(&r, s->by_type[i]);
		csv_end(&r);
	}
	csv_begin(&r, f);
	csv_str(&r, "pre_io_split");
	csv_u64(&r, s->pre_io);
	csv_end(&r);
	csv_begin(&r, f);
	csv_str(&r, "conversion");
	csv_u64(&r, s->convert);
	csv_end(&r);
	csv_begin(&r, f);
	csv_str(&r, "merge_done");
	csv_u64(&r, s->merges_done);
	csv_end(&r);
	return fclose(f) ? -errno : 0;
}

/*
 * The child waits on a pipe until the parent has tracing attached, so
 * nothing the command does escapes the recording.
 */
static pid_t spawn(char **argv, int *go_fd)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/*
		 * A group of its own, so a stop signal reaches every process
		 * of the workload (fio's job processes too), not only its head.
		 */
		setpgid(0, 0);
		close(fds[1]);
		if (read(fds[0], &c, 1) != 1)
			_exit(127);
		close(fds[0]);
		execvp(argv[0], argv);
		fprintf(stderr, "dioscope: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	setpgid(pid, pid);	/* also here: no race with the first signal */
	*go_fd = fds[1];
	return pid;
}

static int exit_code(const struct event_loop_result *res)
{
	if (!res->child_exited)
		return 1;
	if (WIFEXITED(res->child_status))
		return WEXITSTATUS(res->child_status);
	if (WIFSIGNALED(res->child_status))
		return 128 + WTERMSIG(res->child_status);
	return 1;
}

static void meta_start(struct meta *m, const struct tracer *t,
		       const char *cmdline)
{
	char when[64];
	time_t now = time(NULL);
	struct timespec mono;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
	meta_set(m, "format", "%d", DS_RECORD_VERSION);
	meta_add_kernel(m, t);
	meta_set(m, "start_time", "%s", when);
	meta_set(m, "start_monotonic_ns", "%llu",
		 mono.tv_sec * 1000000000ULL + mono.tv_nsec);
	meta_set(m, "command", "%s", cmdline);
	meta_set(m, "complete", "no");
}

static void meta_finish(struct meta *m, const struct record_ctx *c,
			unsigned long long lost,
			const struct event_loop_result *res)
{
	bool whole = res->child_exited && !res->signal && !c->write_err;

	meta_set(m, "events", "%llu", (unsigned long long)c->w.count);
	meta_set(m, "lost_events", "%llu", lost);
	meta_set(m, "losses", "%s", lost ? "yes" : "no");
	meta_set(m, "exit_status", "%d", exit_code(res));
	if (res->signal)
		meta_set(m, "interrupted_by", "%s", strsignal(res->signal));
	if (c->write_err)
		meta_set(m, "write_error", "%s", strerror(-c->write_err));
	meta_set(m, "complete", "%s", whole ? "yes" : "no");
}

static int parse_args(int argc, char **argv, struct tracer_opts *o,
		      const char **dir, bool *force)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		CLI_TRACE_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int opt, rc;

	/* "+": stop at the command, its options are its own */
	while ((opt = getopt_long(argc, argv, "+o:f" CLI_TRACE_SHORTOPTS,
				  longopts, NULL)) != -1) {
		if (opt == 'o') {
			*dir = optarg;
			continue;
		}
		if (opt == 'f') {
			*force = true;
			continue;
		}
		if (opt == 'h') {
			usage(stdout);
			exit(0);
		}
		rc = cli_trace_opt(opt, optarg, o);
		if (rc <= 0) {
			if (!rc)
				usage(stderr);
			return -1;
		}
	}
	if (!*dir || optind >= argc) {
		fprintf(stderr, "dioscope record: %s\n",
			!*dir ? "-o DIR is required" : "no command given (after --)");
		return -1;
	}
	return optind;
}

static int prepare_dir(const char *dir, bool force)
{
	char path[4096];
	int err = mkdir_p(dir);

	if (err) {
		fprintf(stderr, "dioscope record: cannot create %s: %s\n", dir,
			strerror(-err));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/events.bin", dir);
	if (!force && access(path, F_OK) == 0) {
		fprintf(stderr, "dioscope record: %s already holds a recording (use -f to overwrite)\n",
			dir);
		return -1;
	}
	return 0;
}

int cmd_record(int argc, char **argv)
{
	static struct record_ctx c;
	struct tracer_opts o = { 0 };
	struct event_loop_result res;
	char path[4096], cmdline[2048];
	const char *dir = NULL;
	struct meta m = { 0 };
	unsigned long long lost;
	bool force = false;
	struct tracer t;
	int first, go_fd, rc, err;
	pid_t child;

	first = parse_args(argc, argv, &o, &dir, &force);
	if (first < 0)
		return 2;
	if (prepare_dir(dir, force))
		return 1;
	event_loop_install_signals();
	rc = cli_tracer_open(&t, &o);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/events.bin", dir);
	err = record_writer_open(&c.w, path);
	if (err) {
		fprintf(stderr, "dioscope record: %s: %s\n", path, strerror(-err));
		tracer_close(&t);
		return 1;
	}
	join_args(cmdline, sizeof(cmdline), argc - first, argv + first);
	meta_start(&m, &t, cmdline);
	snprintf(path, sizeof(path), "%s/meta", dir);
	meta_write(&m, path);

	/* orphans of the workload come to us, to be stopped on a signal */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	child = spawn(argv + first, &go_fd);
	if (child < 0) {
		fprintf(stderr, "dioscope record: fork: %s\n", strerror(errno));
		rc = 1;
		goto out;
	}
	if (write(go_fd, "g", 1) != 1)
		kill(child, SIGKILL);
	close(go_fd);
	err = event_loop_run(&t, on_event, &c, child, &res);
	lost = cli_report_lost(&t);
	err = err ? err : record_writer_close(&c.w);
	if (err && !c.write_err)
		c.write_err = err;
	if (c.write_err)
		fprintf(stderr, "dioscope record: writing events: %s\n",
			strerror(-c.write_err));
	meta_finish(&m, &c, lost, &res);
	meta_write(&m, path);
	write_counts(dir, &t, &c.stats);
	write_event_counts(dir, &c.stats);
	fprintf(stderr, "dioscope: recorded %llu events in %s%s\n",
		(unsigned long long)c.w.count, dir,
		res.signal ? " (interrupted: marked incomplete)" : "");
	rc = exit_code(&res);
out:
	record_writer_close(&c.w);
	tracer_close(&t);
	meta_free(&m);
	return rc;
}
