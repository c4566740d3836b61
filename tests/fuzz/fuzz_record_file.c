// SPDX-License-Identifier: GPL-2.0
/*
 * The record-file reader on arbitrary bytes: refuse or read, never crash.
 * Format 2's blocks carry a checksum that mutated inputs rarely match, so
 * the same bytes also go to the event decoder directly (a cut-short last
 * block reaches it unchecked too).
 */
#include "fuzz_input.h"
#include "run/record_file.h"

static void decode_all(const uint8_t *data, size_t size)
{
	struct codec_state s;
	struct ds_event e;
	size_t off = 0;
	int n;

	codec_reset(&s);
	while (off < size && (n = codec_decode(&s, data + off, size - off,
					       &e)) > 0)
		off += n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record_reader r;
	struct ds_event e;
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	decode_all(data, size);
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
