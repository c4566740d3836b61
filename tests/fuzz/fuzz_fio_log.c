// SPDX-License-Identifier: GPL-2.0
/* fio's per-IO latency log reader on arbitrary bytes. */
#include "analysis/fio_log.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fio_log log = { 0 };
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	fio_log_read(&log, path, 0);
	fio_log_free(&log);
	close(fd);
	return 0;
}
