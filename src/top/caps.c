// SPDX-License-Identifier: GPL-2.0
/* Which of top's columns the current plan lets it see, and why not the rest. */
#include <stdio.h>
#include <string.h>
#include "trace/planner.h"
#include "top/agg.h"

static void why_add(struct top_caps *c, const char *cols, const char *what,
		    const char *detail)
{
	size_t used = strlen(c->why);

	snprintf(c->why + used, sizeof(c->why) - used, "%s%s: %s%s%s%s",
		 used ? "; " : "", cols, what, detail ? " (" : "",
		 detail ? detail : "", detail ? ")" : "");
}

void top_caps_from_plan(const struct plan *p, struct top_caps *c)
{
	const struct target_plan *t = p->t;
	bool sub = t[DS_T_DIO_RW].tier || t[DS_T_LEGACY_DIO].tier;
	bool done = t[DS_T_DIO_COMPLETE].tier || t[DS_T_LEGACY_DIO].tier;
	bool map = t[DS_T_MAP_BLOCKS].tier;
	bool merge = t[DS_T_MERGE_RIGHT].tier, split = t[DS_T_SPLIT].tier;
	bool timed = t[DS_T_MERGE_RIGHT].tier != DS_TIER_TRACEPOINT &&
		     t[DS_T_SPLIT].tier != DS_TIER_TRACEPOINT;

	memset(c, 0, sizeof(*c));
	c->col[TOP_C_WRITES] = c->col[TOP_C_READS] = sub || done;
	c->dio_at_submit = !done;
	c->col[TOP_C_WB] = t[DS_T_WB_MAP].tier;
	c->col[TOP_C_PRE_IO] = c->col[TOP_C_CONV] = map;
	/* a split is a completion split by the mapping call around it */
	c->col[TOP_C_COMPL_SPLIT] = map && split;
	c->col[TOP_C_P50] = c->col[TOP_C_P99] = map;
	c->col[TOP_C_MERGES] = merge;
	/* a churn pair needs the windows open and closed, merges and splits */
	c->col[TOP_C_CHURN] = merge && split && sub && done;
	c->col[TOP_C_WASTE] = c->col[TOP_C_CHURN] && timed;
	/* unless top_caps_no_offcpu() says time off the CPU is not measured */
	c->col[TOP_C_WASTE_CPU] = c->col[TOP_C_WASTE];
	c->unwritten_from_iomap = t[DS_T_IOMAP_BEGIN].tier;
	c->col[TOP_C_UNWRITTEN] = c->unwritten_from_iomap || map;
	c->convert_traced = t[DS_T_CONVERT].tier;

	if (!sub && !done)
		why_add(c, "WR/RD", "direct IO not traced", NULL);
	if (!t[DS_T_WB_MAP].tier)
		why_add(c, "WB", "writeback's extents not traced",
			t[DS_T_WB_MAP].detail);
	if (!map)
		why_add(c, "PREIO/CONV/CSPLIT", "ext4_ext_map_blocks not traced",
			t[DS_T_MAP_BLOCKS].detail);
	if (!merge)
		why_add(c, "MERGE/CHURN/WASTE",
			"merges need fentry, kprobes or the patched kernel's tracepoints",
			t[DS_T_MERGE_RIGHT].detail);
	if (!split)
		why_add(c, merge ? "CSPLIT/CHURN/WASTE" : "CSPLIT",
			"ext4_split_extent_at not traced", t[DS_T_SPLIT].detail);
	if (!merge || !split)
		return;
	if (!sub || !done)
		why_add(c, "CHURN/WASTE", "DIO windows not traced", NULL);
	else if (!timed)
		why_add(c, "WASTE", "merge/split tracepoints carry no duration",
			NULL);
}

void top_caps_no_offcpu(struct top_caps *c, const char *why)
{
	if (!c->col[TOP_C_WASTE_CPU])
		return;
	c->col[TOP_C_WASTE_CPU] = false;
	why_add(c, "CPUus/s", "time off the CPU not measured", why);
}
