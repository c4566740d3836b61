// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "util/err.h"
#include "util/opt.h"
#include "util/parse.h"

#define OPT_LONG_BASE 256
/* --help-man: not a character, so no short option can take it */
#define OPT_MAN_VAL 1
#define HELP_COL_MAX 24

static const struct ds_opt help_opt =
	OPT_CALLBACK('h', "help", NULL, NULL, "this text", NULL);

static int count(const struct ds_opt *opts)
{
	int n = 0;

	while (opts[n].type != DS_OPT_END)
		n++;
	return n;
}

const char *opt_name(const struct ds_opt *opt, char *buf, unsigned long len)
{
	if (opt->long_name)
		snprintf(buf, len, "--%s", opt->long_name);
	else
		snprintf(buf, len, "-%c", opt->short_name);
	return buf;
}

static bool is_number(const struct ds_opt *opt)
{
	return opt->type == DS_OPT_UINT || opt->type == DS_OPT_U64 ||
	       opt->type == DS_OPT_SIZE || opt->type == DS_OPT_DOUBLE;
}

/* a range up to what fits says nothing worth a line of help */
static bool has_range(const struct ds_opt *opt)
{
	return opt->type == DS_OPT_DOUBLE ||
	       (is_number(opt) && opt->max != ~0ULL);
}

/* "1 to 100", "1M to 1T", "0.1 to 3600" */
static void range_str(const struct ds_opt *opt, char *buf, size_t len)
{
	char lo[32], hi[32];

	if (opt->type == DS_OPT_DOUBLE) {
		snprintf(buf, len, "%g to %g", opt->dmin, opt->dmax);
		return;
	}
	if (opt->type == DS_OPT_SIZE) {
		size_str(opt->min, lo, sizeof(lo));
		size_str(opt->max, hi, sizeof(hi));
	} else {
		snprintf(lo, sizeof(lo), "%llu", opt->min);
		snprintf(hi, sizeof(hi), "%llu", opt->max);
	}
	snprintf(buf, len, "%s to %s", lo, hi);
}

static int number(const struct ds_opt *opt, const char *arg)
{
	unsigned long long v = 0;
	double d = 0;
	char name[64], range[80];
	int err;

	if (opt->type == DS_OPT_DOUBLE) {
		err = parse_double(arg, &d);
		if (!err && (d < opt->dmin || d > opt->dmax))
			err = -ERANGE;
	} else {
		err = opt->type == DS_OPT_SIZE ? parse_size(arg, &v) :
						 parse_u64(arg, &v);
		if (!err && (v < opt->min || v > opt->max))
			err = -ERANGE;
	}
	if (err) {
		range_str(opt, range, sizeof(range));
		ds_err("%s takes %s%s, not '%s'", opt_name(opt, name, sizeof(name)),
		       range, opt->type == DS_OPT_SIZE ? ", like 256M" : "", arg);
		return -1;
	}
	if (opt->type == DS_OPT_UINT)
		*(unsigned int *)opt->value = v;
	else if (opt->type == DS_OPT_DOUBLE)
		*(double *)opt->value = d;
	else
		*(unsigned long long *)opt->value = v;
	return 0;
}

static int apply(const struct ds_opt *opt, const char *arg)
{
	switch (opt->type) {
	case DS_OPT_FLAG:
		*(bool *)opt->value = true;
		return 0;
	case DS_OPT_STRING:
		*(const char **)opt->value = arg;
		return 0;
	case DS_OPT_CALLBACK:
		return opt->fn(opt, arg);
	default:
		return number(opt, arg);
	}
}

static void usage_line(const struct ds_cmd *cmd, FILE *f)
{
	fprintf(f, "usage: dioscope %s%s%s\n", cmd->name,
		cmd->usage && cmd->usage[0] ? " " : "",
		cmd->usage ? cmd->usage : "");
}

static int left_len(const struct ds_opt *opt)
{
	int n = 2;

	if (opt->short_name)
		n += 2 + (opt->long_name ? 2 : 0);
	if (opt->long_name)
		n += 2 + strlen(opt->long_name);
	if (opt->arg)
		n += 1 + strlen(opt->arg);
	return n;
}

