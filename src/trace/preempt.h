/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running kernel's preemption model, and whether it lets a second task
 * enter a trampoline (fentry/fexit) program that is already running on
 * its CPU. Such a program is skipped, not queued (a recursion miss): its
 * call is lost. The planner prefers kprobe on such kernels before any run
 * has missed.
 */
#ifndef DIOSCOPE_PREEMPT_H
#define DIOSCOPE_PREEMPT_H

#include <stdbool.h>
#include <stddef.h>

enum preempt_model {
	PREEMPT_MODEL_UNKNOWN,
	PREEMPT_MODEL_NONE,
	PREEMPT_MODEL_VOLUNTARY,
	PREEMPT_MODEL_FULL,
	PREEMPT_MODEL_LAZY,
	PREEMPT_MODEL_RT,
};

/* What the kernel's configuration says of preemption. */
struct preempt_config {
	bool read;			/* a configuration was found */
	bool dynamic;			/* CONFIG_PREEMPT_DYNAMIC: boot or run time */
	bool rt;			/* CONFIG_PREEMPT_RT */
	enum preempt_model model;	/* the build's (default) model */
	char path[96];
};

/* Each source as read; NULL where it could not be read. */
struct preempt_inputs {
	const char *release;		/* uname -r */
	const char *debugfs;		/* /sys/kernel/debug/sched/preempt */
	const char *cmdline;		/* /proc/cmdline */
	const struct preempt_config *config;
	const char *version;		/* uname -v */
};

struct preempt_facts {
	enum preempt_model model;
	char source[256];		/* where the model was read */
	bool bpf_reentrant;		/* see above */
};

const char *preempt_model_name(enum preempt_model m);
/* "none voluntary (full) lazy": the model in parentheses. */
enum preempt_model preempt_parse_debugfs(const char *text);
/* The model preempt= on a kernel command line asks for. */
enum preempt_model preempt_parse_cmdline(const char *cmdline);
/* One line of a kernel configuration ("CONFIG_PREEMPT_LAZY=y"). */
void preempt_config_line(struct preempt_config *c, const char *line);
/* The model and its source from what could be read. */
void preempt_decide(const struct preempt_inputs *in, struct preempt_facts *pf);
/* Read the sources of the running kernel and decide. */
void preempt_read(const char *release, struct preempt_facts *pf);

#endif
