/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record file (events.bin): a header, then struct ds_event records
 * back to back in host byte order. The header names the version and the
 * record size, so a reader refuses what it does not understand instead
 * of misreading it.
 */
#ifndef DIOSCOPE_RECORD_FILE_H
#define DIOSCOPE_RECORD_FILE_H

#include <stdio.h>
#include <linux/types.h>
#include "dioscope.h"

#define DS_RECORD_MAGIC "DIOSCOPE"
#define DS_RECORD_VERSION 1

struct ds_record_header {
	char magic[8];
	__u32 version;
	__u32 event_size;
	__u64 reserved[3];
};

struct record_writer {
	FILE *f;
	__u64 count;
};

int record_writer_open(struct record_writer *w, const char *path);
int record_writer_add(struct record_writer *w, const struct ds_event *e);
/* Flushes to disk; returns 0 or -errno. */
int record_writer_close(struct record_writer *w);

struct record_reader {
	FILE *f;
	/* a regular file is mapped instead: no copy through the kernel */
	const unsigned char *map;
	size_t map_len, pos;
	size_t released;	/* bytes of the mapping let go of */
	__u64 count;
	__u64 truncated_bytes;	/* a partial last record (interrupted write) */
	char error[128];
};

/* 0, or -errno with reader->error saying what is wrong. */
int record_reader_open(struct record_reader *r, const char *path);
/* 1: an event was read; 0: end of file; <0: error. */
int record_reader_next(struct record_reader *r, struct ds_event *e);
void record_reader_close(struct record_reader *r);

#endif
