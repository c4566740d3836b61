// SPDX-License-Identifier: GPL-2.0
/*
 * Command lines: each input is a list of NUL-terminated arguments parsed
 * by the option table every tracing command shares.
 */
#include <stdio.h>
#include <string.h>
#include "cmd/cli.h"
#include "fuzz_input.h"

#define MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[4096];
	struct tracer_opts o;
	const struct ds_opt opts[] = { OPT_TRACE(&o), OPT_END() };
	const struct ds_cmd cmd = { .name = "fuzz", .opts = opts,
				    .max_args = MAX_ARGS };
	char *argv[MAX_ARGS + 2] = { "fuzz" };
	int argc = 1;
	size_t i;

	if (size >= sizeof(buf))
		size = sizeof(buf) - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(&o, 0, sizeof(o));
	/* refusals and --help print: silence both */
	if (!freopen("/dev/null", "w", stderr) ||
	    !freopen("/dev/null", "w", stdout))
		return 0;
	for (i = 0; i < size && argc <= MAX_ARGS; i += strlen(buf + i) + 1)
		argv[argc++] = buf + i;
	argv[argc] = NULL;
	opt_parse(&cmd, argc, argv);
	return 0;
}
