// SPDX-License-Identifier: GPL-2.0
/* The record-file reader on arbitrary bytes: refuse or read, never crash. */
#include "fuzz_input.h"
#include "run/record_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record_reader r;
	struct ds_event e;
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (record_reader_open(&r, path) == 0) {
		while (record_reader_next(&r, &e) > 0)
			;
		record_reader_close(&r);
	}
	close(fd);
	return 0;
}