static void help_line(const struct ds_opt *opt, int col, FILE *f)
{
	const char *h = opt->help, *nl;
	char range[80];
	int n;

	n = fprintf(f, "  ");
	if (opt->short_name)
		n += fprintf(f, "-%c%s", opt->short_name,
			     opt->long_name ? ", " : "");
	if (opt->long_name)
		n += fprintf(f, "--%s", opt->long_name);
	if (opt->arg)
		n += fprintf(f, " %s", opt->arg);
	if (n + 2 > col) {
		fputc('\n', f);
		n = 0;
	}
	fprintf(f, "%*s", col - n, "");
	while ((nl = strchr(h, '\n'))) {
		fprintf(f, "%.*s\n%*s", (int)(nl - h), h, col, "");
		h = nl + 1;
	}
	fputs(h, f);
	if (has_range(opt)) {
		range_str(opt, range, sizeof(range));
		fprintf(f, " (%s)", range);
	}
	fputc('\n', f);
}

void opt_help(const struct ds_cmd *cmd, FILE *f)
{
	int i, col = 0;

	for (i = 0; cmd->opts[i].type != DS_OPT_END; i++)
		if (left_len(&cmd->opts[i]) + 2 > col)
			col = left_len(&cmd->opts[i]) + 2;
	if (col > HELP_COL_MAX)
		col = HELP_COL_MAX;
	usage_line(cmd, f);
	if (cmd->about)
		fprintf(f, "\n%s\n", cmd->about);
	fputc('\n', f);
	for (i = 0; cmd->opts[i].type != DS_OPT_END; i++)
		help_line(&cmd->opts[i], col, f);
	help_line(&help_opt, col, f);
}

/* Text as roff reads it: no request at a line's start, backslashes and
 * hyphens (option names are typed) escaped. */
static void roff_text(const char *s, size_t n, FILE *f)
{
	size_t i;

	if (n && (s[0] == '.' || s[0] == '\''))
		fputs("\\&", f);
	for (i = 0; i < n; i++) {
		if (s[i] == '\\')
			fputs("\\e", f);
		else if (s[i] == '-')
			fputs("\\-", f);
		else
			fputc(s[i], f);
	}
}

/* Each line of s as a line of roff, leading blanks dropped; an empty
 * line starts a paragraph. */
static void roff_lines(const char *s, FILE *f)
{
	const char *nl;
	size_t n;

	while (*s) {
		while (*s == ' ')
			s++;
		nl = strchrnul(s, '\n');
		n = nl - s;
		if (n)
			roff_text(s, n, f);
		else
			fputs(".PP", f);
		fputc('\n', f);
		s = *nl ? nl + 1 : nl;
	}
}

static void man_option(const struct ds_opt *opt, FILE *f)
{
	char range[80];

	fputs(".TP\n", f);
	if (opt->short_name)
		fprintf(f, "\\fB\\-%c\\fR%s", opt->short_name,
			opt->long_name ? ", " : "");
	if (opt->long_name) {
		fputs("\\fB\\-\\-", f);
		roff_text(opt->long_name, strlen(opt->long_name), f);
		fputs("\\fR", f);
	}
	if (opt->arg) {
		fputs(" \\fI", f);
		roff_text(opt->arg, strlen(opt->arg), f);
		fputs("\\fR", f);
	}
	fputc('\n', f);
	roff_lines(opt->help, f);
	if (has_range(opt)) {
		range_str(opt, range, sizeof(range));
		fputc('(', f);
		roff_text(range, strlen(range), f);
		fputs(")\n", f);
	}
}

/*
 * The sections of a command's man page that its table holds: synopsis,
 * description, options. man/gen.sh adds the header and the rest, so that
 * the page and --help come from one table and cannot disagree.
 */
void opt_man(const struct ds_cmd *cmd, FILE *f)
{
	const char *u = cmd->usage ? cmd->usage : "", *nl;
	int i;

	fprintf(f, ".SH SYNOPSIS\n.nf\n\\fBdioscope %s\\fR ", cmd->name);
	for (; *u; u = *nl ? nl + 1 : nl) {
		while (*u == ' ')
			u++;
		nl = strchrnul(u, '\n');
		/* a usage of its own, or the one above continued */
		if (!strncmp(u, "dioscope ", 9)) {
			fputs("\\fBdioscope\\fR ", f);
			u += 9;
		} else if (u != cmd->usage) {
			fputs("    ", f);
		}
		roff_text(u, nl - u, f);
		fputc('\n', f);
	}
	fputs(".fi\n", f);
	if (cmd->about) {
		fputs(".SH DESCRIPTION\n", f);
		roff_lines(cmd->about, f);
	}
	fputs(".SH OPTIONS\n", f);
	for (i = 0; cmd->opts[i].type != DS_OPT_END; i++)
		man_option(&cmd->opts[i], f);
	man_option(&help_opt, f);
}

