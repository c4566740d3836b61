/* SPDX-License-Identifier: GPL-2.0 */
/* The attach planner: the best tier per target, and why not better. */
#ifndef DIOSCOPE_PLANNER_H
#define DIOSCOPE_PLANNER_H

#include "trace/kernel_facts.h"

struct target_plan {
	enum ds_tier tier;		/* DS_TIER_NONE: not covered */
	int tp_alt;			/* which tracepoint way, for tier 3 */
	int sig;			/* which signature's programs, tiers 1-2 */
	bool renamed;			/* kprobe on a compiler clone */
	char detail[320];		/* why not a better tier, or why none */
};

struct plan {
	struct target_plan t[DS_T_MAX];
	int covered;
};

/*
 * The signature of def whose programs fit the function as the kernel's
 * BTF describes it; without BTF the oldest. -1: none fits.
 */
int plan_sig(const struct target_def *def, const struct func_sig *sig);
/* The programs a target needs in the tier its plan gave it, or NULL. */
const char *const *plan_progs(const struct target_def *def,
			      const struct target_plan *tp);

/* forced: DS_TIER_NONE lets the planner choose. */
void plan_targets(const struct kernel_facts *kf, enum ds_tier forced,
		  struct plan *plan);

#endif
