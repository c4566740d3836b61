// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope: what the ext4 direct-IO port to iomap costs and saves.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cmd/commands.h"
#include "util/data_dir.h"
#include "util/err.h"
#include "util/macros.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "probe", cmd_probe, "can this kernel be traced, and how" },
	{ "trace", cmd_trace, "stream DIO and extent events; summary on Ctrl-C" },
	{ "record", cmd_record, "run a command under tracing, store its events" },
	{ "bench", cmd_bench, "run the O_SYNC|O_DIRECT scenarios, correlate, summarise" },
	{ "report", cmd_report, "correlate a run or results again, print the summary" },
	{ "compare", cmd_compare, "compare kernels: differences, intervals, p-values" },
	{ "plot", cmd_plot, "render gnuplot plots (PNG, SVG) of results" },
	{ "top", cmd_top, "unwritten-extent churn per inode, live" },
};

#define NCOMMANDS (ARRAY_SIZE(commands))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: dioscope COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'dioscope COMMAND --help' describes each.\n");
}

/* Where bench and plot take their files from, and why there. */
static void data_line(FILE *f)
{
	const struct data_dir *d = data_dir();

	fprintf(f, "\ndata: %s (%s)\n"
		"      looked for in: $%s, the checkout of the binary,\n"
		"      %s\n", d->root, data_source_name(d->source),
		DATA_DIR_ENV, data_installed_dir());
}

/*
 * What was printed is part of the answer: a standard output that could
 * not take it (a full disk, /dev/full) fails the command.
 */
static int flushed(int rc)
{
	errno = 0;
	if (!fflush(stdout) && !ferror(stdout))
		return rc;
	ds_err("standard output: %s", strerror(errno ? errno : EIO));
	return rc ? rc : 1;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		data_line(stdout);
		return flushed(0);
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (!strcmp(argv[1], commands[i].name))
			return flushed(commands[i].run(argc - 1, argv + 1));
	}
	ds_err("unknown command '%s'", argv[1]);
	usage(stderr);
	return 2;
}