static int bad_usage(const struct ds_cmd *cmd)
{
	usage_line(cmd, stderr);
	fprintf(stderr, "('dioscope %s --help' says more)\n", cmd->name);
	return -1;
}

/* The option getopt_long returned, or NULL for --help. */
static const struct ds_opt *find(const struct ds_opt *opts, int val)
{
	int i;

	if (val >= OPT_LONG_BASE)
		return &opts[val - OPT_LONG_BASE];
	for (i = 0; opts[i].type != DS_OPT_END; i++)
		if (opts[i].short_name == val)
			return &opts[i];
	return NULL;
}

static int build(const struct ds_cmd *cmd, struct option *lo, char *so)
{
	const struct ds_opt *opts = cmd->opts;
	int i, n = 0;

	if (cmd->stop_at_arg)
		*so++ = '+';
	*so++ = ':';	/* a missing argument is told apart from an unknown option */
	for (i = 0; opts[i].type != DS_OPT_END; i++) {
		if (opts[i].short_name) {
			*so++ = opts[i].short_name;
			if (opts[i].arg)
				*so++ = ':';
		}
		if (!opts[i].long_name)
			continue;
		lo[n++] = (struct option){ opts[i].long_name,
			opts[i].arg ? required_argument : no_argument,
			NULL, OPT_LONG_BASE + i };
	}
	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n++] = (struct option){ "help-man", no_argument, NULL, OPT_MAN_VAL };
	lo[n] = (struct option){ 0 };
	*so++ = 'h';
	*so = '\0';
	return 0;
}

static int one(const struct ds_cmd *cmd, int val, char **argv)
{
	const struct ds_opt *opt;
	char name[64];

	if (val == 'h') {
		opt_help(cmd, stdout);
		return 1;
	}
	if (val == OPT_MAN_VAL) {
		opt_man(cmd, stdout);
		return 1;
	}
	if (val == '?' || val == ':') {
		/* optopt: the short option, or the long one's val, or 0 */
		opt = optopt ? find(cmd->opts, optopt) : NULL;
		if (val == ':')
			ds_err("%s needs an argument",
			       opt ? opt_name(opt, name, sizeof(name)) : argv[optind - 1]);
		else if (optopt >= OPT_LONG_BASE)
			ds_err("%s takes no argument", argv[optind - 1]);
		else if (optopt)
			ds_err("unknown option '-%c'", optopt);
		else
			ds_err("unknown option '%s'", argv[optind - 1]);
		return bad_usage(cmd);
	}
	opt = find(cmd->opts, val);
	return opt && !apply(opt, optarg) ? 0 : -1;
}

int opt_parse(const struct ds_cmd *cmd, int argc, char **argv)
{
	int n = count(cmd->opts), val, rc = 0, args;
	struct option *lo;
	char *so;

	ds_set_cmd(cmd->name);
	lo = calloc(n + 3, sizeof(*lo));
	so = calloc(3 * n + 5, 1);
	if (!lo || !so) {
		ds_err("out of memory");
		rc = -1;
		goto out;
	}
	build(cmd, lo, so);
	optind = 1;
	opterr = 0;
	while (!rc && (val = getopt_long(argc, argv, so, lo, NULL)) != -1)
		rc = one(cmd, val, argv);
	if (rc) {
		rc = rc > 0 ? 0 : -1;
		goto out;
	}
	args = argc - optind;
	if (args < cmd->min_args || args > cmd->max_args) {
		if (cmd->args_error)
			ds_err("%s", cmd->args_error);
		else if (args > cmd->max_args)
			ds_err("unexpected argument '%s'", argv[optind + cmd->max_args]);
		else
			ds_err("missing argument");
		rc = bad_usage(cmd);
		goto out;
	}
	rc = optind;
out:
	free(lo);
	free(so);
	return rc;
}
