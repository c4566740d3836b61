// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "event_loop.h"

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
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct rb_ctx *c = ctx;

	if (size < sizeof(struct ds_event))
		return 0;
	c->err = c->fn(c->ctx, data);
	return c->err;
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
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

int event_loop_run(struct tracer *t, event_fn fn, void *ctx, pid_t child,
		   struct event_loop_result *res)
{
	struct rb_ctx c = { .fn = fn, .ctx = ctx };
	struct ring_buffer *rb;
	__u64 last_devs = now_ms();
	bool forwarded = false;
	int n;

	memset(res, 0, sizeof(*res));
	rb = ring_buffer__new(t->events_fd, on_event, &c, NULL);
	if (!rb)
		return -errno;
	for (;;) {
		n = ring_buffer__poll(rb, 100);
		if (n < 0 && n != -EINTR)
			break;
		if (c.err)
			break;
		if (stop_signal && child > 0 && !forwarded) {
			kill(child, stop_signal);
			forwarded = true;
		}
		if (child > 0 ? child_done(child, res) : stop_signal)
			break;
		/* filesystems mounted after the start are traced too */
		if (now_ms() - last_devs >= 1000) {
			tracer_update_ext4_devs(t);
			last_devs = now_ms();
		}
	}
	/* what the kernel wrote before we stopped still belongs to the run */
	while (!c.err && ring_buffer__consume(rb) > 0)
		;
	ring_buffer__free(rb);
	res->signal = stop_signal;
	if (child > 0 && !res->child_exited &&
	    waitpid(child, &res->child_status, 0) == child)
		res->child_exited = true;
	return c.err;
}
