// SPDX-License-Identifier: GPL-2.0
/*
 * The reader maps the log and parses it by hand: scanf costs about a
 * microsecond a line, and a long bench writes tens of millions of lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "analysis/fio_log.h"
#include "util/fileio.h"
#include "util/safe_map.h"

#define LOG_COLUMNS_MIN 5
#define LOG_COLUMNS_MAX 6

static const char *skip_blanks(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* An unsigned decimal; NULL if there is none or it overflows. */
static const char *number(const char *s, const char *end, __u64 *v)
{
	const char *start = s;
	__u64 x = 0;

	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		unsigned int d = *s - '0';

		if (x > (UINT64_MAX - d) / 10)
			return NULL;
		x = x * 10 + d;
	}
	*v = x;
	return s == start ? NULL : s;
}

int fio_log_parse(const char *s, const char *end, struct fio_io *io)
{
	__u64 col[LOG_COLUMNS_MAX];
	int n = 0;

	/* a line may end in CR when the log went through other hands */
	if (end > s && end[-1] == '\r')
		end--;
	for (;;) {
		s = skip_blanks(s, end);
		s = number(s, end, &col[n]);
		if (!s)
			return -EINVAL;
		n++;
		s = skip_blanks(s, end);
		if (s == end)
			break;
		if (*s != ',' || n == LOG_COLUMNS_MAX)
			return -EINVAL;
		s++;
	}
	if (n < LOG_COLUMNS_MIN || col[2] > 2 || col[0] > UINT32_MAX ||
	    col[3] > UINT32_MAX)
		return -EINVAL;
	memset(io, 0, sizeof(*io));
	io->time_ms = col[0];
	io->lat_ns = col[1];
	io->ddir = col[2];
	io->bs = col[3];
	io->offset = col[4];
	return 0;
}

int fio_log_parse_line(const char *line, struct fio_io *io)
{
	const char *nl = strchr(line, '\n');

	return fio_log_parse(line, nl ? nl : line + strlen(line), io);
}

static int grow(struct fio_log *log, size_t want)
{
	size_t cap = log->cap ? log->cap : 4096;
	struct fio_io *n;

	while (cap < want)
		cap *= 2;
	if (cap == log->cap)
		return 0;
	n = realloc(log->ios, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	log->ios = n;
	log->cap = cap;
	return 0;
}

/* Lines of a mapped file; stops at the first bad one. */
static int parse_all(struct fio_log *log, const char *path, const char *p,
		     const char *end, unsigned int job)
{
	unsigned long lineno = 0;
	struct fio_io io;
	const char *nl;

	while (p < end) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		lineno++;
		if (fio_log_parse(p, nl, &io)) {
			if (nl == end) {
				log->torn++;
				break;
			}
			snprintf(log->error, sizeof(log->error),
				 "%s:%lu: not a fio latency log entry (want \"msec, nsec, ddir, bs, offset[, prio]\": log_offset=1 on?)",
				 path, lineno);
			return -EINVAL;
		}
		if (log->n == log->cap && grow(log, log->n + 1)) {
			snprintf(log->error, sizeof(log->error), "%s: %s",
				 path, strerror(ENOMEM));
			return -ENOMEM;
		}
		io.job = job;
		log->ios[log->n++] = io;
		p = nl + 1;
	}
	return 0;
}

int fio_log_read(struct fio_log *log, const char *path, unsigned int job)
{
	struct stat st;
	void *map;
	int fd, err;

	/* a FIFO would block, a directory is no log: regular files only */
	fd = open_regular(path, log->error, sizeof(log->error));
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		snprintf(log->error, sizeof(log->error), "%s: %s", path,
			 strerror(-err));
		close(fd);
		return err;
	}
	if (job > UINT16_MAX) {
		close(fd);
		snprintf(log->error, sizeof(log->error), "%s: job %u: too many jobs",
			 path, job);
		return -EINVAL;
	}
	if (job + 1 > log->jobs)
		log->jobs = job + 1;
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		err = -errno;
		snprintf(log->error, sizeof(log->error), "%s: %s", path,
			 strerror(-err));
		return err;
	}
	madvise(map, st.st_size, MADV_SEQUENTIAL);
	/* a log cut while mapped must not kill the reader with SIGBUS */
	err = safe_map_add(map, st.st_size);
	/* about 40 bytes a line: one allocation for the whole file */
	if (!err)
		err = grow(log, log->n + st.st_size / 32 + 1);
	if (!err)
		err = parse_all(log, path, map, (const char *)map + st.st_size,
				job);
	else
		snprintf(log->error, sizeof(log->error), "%s: %s", path,
			 strerror(-err));
	if (!err && safe_map_lost(map)) {
		snprintf(log->error, sizeof(log->error),
			 "%s: the file shrank while it was read", path);
		err = -EIO;
	}
	safe_map_remove(map);
	munmap(map, st.st_size);
	return err;
}

void fio_log_free(struct fio_log *log)
{
	free(log->ios);
	memset(log, 0, sizeof(*log));
}
