// SPDX-License-Identifier: GPL-2.0
/*
 * For each target, the best tier this kernel allows: fentry/fexit (exact,
 * typed, cheapest), then kprobe/kretprobe, then tracepoints; kprobe first
 * where fentry would lose calls (a preemptible kernel, or misses measured
 * in earlier runs). Every tier
 * passed over leaves its reason in the plan, so `dioscope probe` can say
 * why a target is covered the way it is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "trace/planner.h"

static void note(struct target_plan *tp, const char *fmt, ...)
{
	size_t used = strlen(tp->detail);
	va_list ap;

	if (used >= sizeof(tp->detail) - 1)
		return;
	if (used) {
		snprintf(tp->detail + used, sizeof(tp->detail) - used, "; ");
		used = strlen(tp->detail);
	}
	va_start(ap, fmt);
	vsnprintf(tp->detail + used, sizeof(tp->detail) - used, fmt, ap);
	va_end(ap);
}

static bool sig_fits(const struct sig_def *d, const struct func_sig *sig)
{
	int i;

	if (d->nargs && d->nargs != sig->nargs)
		return false;
	if (d->ret != DS_RET_ANY && d->ret != sig->ret)
		return false;
	for (i = 0; i < DS_MAX_ARGS && d->args[i]; i++) {
		if (i >= sig->nargs)
			return false;
		/* a BTF without parameter names cannot contradict */
		if (sig->args[i][0] && strcmp(sig->args[i], d->args[i]))
			return false;
	}
	return true;
}

int plan_sig(const struct target_def *def, const struct func_sig *sig)
{
	int i, n = target_nsigs(def);

	if (!sig->known)
		return n - 1;
	for (i = 0; i < n; i++)
		if (sig_fits(&def->sigs[i], sig))
			return i;
	return -1;
}

const char *const *plan_progs(const struct target_def *def,
			      const struct target_plan *tp)
{
	switch (tp->tier) {
	case DS_TIER_FENTRY:
		return def->sigs[tp->sig].fentry_progs;
	case DS_TIER_KPROBE:
		return def->sigs[tp->sig].kprobe_progs;
	case DS_TIER_TRACEPOINT:
		return def->tp[tp->tp_alt].progs;
	default:
		return NULL;
	}
}

/* "5 args: handle, inode, path, split, flags; returns a pointer" */
static void describe_sig(const struct func_sig *sig, char *buf, size_t len)
{
	size_t used;
	int i;

	used = snprintf(buf, len, "%d args:", sig->nargs);
	for (i = 0; i < sig->nargs && i < DS_MAX_ARGS && used < len; i++)
		used += snprintf(buf + used, len - used, "%s %s",
				 i ? "," : "", sig->args[i][0] ? sig->args[i] : "?");
	if (used < len)
		snprintf(buf + used, len - used, "; returns %s",
			 sig->ret == DS_RET_PTR ? "a pointer" : "an integer");
}

/*
 * Pick the programs for the function's signature. A function whose
 * signature no program knows is left to the tracepoints: reading its
 * arguments by guess gives wrong rows, not missing ones.
 */
static bool choose_sig(const struct target_def *def,
		       const struct target_facts *tf, struct target_plan *tp)
{
	char buf[200];

	tp->sig = plan_sig(def, &tf->sig);
	if (tp->sig < 0) {
		describe_sig(&tf->sig, buf, sizeof(buf));
		note(tp, "fentry, kprobe: no program for its signature in BTF (%s)", buf);
		tp->sig = 0;
		return false;
	}
	if (target_nsigs(def) > 1 && def->sigs[tp->sig].label)
		note(tp, "%s%s", tf->sig.known ? "" : "signature not in BTF, assumed: ",
		     def->sigs[tp->sig].label);
	return true;
}

static bool fentry_ok(const struct kernel_facts *kf,
		      const struct target_facts *tf, struct target_plan *tp)
{
	if (!kf->has_btf) {
		note(tp, "fentry: kernel has no BTF");
		return false;
	}
	if (tf->sym == SYM_RENAMED) {
		note(tp, "fentry: only the clone %s exists", tf->sym_name);
		return false;
	}
	if (!tf->in_btf) {
		note(tp, "fentry: not in kernel BTF");
		return false;
	}
	if (tf->failed[DS_TIER_FENTRY]) {
		note(tp, "fentry: %s", tf->fail_reason[DS_TIER_FENTRY]);
		return false;
	}
	return true;
}

static bool kprobe_ok(const struct kernel_facts *kf,
		      const struct target_facts *tf, struct target_plan *tp)
{
	if (!kf->kprobes) {
		note(tp, "kprobe: kprobes not built in");
		return false;
	}
	if (tf->failed[DS_TIER_KPROBE]) {
		note(tp, "kprobe: %s", tf->fail_reason[DS_TIER_KPROBE]);
		return false;
	}
	if (tf->sym == SYM_RENAMED) {
		tp->renamed = true;
		note(tp, "kprobe on clone %s: arguments may be rearranged",
		     tf->sym_name);
	}
	return true;
}

static bool tracepoint_ok(const struct kernel_facts *kf,
			  const struct target_def *def,
			  const struct target_facts *tf,
			  struct target_plan *tp)
{
	int i;

	if (!def->tp[0].progs[0]) {
		note(tp, "tracepoint: none for this function");
		return false;
	}
	if (!kf->tracefs) {
		note(tp, "tracepoint: no tracefs");
		return false;
	}
	if (tf->failed[DS_TIER_TRACEPOINT]) {
		note(tp, "tracepoint: %s", tf->fail_reason[DS_TIER_TRACEPOINT]);
		return false;
	}
	for (i = 0; i < DS_MAX_TP_ALTS && def->tp[i].progs[0]; i++) {
		if (!tf->tp_present[i])
			continue;
		tp->tp_alt = i;
		note(tp, "via %s%s%s", def->tp[i].tps[0],
		     def->tp[i].note ? ": " : "",
		     def->tp[i].note ? def->tp[i].note : "");
		return true;
	}
	note(tp, "tracepoint: %s not in this kernel", def->tp[0].tps[0]);
	return false;
}

