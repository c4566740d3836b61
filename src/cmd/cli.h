/* SPDX-License-Identifier: GPL-2.0 */
/* Options shared by the commands that trace: tier, BTF, filters. */
#ifndef DIOSCOPE_CLI_H
#define DIOSCOPE_CLI_H

#include "trace/tracer.h"

/* The options every tracing command takes, for getopt_long. */
#define CLI_TRACE_SHORTOPTS "p:c:i:d:vh"
#define CLI_OPT_TIER 1000
#define CLI_OPT_BTF 1001
#define CLI_OPT_MIN_US 1002
#define CLI_OPT_BUFFER 1003
#define CLI_TRACE_LONGOPTS						\
	{ "tier", required_argument, NULL, CLI_OPT_TIER },		\
	{ "btf", required_argument, NULL, CLI_OPT_BTF },		\
	{ "min-us", required_argument, NULL, CLI_OPT_MIN_US },		\
	{ "buffer-mb", required_argument, NULL, CLI_OPT_BUFFER },	\
	{ "pid", required_argument, NULL, 'p' },			\
	{ "comm", required_argument, NULL, 'c' },			\
	{ "inode", required_argument, NULL, 'i' },			\
	{ "device", required_argument, NULL, 'd' },			\
	{ "verbose", no_argument, NULL, 'v' },				\
	{ "help", no_argument, NULL, 'h' }

#define CLI_TRACE_HELP							\
"  --tier T          use only tier T: fentry, kprobe or tracepoint\n"	\
"                    (default: the best that loads, per function)\n"	\
"  --btf FILE        BTF for CO-RE on kernels without\n"		\
"                    /sys/kernel/btf/vmlinux\n"				\
"  -p, --pid PID     only IO submitted by process PID\n"		\
"  -c, --comm NAME   only IO submitted by tasks named NAME\n"		\
"                    (completion work in workqueues is kept)\n"	\
"  -i, --inode INO   only this inode\n"					\
"  -d, --device DEV  only this device: MAJ:MIN, /dev/NODE, or a path\n"	\
"                    on the filesystem\n"				\
"  --min-us N        show only calls that took at least N us\n"		\
"  --buffer-mb N     ring buffer size in MiB (default 16)\n"		\
"  -v, --verbose     show libbpf's messages\n"

/*
 * Handle one option of CLI_TRACE_*; returns 1 if it was one, 0 if not,
 * -1 after printing an error.
 */
int cli_trace_opt(int opt, const char *arg, struct tracer_opts *o);
/* Open the tracer and explain failures; 0 or the exit status to use. */
int cli_tracer_open(struct tracer *t, const struct tracer_opts *o);
/* Print "lost N events" when there were any; return the count. */
unsigned long long cli_report_lost(const struct tracer *t);

#endif
