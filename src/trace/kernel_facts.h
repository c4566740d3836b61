/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the running kernel offers a tracer: BTF, symbols, kprobes,
 * tracepoints. Gathered once; the planner decides from these alone, so
 * its decisions can be tested with made-up facts.
 */
#ifndef DIOSCOPE_KERNEL_FACTS_H
#define DIOSCOPE_KERNEL_FACTS_H

#include <stdbool.h>
#include "trace/preempt.h"
#include "trace/targets.h"

enum sym_state {
	SYM_ABSENT,	/* not in kallsyms: inlined, or not in this kernel */
	SYM_PRESENT,	/* under its own name */
	SYM_RENAMED,	/* only as a compiler clone: name.isra.0, ... */
};

/* A function's signature as the kernel's BTF gives it. */
struct func_sig {
	bool known;			/* read from BTF */
	int nargs;
	char args[DS_MAX_ARGS][24];	/* "" where BTF has no name */
	enum ds_ret ret;
};

struct target_facts {
	enum sym_state sym;
	char sym_name[160];		/* the name to attach a kprobe to */
	bool in_btf;			/* a BTF FUNC of that name */
	struct func_sig sig;
	bool tp_present[DS_MAX_TP_ALTS];
	/* a tier that failed to load or attach, and why */
	bool failed[4];
	char fail_reason[4][96];
	/* measured in earlier runs on this kernel (trace/tier_misses.h) */
	unsigned long long missed[4], missed_runs[4];
};

struct kernel_facts {
	char release[65];
	bool has_btf;			/* /sys/kernel/btf/vmlinux */
	const char *custom_btf;		/* --btf FILE for CO-RE */
	bool kprobes;			/* kprobe PMU or kprobe_events */
	bool tracefs;
	char tracefs_path[64];
	/* can a second task enter a fentry program running on its CPU */
	struct preempt_facts preempt;
	struct target_facts t[DS_T_MAX];
};

int kernel_facts_gather(struct kernel_facts *kf, const char *custom_btf);
/* Mount tracefs if it is not mounted; returns its path or NULL. */
const char *tracefs_path(void);
/* "iomap", "legacy" or "unknown" */
const char *dio_path_name(const struct kernel_facts *kf);
/* A digest of the kernel configuration, "-" when it cannot be read. */
int kernel_config_digest(const char *release, char *out, size_t len);

#endif
