// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "event/io_record.h"
#include "trace/event_loop.h"
#include "util/clock.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

void event_loop_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int event_loop_stop_signal(void)
{
	return stop_signal;
}

struct rb_ctx {
	event_fn fn;
	void *ctx;
	int err;
	unsigned long long records;
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct rb_ctx *c = ctx;

	c->records += io_record_is(size);
	c->err = io_payload_each(data, size, c->fn, c->ctx);
	return c->err;
}

static bool child_done(pid_t child, struct event_loop_result *res)
{
	pid_t r;

	if (child <= 0 || res->child_exited)
		return res->child_exited;
	r = waitpid(child, &res->child_status, WNOHANG);
	if (r == child)
		res->child_exited = true;
	return res->child_exited;
}

int event_loop_signal_children(int sig)
{
	char path[300], buf[512], *p;
	struct dirent *d;
	pid_t self = getpid();
	int n = 0, ppid;
	DIR *proc = opendir("/proc");
	FILE *f;

	if (!proc)
		return 0;
	while ((d = readdir(proc))) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		/* "pid (comm) state ppid": comm may hold spaces, skip past ')' */
		if (p && sscanf(p + 1, " %*c %d", &ppid) == 1 && ppid == self) {
			kill(atoi(d->d_name), sig);
			n++;
		}
	}
	closedir(proc);
	return n;
}

/*
 * After a stop signal, what is left of the workload (processes that
 * outlived their parent, like fio's job processes, which sit in sessions
 * of their own) has been handed to us as subreaper: terminate it, then
 * kill it, so an interrupted run leaves nothing running.
 */
static void reap_descendants(void)
{
	int i;

	for (i = 0; i < 40; i++) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (!event_loop_signal_children(i < 20 ? SIGTERM : SIGKILL))
			return;
		usleep(50000);
	}
}

int event_loop_run(struct tracer *t, event_fn fn, void *ctx, pid_t child,
		   struct event_loop_result *res)
{
	struct rb_ctx c = { .fn = fn, .ctx = ctx };
	struct ring_buffer *rb;
	__u64 last_devs = mono_ms();
	bool forwarded = false;
	int n;

	memset(res, 0, sizeof(*res));
	rb = ring_buffer__new(t->events_fd, on_event, &c, NULL);
	if (!rb)
		return -errno;
	for (;;) {
		n = ring_buffer__poll(rb, t->batch ? DS_BATCH_FLUSH_MS : 100);
		if (n < 0 && n != -EINTR)
			break;
		/*
		 * The programs wake us only once a batch is waiting, and
		 * epoll reports nothing that did not wake it: what is below
		 * a batch is read here, at the timeout.
		 */
		if (tracer_flush_due(t))
			n = 0;
		if (n == 0 && !c.err)
			ring_buffer__consume(rb);
		if (c.err)
			break;
		if (stop_signal && child > 0 && !forwarded) {
			/*
			 * A hangup becomes a termination: programs like fio stop
			 * their workers on SIGTERM but simply die on SIGHUP,
			 * leaving the workers running on their own.
			 */
			int sig = stop_signal == SIGHUP ? SIGTERM : stop_signal;

			if (kill(-child, sig))
				kill(child, sig);
			forwarded = true;
		}
		if (child > 0 ? child_done(child, res) : stop_signal)
			break;
		/* filesystems mounted after the start are traced too */
		if (mono_ms() - last_devs >= 1000) {
			tracer_update_ext4_devs(t);
			last_devs = mono_ms();
		}
	}
	/* what the kernel wrote before we stopped still belongs to the run */
	tracer_flush_batches(t);
	while (!c.err && ring_buffer__consume(rb) > 0)
		;
	if (!c.err)
		c.err = tracer_drain_ios(t, c.fn, c.ctx);
	ring_buffer__free(rb);
	res->records = c.records;
	res->signal = stop_signal;
	if (child > 0 && !res->child_exited &&
	    waitpid(child, &res->child_status, 0) == child)
		res->child_exited = true;
	if (child > 0 && forwarded) {
		reap_descendants();
	} else if (child > 0) {
		/* a daemon the command started (setsid ... &) outlives it */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		res->left_behind = event_loop_signal_children(0);
		if (res->left_behind)
			reap_descendants();
	}
	return c.err;
}
