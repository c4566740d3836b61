// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "util/csv.h"
#include "event/format.h"
#include "export/export.h"
#include "export/row.h"

/* The columns before the components, in the order the rows write them. */
#define IOS_LEADING "io,job,ddir,offset_bytes,len_bytes,lat_ns," \
		    "kernel_lat_ns,submit_ns,complete_ns,pid,tid,inode,aio," \
		    "ret,iomap_type,state,source"
#define IOS_LEADING_N 17

static const char *const state_names[] = {
	[CORR_IO_DONE] = "done",
	[CORR_IO_SUPERSEDED] = "lost",
	[CORR_IO_OPEN] = "open",
};

const char *ddir_name(unsigned int ddir)
{
	return ddir == 1 ? "write" : ddir == 2 ? "trim" : "read";
}

void ios_csv_header(FILE *f)
{
	char h[2048] = IOS_LEADING;

	export_component_header(h, sizeof(h));
	strcat(h, ",churn_pairs,wasted_ns,wasted_cpu_ns,wasted_nested_calls,"
	       "work_cpu_ns,work_nested_calls,merge_op,joined");
	csv_header(f, h);
}

/*
 * The on-CPU time of the IO's churn pairs, and the traced calls nested in
 * them whose programs that time holds; unknown when a call of a pair was
 * not measured.
 */
static void wasted_cpu(struct row *r, const struct corr_io *io)
{
	if (io->cpu_unknown & (1u << DS_C_WASTED)) {
		row_empty(r);
		row_empty(r);
		return;
	}
	row_u64(r, io->cpu_ns[DS_C_WASTED]);
	row_u64(r, io->nested[DS_C_WASTED]);
}

/* The IO's own kernel work on the CPU (corr_io_work); unknown untraced. */
static void work_cpu(struct row *r, const struct export_seen *seen,
		     const struct corr_io *io)
{
	__u32 nested;
	__u64 cpu;

	if (!seen->traced[DS_C_IOMAP_BEGIN] ||
	    !corr_io_work(io, &cpu, &nested)) {
		row_empty(r);
		row_empty(r);
		return;
	}
	row_u64(r, cpu);
	row_u64(r, nested);
}

void ios_csv_kernel_row(FILE *f, const struct export_seen *seen, __u64 t0,
			const struct corr_io *io, const struct fio_io *fio)
{
	bool done = io->state == CORR_IO_DONE;
	struct row r;
	int c;

	row_begin(&r, f);
	row_u64(&r, io->seq);
	if (fio)
		row_u64(&r, fio->job);
	else
		row_empty(&r);
	row_str(&r, io->flags & DS_DIO_WRITE ? "write" : "read");
	row_u64(&r, io->pos);
	row_u64(&r, io->len);
	if (fio)
		row_u64(&r, fio->lat_ns);
	else
		row_empty(&r);
	if (done)
		row_u64(&r, io->complete_ns - io->submit_ns);
	else
		row_empty(&r);
	/* signed: an event late beyond the reorder window may predate t0 */
	row_i64(&r, (__s64)(io->submit_ns - t0));
	if (done)
		row_i64(&r, (__s64)(io->complete_ns - t0));
	else
		row_empty(&r);
	row_u64(&r, io->pid);
	row_u64(&r, io->tid);
	row_u64(&r, io->ino);
	row_u64(&r, !!(io->flags & DS_DIO_AIO));
	if (done)
		row_i64(&r, io->ret);
	else
		row_empty(&r);
	row_str(&r, io->iomap_type == 0xff ? "" : iomap_type_name(io->iomap_type));
	row_str(&r, state_names[io->state]);
	row_str(&r, corr_source_name(io->source));
	for (c = 0; c < DS_C_MAX; c++)
		if (c != DS_C_WASTED)
			export_component_cost(&r, seen->traced[c],
					      io->count[c], io->ns[c],
					      io->cpu_ns[c],
					      io->cpu_unknown & (1u << c));
	if (seen->churn) {
		row_u64(&r, io->count[DS_C_WASTED]);
		row_u64(&r, io->ns[DS_C_WASTED]);
		wasted_cpu(&r, io);
	} else {
		for (c = 0; c < 4; c++)
			row_empty(&r);
	}
	work_cpu(&r, seen, io);
	/* who did the merge of the IO's first churn pair */
	row_str(&r, corr_op_name(io->merge_op));
	row_u64(&r, fio != NULL);
	row_end(&r);
}

void ios_csv_fio_row(FILE *f, const struct fio_io *fio)
{
	struct row r;
	int c, empty = 3 * (DS_C_MAX - 1) + 7;

	row_begin(&r, f);
	row_empty(&r);
	row_u64(&r, fio->job);
	row_str(&r, ddir_name(fio->ddir));
	row_u64(&r, fio->offset);
	row_u64(&r, fio->bs);
	row_u64(&r, fio->lat_ns);
	/* kernel_lat_ns .. state, then every component column */
	for (c = 6; c < IOS_LEADING_N; c++)
		row_empty(&r);
	for (c = 0; c < empty; c++)
		row_empty(&r);
	row_u64(&r, 0);
	row_end(&r);
}
