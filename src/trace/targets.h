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
	DS_OBJ_MAX,
};

#define DS_MAX_PROGS 4
#define DS_MAX_TP_ALTS 2

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
	const char *fentry_progs[DS_MAX_PROGS];
	const char *kprobe_progs[DS_MAX_PROGS];	/* entry first, then return */
	struct tp_alt tp[DS_MAX_TP_ALTS];
	bool legacy;			/* only on the pre-5.5 DIO path */
};

extern const struct target_def ds_targets[DS_T_MAX];

const struct target_def *target_by_name(const char *name);
const char *object_name(enum ds_object obj);

#endif
