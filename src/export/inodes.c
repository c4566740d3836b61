// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "util/csv.h"
#include "export/export.h"
#include "export/row.h"

void inodes_csv_header(FILE *f)
{
	char h[2048] = "dev,inode,ios";

	export_component_header(h, sizeof(h));
	strcat(h, ",churn_pairs,wasted_ns,unpaired_merges,unattributed_events");
	csv_header(f, h);
}

void inodes_csv_row(FILE *f, const struct export_seen *seen,
		    const struct corr_inode *in)
{
	struct row r;
	int c;

	row_begin(&r, f);
	row_u64(&r, in->dev);
	row_u64(&r, in->ino);
	row_u64(&r, in->ios);
	for (c = 0; c < DS_C_MAX; c++)
		if (c != DS_C_WASTED)
			export_component_cost(&r, seen->traced[c], in->count[c],
					      in->ns[c], in->cpu_ns[c],
					      in->cpu_unknown & (1u << c));
	if (seen->churn) {
		row_u64(&r, in->count[DS_C_WASTED]);
		row_u64(&r, in->ns[DS_C_WASTED]);
		row_u64(&r, in->unpaired_merges);
	} else {
		row_empty(&r);
		row_empty(&r);
		row_empty(&r);
	}
	row_u64(&r, in->unattributed);
	row_end(&r);
}
