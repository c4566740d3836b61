/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The merge-guard A/B: results of one kernel in different modes of
 * dio_merge_guard (patches/<kernel>/0002; bench --merge-guard), one of
 * them off. What a mode saves is the wasted merge/split work measured as
 * a difference, guard off - guard in that mode, printed next to the waste
 * the traces of the unguarded arm attribute, with whether the two agree.
 */
#ifndef DIOSCOPE_COMPARE_GUARD_H
#define DIOSCOPE_COMPARE_GUARD_H

#include <stdbool.h>
#include <stddef.h>
#include "compare/csv.h"

struct guard_arms {
	const char *guard_a, *guard_b;	/* "off", "dio", "all" ("on": dio), "absent" */
	const char *release_a, *release_b;
	char letter_a, letter_b;	/* how compare names them; 0: A and B */
};

/* The mode of a summary's merge_guard value: 0 off, 1 dio, 2 all; -1 none. */
int compare_guard_mode(const char *v);
/*
 * Is A against B a guard A/B: the same kernel, the guard off on one side
 * and in a mode on the other?
 */
bool compare_guard_is_ab(const struct guard_arms *g);
struct guard_diff {
	double diff, lo, hi;	/* off - on, its 95 % interval (NAN: none) */
};

/* off - on of one compared row; -1 when either side is not known. */
int compare_guard_diff(const struct compare_row *r, bool a_off,
		       struct guard_diff *d);

enum guard_agreement {
	GUARD_CANNOT_TELL,	/* no estimate, or no interval to hold it */
	GUARD_AGREE,		/* the estimate lies within the interval */
	GUARD_DISAGREE,		/* it lies outside */
};

/*
 * Does the traced estimate of the unguarded arm agree with the measured
 * difference: does it lie within the difference's 95 % interval?
 */
enum guard_agreement compare_guard_agree(double traced,
					 const struct guard_diff *d);
/*
 * The unit of the statement's times, of one IO (per_io) or not: ns, or
 * where both arms' rows are icount results, instructions (ins).
 */
const char *compare_guard_time_unit(const struct compare_row *rows, size_t n,
				    bool per_io);
/*
 * Print the statement for one scenario from its compared rows (B against
 * A, as compare fills them); rows with other metrics are ignored.
 */
void compare_guard_print(const struct guard_arms *g,
			 const struct compare_row *rows, size_t n);

#endif
