// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>
#include <zlib.h>
#include "run/record_ahead.h"
#include "run/record_file.h"
#include "util/macros.h"
#include "util/safe_map.h"

enum block_check { BC_NONE, BC_CRC32, BC_XXH3 };

/*
 * What differs between the formats this dioscope reads, in one place:
 * the rest of this file asks the table, never a version number.
 */
struct record_format {
	bool blocks;		/* blocks of encoded events, or raw structs */
	enum block_check check;
	enum record_digest_kind digest;
};

static const struct record_format formats[] = {
	[1] = { .blocks = false, .check = BC_NONE, .digest = RD_FIELDS },
	[2] = { .blocks = true, .check = BC_CRC32, .digest = RD_FIELDS },
	[3] = { .blocks = true, .check = BC_XXH3, .digest = RD_XXH3 },
};

/* NULL: a version this dioscope does not know */
static const struct record_format *format_of(unsigned int version)
{
	if (version < 1 || version >= ARRAY_SIZE(formats))
		return NULL;
	return &formats[version];
}

/* a failed stdio write: the kernel's reason (ENOSPC, EDQUOT), else EIO */
static int write_errno(void)
{
	return errno ? -errno : -EIO;
}

int record_writer_open_version(struct record_writer *w, const char *path,
			       unsigned int version)
{
	struct ds_record_header h = {
		.version = version,
		.event_size = sizeof(struct ds_event),
	};

	int err;

	memset(w, 0, sizeof(*w));
	w->fmt = format_of(version);
	if (!w->fmt)
		return -EINVAL;
	memcpy(h.magic, DS_RECORD_MAGIC, sizeof(h.magic));
	w->version = version;
	err = record_digest_init(&w->digest, w->fmt->digest);
	if (err)
		return err;
	if (w->fmt->blocks) {
		w->buf = malloc(DS_BLOCK_BYTES + CODEC_MAX_EVENT);
		if (!w->buf) {
			err = -ENOMEM;
			goto fail;
		}
	}
	w->f = fopen(path, "wb");
	if (!w->f) {
		err = -errno;
		goto fail;
	}
	/* raw structs: large buffer, events arrive in bursts of thousands */
	setvbuf(w->f, NULL, _IOFBF, w->fmt->blocks ? 1 << 16 : 1 << 20);
	errno = 0;
	if (fwrite(&h, sizeof(h), 1, w->f) != 1) {
		err = write_errno();
		goto fail;
	}
	w->bytes = sizeof(h);
	return 0;
fail:
	if (w->f)
		fclose(w->f);
	w->f = NULL;
	free(w->buf);
	w->buf = NULL;
	record_digest_free(&w->digest);
	return err;
}

int record_writer_open(struct record_writer *w, const char *path)
{
	return record_writer_open_version(w, path, DS_RECORD_VERSION);
}

/* over the count and the payload: a changed count is found too */
static __u32 block_check(const struct record_format *fmt,
			 const struct ds_block_header *b,
			 const unsigned char *payload)
{
	__u32 crc;

	if (fmt->check == BC_XXH3)
		return (__u32)XXH3_64bits_withSeed(payload, b->len, b->count);
	crc = crc32(0, (const unsigned char *)&b->count, sizeof(b->count));
	return crc32(crc, payload, b->len);
}

static int flush_block(struct record_writer *w)
{
	struct ds_block_header b = {
		.magic = DS_BLOCK_MAGIC,
		.len = w->used,
		.count = w->in_block,
	};

	if (!w->in_block)
		return 0;
	b.crc = block_check(w->fmt, &b, w->buf);
	errno = 0;
	if (fwrite(&b, sizeof(b), 1, w->f) != 1 ||
	    fwrite(w->buf, w->used, 1, w->f) != 1)
		return write_errno();
	record_digest_bytes(&w->digest, &b, sizeof(b));
	record_digest_bytes(&w->digest, w->buf, w->used);
	w->bytes += sizeof(b) + w->used;
	w->used = 0;
	w->in_block = 0;
	codec_reset(&w->codec);
	return 0;
}

