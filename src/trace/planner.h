/* SPDX-License-Identifier: GPL-2.0 */
/* The attach planner: the best tier per target, and why not better. */
#ifndef DIOSCOPE_PLANNER_H
#define DIOSCOPE_PLANNER_H

#include "trace/kernel_facts.h"

struct target_plan {
	enum ds_tier tier;		/* DS_TIER_NONE: not covered */
	int tp_alt;			/* which tracepoint way, for tier 3 */
	bool renamed;			/* kprobe on a compiler clone */
	char detail[320];		/* why not a better tier, or why none */
};

struct plan {
	struct target_plan t[DS_T_MAX];
	int covered;
};

/* forced: DS_TIER_NONE lets the planner choose. */
void plan_targets(const struct kernel_facts *kf, enum ds_tier forced,
		  struct plan *plan);

#endif
