/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command a recording runs, and a keeper between it and us. The
 * keeper is the head of the workload's process group, adopts what the
 * command leaves behind (fio's job processes sit in sessions of their
 * own) and kills all of it when we die, even by SIGKILL: the kernel tells
 * it so (PR_SET_PDEATHSIG). It exits as the command did.
 */
#ifndef DIOSCOPE_WORKLOAD_H
#define DIOSCOPE_WORKLOAD_H

#include <sys/types.h>

struct workload {
	pid_t pid;		/* the keeper: wait for it, signal its group */
	int go_fd;		/* write one byte to let the command run */
	int exec_fd;		/* the errno of a failed exec, after the end */
};

/* 0 or -errno. The command waits for workload_go(). */
int workload_spawn(struct workload *w, char **argv);
/* Let it run; 0 or -errno (then it is killed). */
int workload_go(struct workload *w);
/* After the keeper exited: 0, or the errno with which exec failed. */
int workload_exec_error(struct workload *w);

#endif
