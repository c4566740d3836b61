/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One table of options per command drives its parsing, its range checks
 * and its --help, in the manner of perf's OPT_* tables (tools/lib/
 * subcmd/parse-options.h) and fio's option table: adding an option is one
 * line of the table.
 *
 *	const struct ds_opt opts[] = {
 *		OPT_UINT('r', "runs", &o->runs, "N", 1, 100,
 *			 "runs per scenario, default 3"),
 *		OPT_FLAG(0, "full", &o->full, "every block size and variant"),
 *		OPT_END(),
 *	};
 *
 * A help text may hold "\n" for more lines. Numbers are checked by
 * util/parse.h and their range is appended to the help.
 */
#ifndef DIOSCOPE_UTIL_OPT_H
#define DIOSCOPE_UTIL_OPT_H

#include <stdbool.h>
#include <stdio.h>

enum ds_opt_type {
	DS_OPT_END,
	DS_OPT_FLAG,		/* bool, set to true */
	DS_OPT_STRING,		/* const char *, the argument itself */
	DS_OPT_UINT,		/* unsigned int in [min, max] */
	DS_OPT_U64,		/* unsigned long long in [min, max] */
	DS_OPT_SIZE,		/* unsigned long long bytes in [min, max], "256M" */
	DS_OPT_DOUBLE,		/* double in [dmin, dmax] */
	DS_OPT_CALLBACK,	/* fn(opt, arg): 0, or -1 after ds_err() */
};

struct ds_opt;
typedef int (*ds_opt_fn)(const struct ds_opt *opt, const char *arg);

struct ds_opt {
	enum ds_opt_type type;
	int short_name;		/* 0: none */
	const char *long_name;
	const char *arg;	/* name of its argument in help; NULL: none */
	const char *help;
	void *value;
	unsigned long long min, max;
	double dmin, dmax;
	ds_opt_fn fn;
};

/* The pointer, checked to be of the type the option writes. */
#define OPT_PTR(type, p) ((void *)(1 ? (p) : (type *)0))

#define OPT_FLAG(s, l, v, h)						\
	{ .type = DS_OPT_FLAG, .short_name = s, .long_name = l,		\
	  .help = h, .value = OPT_PTR(bool, v) }
#define OPT_STRING(s, l, v, a, h)					\
	{ .type = DS_OPT_STRING, .short_name = s, .long_name = l,	\
	  .arg = a, .help = h, .value = OPT_PTR(const char *, v) }
#define OPT_UINT(s, l, v, a, lo, hi, h)					\
	{ .type = DS_OPT_UINT, .short_name = s, .long_name = l,		\
	  .arg = a, .help = h, .value = OPT_PTR(unsigned int, v),	\
	  .min = lo, .max = hi }
#define OPT_U64(s, l, v, a, lo, hi, h)					\
	{ .type = DS_OPT_U64, .short_name = s, .long_name = l,		\
	  .arg = a, .help = h, .value = OPT_PTR(unsigned long long, v),	\
	  .min = lo, .max = hi }
#define OPT_SIZE(s, l, v, a, lo, hi, h)					\
	{ .type = DS_OPT_SIZE, .short_name = s, .long_name = l,		\
	  .arg = a, .help = h, .value = OPT_PTR(unsigned long long, v),	\
	  .min = lo, .max = hi }
#define OPT_DOUBLE(s, l, v, a, lo, hi, h)				\
	{ .type = DS_OPT_DOUBLE, .short_name = s, .long_name = l,	\
	  .arg = a, .help = h, .value = OPT_PTR(double, v),		\
	  .dmin = lo, .dmax = hi }
/* a NULL argument name: a flag handed to fn with a NULL arg */
#define OPT_CALLBACK(s, l, v, a, h, f)					\
	{ .type = DS_OPT_CALLBACK, .short_name = s, .long_name = l,	\
	  .arg = a, .help = h, .value = v, .fn = f }
#define OPT_END() { .type = DS_OPT_END }

struct ds_cmd {
	const char *name;	/* "bench": also the voice of util/err.h */
	const char *usage;	/* what follows "usage: dioscope NAME " */
	const char *about;	/* paragraphs between usage and options */
	const struct ds_opt *opts;
	int min_args, max_args;	/* positional arguments */
	const char *args_error;	/* said when their count is wrong */
	bool stop_at_arg;	/* the first positional ends the options */
};

/*
 * Parses argv[1..] by cmd's table. Returns the index of the first
 * positional argument (at least 1), 0 after printing --help to stdout,
 * or -1 after printing an error: a command returns opt_exit() of
 * anything below 1.
 */
int opt_parse(const struct ds_cmd *cmd, int argc, char **argv);
static inline int opt_exit(int rc)
{
	return rc ? 2 : 0;
}
void opt_help(const struct ds_cmd *cmd, FILE *f);
/* The same table as roff: the SYNOPSIS, DESCRIPTION and OPTIONS of the
 * command's man page (--help-man prints it). */
void opt_man(const struct ds_cmd *cmd, FILE *f);
/* "--runs" or "-s" as the user may have written it. */
const char *opt_name(const struct ds_opt *opt, char *buf, unsigned long len);

#endif
