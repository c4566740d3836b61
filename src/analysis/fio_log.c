// SPDX-License-Identifier: GPL-2.0
/*
 * The reader parses the log by hand: scanf costs about a microsecond a
 * line, and a long bench writes tens of millions of lines. It reads a
 * buffer at a time rather than mapping the file: pages of a mapping
 * once read stay in the reader's memory, and every job's log is open at
 * once.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "analysis/fio_log.h"
#include "analysis/fio_log_ahead.h"
#include "util/fileio.h"

#define LOG_COLUMNS_MIN 5
#define LOG_COLUMNS_MAX 6
#define BUF_SIZE (64 << 10)	/* a job's buffer; a longer line grows it */
#define PEEK_SIZE 4096		/* enough for the first line of most logs */
#define ERROR_LEN sizeof(((struct fio_log *)0)->error)

static const char *skip_blanks(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* the digits of any number below 10^19, which 64 bits always hold */
#define SAFE_DIGITS 19

/* An unsigned decimal; NULL if there is none or it overflows. */
static const char *number(const char *s, const char *end, __u64 *v)
{
	const char *start = s, *safe = end - s > SAFE_DIGITS ?
					 s + SAFE_DIGITS : end;
	unsigned int d;
	__u64 x = 0;

	/* no test of overflow per digit: a line has tens of them */
	for (; s < safe && (d = (unsigned char)*s - '0') <= 9; s++)
		x = x * 10 + d;
	for (; s < end && (d = (unsigned char)*s - '0') <= 9; s++) {
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

static void close_file(struct fio_log_job *jb)
{
	if (jb->fd >= 0)
		close(jb->fd);
	jb->fd = -1;
}

/* Open path as the file jb reads from: 0 or -errno with error saying why. */
static int open_file(struct fio_log_job *jb, const char *path, char *error)
{
	struct stat st;
	int err;

	/* a FIFO would block, a directory is no log: regular files only */
	jb->fd = open_regular(path, error, ERROR_LEN);
	if (jb->fd < 0)
		return -errno;
	jb->path = path;
	if (fstat(jb->fd, &st)) {
		err = -errno;
		goto fail;
	}
	if (!jb->buf) {
		jb->cap = jb->cap ? jb->cap : BUF_SIZE;
		jb->buf = malloc(jb->cap);
		if (!jb->buf) {
			err = -ENOMEM;
			goto fail;
		}
	}
	jb->size = st.st_size;
	jb->done = 0;
	jb->start = jb->len = 0;
	jb->lineno = 0;
	return 0;
fail:
	snprintf(error, ERROR_LEN, "%s: %s", path, strerror(-err));
	close_file(jb);
	return err;
}

/*
 * More of the file into the buffer, after what is left of it. Only the
 * size it had when opened is read: that is the log fio left.
 */
static int fill(struct fio_log_job *jb, char *error)
{
	size_t want;
	ssize_t got;
	char *n;

	if (jb->start) {
		memmove(jb->buf, jb->buf + jb->start, jb->len - jb->start);
		jb->len -= jb->start;
		jb->start = 0;
	}
	if (jb->len == jb->cap) {
		n = realloc(jb->buf, 2 * jb->cap);
		if (!n) {
			snprintf(error, ERROR_LEN, "%s: %s", jb->path,
				 strerror(ENOMEM));
			return -ENOMEM;
		}
		jb->buf = n;
		jb->cap *= 2;
	}
	want = jb->cap - jb->len;
	if ((off_t)want > jb->size - jb->done)
		want = jb->size - jb->done;
	do
		got = read(jb->fd, jb->buf + jb->len, want);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		snprintf(error, ERROR_LEN, "%s: %s", jb->path, strerror(errno));
		return -errno;
	}
	if (!got) {
		snprintf(error, ERROR_LEN, "%s: the file shrank while it was read",
			 jb->path);
		return -EIO;
	}
	jb->len += got;
	jb->done += got;
	return 0;
}

/*
 * The next entry of the file open in jb: 1, 0 at its end (*torn when
 * its last line was cut short), or -errno with error saying why.
 */
static int file_next(struct fio_log_job *jb, struct fio_io *io, bool *torn,
		     char *error)
{
	const char *p, *end, *nl;
	int err;

	*torn = false;
	for (;;) {
		p = jb->buf + jb->start;
		end = jb->buf + jb->len;
		nl = memchr(p, '\n', end - p);
		if (nl || jb->done == jb->size)
			break;
		err = fill(jb, error);
		if (err)
			return err;
	}
	if (p == end)
		return 0;
	if (!nl)
		nl = end;
	jb->lineno++;
	jb->start = nl - jb->buf + (nl < end);
	if (!fio_log_parse(p, nl, io))
		return 1;
	if (nl == end) {
		*torn = true;
		return 0;
	}
	snprintf(error, ERROR_LEN,
		 "%s:%lu: not a fio latency log entry (want \"msec, nsec, ddir, bs, offset[, prio]\": log_offset=1 on?)",
		 jb->path, jb->lineno);
	return -EINVAL;
}

static int add_file(struct fio_log *log, const char *path, unsigned int job)
{
	struct fio_log_file *n;
	char *copy = strdup(path);

	n = copy ? realloc(log->file, (log->nfiles + 1) * sizeof(*n)) : NULL;
	if (!n) {
		free(copy);
		snprintf(log->error, ERROR_LEN, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	log->file = n;
	n[log->nfiles++] = (struct fio_log_file){ .path = copy, .job = job };
	return 0;
}

/* File number i of the log as the last part of its job. */
static int add_to_job(struct fio_log *log, unsigned int i)
{
	unsigned int job = log->file[i].job, k;
	struct fio_log_job *jobs, *jb;
	unsigned int *files;

	if (job >= log->jobs) {
		jobs = realloc(log->job, (job + 1) * sizeof(*jobs));
		if (!jobs)
			goto nomem;
		for (k = log->jobs; k <= job; k++)
			jobs[k] = (struct fio_log_job){ .fd = -1 };
		log->job = jobs;
		log->jobs = job + 1;
	}
	jb = &log->job[job];
	files = realloc(jb->files, (jb->nfiles + 1) * sizeof(*files));
	if (!files)
		goto nomem;
	jb->files = files;
	jb->files[jb->nfiles++] = i;
	return 0;
nomem:
	snprintf(log->error, ERROR_LEN, "%s: %s", log->file[i].path,
		 strerror(ENOMEM));
	return -ENOMEM;
}

/* Open one file by itself, as a job of its own would read it. */
static int open_alone(struct fio_log_job *c, const struct fio_log_file *f,
		      size_t cap, char *error)
{
	int err;

	*c = (struct fio_log_job){ .fd = -1, .cap = cap };
	err = open_file(c, f->path, error);
	if (!err && f->job > UINT16_MAX) {
		snprintf(error, ERROR_LEN, "%s: job %u: too many jobs", f->path,
			 f->job);
		err = -EINVAL;
	}
	return err;
}

static void close_alone(struct fio_log_job *c)
{
	close_file(c);
	free(c->buf);
}

int fio_log_add(struct fio_log *log, const char *path, unsigned int job)
{
	char scratch[ERROR_LEN];
	struct fio_log_job c;
	struct fio_io io;
	bool torn;
	int err;

	/* kept even when refused: fio_log_check() must come to it again */
	err = add_file(log, path, job);
	if (err)
		return err;
	err = open_alone(&c, &log->file[log->nfiles - 1], PEEK_SIZE,
			 log->error);
	if (!err)
		err = add_to_job(log, log->nfiles - 1);
	/* a bad first line fails the read later: as good as an entry here */
	if (!err)
		log->file[log->nfiles - 1].has_entries =
			file_next(&c, &io, &torn, scratch) != 0;
	close_alone(&c);
	return err;
}

static int fail(struct fio_log *log, int err)
{
	log->err = err;
	return err;
}

int fio_log_read(struct fio_log *log, unsigned int job, struct fio_io *io,
		 size_t *torn, char *error)
{
	struct fio_log_job *jb = &log->job[job];
	bool cut;
	int r;

	for (;;) {
		if (jb->fd < 0) {
			if (jb->next_file == jb->nfiles)
				return 0;
			r = open_file(jb, log->file[jb->files[jb->next_file++]].path,
				      error);
			if (r)
				return r;
		}
		r = file_next(jb, io, &cut, error);
		*torn += cut;
		if (r > 0) {
			io->job = job;
			return 1;
		}
		if (r < 0)
			return r;
		close_file(jb);
		if (jb->next_file == jb->nfiles) {
			free(jb->buf);
			jb->buf = NULL;
		}
	}
}

int fio_log_next(struct fio_log *log, unsigned int job, struct fio_io *io)
{
	int r;

	if (log->err)
		return log->err;
	if (job >= log->jobs)
		return 0;
	if (log->ahead)
		r = fio_log_ahead_next(log->ahead, job, io, &log->torn,
				       log->error);
	else
		r = fio_log_read(log, job, io, &log->torn, log->error);
	if (r > 0)
		log->n++;
	return r < 0 ? fail(log, r) : r;
}

/* chunks for this many jobs at most: a few MiB; more are read in place */
#define AHEAD_JOBS_MAX 64

int fio_log_read_ahead(struct fio_log *log)
{
	if (log->ahead || !log->jobs || log->jobs > AHEAD_JOBS_MAX)
		return 0;
	log->ahead = fio_log_ahead_start(log);
	if (!log->ahead) {
		snprintf(log->error, ERROR_LEN, "fio's logs: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int fio_log_order(const struct fio_log *log, unsigned int *order)
{
	unsigned int i, k, n = 0, last = UINT_MAX;
	bool *placed = calloc(log->jobs ? log->jobs : 1, sizeof(*placed));

	if (!placed)
		return -ENOMEM;
	for (i = 0; i < log->nfiles; i++) {
		k = log->file[i].job;
		if (!log->file[i].has_entries || k >= log->jobs || k == last)
			continue;
		if (placed[k])
			break;	/* a job's entries in two places */
		placed[k] = true;
		order[n++] = last = k;
	}
	if (i < log->nfiles) {
		memset(placed, 0, log->jobs * sizeof(*placed));
		n = 0;
	}
	for (k = 0; k < log->jobs; k++)
		if (!placed[k])
			order[n++] = k;
	free(placed);
	return 0;
}

static int check_file(struct fio_log *log, const struct fio_log_file *f)
{
	struct fio_log_job c;
	struct fio_io io;
	bool torn;
	int err;

	err = open_alone(&c, f, BUF_SIZE, log->error);
	while (!err && (err = file_next(&c, &io, &torn, log->error)) > 0)
		err = 0;
	close_alone(&c);
	return err;
}

int fio_log_check(struct fio_log *log)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < log->nfiles && !err; i++)
		err = check_file(log, &log->file[i]);
	return err ? err : log->err;
}

void fio_log_free(struct fio_log *log)
{
	unsigned int i;

	/* the thread first: it reads the files closed below */
	fio_log_ahead_stop(log->ahead);
	for (i = 0; i < log->jobs; i++) {
		close_file(&log->job[i]);
		free(log->job[i].buf);
		free(log->job[i].files);
	}
	for (i = 0; i < log->nfiles; i++)
		free(log->file[i].path);
	free(log->job);
	free(log->file);
	memset(log, 0, sizeof(*log));
}
