// SPDX-License-Identifier: GPL-2.0
/* The CSV reader on arbitrary bytes. */
#include <string.h>
#include "util/csv.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	FILE *f;
	int i, rc;

	if (!size)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	csv_reader_init(&r, f);
	while ((rc = csv_read(&r)) > 0) {
		/* every field must be a terminated string inside the buffer */
		for (i = 0; i < r.nfields; i++)
			(void)strlen(r.fields[i]);
		(void)csv_column(&r, "lat_ns");
	}
	csv_reader_free(&r);
	fclose(f);
	return 0;
}
