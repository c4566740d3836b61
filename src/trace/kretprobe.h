/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Return probes that do not drop returns under concurrency.
 *
 * A kretprobe can follow only `maxactive` calls at once; a return beyond
 * that is missed, silently for a BPF program. The perf kprobe PMU (and
 * libbpf 1.1's attach_kprobe with it) leaves maxactive at the kernel's
 * default, max(10, 2 * CPUs), which an IO queue of depth 64 overruns.
 * A return probe made through tracefs' kprobe_events takes maxactive in
 * its definition ("r1024:..."), and kprobe_profile counts what it missed.
 */
#ifndef DIOSCOPE_KRETPROBE_H
#define DIOSCOPE_KRETPROBE_H

#include <stdbool.h>
#include <linux/types.h>

struct bpf_link;
struct bpf_program;

/* The largest maxactive the kernel takes: KRETPROBE_MAXACTIVE_MAX in
 * kernel/trace/trace_kprobe.c. */
#define DS_KRETPROBE_MAXACTIVE 4096

#define DS_MAX_KRETPROBES 32

struct kretprobe_set {
	char tracefs[64];		/* "" until a probe is made */
	char names[DS_MAX_KRETPROBES][64];	/* event names in group */
	int n;
};

/*
 * Attach prog as a return probe on sym through kprobe_events with the
 * largest maxactive. NULL with errno set when tracefs cannot make it
 * (no tracefs, lockdown, no KPROBE_EVENTS); the caller may then fall
 * back to the kprobe PMU.
 */
struct bpf_link *kretprobe_attach(struct kretprobe_set *s,
				  struct bpf_program *prog, const char *sym);
/* Returns missed by the probes of the set so far, from kprobe_profile. */
__u64 kretprobe_missed(const struct kretprobe_set *s);
/* Remove the probe events; their links must be destroyed first. */
void kretprobe_remove_all(struct kretprobe_set *s);
/* Remove events left by dioscope processes that are gone. */
void kretprobe_remove_stale(void);
/* The name of the event for pid and sym, as kprobe_events takes it. */
void kretprobe_event_name(char *out, size_t len, int pid, const char *sym);

#endif
