/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The names of the results tree, in one place:
 *
 *	ROOT/<kernel-release>/summary.csv		a row per scenario
 *	ROOT/<kernel-release>/<scenario>/run-<j>/	one run, j from 1
 *	RUN/meta, RUN/events.bin, RUN/summary.csv	what a run holds
 *
 * record writes a run directory anywhere; bench writes the tree; report,
 * compare and plot read it through these.
 */
#ifndef DIOSCOPE_RUN_TREE_H
#define DIOSCOPE_RUN_TREE_H

#include <stdbool.h>
#include <stddef.h>

#define RUN_META "meta"
#define RUN_EVENTS "events.bin"
#define RUN_SUMMARY "summary.csv"
#define RUN_PREFIX "run-"

/* "DIR/NAME" into buf: 0, or -ENAMETOOLONG when it does not fit. */
int tree_path(char *buf, size_t len, const char *dir, const char *name);
/* Does DIR/NAME exist? */
bool tree_has(const char *dir, const char *name);
/* "ROOT/SCENARIO/run-J": 0 or -ENAMETOOLONG. */
int tree_run_dir(char *buf, size_t len, const char *root,
		 const char *scenario, unsigned int run);
/* j of a directory named "run-<j>" (j a positive decimal), else 0. */
unsigned long tree_run_number(const char *name);
/* Paths, malloc'ed, as tree_list gives them. */
struct tree_names {
	int n, cap;
	char **v;
};

/*
 * The one lister of the tree: the subdirectories of dir (a symbolic link
 * to a directory counts, as a union of trees holds them), as "DIR/NAME"
 * paths into out, all of them: with runs, only run-<j> ordered by j;
 * else all but hidden ones, by name. The count, or -errno (out empty).
 */
int tree_list(const char *dir, bool runs, struct tree_names *out);
void tree_names_free(struct tree_names *l);
/* The same into out[], at most max; the count, or -errno. */
int tree_subdirs(const char *dir, bool runs, char **out, int max);
/*
 * Is path a file of a run: one of the names a run holds (what record
 * wrote, what report derives) in a directory with a meta? Such a file is
 * never the output a user named (--perfetto RUN/events.bin).
 */
bool tree_run_file(const char *path);
/* Does dir hold a run-<j>/ directory? */
bool tree_has_runs(const char *dir);

#endif
