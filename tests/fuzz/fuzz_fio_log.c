// SPDX-License-Identifier: GPL-2.0
/*
 * fio's per-IO latency log reader on arbitrary bytes: the input twice as
 * one job's two files, then checked again from the start.
 */
#include "analysis/fio_log.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fio_log log = { 0 };
	struct fio_io io;
	unsigned int order[1];
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (!fio_log_add(&log, path, 0) && !fio_log_add(&log, path, 0)) {
		while (fio_log_next(&log, 0, &io) > 0)
			;
		fio_log_order(&log, order);
		fio_log_check(&log);
	}
	fio_log_free(&log);
	close(fd);
	return 0;
}
