// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fio_log.h"

int fio_log_parse_line(const char *line, struct fio_io *io)
{
	unsigned long long t, v, off;
	unsigned int ddir, bs;
	int used = 0;

	if (sscanf(line, " %llu , %llu , %u , %u , %llu%n", &t, &v, &ddir,
		   &bs, &off, &used) != 5)
		return -EINVAL;
	/* what may follow is the priority column, nothing else */
	line += used;
	while (*line == ' ' || *line == ',' || (*line >= '0' && *line <= '9'))
		line++;
	if (*line && *line != '\n' && *line != '\r')
		return -EINVAL;
	if (ddir > 2 || t > UINT32_MAX)
		return -EINVAL;
	memset(io, 0, sizeof(*io));
	io->time_ms = t;
	io->lat_ns = v;
	io->ddir = ddir;
	io->bs = bs;
	io->offset = off;
	return 0;
}

static int grow(struct fio_log *log)
{
	size_t cap = log->cap ? log->cap * 2 : 4096;
	struct fio_io *n = realloc(log->ios, cap * sizeof(*n));

	if (!n)
		return -ENOMEM;
	log->ios = n;
	log->cap = cap;
	return 0;
}

int fio_log_read(struct fio_log *log, const char *path, unsigned int job)
{
	char line[256];
	unsigned long lineno = 0;
	struct fio_io io;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(log->error, sizeof(log->error), "%s: %s", path,
			 strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (fio_log_parse_line(line, &io)) {
			snprintf(log->error, sizeof(log->error),
				 "%s:%lu: not a fio latency log entry", path,
				 lineno);
			fclose(f);
			return -EINVAL;
		}
		if (log->n == log->cap && grow(log)) {
			fclose(f);
			return -ENOMEM;
		}
		io.job = job;
		log->ios[log->n++] = io;
	}
	fclose(f);
	if (job + 1 > log->jobs)
		log->jobs = job + 1;
	return 0;
}

void fio_log_free(struct fio_log *log)
{
	free(log->ios);
	memset(log, 0, sizeof(*log));
}
