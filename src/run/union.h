/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The union of results trees that jobs wrote apart (bench --job, on other
 * machines, in lab guests): one tree whose run directories are symbolic
 * links to theirs, each at the path it has in its own tree
 * (<release>/<scenario>/run-<j>, under an arm or a kernel's directory as
 * the case may be). report sums the union up like any tree, and compare
 * and plot read it.
 */
#ifndef DIOSCOPE_RUN_UNION_H
#define DIOSCOPE_RUN_UNION_H

#include <stddef.h>

/*
 * Link every run directory of the n trees into dst, which must be new or
 * empty. A run at the same path in two trees (the same run of a cell
 * twice) is refused, and then nothing is made. The number of runs
 * linked, or -errno with err saying why.
 */
int tree_union(const char *const *trees, int n, const char *dst, char *err,
	       size_t len);

#endif
