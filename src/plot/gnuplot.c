// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "plot/gnuplot.h"

static void append(struct gp_vars *v, const char *s)
{
	size_t n = strlen(s);

	if (v->used + n + 1 > sizeof(v->buf)) {
		v->overflow = 1;
		return;
	}
	memcpy(v->buf + v->used, s, n + 1);
	v->used += n;
}

/* A gnuplot single-quoted string: nothing is special but ', written twice. */
void gp_var_str(struct gp_vars *v, const char *name, const char *val)
{
	char c[2] = { 0 };

	append(v, name);
	append(v, " = '");
	for (; *val; val++) {
		c[0] = *val;
		append(v, *val == '\'' ? "''" : c);
	}
	append(v, "'; ");
}

void gp_var_int(struct gp_vars *v, const char *name, long val)
{
	char num[32];

	snprintf(num, sizeof(num), "%ld", val);
	append(v, name);
	append(v, " = ");
	append(v, num);
	append(v, "; ");
}

void gp_var_num(struct gp_vars *v, const char *name, double val)
{
	char num[48];

	/* a float gnuplot reads back as one, never as an integer */
	if (!isfinite(val))
		snprintf(num, sizeof(num), "NaN");
	else
		snprintf(num, sizeof(num), "%.17g%s", val,
			 val == floor(val) && fabs(val) < 1e15 ? ".0" : "");
	append(v, name);
	append(v, " = ");
	append(v, num);
	append(v, "; ");
}

static void child(const char *vars, const char *script, int err_fd)
{
	int null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	dup2(err_fd, STDERR_FILENO);
	if (script)
		execlp("gnuplot", "gnuplot", "-e", vars, script, (char *)NULL);
	else
		execlp("gnuplot", "gnuplot", "-e", vars, (char *)NULL);
	_exit(127);
}

/* Reads all of fd, keeping what fits. */
static void drain(int fd, char *err, size_t len)
{
	size_t used = 0;
	char skip[512];
	ssize_t n;

	for (;;) {
		if (used + 1 < len)
			n = read(fd, err + used, len - 1 - used);
		else
			n = read(fd, skip, sizeof(skip));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (used + 1 < len)
			used += n;
	}
	if (len)
		err[used] = '\0';
}

static int run(const char *vars, const char *script, char *err, size_t len)
{
	int pipefd[2], status;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (!pid)
		child(vars, script, pipefd[1]);
	close(pipefd[1]);
	drain(pipefd[0], err, len);
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 127 ? -ENOENT : WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

int gnuplot_run(const struct gp_vars *v, const char *script, char *err,
		size_t len)
{
	if (v->overflow) {
		snprintf(err, len, "too many settings for gnuplot");
		return -E2BIG;
	}
	return run(v->buf, script, err, len);
}

const char *gnuplot_png_terminal(void)
{
	char out[8192];
	const char *p;

	/* print writes to stderr: the names of the terminals built in */
	if (run("print GPVAL_TERMINALS", NULL, out, sizeof(out)))
		return NULL;
	for (p = strstr(out, "pngcairo"); p; p = strstr(p + 1, "pngcairo"))
		if ((p == out || p[-1] == ' ') && (p[8] == ' ' || p[8] == '\n' || !p[8]))
			return "pngcairo";
	return "png";
}
