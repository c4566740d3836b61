// SPDX-License-Identifier: GPL-2.0
/*
 * Option values from the command line: each input is a list of
 * (option byte, NUL-terminated value) pairs handed to the parser every
 * tracing command shares.
 */
#include <string.h>
#include "cmd/cli.h"
#include "fuzz_input.h"

static const int opts[] = {
	CLI_OPT_TIER, CLI_OPT_MIN_US, CLI_OPT_BUFFER, 'p', 'c', 'i', 'd',
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tracer_opts o;
	char arg[256];
	size_t i = 0, n;

	memset(&o, 0, sizeof(o));
	/* stderr noise from refused values is expected: silence it */
	if (!freopen("/dev/null", "w", stderr))
		return 0;
	while (i < size) {
		int opt = opts[data[i++] % (sizeof(opts) / sizeof(opts[0]))];

		for (n = 0; i < size && data[i] && n < sizeof(arg) - 1; n++)
			arg[n] = data[i++];
		arg[n] = '\0';
		i++;
		cli_trace_opt(opt, arg, &o);
	}
	return 0;
}
