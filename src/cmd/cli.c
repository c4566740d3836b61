// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "cmd/cli.h"
#include "util/parse.h"
#include "util/fileio.h"

int cli_opt_tier(const struct ds_opt *opt, const char *arg)
{
	if (tier_parse(arg, opt->value)) {
		ds_err("unknown tier '%s' (fentry, kprobe, tracepoint)", arg);
		return -1;
	}
	return 0;
}

/* "" is no directory: made relative to it, every output went into / */
int cli_opt_out_dir(const struct ds_opt *opt, const char *arg)
{
	if (!*arg) {
		ds_err("-o takes a directory, not an empty name");
		return -1;
	}
	*(const char **)opt->value = arg;
	return 0;
}

int cli_opt_btf(const struct ds_opt *opt, const char *arg)
{
	char why[128], err_msg[PATH_MAX + 64];
	libbpf_print_fn_t old;
	struct btf *btf;
	int err, fd;

	/* libbpf would wait forever on a FIFO */
	fd = open_regular(arg, err_msg, sizeof(err_msg));
	if (fd < 0) {
		ds_err("--btf %s", err_msg);
		return -1;
	}
	close(fd);
	/*
	 * Parsed here, not first at load time, where libbpf's own error
	 * codes (LIBBPF_ERRNO__FORMAT, 4001) read as "Unknown error 4001"
	 */
	old = libbpf_set_print(NULL);	/* the message below says it */
	btf = btf__parse(arg, NULL);
	err = libbpf_get_error(btf);
	libbpf_set_print(old);
	if (err) {
		libbpf_strerror(err, why, sizeof(why));
		ds_err("--btf %s: not a BTF file or an ELF file with .BTF (%s)",
		       arg, why);
		return -1;
	}
	btf__free(btf);
	*(const char **)opt->value = arg;
	return 0;
}

int cli_opt_comm(const struct ds_opt *opt, const char *arg)
{
	if (strlen(arg) >= DS_COMM_LEN) {
		ds_err("command names are at most %d characters", DS_COMM_LEN - 1);
		return -1;
	}
	snprintf(opt->value, DS_COMM_LEN, "%s", arg);
	return 0;
}

int cli_opt_device(const struct ds_opt *opt, const char *arg)
{
	if (filter_parse_dev(arg, opt->value)) {
		ds_err("device '%s': not MAJ:MIN and not a path that exists", arg);
		return -1;
	}
	return 0;
}

/* microseconds into the nanoseconds of the filter, refused if they wrap */
int cli_opt_min_us(const struct ds_opt *opt, const char *arg)
{
	unsigned long long v;
	int err = parse_u64(arg, &v);

	if (!err && v > ~0ULL / 1000)
		err = -ERANGE;
	if (err) {
		ds_err("--min-us takes 0 to %llu, not '%s'", ~0ULL / 1000, arg);
		return -1;
	}
	*(__u64 *)opt->value = v * 1000;
	return 0;
}

int cli_opt_buffer(const struct ds_opt *opt, const char *arg)
{
	unsigned long long v;

	if (parse_u64(arg, &v) || v < 1 || v > 4096 || (v & (v - 1))) {
		ds_err("--buffer-mb must be a power of two from 1 to 4096, not '%s'", arg);
		return -1;
	}
	*(unsigned int *)opt->value = v;
	return 0;
}

int cli_tracer_open(struct tracer *t, const struct tracer_opts *o)
{
	const char *problem = tracer_env_problem();
	int err;

	memset(t, 0, sizeof(*t));
	if (problem) {
		ds_err("%s", problem);
		return 1;
	}
	err = tracer_open(t, o);
	if (!err)
		return 0;
	if (err == -ENOENT)
		ds_err("nothing can be traced on this kernel%s; see 'dioscope probe'",
		       o->forced ? " in the requested tier" : "");
	else
		ds_err("cannot load the BPF programs: %s%s", strerror(-err),
		       o->verbose ? "" : " (-v shows libbpf's messages)");
	return 1;
}

unsigned long long cli_report_lost(const struct tracer *t)
{
	unsigned long long lost = tracer_lost(t);

	if (lost)
		ds_err("lost %llu events (ring buffer full; try --buffer-mb)", lost);
	return lost;
}
