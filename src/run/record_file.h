/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record file (events.bin): a header naming the format and the size
 * of struct ds_event, so that a reader refuses what it does not
 * understand instead of misreading it, then the events.
 *
 * Format 1: struct ds_event records back to back, in host byte order.
 * Format 2: blocks of events, each
 *
 *	struct ds_block_header	magic, payload bytes, events, check
 *	payload			the events, encoded as record_codec.h says
 *
 * with zlib's CRC-32 of count and payload as the block's check, and
 * meta's events_digest over the events' fields (record_digest.h).
 * Format 3 (written today): the blocks of format 2, checked by the low
 * 32 bits of XXH3 of the payload seeded with the count, and an
 * events_digest of XXH3 over the blocks as written, and struct ds_event
 * with offcpu_ns and nested. What differs between formats is in one
 * table of record_file.c.
 *
 * The header's event size tells the records written before struct
 * ds_event gained offcpu_ns and nested (DS_EVENT_SIZE_V1 bytes): read
 * with their calls' time off the CPU unknown.
 *
 * A block is decoded on its own and checked, so a flipped byte is
 * found, not read as an event. The file is written front to
 * back and read the same way (a pipe will do). A last block cut short
 * by an interrupted write is read as far as its events are whole; what
 * is left is counted in truncated_bytes (and the events its header
 * announced but that are missing, in truncated_events).
 */
#ifndef DIOSCOPE_RECORD_FILE_H
#define DIOSCOPE_RECORD_FILE_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "dioscope.h"
#include "run/record_codec.h"
#include "run/record_digest.h"

#define DS_RECORD_MAGIC "DIOSCOPE"
#define DS_RECORD_VERSION 3
#define DS_BLOCK_MAGIC 0x4b425344u	/* "DSBK" little-endian */
/* a block is written once its payload reaches this */
#define DS_BLOCK_BYTES (64u << 10)
/* larger ones are refused as corrupt */
#define DS_BLOCK_MAX (1u << 20)

struct ds_record_header {
	char magic[8];
	__u32 version;
	__u32 event_size;
	__u64 reserved[3];
};

struct ds_block_header {
	__u32 magic;
	__u32 len;		/* payload bytes */
	__u32 count;		/* events in it */
	__u32 crc;		/* the format's check of count and payload */
};

struct record_format;
struct record_ahead;

#define RECORD_ERROR_LEN 160

/* One block as read and checked, before its events are decoded. */
struct block_read {
	struct ds_block_header b;
	unsigned char *buf;	/* the payload, as much as was read */
	size_t cap;
	size_t n;		/* payload bytes read: < b.len if cut short */
	size_t short_header;	/* at the end, bytes of a header cut short */
	int rc;			/* 1: a block; 0: the end; -errno, error says */
	char error[RECORD_ERROR_LEN];
};

struct record_writer {
	FILE *f;
	__u64 count;
	__u64 bytes;		/* written to the file, headers included */
	unsigned int version;
	const struct record_format *fmt;
	struct codec_state codec;
	struct record_digest digest;
	/* meta's events_digest, once closed */
	char digest_value[RECORD_DIGEST_LEN];
	unsigned char *buf;	/* the block being filled */
	size_t used;
	__u32 in_block;
};

/* A file of today's format, or of `version` (1 to 3) with _version. */
int record_writer_open(struct record_writer *w, const char *path);
int record_writer_open_version(struct record_writer *w, const char *path,
			       unsigned int version);
/* 0 or -errno (ENOSPC named as such). */
int record_writer_add(struct record_writer *w, const struct ds_event *e);
/*
 * Writes what is buffered, flushes to disk, sets digest_value; returns
 * 0 or -errno.
 */
int record_writer_close(struct record_writer *w);

struct record_reader {
	FILE *f;
	unsigned int version;
	const struct record_format *fmt;
	struct record_digest digest;	/* of what was read so far */
	size_t event_size;	/* of the file's records, its header says */
	/* format 1, a regular file: mapped instead, no copy through read() */
	const unsigned char *map;
	size_t map_len, pos;
	size_t released;	/* bytes of the mapping let go of */
	/* formats 2 on: the block being decoded */
	struct codec_state codec;
	const unsigned char *buf;
	size_t len, off;
	struct block_read block;	/* where a block is read in place */
	struct record_ahead *ahead;	/* else the thread reading ahead */
	__u32 left;		/* events of the block not yet decoded */
	bool torn;		/* the block is the cut-short last one */
	__u64 offset;		/* of the next block in the file */
	__u64 blocks;
	__u64 count;
	__u64 truncated_bytes;	/* a partial last record (interrupted write) */
	__u64 truncated_events;	/* announced by a cut-short block, missing */
	char error[RECORD_ERROR_LEN];
};

/* 0, or -errno with reader->error saying what is wrong. */
int record_reader_open(struct record_reader *r, const char *path);
/*
 * From here on, blocks are read and checked by a thread of their own
 * (run/record_ahead.h), the events the same as without. Before the first
 * event; 0 (also for a format without blocks), or -errno with
 * reader->error saying why.
 */
int record_reader_read_ahead(struct record_reader *r);
/*
 * The next block of f (blocks and offset: those before it, for what an
 * error says) into s, with its check tested; s->rc says what came.
 */
void record_block_fetch(FILE *f, const struct record_format *fmt,
			__u64 blocks, __u64 offset, struct block_read *s);
/* 1: an event was read; 0: end of file; <0: error (reader->error says). */
int record_reader_next(struct record_reader *r, struct ds_event *e);
/* meta's events_digest of what was read so far, into buf (RECORD_DIGEST_LEN) */
void record_reader_digest(const struct record_reader *r, char *buf);
void record_reader_close(struct record_reader *r);

#endif