int record_writer_add(struct record_writer *w, const struct ds_event *e)
{
	if (!w->fmt->blocks) {
		errno = 0;
		if (fwrite(e, sizeof(*e), 1, w->f) != 1)
			return write_errno();
		record_digest_event(&w->digest, e);
		w->bytes += sizeof(*e);
		w->count++;
		return 0;
	}
	record_digest_event(&w->digest, e);
	w->used += codec_encode(&w->codec, e, w->buf + w->used);
	w->in_block++;
	w->count++;
	return w->used >= DS_BLOCK_BYTES ? flush_block(w) : 0;
}

int record_writer_close(struct record_writer *w)
{
	int err = 0;

	if (!w->f)
		return 0;
	if (w->fmt->blocks)
		err = flush_block(w);
	if (!err && (fflush(w->f) || fsync(fileno(w->f))))
		err = write_errno();
	if (fclose(w->f) && !err)
		err = write_errno();
	w->f = NULL;
	free(w->buf);
	w->buf = NULL;
	record_digest_value(&w->digest, w->digest_value);
	record_digest_free(&w->digest);
	return err;
}

#define RELEASE_EVERY (64u << 20)

/*
 * Unmap the pages read since the last call from the process; they stay in
 * the page cache. Without it a mapped 5 GB record file shows as 5 GB of RSS.
 */
static void release_to(struct record_reader *r, size_t off)
{
	size_t page = sysconf(_SC_PAGESIZE);

	off = off / page * page;
	if (off <= r->released)
		return;
	madvise((void *)(r->map + r->released), off - r->released,
		MADV_DONTNEED);
	r->released = off;
}

/*
 * Map the events after the header. Copying 100-byte records out of the
 * page cache with read() cost more than everything else report does.
 */
static void try_map(struct record_reader *r)
{
	struct stat st;
	void *p;

	if (fstat(fileno(r->f), &st) || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size <= sizeof(struct ds_record_header))
		return;
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fileno(r->f), 0);
	if (p == MAP_FAILED)
		return;
	/* a file cut while mapped must not kill the reader with SIGBUS */
	if (safe_map_add(p, st.st_size)) {
		munmap(p, st.st_size);
		return;
	}
	madvise(p, st.st_size, MADV_SEQUENTIAL);
	r->map = p;
	r->map_len = st.st_size;
	r->pos = sizeof(struct ds_record_header);
}

/*
 * A record of the size before offcpu_ns: the call's time off the CPU was
 * not measured, which is not 0.
 */
static void widen_old(const struct record_reader *r, struct ds_event *e)
{
	if (r->event_size == sizeof(*e))
		return;
	memset((char *)e + r->event_size, 0, sizeof(*e) - r->event_size);
	if (e->dur_ns)
		e->offcpu_ns = DS_OFFCPU_UNKNOWN;
}

static int next_mapped(struct record_reader *r, struct ds_event *e)
{
	size_t left = r->map_len - r->pos, size = r->event_size;

	if (left < size) {
		r->truncated_bytes = left;
		if (safe_map_lost(r->map)) {
			snprintf(r->error, sizeof(r->error),
				 "the file shrank while it was read");
			return -EIO;
		}
		return 0;
	}
	memcpy(e, r->map + r->pos, size);
	widen_old(r, e);
	record_digest_event(&r->digest, e);
	r->pos += size;
	r->count++;
	/* each time another 64 MiB are read: memory stays flat */
	if (r->pos % RELEASE_EVERY < size)
		release_to(r, r->pos);
	return 1;
}

static int next_v1(struct record_reader *r, struct ds_event *e)
{
	size_t n;

	if (r->map)
		return next_mapped(r, e);
	/* one reader per stream: no locking per event */
	n = fread_unlocked(e, 1, r->event_size, r->f);
	if (n == r->event_size) {
		widen_old(r, e);
		record_digest_event(&r->digest, e);
		r->count++;
		return 1;
	}
	if (ferror(r->f)) {
		snprintf(r->error, sizeof(r->error), "read error: %s",
			 strerror(errno));
		return -EIO;
	}
	r->truncated_bytes = n;
	return 0;
}

