// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/*
 * A message names paths and values from files anyone could have made:
 * their control characters are shown, not sent to the terminal. Lines
 * and tabs of the message itself are kept.
 */
static void put_shown(const char *msg)
{
	const unsigned char *p;

	for (p = (const unsigned char *)msg; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
}

void ds_err(const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;
	int n;

	ds_progress_end();
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n >= 0)
		put_shown(msg);
	else
		fputs(fmt, stderr);
	free(msg);
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
