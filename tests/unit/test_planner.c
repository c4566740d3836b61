// SPDX-License-Identifier: GPL-2.0
/* The attach planner, decided from made-up kernel facts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "trace/planner.h"

/* A modern kernel: BTF, kprobes, tracefs, all iomap-path functions. */
static void modern(struct kernel_facts *kf)
{
	int i;

	memset(kf, 0, sizeof(*kf));
	kf->has_btf = true;
	kf->kprobes = true;
	kf->tracefs = true;
	for (i = 0; i < DS_T_MAX; i++) {
		if (ds_targets[i].legacy)
			continue;
		kf->t[i].sym = SYM_PRESENT;
		strcpy(kf->t[i].sym_name, ds_targets[i].symbol);
		kf->t[i].in_btf = true;
		kf->t[i].tp_present[0] = true;
		kf->t[i].tp_present[1] = true;
	}
}

static void test_best_tier_is_fentry(void **state)
{
	struct kernel_facts kf;
	struct plan p;

	modern(&kf);
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_IOMAP_BEGIN].tier, DS_TIER_FENTRY);
	assert_int_equal(p.t[DS_T_SPLIT].tier, DS_TIER_FENTRY);
	assert_int_equal(p.t[DS_T_LEGACY_DIO].tier, DS_TIER_NONE);
	assert_non_null(strstr(p.t[DS_T_LEGACY_DIO].detail, "legacy"));
	assert_int_equal(p.covered, DS_T_MAX - 2);
}

static void test_no_btf_falls_to_kprobe(void **state)
{
	struct kernel_facts kf;
	struct plan p;

	modern(&kf);
	kf.has_btf = false;
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_END_IO].tier, DS_TIER_KPROBE);
	assert_non_null(strstr(p.t[DS_T_END_IO].detail, "no BTF"));
}

static void test_locked_down_kernel(void **state)
{
	struct kernel_facts kf;
	struct plan p;
	int i;

	modern(&kf);
	kf.kprobes = false;
	for (i = 0; i < DS_T_MAX; i++) {
		kf.t[i].failed[DS_TIER_FENTRY] = true;
		strcpy(kf.t[i].fail_reason[DS_TIER_FENTRY], "load failed: EPERM");
	}
	/* the patch tracepoints are absent on a stock kernel */
	kf.t[DS_T_SPLIT].tp_present[0] = false;
	kf.t[DS_T_MERGE_RIGHT].tp_present[0] = false;
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_MAP_BLOCKS].tier, DS_TIER_TRACEPOINT);
	assert_int_equal(p.t[DS_T_END_IO].tier, DS_TIER_NONE);
	assert_int_equal(p.t[DS_T_SPLIT].tier, DS_TIER_NONE);
	assert_non_null(strstr(p.t[DS_T_END_IO].detail, "fentry: load failed: EPERM"));
	assert_non_null(strstr(p.t[DS_T_END_IO].detail, "kprobes not built in"));
	assert_non_null(strstr(p.t[DS_T_SPLIT].detail, "ext4_ext_split not in this kernel"));
}

static void test_patched_kernel_sees_splits(void **state)
{
	struct kernel_facts kf;
	struct plan p;

	modern(&kf);
	kf.kprobes = false;
	kf.has_btf = false;
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_SPLIT].tier, DS_TIER_TRACEPOINT);
	assert_int_equal(p.t[DS_T_MERGE_RIGHT].tier, DS_TIER_TRACEPOINT);
}

static void test_inlined_function(void **state)
{
	struct kernel_facts kf;
	struct plan p;

	modern(&kf);
	kf.t[DS_T_CONVERT_INIT].sym = SYM_ABSENT;
	kf.t[DS_T_CONVERT_INIT].in_btf = false;
	plan_targets(&kf, DS_TIER_NONE, &p);
	/* no function to probe: only its tracepoint is left */
	assert_int_equal(p.t[DS_T_CONVERT_INIT].tier, DS_TIER_TRACEPOINT);
	assert_non_null(strstr(p.t[DS_T_CONVERT_INIT].detail, "inlined"));
}

static void test_renamed_clone_uses_kprobe(void **state)
{
	struct kernel_facts kf;
	struct plan p;

	modern(&kf);
	kf.t[DS_T_SPLIT].sym = SYM_RENAMED;
	strcpy(kf.t[DS_T_SPLIT].sym_name, "ext4_split_extent_at.isra.0");
	kf.t[DS_T_SPLIT].in_btf = false;
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_SPLIT].tier, DS_TIER_KPROBE);
	assert_true(p.t[DS_T_SPLIT].renamed);
	assert_non_null(strstr(p.t[DS_T_SPLIT].detail, "isra"));
}

