// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "csv.h"
#include "event_format.h"
#include "export.h"

static void header(FILE *f)
{
	char h[2048] = "io,job,ddir,offset_bytes,len_bytes,lat_ns,kernel_lat_ns,"
		       "submit_ns,complete_ns,pid,tid,inode,aio,ret,iomap_type";
	int c;

	for (c = 0; c < DS_C_MAX; c++) {
		size_t used = strlen(h);

		snprintf(h + used, sizeof(h) - used, ",%s_count,%s_ns",
			 component_name(c), component_name(c));
	}
	strcat(h, ",churn_pairs,wasted_ns_total,joined");
	csv_header(f, h);
}

static void kernel_row(struct csv_row *r, const struct run_analysis *ra,
		       size_t i)
{
	const struct ds_io *io = &ra->corr.ios[i];
	const struct fio_io *fio = io->fio >= 0 ? &ra->log.ios[io->fio] : NULL;
	__u64 t0 = ra->corr.first_ts;
	int c;

	csv_u64(r, i);
	if (fio)
		csv_u64(r, fio->job);
	else
		csv_str(r, "");
	csv_str(r, io->flags & DS_DIO_WRITE ? "write" : "read");
	csv_u64(r, io->pos);
	csv_u64(r, io->len);
	if (fio)
		csv_u64(r, fio->lat_ns);
	else
		csv_str(r, "");
	if (io->complete)
		csv_u64(r, io->complete_ns - io->submit_ns);
	else
		csv_str(r, "");
	csv_u64(r, io->submit_ns - t0);
	if (io->complete)
		csv_u64(r, io->complete_ns - t0);
	else
		csv_str(r, "");
	csv_u64(r, io->pid);
	csv_u64(r, io->tid);
	csv_u64(r, io->ino);
	csv_u64(r, !!(io->flags & DS_DIO_AIO));
	csv_i64(r, io->ret);
	csv_str(r, io->iomap_type == 0xff ? "" : iomap_type_name(io->iomap_type));
	for (c = 0; c < DS_C_MAX; c++) {
		csv_u64(r, io->c[c].count);
		csv_u64(r, io->c[c].ns);
	}
	csv_u64(r, io->c[DS_C_WASTED].count);
	csv_u64(r, io->c[DS_C_WASTED].ns);
	csv_u64(r, fio != NULL);
}

static void fio_only_row(struct csv_row *r, const struct fio_io *f)
{
	int c;

	csv_str(r, "");
	csv_u64(r, f->job);
	csv_str(r, f->ddir == 1 ? "write" : f->ddir ? "trim" : "read");
	csv_u64(r, f->offset);
	csv_u64(r, f->bs);
	csv_u64(r, f->lat_ns);
	for (c = 0; c < 9 + 2 * DS_C_MAX + 2; c++)
		csv_str(r, "");
	csv_u64(r, 0);
}

int export_ios(const struct run_analysis *ra, const char *path)
{
	struct csv_row r;
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f)
		return -errno;
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	header(f);
	for (i = 0; i < ra->corr.n; i++) {
		csv_begin(&r, f);
		kernel_row(&r, ra, i);
		csv_end(&r);
	}
	for (i = 0; i < ra->log.n; i++) {
		if (ra->log.ios[i].joined)
			continue;
		csv_begin(&r, f);
		fio_only_row(&r, &ra->log.ios[i]);
		csv_end(&r);
	}
	return fclose(f) ? -errno : 0;
}
