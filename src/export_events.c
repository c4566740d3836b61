// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include "csv.h"
#include "export.h"
#include "targets.h"

int export_events(const struct run_analysis *ra, const char *path)
{
	struct csv_row r;
	FILE *f = fopen(path, "w");
	__u64 t0 = ra->corr.first_ts;
	size_t i;

	if (!f)
		return -errno;
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	csv_header(f, "ts_ns,dur_ns,type,target,tier,comm,pid,tid,dev,inode,"
		   "pos,len,flags,aux0,aux1,aux2,ret");
	/* correlate() left the events sorted by time */
	for (i = 0; i < ra->nev; i++) {
		const struct ds_event *e = &ra->ev[i];
		char comm[DS_COMM_LEN + 1];

		snprintf(comm, sizeof(comm), "%s", e->comm);
		csv_begin(&r, f);
		csv_u64(&r, e->ts_ns - t0);
		csv_u64(&r, e->dur_ns);
		csv_str(&r, event_type_name(e->type));
		csv_str(&r, e->target < DS_T_MAX ? ds_targets[e->target].name : "?");
		csv_str(&r, tier_name(e->tier));
		csv_str(&r, comm);
		csv_u64(&r, e->pid);
		csv_u64(&r, e->tid);
		csv_u64(&r, e->dev);
		csv_u64(&r, e->ino);
		csv_u64(&r, e->pos);
		csv_u64(&r, e->len);
		csv_u64(&r, e->flags);
		csv_u64(&r, e->aux0);
		csv_u64(&r, e->aux1);
		csv_u64(&r, e->aux2);
		csv_i64(&r, e->ret);
		csv_end(&r);
	}
	return fclose(f) ? -errno : 0;
}
