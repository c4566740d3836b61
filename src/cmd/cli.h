/* SPDX-License-Identifier: GPL-2.0 */
/* Options shared by the commands that trace: tier, BTF, filters. */
#ifndef DIOSCOPE_CLI_H
#define DIOSCOPE_CLI_H

#include "trace/tracer.h"
#include "util/err.h"
#include "util/opt.h"

/*
 * The options of the tracing commands, as lines of their option tables
 * (util/opt.h); t is the struct tracer_opts they fill.
 */
#define OPT_TRACE_TIER(t)						\
	OPT_CALLBACK(0, "tier", &(t)->forced, "T",			\
		     "use only tier T: fentry, kprobe or tracepoint\n"	\
		     "(default: the best that loads, per function)",	\
		     cli_opt_tier)
#define OPT_TRACE_BTF(t)						\
	OPT_CALLBACK(0, "btf", &(t)->custom_btf, "FILE",		\
		     "BTF for CO-RE on kernels without\n"		\
		     "/sys/kernel/btf/vmlinux", cli_opt_btf)
#define OPT_TRACE_PID(t)						\
	OPT_UINT('p', "pid", &(t)->filters.tgid, "PID", 1, 0xffffffffu, \
		 "only IO submitted by process PID")
#define OPT_TRACE_COMM(t)						\
	OPT_CALLBACK('c', "comm", (t)->filters.comm, "NAME",		\
		     "only IO submitted by tasks named NAME\n"		\
		     "(completion work in workqueues is kept)", cli_opt_comm)
#define OPT_TRACE_INODE(t, s)						\
	OPT_U64(s, "inode", &(t)->filters.ino, "INO", 1, ~0ULL,		\
		"only this inode")
#define OPT_TRACE_DEVICE(t)						\
	OPT_CALLBACK('d', "device", &(t)->filters.dev, "DEV",		\
		     "only this device: MAJ:MIN, /dev/NODE, or a path\n"	\
		     "on the filesystem", cli_opt_device)
#define OPT_TRACE_MIN_US(t)						\
	OPT_CALLBACK(0, "min-us", &(t)->filters.min_ns, "N",		\
		     "show only calls that took at least N us", cli_opt_min_us)
#define OPT_TRACE_BUFFER(t)						\
	OPT_CALLBACK(0, "buffer-mb", &(t)->ringbuf_mb, "N",		\
		     "ring buffer size in MiB, a power of two from 1\n"	\
		     "to 4096 (default 16)", cli_opt_buffer)
#define OPT_TRACE_VERBOSE(t)						\
	OPT_FLAG('v', "verbose", &(t)->verbose, "show libbpf's messages")
#define OPT_TRACE_IO_RECORDS(t)						\
	OPT_FLAG(0, "io-records", &(t)->io_records,			\
		 "tracepoint tier: one record per direct IO, assembled\n" \
		 "in the kernel, not an event per call (same output)")
#define OPT_TRACE_NO_OFFCPU(t)						\
	OPT_FLAG(0, "no-offcpu", &(t)->no_offcpu,			\
		 "do not time calls off the CPU: no program runs on\n"	\
		 "every context switch; on-CPU times read as unknown")
/* All of them, as trace and record take them. */
#define OPT_TRACE(t)							\
	OPT_TRACE_TIER(t), OPT_TRACE_BTF(t), OPT_TRACE_PID(t),		\
	OPT_TRACE_COMM(t), OPT_TRACE_INODE(t, 'i'), OPT_TRACE_DEVICE(t),	\
	OPT_TRACE_MIN_US(t), OPT_TRACE_BUFFER(t), OPT_TRACE_IO_RECORDS(t),	\
	OPT_TRACE_NO_OFFCPU(t), OPT_TRACE_VERBOSE(t)

int cli_opt_tier(const struct ds_opt *opt, const char *arg);
int cli_opt_btf(const struct ds_opt *opt, const char *arg);
int cli_opt_comm(const struct ds_opt *opt, const char *arg);
int cli_opt_device(const struct ds_opt *opt, const char *arg);
int cli_opt_min_us(const struct ds_opt *opt, const char *arg);
int cli_opt_buffer(const struct ds_opt *opt, const char *arg);
/* An output directory: not the empty name. */
int cli_opt_out_dir(const struct ds_opt *opt, const char *arg);

/* Open the tracer and explain failures; 0 or the exit status to use. */
int cli_tracer_open(struct tracer *t, const struct tracer_opts *o);
/* Print "lost N events" when there were any; return the count. */
unsigned long long cli_report_lost(const struct tracer *t);

#endif
