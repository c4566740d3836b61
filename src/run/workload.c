// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "run/workload.h"
#include "util/err.h"
#include "trace/event_loop.h"

static volatile sig_atomic_t parent_died;

static void on_parent_death(int sig)
{
	parent_died = 1;
}

/* Everything the keeper holds, killed until nothing is left. */
static void kill_all(void)
{
	int i;

	for (i = 0; i < 100; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (!event_loop_signal_children(SIGKILL))
			break;
		usleep(20000);
	}
	_exit(137);
}

/* Exit as the command did: with its status, or of its signal. */
static void exit_as(int status)
{
	struct rlimit none = { 0, 0 };
	int sig;

	if (!WIFSIGNALED(status))
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
	sig = WTERMSIG(status);
	setrlimit(RLIMIT_CORE, &none);
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

static void run_command(char **argv, int exec_fd)
{
	int e;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	execvp(argv[0], argv);
	e = errno;
	ds_err("cannot run %s: %s", argv[0], strerror(e));
	if (write(exec_fd, &e, sizeof(e)) != sizeof(e))
		_exit(127);
	_exit(127);
}

/*
 * What the recorder holds open (BPF programs and links, the ring buffer,
 * events.bin) is not the keeper's: held here, a recorder that died would
 * stay attached until the workload is gone.
 */
static void close_inherited(int keep1, int keep2)
{
	long max = sysconf(_SC_OPEN_MAX);
	int fd;

	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		if (fd != keep1 && fd != keep2)
			close(fd);
}

static void keeper(char **argv, int go, int exec_fd, pid_t parent)
{
	struct sigaction sa = { .sa_handler = on_parent_death };
	int status = 0;
	pid_t cmd, r;
	char c;

	setpgid(0, 0);
	close_inherited(go, exec_fd);
	sigaction(SIGUSR1, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	if (getppid() != parent)
		_exit(137);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* a stop signal reaches the command through the group */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	if (read(go, &c, 1) != 1)
		_exit(127);
	close(go);
	cmd = fork();
	if (cmd < 0)
		_exit(127);
	if (cmd == 0)
		run_command(argv, exec_fd);
	close(exec_fd);
	for (;;) {
		if (parent_died)
			kill_all();
		r = waitpid(-1, &status, 0);
		if (r == cmd)
			exit_as(status);
		if (r < 0 && errno == ECHILD)
			_exit(1);
	}
}

int workload_spawn(struct workload *w, char **argv)
{
	int go[2], ex[2];
	pid_t parent = getpid();

	w->pid = -1;
	if (pipe(go))
		return -errno;
	if (pipe2(ex, O_CLOEXEC)) {
		close(go[0]);
		close(go[1]);
		return -errno;
	}
	w->pid = fork();
	if (w->pid < 0) {
		int err = -errno;

		close(go[0]), close(go[1]), close(ex[0]), close(ex[1]);
		return err;
	}
	if (w->pid == 0) {
		close(go[1]);
		close(ex[0]);
		keeper(argv, go[0], ex[1], parent);
	}
	close(go[0]);
	close(ex[1]);
	setpgid(w->pid, w->pid);	/* also here: no race with the first signal */
	w->go_fd = go[1];
	w->exec_fd = ex[0];
	return 0;
}

int workload_go(struct workload *w)
{
	int err = 0;

	if (write(w->go_fd, "g", 1) != 1) {
		err = -errno;
		kill(w->pid, SIGKILL);
	}
	close(w->go_fd);
	w->go_fd = -1;
	return err;
}

int workload_exec_error(struct workload *w)
{
	int e = 0;

	if (w->exec_fd < 0)
		return 0;
	if (read(w->exec_fd, &e, sizeof(e)) != sizeof(e))
		e = 0;
	close(w->exec_fd);
	w->exec_fd = -1;
	return e;
}
