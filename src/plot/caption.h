/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each kernel differs from the first, for the plots' captions: B - A
 * of p50 and p99 latency and of the wasted time per IO, each with its 95 %
 * bootstrap interval, drawn as compare draws them (same resamples, same
 * seed), so that a caption and compare.csv say the same.
 */
#ifndef DIOSCOPE_PLOT_CAPTION_H
#define DIOSCOPE_PLOT_CAPTION_H

#include <stdbool.h>
#include <stddef.h>
#include "compare/stats.h"

#define CAPTION_LEN 200

struct captions {
	char lat[CAPTION_LEN];		/* for the percentile plot */
	char wasted[CAPTION_LEN];	/* for the waste histogram */
};

/*
 * Into cap[k] for k = 1 .. nk - 1: kernel k against kernel 0, named by
 * label[]; observed[k]: whether kernel k's tier sees merges (no waste
 * caption otherwise). Empty captions where there is no difference to
 * state; icount: times are instructions, said so. 0 or -ENOMEM.
 */
int plot_captions(const struct samples *const *s, const char *const *label,
		  const bool *observed, int nk, const char *scen, bool icount,
		  struct captions *cap);

#endif
