// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope record -o DIR -- COMMAND: runs COMMAND with tracing on and
 * keeps every event in DIR/events.bin, with DIR/meta saying what kernel,
 * which tiers, and whether the run is whole.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "run/recorder.h"
#include "util/fs.h"
#include "run/tree.h"

static int parse_args(int argc, char **argv, struct tracer_opts *o,
		      const char **dir, bool *force)
{
	const struct ds_opt opts[] = {
		OPT_STRING('o', "output", dir, "DIR",
			   "where to store the recording (created if missing)"),
		OPT_FLAG('f', "force", force, "overwrite a recording already in DIR"),
		/*
		 * All of OPT_TRACE but --min-us, which filters what trace
		 * shows: taken here and ignored, it promised a filter
		 */
		OPT_TRACE_TIER(o), OPT_TRACE_BTF(o), OPT_TRACE_PID(o),
		OPT_TRACE_COMM(o), OPT_TRACE_INODE(o, 'i'), OPT_TRACE_DEVICE(o),
		OPT_TRACE_BUFFER(o), OPT_TRACE_IO_RECORDS(o),
		OPT_TRACE_NO_OFFCPU(o), OPT_TRACE_VERBOSE(o),
		OPT_END(),
	};
	/* the command's own options are its own: they end ours */
	const struct ds_cmd cmd = {
		.name = "record", .opts = opts, .stop_at_arg = true,
		.usage = "-o DIR [OPTIONS] -- COMMAND [ARGS...]",
		.min_args = 1, .max_args = INT_MAX,
		.args_error = "no command given (after --)",
		.about =
"Runs COMMAND with tracing on and stores every event in DIR/events.bin,\n"
"the calls per traced function in DIR/counts.csv, the count of each event\n"
"in DIR/event_counts.csv, and in DIR/meta the kernel, the tier of each\n"
"function, the command, the lost-event count and whether the run\n"
"completed. Exits with COMMAND's exit status.",
	};
	int first = opt_parse(&cmd, argc, argv);

	if (first < 1)
		return first;
	if (!*dir) {
		ds_err("-o DIR is required");
		return -1;
	}
	return first;
}

/* Does dir hold anything at all? */
static bool holds_files(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *d;
	bool any = false;

	if (!dp)
		return false;
	while (!any && (d = readdir(dp)))
		any = strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
	closedir(dp);
	return any;
}

/*
 * DIR is new, empty, or (with -f) a recording: never a directory of
 * other files, whose meta or counts.csv would be replaced, nor a results
 * tree the run would hide.
 */
static int prepare_dir(const char *dir, bool force)
{
	/* events.bin is written first: a meta alone may be anyone's */
	bool rec = tree_has(dir, RUN_EVENTS);
	int err;

	if (rec && !force) {
		ds_err("%s already holds a recording (use -f to overwrite)",
			dir);
		return -1;
	}
	if (!rec && holds_files(dir)) {
		ds_err("%s holds files but no recording: refused (name a new or empty directory)",
			dir);
		return -1;
	}
	err = mkdir_p(dir);
	if (err) {
		ds_err("cannot create %s: %s", dir,
			strerror(-err));
		return -1;
	}
	return 0;
}

int cmd_record(int argc, char **argv)
{
	static struct recording rec;
	struct tracer_opts o = { 0 };
	const char *dir = NULL;
	struct meta m = { 0 };
	bool force = false;
	struct tracer t;
	int first, rc;

	first = parse_args(argc, argv, &o, &dir, &force);
	if (first < 1)
		return opt_exit(first);
	if (prepare_dir(dir, force))
		return 1;
	event_loop_install_signals();
	rc = cli_tracer_open(&t, &o);
	if (rc)
		return rc;
	meta_add_filters(&m, &o.filters);
	rc = recorder_run(&t, dir, argv + first, &m, &rec);
	if (rc < 0) {
		ds_err("%s: %s", dir, strerror(-rc));
		rc = 1;
		goto out;
	}
	if (rec.lost)
		ds_err("lost %llu events (ring buffer full; try --buffer-mb)",
			rec.lost);
	if (rec.recursion_missed)
		ds_err("lost %llu events: the kernel skipped programs already running on their CPU (recursion_misses; prog_stats.csv says which)",
		       rec.recursion_missed);
	if (rec.kret_missed)
		ds_err("kretprobes missed %llu returns (more calls in flight than maxactive)",
			rec.kret_missed);
	if (rec.write_err) {
		ds_err("writing %s: %s: the run is incomplete", dir,
		       strerror(-rec.write_err));
		if (!rc)
			rc = 1;
	}
	ds_err("recorded %llu events in %s%s",
		(unsigned long long)rec.written, dir,
		rec.res.signal || rec.write_err ? " (marked incomplete)" : "");
out:
	tracer_close(&t);
	meta_free(&m);
	return rc;
}
