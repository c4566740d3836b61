// SPDX-License-Identifier: GPL-2.0
/* fio's JSON output parser on arbitrary bytes. */
#include <stdlib.h>
#include <string.h>
#include "analysis/fio_json.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fio_result r;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	fio_json_parse(text, &r);
	free(text);
	return 0;
}
