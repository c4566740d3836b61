/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The merge-guard A/B: two results of one kernel, one with
 * dio_merge_guard off and one with it on (patches/0002). What the guard
 * saves is the wasted merge/split work measured as a difference, printed
 * next to the waste the traces of the unguarded arm attribute.
 */
#ifndef DIOSCOPE_COMPARE_GUARD_H
#define DIOSCOPE_COMPARE_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include "compare/csv.h"

struct guard_arms {
	const char *guard_a, *guard_b;		/* "on", "off", "absent" */
	const char *release_a, *release_b;
};

/* Is A against B a guard A/B: the same kernel, the guard off on one side
 * and on on the other? */
bool compare_guard_is_ab(const struct guard_arms *g);
struct guard_diff {
	double diff, lo, hi;	/* off - on, its 95 % interval (NAN: none) */
};

/* off - on of one compared row; -1 when either side is not known. */
int compare_guard_diff(const struct compare_row *r, bool a_off,
		       struct guard_diff *d);
/*
 * Print the statement for one scenario from its compared rows (B against
 * A, as compare fills them); rows with other metrics are ignored.
 */
void compare_guard_print(const struct guard_arms *g,
			 const struct compare_row *rows, size_t n);

#endif
