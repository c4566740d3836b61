/* SPDX-License-Identifier: GPL-2.0 */
/* The ring-buffer reader: polls, hands each event over, stops cleanly. */
#ifndef DIOSCOPE_EVENT_LOOP_H
#define DIOSCOPE_EVENT_LOOP_H

#include <signal.h>
#include <sys/types.h>
#include "trace/tracer.h"

typedef int (*event_fn)(void *ctx, const struct ds_event *e);

struct event_loop_result {
	int signal;		/* the signal that stopped the loop, or 0 */
	int child_status;	/* wait status of the child, if any */
	bool child_exited;
	int left_behind;	/* processes it left running, killed */
	unsigned long long records;	/* per-IO records among the payloads */
};

/* SIGINT, SIGTERM and SIGHUP stop the loop instead of the process. */
void event_loop_install_signals(void);
/* The signal that asked us to stop, or 0. */
int event_loop_stop_signal(void);

/* Signal every process whose parent we are; returns how many there were. */
int event_loop_signal_children(int sig);

/*
 * Read events until a signal arrives, or until child (if > 0) exits;
 * then drain what is left in the ring buffer. A signal is passed on to
 * the child's process group, and the child is still waited for.
 */
int event_loop_run(struct tracer *t, event_fn fn, void *ctx, pid_t child,
		   struct event_loop_result *res);

#endif
