/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The meta file of a run directory: "key=value" lines saying which kernel,
 * which tiers, which command, and whether the run is whole. Results from
 * different boots are compared only through it, so a meta that cannot be
 * read exactly is refused, naming the file and the line, never guessed at.
 */
#ifndef DIOSCOPE_META_H
#define DIOSCOPE_META_H

#include <stdio.h>
#include <linux/types.h>

/* meta.c reads the tracer; the readers of a meta need not know it */
struct tracer;
struct filters;
struct prog_stats;
struct prog_stats_switch;

struct meta {
	int n, cap;
	char **key;
	char **val;
	unsigned int *line;	/* where each key was read, 0 if set here */
	char *path;		/* the file read, for messages */
	char error[512];
};

void meta_set(struct meta *m, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *meta_get(const struct meta *m, const char *key);
/*
 * A non-negative decimal value of key: 0, -ENOENT when absent, -EINVAL
 * when it is not one (an "unknown" among them).
 */
int meta_get_u64(const struct meta *m, const char *key, __u64 *v);
/*
 * The same for a value the run cannot do without: dflt when absent, and
 * -EINVAL with m->error saying which file, line and value when it is not
 * a number.
 */
int meta_need_u64(struct meta *m, const char *key, __u64 dflt, __u64 *v);
/* "path:line: key=value" of key, for messages */
void meta_where(const struct meta *m, const char *key, char *buf, size_t len);
/* Written aside and renamed; 0 or -errno. */
int meta_write(const struct meta *m, const char *path);
/*
 * 0 or -errno with m->error saying what is wrong. Refused with -EINVAL:
 * a line that is not key=value, a carriage return (CRLF endings), a NUL,
 * a key given twice.
 */
int meta_read(struct meta *m, const char *path);
void meta_free(struct meta *m);
/* The kernel identity and the tier of each target. */
void meta_add_kernel(struct meta *m, const struct tracer *t);
/*
 * The task filters (-p, -c) a recording was made with: report then sets
 * aside the work of IOs other tasks submitted (analysis/correlator.h).
 */
void meta_add_filters(struct meta *m, const struct filters *f);

/*
 * The tracer's in-kernel cost over a run: bpf_stats (how statistics were
 * on: fd, sysctl, off), bpf_stats_how, totals bpf_run_time_ns, bpf_runs,
 * bpf_recursion_misses, and the same per traced target (".<target>").
 * Run time and runs are "unknown" when statistics were off, misses when
 * the kernel does not count them.
 */
void meta_add_prog_stats(struct meta *m, const struct prog_stats *s,
			 const struct prog_stats_switch *sw);

#endif
