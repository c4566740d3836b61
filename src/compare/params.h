/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parameters that make two runs of a scenario comparable: block size,
 * file size, mount and mkfs options, fio version. They come from the
 * summary row and from each run's meta; compare refuses what differs and
 * warns where the attach tiers differ.
 */
#ifndef DIOSCOPE_COMPARE_PARAMS_H
#define DIOSCOPE_COMPARE_PARAMS_H

#include <stddef.h>
#include "run/results_dir.h"

enum scenario_param {
	SP_BLOCK_SIZE,
	SP_SIZE,
	SP_MOUNT,
	SP_FIO,
	SP_MKFS,
	SP_RUNTIME,
	SP_LATENCY,
	SP_MAX,
};

extern const char *const scenario_param_names[SP_MAX];

struct scenario_params {
	char val[SP_MAX][256];	/* "" where unknown */
	char tiers[1024];	/* "target=tier ..." of the runs, or summary's */
};

/*
 * The parameters of a scenario in one results tree. -EINVAL, with why
 * saying which and where, when its runs disagree among themselves.
 */
int params_load(const struct results *r, const char *scenario,
		const struct run_list *runs, struct scenario_params *p,
		char *why, size_t len);
/*
 * 0 when a (of results named an) and b may be compared; -1 with why naming
 * the parameter that differs and both values. A parameter one side does
 * not know is not held against it: unknown lists those, space separated.
 */
int params_match(const struct scenario_params *a, const char *an,
		 const struct scenario_params *b, const char *bn,
		 char *why, size_t len, char *unknown, size_t ulen);
/* The targets traced with different tiers, "target (a vs b), ..."; how many. */
int params_tier_diff(const struct scenario_params *a,
		     const struct scenario_params *b, char *buf, size_t len);

#endif