static void test_forced_tier(void **state)
{
	struct kernel_facts kf;
	int i, tp_only = 0;
	struct plan p;

	modern(&kf);
	plan_targets(&kf, DS_TIER_KPROBE, &p);
	assert_int_equal(p.t[DS_T_IOMAP_BEGIN].tier, DS_TIER_KPROBE);
	plan_targets(&kf, DS_TIER_TRACEPOINT, &p);
	assert_int_equal(p.t[DS_T_IOMAP_BEGIN].tier, DS_TIER_TRACEPOINT);
	assert_int_equal(p.t[DS_T_END_IO].tier, DS_TIER_NONE);
	assert_non_null(strstr(p.t[DS_T_END_IO].detail, "--tier"));
	/* only T: what only tracepoints cover is not traced under kprobe */
	for (i = 0; i < DS_T_MAX; i++) {
		if (target_nsigs(&ds_targets[i]))
			continue;
		plan_targets(&kf, DS_TIER_KPROBE, &p);
		assert_int_equal(p.t[i].tier, DS_TIER_NONE);
		plan_targets(&kf, DS_TIER_FENTRY, &p);
		assert_int_equal(p.t[i].tier, DS_TIER_NONE);
		tp_only++;
	}
	assert_true(tp_only > 0);
}

static void test_syscall_window_fallback(void **state)
{
	struct kernel_facts kf;
	struct plan p;

	modern(&kf);
	/* 5.10 has no iomap DIO tracepoints */
	kf.t[DS_T_DIO_RW].tp_present[0] = false;
	plan_targets(&kf, DS_TIER_TRACEPOINT, &p);
	assert_int_equal(p.t[DS_T_DIO_RW].tier, DS_TIER_TRACEPOINT);
	assert_int_equal(p.t[DS_T_DIO_RW].tp_alt, 1);
	assert_non_null(strstr(p.t[DS_T_DIO_RW].detail, "pwrite64"));
}

static void test_kprobe_failure_moves_down(void **state)
{
	struct kernel_facts kf;
	struct plan p;

	modern(&kf);
	kf.t[DS_T_MAP_BLOCKS].failed[DS_TIER_FENTRY] = true;
	strcpy(kf.t[DS_T_MAP_BLOCKS].fail_reason[DS_TIER_FENTRY], "CO-RE relocation failed");
	kf.t[DS_T_MAP_BLOCKS].failed[DS_TIER_KPROBE] = true;
	strcpy(kf.t[DS_T_MAP_BLOCKS].fail_reason[DS_TIER_KPROBE], "attach failed: ENOENT");
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_MAP_BLOCKS].tier, DS_TIER_TRACEPOINT);
	assert_non_null(strstr(p.t[DS_T_MAP_BLOCKS].detail, "CO-RE"));
	assert_non_null(strstr(p.t[DS_T_MAP_BLOCKS].detail, "attach failed"));
	assert_int_equal(p.t[DS_T_IOMAP_BEGIN].tier, DS_TIER_FENTRY);
}

/* set_sig(kf, target, ret, args...): the BTF signature of a function */
static void set_sig(struct kernel_facts *kf, int target, enum ds_ret ret,
		    int nargs, const char *const *args)
{
	struct func_sig *sig = &kf->t[target].sig;
	int i;

	memset(sig, 0, sizeof(*sig));
	sig->known = true;
	sig->nargs = nargs;
	sig->ret = ret;
	for (i = 0; i < nargs; i++)
		strcpy(sig->args[i], args[i]);
}

static const char *split72[] = { "handle", "inode", "path", "split", "flags" };
static const char *split612[] = { "handle", "inode", "path", "split",
				  "split_flag", "flags" };
static const char *split61[] = { "handle", "inode", "ppath", "split",
				 "split_flag", "flags" };

static const char *split_prog(const struct plan *p, int entry)
{
	const char *const *progs = plan_progs(&ds_targets[DS_T_SPLIT],
					      &p->t[DS_T_SPLIT]);

	return progs ? progs[entry] : "";
}

/* Each kernel's ext4_split_extent_at gets the programs of its signature. */
static void test_split_programs_follow_btf(void **state)
{
	struct kernel_facts kf;
	struct plan p;

	modern(&kf);
	set_sig(&kf, DS_T_SPLIT, DS_RET_PTR, 5, split72);
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_SPLIT].tier, DS_TIER_FENTRY);
	assert_string_equal(split_prog(&p, 0), "fentry_split5");
	assert_string_equal(split_prog(&p, 1), "fexit_split5");
	assert_non_null(strstr(p.t[DS_T_SPLIT].detail, "5 args"));
	plan_targets(&kf, DS_TIER_KPROBE, &p);
	assert_string_equal(split_prog(&p, 0), "kprobe_split5");

	set_sig(&kf, DS_T_SPLIT, DS_RET_PTR, 6, split612);
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_string_equal(split_prog(&p, 0), "fentry_split");
	assert_string_equal(split_prog(&p, 1), "fexit_split");

	set_sig(&kf, DS_T_SPLIT, DS_RET_INT, 6, split61);
	plan_targets(&kf, DS_TIER_KPROBE, &p);
	assert_string_equal(split_prog(&p, 0), "kprobe_split_pp");
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_string_equal(split_prog(&p, 0), "fentry_split_pp");
}

