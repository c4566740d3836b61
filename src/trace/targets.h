/* SPDX-License-Identifier: GPL-2.0 */
/* The traced kernel functions and the programs that cover each of them. */
#ifndef DIOSCOPE_TARGETS_H
#define DIOSCOPE_TARGETS_H

#include <stdbool.h>
#include <linux/types.h>
#include "dioscope.h"
#include "event/names.h"

/* The BPF objects, one per concern (bpf/<name>.bpf.c). */
enum ds_object {
	DS_OBJ_DIO_WINDOW,
	DS_OBJ_IOMAP_BEGIN,
	DS_OBJ_END_IO,
	DS_OBJ_UNWRITTEN,
	DS_OBJ_EXTENT_CHURN,
	DS_OBJ_WRITEBACK,
	DS_OBJ_INSERT_MERGE,
	DS_OBJ_MAX,
};

#define DS_MAX_PROGS 4
#define DS_MAX_TP_ALTS 2
#define DS_MAX_SIGS 3
#define DS_MAX_ARGS 8

/* What a function returns, as far as its programs care. */
enum ds_ret {
	DS_RET_ANY,
	DS_RET_INT,		/* an integer (or void): 0 or -errno */
	DS_RET_PTR,		/* a pointer, or an ERR_PTR */
};

/*
 * One signature of a function and the programs that read its arguments.
 * The planner takes the one the kernel's BTF matches: a program never
 * reads an argument the function does not have.
 */
struct sig_def {
	const char *label;		/* said by probe: "5 args, returns path" */
	int nargs;			/* 0: any */
	const char *args[DS_MAX_ARGS];	/* names the BTF must have there */
	enum ds_ret ret;
	const char *fentry_progs[DS_MAX_PROGS];
	const char *kprobe_progs[DS_MAX_PROGS];	/* entry first, then return */
};

/* One way to cover a target with tracepoints: all of tps must exist. */
struct tp_alt {
	const char *progs[DS_MAX_PROGS];
	const char *tps[DS_MAX_PROGS];	/* "category/name" */
	const char *note;		/* what this way cannot see */
};

struct target_def {
	enum ds_target id;
	const char *name;		/* short name used in output */
	const char *symbol;		/* kernel function */
	enum ds_object obj;
	/* newest first; without BTF the last (oldest) is assumed */
	struct sig_def sigs[DS_MAX_SIGS];
	struct tp_alt tp[DS_MAX_TP_ALTS];
	bool legacy;			/* only on the pre-5.5 DIO path */
};

extern const struct target_def ds_targets[DS_T_MAX];

const struct target_def *target_by_name(const char *name);
/* The number of signatures the target has programs for. */
int target_nsigs(const struct target_def *def);
const char *object_name(enum ds_object obj);

#endif
