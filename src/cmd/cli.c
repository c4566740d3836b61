// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/cli.h"

int cli_trace_opt(int opt, const char *arg, struct tracer_opts *o)
{
	__u64 v;

	switch (opt) {
	case CLI_OPT_TIER:
		if (tier_parse(arg, &o->forced)) {
			fprintf(stderr, "dioscope: unknown tier '%s' (fentry, kprobe, tracepoint)\n",
				arg);
			return -1;
		}
		return 1;
	case CLI_OPT_BTF:
		if (access(arg, R_OK)) {
			fprintf(stderr, "dioscope: --btf %s: %s\n", arg,
				strerror(errno));
			return -1;
		}
		o->custom_btf = arg;
		return 1;
	case CLI_OPT_MIN_US:
		if (filter_parse_u64(arg, &v)) {
			fprintf(stderr, "dioscope: --min-us needs a number, not '%s'\n",
				arg);
			return -1;
		}
		o->filters.min_ns = v * 1000;
		return 1;
	case CLI_OPT_BUFFER:
		if (filter_parse_u64(arg, &v) || v < 1 || v > 4096 ||
		    (v & (v - 1))) {
			fprintf(stderr, "dioscope: --buffer-mb must be a power of two from 1 to 4096\n");
			return -1;
		}
		o->ringbuf_mb = v;
		return 1;
	case 'p':
		if (filter_parse_u64(arg, &v) || !v || v > 0xffffffffu) {
			fprintf(stderr, "dioscope: bad pid '%s'\n", arg);
			return -1;
		}
		o->filters.tgid = v;
		return 1;
	case 'c':
		if (strlen(arg) >= DS_COMM_LEN) {
			fprintf(stderr, "dioscope: command names are at most %d characters\n",
				DS_COMM_LEN - 1);
			return -1;
		}
		snprintf(o->filters.comm, sizeof(o->filters.comm), "%s", arg);
		return 1;
	case 'i':
		if (filter_parse_u64(arg, &o->filters.ino) || !o->filters.ino) {
			fprintf(stderr, "dioscope: bad inode number '%s'\n", arg);
			return -1;
		}
		return 1;
	case 'd':
		if (filter_parse_dev(arg, &o->filters.dev)) {
			fprintf(stderr, "dioscope: device '%s': not MAJ:MIN and not a path that exists\n",
				arg);
			return -1;
		}
		return 1;
	case 'v':
		o->verbose = true;
		return 1;
	}
	return 0;
}

int cli_tracer_open(struct tracer *t, const struct tracer_opts *o)
{
	const char *problem = tracer_env_problem();
	int err;

	memset(t, 0, sizeof(*t));
	if (problem) {
		fprintf(stderr, "dioscope: %s\n", problem);
		return 1;
	}
	err = tracer_open(t, o);
	if (!err)
		return 0;
	if (err == -ENOENT)
		fprintf(stderr, "dioscope: nothing can be traced on this kernel%s; see 'dioscope probe'\n",
			o->forced ? " in the requested tier" : "");
	else
		fprintf(stderr, "dioscope: cannot load the BPF programs: %s%s\n",
			strerror(-err), o->verbose ? "" : " (-v shows libbpf's messages)");
	return 1;
}

unsigned long long cli_report_lost(const struct tracer *t)
{
	unsigned long long lost = tracer_lost(t);

	if (lost)
		fprintf(stderr, "dioscope: lost %llu events (ring buffer full; try --buffer-mb)\n",
			lost);
	return lost;
}
