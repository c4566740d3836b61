// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "util/csv.h"
#include "export/export.h"
#include "export/row.h"
#include "trace/targets.h"

void events_csv_header(FILE *f)
{
	csv_header(f, "ts_ns,dur_ns,type,target,tier,comm,pid,tid,dev,inode,"
		   "pos,len,flags,aux0,aux1,aux2,ret,offcpu_ns,nested_calls");
}

void events_csv_row(FILE *f, const struct ds_event *e, __u64 t0)
{
	char comm[DS_COMM_LEN + 1];
	struct row r;

	/* the kernel's comm need not end in a NUL when it fills the field */
	memcpy(comm, e->comm, DS_COMM_LEN);
	comm[DS_COMM_LEN] = '\0';
	row_begin(&r, f);
	/* an event late beyond the reorder window may predate t0 */
	if (e->ts_ns >= t0)
		row_u64(&r, e->ts_ns - t0);
	else
		row_i64(&r, -(__s64)(t0 - e->ts_ns));
	row_u64(&r, e->dur_ns);
	row_str(&r, event_type_name(e->type));
	row_str(&r, e->target < DS_T_MAX ? ds_targets[e->target].name : "?");
	row_str(&r, tier_name(e->tier));
	row_str(&r, comm);
	row_u64(&r, e->pid);
	row_u64(&r, e->tid);
	row_u64(&r, e->dev);
	row_u64(&r, e->ino);
	row_u64(&r, e->pos);
	row_u64(&r, e->len);
	row_u64(&r, e->flags);
	row_u64(&r, e->aux0);
	row_u64(&r, e->aux1);
	row_u64(&r, e->aux2);
	row_i64(&r, e->ret);
	/* a point in time has no time off the CPU; unmeasured is not 0 */
	if (e->dur_ns && e->offcpu_ns != DS_OFFCPU_UNKNOWN) {
		row_u64(&r, e->offcpu_ns);
		row_u64(&r, e->nested);
	} else {
		row_empty(&r);
		row_empty(&r);
	}
	row_end(&r);
}
