/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The full-screen view of `dioscope top`: a header (kernel, tiers, rates
 * of events and losses, what cannot be seen here and why), the row of all
 * inodes, one row per active inode, and a help line. The view keeps its
 * own copy of the last interval, so freezing and re-sorting need no new
 * data.
 */
#ifndef DIOSCOPE_TOP_VIEW_H
#define DIOSCOPE_TOP_VIEW_H

#include <stdbool.h>
#include "top/inode_path.h"
#include "top/agg.h"

/* What the header shows besides the rows. */
struct top_view_info {
	const char *kernel;
	const char *tiers;
	double interval_s;
	unsigned long long lost_total, lost_last;
	unsigned int tracked;
	unsigned long long evicted;
};

struct top_view {
	bool on;			/* curses is active */
	bool frozen, help;
	int sort;
	const struct top_caps *caps;
	struct inode_path *paths;
	struct top_row *rows, all;
	int nrows, cap;
	struct top_view_info info;
};

enum top_view_action {
	TOP_VIEW_NONE,
	TOP_VIEW_REDRAW,
	TOP_VIEW_QUIT,
};

int top_view_start(struct top_view *v, const struct top_caps *caps,
		   struct inode_path *paths, int cap, int sort);
/* Leave the screen as it was: always safe, also twice. */
void top_view_stop(struct top_view *v);
/* A new interval; ignored while frozen. */
void top_view_update(struct top_view *v, const struct top_row *rows, int n,
		     const struct top_row *all,
		     const struct top_view_info *info);
void top_view_draw(struct top_view *v);
/* Read the keys typed so far. */
enum top_view_action top_view_keys(struct top_view *v);
/* Pure: what a key does to sort, freeze and help. */
enum top_view_action top_view_key(struct top_view *v, int key);

#endif
