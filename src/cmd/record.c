// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope record -o DIR -- COMMAND: runs COMMAND with tracing on and
 * keeps every event in DIR/events.bin, with DIR/meta saying what kernel,
 * which tiers, and whether the run is whole.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "run/recorder.h"

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
	static struct recording rec;
	struct tracer_opts o = { 0 };
	const char *dir = NULL;
	struct meta m = { 0 };
	bool force = false;
	struct tracer t;
	int first, rc;

	first = parse_args(argc, argv, &o, &dir, &force);
	if (first < 0)
		return 2;
	if (prepare_dir(dir, force))
		return 1;
	event_loop_install_signals();
	rc = cli_tracer_open(&t, &o);
	if (rc)
		return rc;
	rc = recorder_run(&t, dir, argv + first, &m, &rec);
	if (rc < 0) {
		fprintf(stderr, "dioscope record: %s: %s\n", dir, strerror(-rc));
		rc = 1;
		goto out;
	}
	if (rec.lost)
		fprintf(stderr, "dioscope: lost %llu events (ring buffer full; try --buffer-mb)\n",
			rec.lost);
	if (rec.kret_missed)
		fprintf(stderr, "dioscope: kretprobes missed %llu returns (more calls in flight than maxactive)\n",
			rec.kret_missed);
	if (rec.write_err)
		fprintf(stderr, "dioscope record: writing events: %s\n",
			strerror(-rec.write_err));
	fprintf(stderr, "dioscope: recorded %llu events in %s%s\n",
		(unsigned long long)rec.w.count, dir,
		rec.res.signal ? " (interrupted: marked incomplete)" : "");
out:
	tracer_close(&t);
	meta_free(&m);
	return rc;
}
