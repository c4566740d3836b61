// SPDX-License-Identifier: GPL-2.0
/* The bench's scenario-matrix reader on arbitrary bytes. */
#include "bench/matrix.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bench_matrix m;
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	bench_matrix_read(path, &m);
	close(fd);
	return 0;
}