static void bad_block(struct block_read *s, __u64 blocks, __u64 offset,
		      const char *what)
{
	snprintf(s->error, sizeof(s->error), "block %llu at byte %llu: %s",
		 (unsigned long long)blocks, (unsigned long long)offset, what);
	s->rc = -EBADMSG;
}

static void read_error(struct block_read *s)
{
	snprintf(s->error, sizeof(s->error), "read error: %s",
		 strerror(errno));
	s->rc = -EIO;
}

static bool room_for(struct block_read *s, size_t len)
{
	unsigned char *n;

	if (s->cap >= len)
		return true;
	n = realloc(s->buf, len);
	if (!n)
		return false;
	s->buf = n;
	s->cap = len;
	return true;
}

void record_block_fetch(FILE *f, const struct record_format *fmt,
			__u64 blocks, __u64 offset, struct block_read *s)
{
	struct ds_block_header *b = &s->b;
	size_t n = fread_unlocked(b, 1, sizeof(*b), f);

	s->n = s->short_header = 0;
	s->rc = 1;
	if (n < sizeof(*b)) {
		s->short_header = n;
		s->rc = 0;
		if (ferror(f))
			read_error(s);
	} else if (b->magic != DS_BLOCK_MAGIC) {
		bad_block(s, blocks, offset, "no block header (corrupt file)");
	} else if (b->len > DS_BLOCK_MAX || b->count > b->len ||
		   (b->len && !b->count)) {
		bad_block(s, blocks, offset, "impossible block size (corrupt file)");
	} else if (!room_for(s, b->len)) {
		snprintf(s->error, sizeof(s->error), "%s", strerror(ENOMEM));
		s->rc = -ENOMEM;
	} else {
		s->n = fread_unlocked(s->buf, 1, b->len, f);
		if (s->n < b->len && ferror(f))
			read_error(s);
		else if (s->n == b->len && block_check(fmt, b, s->buf) != b->crc)
			bad_block(s, blocks, offset,
				  "checksum mismatch (corrupt file)");
	}
}

/* What is wrong where the reader stands in the file. */
static int reader_bad(struct record_reader *r, const char *what)
{
	struct block_read s;

	bad_block(&s, r->blocks, r->offset, what);
	memcpy(r->error, s.error, sizeof(r->error));
	return s.rc;
}

/* The next block into r->buf: 1, 0 at the end, or <0. */
static int load_block(struct record_reader *r)
{
	struct block_read *s = &r->block;
	size_t n;

	if (r->ahead)
		s = record_ahead_next(r->ahead);
	else
		record_block_fetch(r->f, r->fmt, r->blocks, r->offset, s);
	if (s->rc < 0) {
		snprintf(r->error, sizeof(r->error), "%s", s->error);
		return s->rc;
	}
	if (!s->rc) {
		r->truncated_bytes += s->short_header;
		return 0;
	}
	n = s->n;
	r->torn = n < s->b.len;
	/* whole blocks only: the writer's digest covers no cut-short one */
	if (!r->torn) {
		record_digest_bytes(&r->digest, &s->b, sizeof(s->b));
		record_digest_bytes(&r->digest, s->buf, n);
	}
	r->buf = s->buf;
	r->len = n;
	r->off = 0;
	r->left = s->b.count;
	r->offset += sizeof(s->b) + n;
	r->blocks++;
	codec_reset(&r->codec);
	/* a cut-short block holds no events that are whole: nothing to read */
	if (r->torn && !n) {
		r->truncated_bytes += sizeof(s->b);
		r->truncated_events += s->b.count;
		r->left = 0;
		return 0;
	}
	return 1;
}

