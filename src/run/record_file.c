// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "run/record_file.h"

int record_writer_open(struct record_writer *w, const char *path)
{
	struct ds_record_header h = {
		.version = DS_RECORD_VERSION,
		.event_size = sizeof(struct ds_event),
	};

	memcpy(h.magic, DS_RECORD_MAGIC, sizeof(h.magic));
	w->count = 0;
	w->f = fopen(path, "wb");
	if (!w->f)
		return -errno;
	/* large buffer: events arrive in bursts of thousands */
	setvbuf(w->f, NULL, _IOFBF, 1 << 20);
	if (fwrite(&h, sizeof(h), 1, w->f) != 1) {
		fclose(w->f);
		w->f = NULL;
		return -EIO;
	}
	return 0;
}

int record_writer_add(struct record_writer *w, const struct ds_event *e)
{
	if (fwrite(e, sizeof(*e), 1, w->f) != 1)
		return -EIO;
	w->count++;
	return 0;
}

int record_writer_close(struct record_writer *w)
{
	int err = 0;

	if (!w->f)
		return 0;
	if (fflush(w->f) || fsync(fileno(w->f)))
		err = -errno;
	if (fclose(w->f) && !err)
		err = -errno;
	w->f = NULL;
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
	madvise(p, st.st_size, MADV_SEQUENTIAL);
	r->map = p;
	r->map_len = st.st_size;
	r->pos = sizeof(struct ds_record_header);
}

static int next_mapped(struct record_reader *r, struct ds_event *e)
{
	size_t left = r->map_len - r->pos;

	if (left < sizeof(*e)) {
		r->truncated_bytes = left;
		return 0;
	}
	memcpy(e, r->map + r->pos, sizeof(*e));
	r->pos += sizeof(*e);
	r->count++;
	/* each time another 64 MiB are read: memory stays flat */
	if (r->pos % RELEASE_EVERY < sizeof(*e))
		release_to(r, r->pos);
	return 1;
}

int record_reader_open(struct record_reader *r, const char *path)
{
	struct ds_record_header h;

	memset(r, 0, sizeof(*r));
	r->f = fopen(path, "rb");
	if (!r->f) {
		snprintf(r->error, sizeof(r->error), "%s: %s", path,
			 strerror(errno));
		return -errno;
	}
	/* before the first read: a run holds tens of millions of events */
	setvbuf(r->f, NULL, _IOFBF, 1 << 20);
	if (fread(&h, sizeof(h), 1, r->f) != 1 ||
	    memcmp(h.magic, DS_RECORD_MAGIC, sizeof(h.magic))) {
		snprintf(r->error, sizeof(r->error),
			 "%s: not a dioscope record file", path);
		goto bad;
	}
	if (h.version != DS_RECORD_VERSION ||
	    h.event_size != sizeof(struct ds_event)) {
		snprintf(r->error, sizeof(r->error),
			 "%s: record format %u (event size %u), this dioscope reads %u (%zu)",
			 path, h.version, h.event_size, DS_RECORD_VERSION,
			 sizeof(struct ds_event));
		goto bad;
	}
	try_map(r);
	return 0;
bad:
	fclose(r->f);
	r->f = NULL;
	return -EINVAL;
}

int record_reader_next(struct record_reader *r, struct ds_event *e)
{
	size_t n;

	if (r->map)
		return next_mapped(r, e);
	/* one reader per stream: no locking per event */
	n = fread_unlocked(e, 1, sizeof(*e), r->f);
	if (n == sizeof(*e)) {
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

void record_reader_close(struct record_reader *r)
{
	if (r->map)
		munmap((void *)r->map, r->map_len);
	r->map = NULL;
	if (r->f)
		fclose(r->f);
	r->f = NULL;
}
