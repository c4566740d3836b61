// SPDX-License-Identifier: GPL-2.0
/*
 * Return probes through tracefs' kprobe_events, so that maxactive can be
 * set: see kretprobe.h. The syntax "r[MAXACTIVE]:[GROUP/]EVENT SYMBOL"
 * and "-:GROUP/EVENT" is from Documentation/trace/kprobetrace.rst.
 */
#include <limits.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <bpf/libbpf.h>
#include "util/macros.h"
#include "trace/kretprobe.h"

#define GROUP "dioscope"

static const char *const tracefs_dirs[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

static const char *find_tracefs(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tracefs_dirs); i++) {
		snprintf(path, sizeof(path), "%s/kprobe_events",
			 tracefs_dirs[i]);
		if (!access(path, W_OK))
			return tracefs_dirs[i];
	}
	return NULL;
}

static int write_events(const char *tracefs, const char *line)
{
	char path[128];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/kprobe_events", tracefs);
	fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, line, strlen(line));
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

void kretprobe_event_name(char *out, size_t len, int pid, const char *sym)
{
	size_t i;
	int n;

	n = snprintf(out, len, "ds%d_", pid);
	if (n < 0 || (size_t)n >= len)
		return;
	/* an event name takes only [A-Za-z0-9_]: "foo.isra.0" -> "foo_isra_0" */
	for (i = n; *sym && i + 1 < len; sym++, i++)
		out[i] = isalnum((unsigned char)*sym) ? *sym : '_';
	out[i] = '\0';
}

static int event_id(const char *tracefs, const char *name)
{
	char path[192];
	FILE *f;
	int id = -1;

	snprintf(path, sizeof(path), "%s/events/" GROUP "/%s/id", tracefs,
		 name);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (fscanf(f, "%d", &id) != 1)
		id = -EINVAL;
	fclose(f);
	return id;
}

static int open_perf_event(int id)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = id,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	int fd;

	/* pid -1, cpu 0: a probe event fires for every task on every CPU */
	fd = syscall(SYS_perf_event_open, &attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static void remove_event(const char *tracefs, const char *name)
{
	char line[NAME_MAX + 64];

	snprintf(line, sizeof(line), "-:" GROUP "/%s\n", name);
	write_events(tracefs, line);
}

struct bpf_link *kretprobe_attach(struct kretprobe_set *s,
				  struct bpf_program *prog, const char *sym)
{
	const char *tracefs = find_tracefs();
	char line[256], *name;
	struct bpf_link *link;
	int err, id, pfd;

	if (!tracefs) {
		errno = ENOENT;
		return NULL;
	}
	if (s->n >= DS_MAX_KRETPROBES) {
		errno = E2BIG;
		return NULL;
	}
	snprintf(s->tracefs, sizeof(s->tracefs), "%s", tracefs);
	name = s->names[s->n];
	kretprobe_event_name(name, sizeof(s->names[0]), getpid(), sym);
	snprintf(line, sizeof(line), "r%d:" GROUP "/%s %s\n",
		 DS_KRETPROBE_MAXACTIVE, name, sym);
	err = write_events(tracefs, line);
	if (err == -EEXIST) {
		/* ours from an attach round that was rolled back */
		remove_event(tracefs, name);
		err = write_events(tracefs, line);
	}
	if (err)
		goto fail;
	id = event_id(tracefs, name);
	if (id < 0) {
		err = id;
		goto fail_remove;
	}
	pfd = open_perf_event(id);
	if (pfd < 0) {
		err = pfd;
		goto fail_remove;
	}
	/* the link owns pfd from here on and closes it when destroyed */
	link = bpf_program__attach_perf_event(prog, pfd);
	if (!link) {
		err = -errno;
		close(pfd);
		goto fail_remove;
	}
	s->n++;
	return link;

fail_remove:
	remove_event(tracefs, name);
fail:
	errno = -err;
	return NULL;
}

__u64 kretprobe_missed(const struct kretprobe_set *s)
{
	char path[128], line[256], name[128];
	unsigned long long hits, missed;
	__u64 sum = 0;
	FILE *f;
	int i;

	if (!s->n)
		return 0;
	snprintf(path, sizeof(path), "%s/kprobe_profile", s->tracefs);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %llu %llu", name, &hits, &missed) != 3)
			continue;
		for (i = 0; i < s->n; i++)
			if (!strcmp(name, s->names[i]))
				sum += missed;
	}
	fclose(f);
	return sum;
}

void kretprobe_remove_all(struct kretprobe_set *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		remove_event(s->tracefs, s->names[i]);
	s->n = 0;
}

/* "ds<pid>_..." of a process that no longer exists */
static bool stale(const char *name)
{
	int pid;

	if (sscanf(name, "ds%d_", &pid) != 1 || pid <= 0)
		return false;
	return pid != getpid() && kill(pid, 0) && errno == ESRCH;
}

void kretprobe_remove_stale(void)
{
	const char *tracefs = find_tracefs();
	char path[128];
	struct dirent *de;
	DIR *d;

	if (!tracefs)
		return;
	snprintf(path, sizeof(path), "%s/events/" GROUP, tracefs);
	d = opendir(path);
	if (!d)
		return;
	/* a process killed with SIGKILL cannot take its events away */
	while ((de = readdir(d)))
		if (stale(de->d_name))
			remove_event(tracefs, de->d_name);
	closedir(d);
}