/* The rest of a cut-short last block is lost: count it, and stop. */
static int end_torn(struct record_reader *r)
{
	r->truncated_bytes += sizeof(struct ds_block_header) + r->len - r->off;
	r->truncated_events += r->left;
	r->left = 0;
	r->len = r->off = 0;
	r->torn = false;
	return 0;
}

static int next_block_event(struct record_reader *r, struct ds_event *e)
{
	int n, err;

	while (!r->left) {
		if (r->torn)
			return 0;
		if (r->off != r->len)
			return reader_bad(r, "bytes after its last event");
		err = load_block(r);
		if (err <= 0)
			return err;
	}
	n = codec_decode(&r->codec, r->buf + r->off, r->len - r->off, e);
	if (n <= 0) {
		if (r->torn)
			return end_torn(r);
		return reader_bad(r, "undecodable event (corrupt file)");
	}
	widen_old(r, e);
	record_digest_event(&r->digest, e);
	r->off += n;
	r->left--;
	r->count++;
	if (r->torn && !r->left)
		r->torn = false;
	return 1;
}

static int check_header(struct record_reader *r, const char *path)
{
	struct ds_record_header h;

	if (fread(&h, sizeof(h), 1, r->f) != 1 ||
	    memcmp(h.magic, DS_RECORD_MAGIC, sizeof(h.magic))) {
		snprintf(r->error, sizeof(r->error),
			 "%s: not a dioscope record file", path);
		return -EINVAL;
	}
	r->fmt = format_of(h.version);
	/* the older size lacks offcpu_ns and nested, read as unknown */
	if (!r->fmt || (h.event_size != sizeof(struct ds_event) &&
			h.event_size != DS_EVENT_SIZE_V1)) {
		snprintf(r->error, sizeof(r->error),
			 "%s: record format %u (event size %u), this dioscope reads 1 to %u (%zu or %d)",
			 path, h.version, h.event_size, DS_RECORD_VERSION,
			 sizeof(struct ds_event), DS_EVENT_SIZE_V1);
		return -EINVAL;
	}
	r->version = h.version;
	r->event_size = h.event_size;
	r->offset = sizeof(h);
	return 0;
}

int record_reader_open(struct record_reader *r, const char *path)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->f = fopen(path, "rb");
	if (!r->f) {
		err = -errno;
		snprintf(r->error, sizeof(r->error), "%s: %s", path,
			 strerror(errno));
		return err;
	}
	/* before the first read: a run holds tens of millions of events */
	setvbuf(r->f, NULL, _IOFBF, 1 << 20);
	err = check_header(r, path);
	if (!err)
		err = record_digest_init(&r->digest, r->fmt->digest);
	if (err) {
		if (err == -ENOMEM)
			snprintf(r->error, sizeof(r->error), "%s: %s", path,
				 strerror(ENOMEM));
		record_reader_close(r);
		return err;
	}
	if (!r->fmt->blocks)
		try_map(r);
	return 0;
}

int record_reader_next(struct record_reader *r, struct ds_event *e)
{
	return r->fmt->blocks ? next_block_event(r, e) : next_v1(r, e);
}

void record_reader_digest(const struct record_reader *r, char *buf)
{
	record_digest_value(&r->digest, buf);
}

int record_reader_read_ahead(struct record_reader *r)
{
	if (!r->fmt->blocks || r->ahead)
		return 0;
	r->ahead = record_ahead_start(r->f, r->fmt, r->offset);
	if (!r->ahead) {
		snprintf(r->error, sizeof(r->error), "%s", strerror(errno));
		return -errno;
	}
	return 0;
}

void record_reader_close(struct record_reader *r)
{
	/* the thread first: it reads r->f */
	record_ahead_stop(r->ahead);
	r->ahead = NULL;
	if (r->map) {
		safe_map_remove(r->map);
		munmap((void *)r->map, r->map_len);
	}
	r->map = NULL;
	if (r->f)
		fclose(r->f);
	r->f = NULL;
	free(r->block.buf);
	r->block.buf = NULL;
	r->buf = NULL;
	record_digest_free(&r->digest);
}
