/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What earlier runs measured of each tier on this kernel: a target whose
 * programs the kernel skipped (recursion_misses) in one tier loses events
 * there, so the planner prefers another tier for it next time. Kept per
 * kernel release in a small state file, one line per target and tier:
 *
 *	RELEASE TARGET TIER MISSES RUNS
 *
 * $DIOSCOPE_STATE_DIR/tier-misses, /var/lib/dioscope by default.
 */
#ifndef DIOSCOPE_TIER_MISSES_H
#define DIOSCOPE_TIER_MISSES_H

#include "trace/kernel_facts.h"
#include "trace/prog_stats.h"

/* The file's path, in buf; "" when DIOSCOPE_STATE_DIR is too long for it. */
const char *tier_misses_path(char *buf, size_t len);
/* Fill kf->t[].missed[] from what was measured on kf->release. */
void tier_misses_load(struct kernel_facts *kf, const char *path);
/*
 * Add the misses of a run (its prog_stats, tiers as planned) to the
 * file; 0 or -errno. Targets without misses are left as they were.
 */
int tier_misses_save(const char *path, const char *release,
		     const struct prog_stats *s);

#endif