/* A signature no program knows is not read by guess. */
static void test_unknown_signature_is_not_guessed(void **state)
{
	static const char *odd[] = { "inode", "path" };
	struct kernel_facts kf;
	struct plan p;

	modern(&kf);
	set_sig(&kf, DS_T_SPLIT, DS_RET_INT, 2, odd);
	set_sig(&kf, DS_T_END_IO, DS_RET_INT, 2, odd);
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_SPLIT].tier, DS_TIER_TRACEPOINT);
	assert_int_equal(p.t[DS_T_END_IO].tier, DS_TIER_NONE);
	assert_non_null(strstr(p.t[DS_T_END_IO].detail,
			       "no program for its signature in BTF (2 args: inode, path"));
	/* names BTF leaves out cannot contradict */
	set_sig(&kf, DS_T_SPLIT, DS_RET_PTR, 5, split72);
	kf.t[DS_T_SPLIT].sig.args[2][0] = '\0';
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_string_equal(split_prog(&p, 0), "fentry_split5");
}

static void preemptible(struct kernel_facts *kf, enum preempt_model m)
{
	kf->preempt.model = m;
	strcpy(kf->preempt.source, "/sys/kernel/debug/sched/preempt");
	kf->preempt.bpf_reentrant = true;
}

/*
 * Lazy or full preemption lets a second task enter a fentry program on its
 * CPU: kprobe before any run has missed, for every function with programs.
 */
static void test_preemptible_kernel_prefers_kprobe(void **state)
{
	struct kernel_facts kf;
	struct plan p;
	int i;

	modern(&kf);
	preemptible(&kf, PREEMPT_MODEL_LAZY);
	plan_targets(&kf, DS_TIER_NONE, &p);
	for (i = 0; i < DS_T_MAX; i++) {
		if (ds_targets[i].legacy || !target_nsigs(&ds_targets[i]))
			continue;
		assert_int_equal(p.t[i].tier, DS_TIER_KPROBE);
		assert_non_null(strstr(p.t[i].detail,
				       "lazy preemption (/sys/kernel/debug/sched/preempt)"));
	}
	/* what only a tracepoint covers stays there */
	assert_int_equal(p.t[DS_T_WB_MAP].tier, DS_TIER_TRACEPOINT);
	assert_int_equal(p.covered, DS_T_MAX - 2);
	/* asked for, fentry it is */
	plan_targets(&kf, DS_TIER_FENTRY, &p);
	assert_int_equal(p.t[DS_T_DIO_RW].tier, DS_TIER_FENTRY);
	/*
	 * where kprobe is refused, fentry is still the best; where kprobe
	 * missed itself, fentry would miss more: kprobe stays
	 */
	kf.t[DS_T_SPLIT].failed[DS_TIER_KPROBE] = true;
	strcpy(kf.t[DS_T_SPLIT].fail_reason[DS_TIER_KPROBE], "attach failed: ENOENT");
	kf.t[DS_T_END_IO].missed[DS_TIER_KPROBE] = 2;
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_SPLIT].tier, DS_TIER_FENTRY);
	assert_int_equal(p.t[DS_T_END_IO].tier, DS_TIER_KPROBE);
	assert_int_equal(p.t[DS_T_MAP_BLOCKS].tier, DS_TIER_KPROBE);
	/* no kprobes: fentry, lost calls or not */
	kf.kprobes = false;
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_DIO_RW].tier, DS_TIER_FENTRY);
	modern(&kf);
	preemptible(&kf, PREEMPT_MODEL_FULL);
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_DIO_COMPLETE].tier, DS_TIER_KPROBE);
	assert_non_null(strstr(p.t[DS_T_DIO_COMPLETE].detail, "full preemption"));
}

/* Without preemption of kernel code, fentry stays the default. */
static void test_voluntary_kernel_keeps_fentry(void **state)
{
	struct kernel_facts kf;
	struct plan p;
	int i;

	modern(&kf);
	kf.preempt.model = PREEMPT_MODEL_VOLUNTARY;
	strcpy(kf.preempt.source, "CONFIG_PREEMPT_VOLUNTARY in /boot/config-6.1.0");
	plan_targets(&kf, DS_TIER_NONE, &p);
	for (i = 0; i < DS_T_MAX; i++) {
		if (ds_targets[i].legacy || !target_nsigs(&ds_targets[i]))
			continue;
		assert_int_equal(p.t[i].tier, DS_TIER_FENTRY);
		assert_null(strstr(p.t[i].detail, "preemption"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_best_tier_is_fentry),
		cmocka_unit_test(test_no_btf_falls_to_kprobe),
		cmocka_unit_test(test_locked_down_kernel),
		cmocka_unit_test(test_patched_kernel_sees_splits),
		cmocka_unit_test(test_inlined_function),
		cmocka_unit_test(test_renamed_clone_uses_kprobe),
		cmocka_unit_test(test_forced_tier),
		cmocka_unit_test(test_syscall_window_fallback),
		cmocka_unit_test(test_kprobe_failure_moves_down),
		cmocka_unit_test(test_split_programs_follow_btf),
		cmocka_unit_test(test_unknown_signature_is_not_guessed),
		cmocka_unit_test(test_preemptible_kernel_prefers_kprobe),
		cmocka_unit_test(test_voluntary_kernel_keeps_fentry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