/*
 * On a kernel that preempts kernel code (trace/preempt.h), a task
 * preempted inside a fentry program lets the next task on that CPU find
 * the program running, and the kernel skips it there: a lost call. Every
 * traced function is entered by several tasks at once (the writers, the
 * DIO completion and conversion kworkers, fallocate callers) and each
 * program runs long enough to be preempted (a ring buffer write), so all
 * of them can lose calls so (the README's lab table: fentry skipped calls
 * of iomap_dio_rw on 6.18, up to 30 of 2049 per function on 7.3, in the
 * first concurrent run). A kprobe program runs with preemption off (the kprobe
 * handler; trace_call_bpf() asserts it), so no second task enters it.
 * Take kprobe before any run has missed, unless kprobe is refused here.
 * A kprobe program can still be skipped when another BPF program holds
 * the CPU (bpf_prog_active), but far less often: on 7.3 in the lab one
 * boot lost 48 calls on kprobe and then 140 on fentry, planned so because
 * kprobe had missed. So a kprobe miss does not send a target back here.
 */
static bool fentry_reentrant(const struct kernel_facts *kf,
			     const struct target_facts *tf,
			     struct target_plan *tp)
{
	const struct preempt_facts *pf = &kf->preempt;

	if (!pf->bpf_reentrant || !kf->kprobes || tf->failed[DS_TIER_KPROBE])
		return false;
	note(tp, "fentry: %s preemption (%s) lets a second task enter a fentry program preempted on its CPU, which skips that call: kprobe preferred (--tier fentry forces it)",
	     preempt_model_name(pf->model), pf->source);
	return true;
}

/* Calls any fentry program lost to recursion misses here before. */
static unsigned long long fentry_misses(const struct kernel_facts *kf,
					unsigned long long *calls)
{
	unsigned long long n = 0;
	int i;

	*calls = 0;
	for (i = 0; i < DS_T_MAX; i++) {
		n += kf->t[i].missed[DS_TIER_FENTRY];
		*calls += kf->t[i].missed[DS_TIER_FENTRY] +
			  kf->t[i].missed_runs[DS_TIER_FENTRY];
	}
	return n;
}

/*
 * A kernel whose fentry programs lost calls to recursion misses before
 * loses them again, in any of them: the cause is the kernel's (lazy
 * preemption lets a second task enter a trampoline program already
 * running on its CPU), not the function's. Moving only the targets that
 * missed moved the misses to the next ones. Take kprobe for every target
 * where it did not miss.
 */
static bool fentry_missed(const struct kernel_facts *kf,
			  const struct target_facts *tf, struct target_plan *tp)
{
	unsigned long long calls, n = fentry_misses(kf, &calls);

	if (!n || !kf->kprobes || tf->failed[DS_TIER_KPROBE] ||
	    tf->missed[DS_TIER_KPROBE])
		return false;
	note(tp, "fentry: this kernel's fentry programs lost %llu of %llu calls to recursion misses in earlier runs, kprobe did not: kprobe preferred (--tier fentry forces it)",
	     n, calls);
	return true;
}

static void plan_one(const struct kernel_facts *kf, enum ds_tier forced,
		     const struct target_def *def, struct target_plan *tp)
{
	const struct target_facts *tf = &kf->t[def->id];
	bool sym = tf->sym != SYM_ABSENT, progs = target_nsigs(def) > 0;

	memset(tp, 0, sizeof(*tp));
	if (!sym)
		note(tp, def->legacy ? "%s: not in this kernel (legacy DIO path)"
				     : "%s: not in kallsyms (inlined or not in this kernel)",
		     def->symbol);
	else if (progs && !choose_sig(def, tf, tp))
		sym = false;
	/* --tier T means only T: a target only tracepoints cover is left out */
	if (!progs && forced && forced != DS_TIER_TRACEPOINT) {
		note(tp, "only tracepoints cover it, and --tier %s excludes them",
		     tier_name(forced));
		tp->tier = DS_TIER_NONE;
		return;
	}
	if (sym && progs && (!forced || forced == DS_TIER_FENTRY) &&
	    fentry_ok(kf, tf, tp) &&
	    (forced || (!fentry_reentrant(kf, tf, tp) &&
			!fentry_missed(kf, tf, tp)))) {
		tp->tier = DS_TIER_FENTRY;
		return;
	}
	if (sym && progs && (!forced || forced == DS_TIER_KPROBE) &&
	    kprobe_ok(kf, tf, tp)) {
		tp->tier = DS_TIER_KPROBE;
		return;
	}
	if ((!forced || forced == DS_TIER_TRACEPOINT) &&
	    tracepoint_ok(kf, def, tf, tp)) {
		tp->tier = DS_TIER_TRACEPOINT;
		return;
	}
	if (forced)
		note(tp, "only %s was allowed (--tier)", tier_name(forced));
	tp->tier = DS_TIER_NONE;
}

void plan_targets(const struct kernel_facts *kf, enum ds_tier forced,
		  struct plan *plan)
{
	int i;

	plan->covered = 0;
	for (i = 0; i < DS_T_MAX; i++) {
		plan_one(kf, forced, &ds_targets[i], &plan->t[i]);
		if (plan->t[i].tier != DS_TIER_NONE)
			plan->covered++;
	}
}
