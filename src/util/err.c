// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include "util/err.h"

static char prog[64] = "dioscope";
static bool progress_open;

void ds_set_cmd(const char *name)
{
	snprintf(prog, sizeof(prog), "dioscope%s%s", name ? " " : "",
		 name ? name : "");
}

const char *ds_prog(void)
{
	return prog;
}

void ds_progress_end(void)
{
	if (!progress_open)
		return;
	fputs("\r\033[K", stderr);
	progress_open = false;
}

void ds_err(const char *fmt, ...)
{
	va_list ap;

	ds_progress_end();
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ds_progress(const char *fmt, ...)
{
	bool tty = isatty(STDERR_FILENO);
	va_list ap;

	ds_progress_end();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (tty)
		progress_open = true;
	else
		fputc('\n', stderr);
	fflush(stderr);
}
