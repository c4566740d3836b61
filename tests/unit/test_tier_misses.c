// SPDX-License-Identifier: GPL-2.0
/*
 * Recursion misses measured on a kernel are kept per target and tier,
 * and the next plan on that kernel takes kprobe where fentry lost calls.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "trace/planner.h"
#include "trace/tier_misses.h"

static char path[64];

static int setup(void **state)
{
	int fd;

	strcpy(path, "/tmp/ds-tier-misses.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static void facts(struct kernel_facts *kf, const char *release)
{
	int i;

	memset(kf, 0, sizeof(*kf));
	strcpy(kf->release, release);
	kf->has_btf = kf->kprobes = kf->tracefs = true;
	for (i = 0; i < DS_T_MAX; i++) {
		kf->t[i].sym = ds_targets[i].legacy ? SYM_ABSENT : SYM_PRESENT;
		strcpy(kf->t[i].sym_name, ds_targets[i].symbol);
		kf->t[i].in_btf = true;
	}
}

static void add(struct prog_stats *s, int target, enum ds_tier tier,
		unsigned long long misses, unsigned long long runs)
{
	struct prog_stat *p = &s->p[s->n++];

	snprintf(p->name, sizeof(p->name), "prog%d", s->n);
	p->target = target;
	p->tier = tier;
	p->c.recursion_misses = misses;
	p->c.runs = runs;
}

static void test_misses_kept_per_kernel(void **state)
{
	struct prog_stats s = { .misses_counted = true };
	struct kernel_facts kf;

	add(&s, DS_T_IOMAP_BEGIN, DS_TIER_FENTRY, 17, 223);
	add(&s, DS_T_END_IO, DS_TIER_FENTRY, 0, 240);
	assert_int_equal(tier_misses_save(path, "7.3.4+deb13-cloud-amd64", &s), 0);
	/* a second run adds to the first */
	assert_int_equal(tier_misses_save(path, "7.3.4+deb13-cloud-amd64", &s), 0);
	facts(&kf, "7.3.4+deb13-cloud-amd64");
	tier_misses_load(&kf, path);
	assert_int_equal(kf.t[DS_T_IOMAP_BEGIN].missed[DS_TIER_FENTRY], 34);
	assert_int_equal(kf.t[DS_T_IOMAP_BEGIN].missed_runs[DS_TIER_FENTRY], 446);
	assert_int_equal(kf.t[DS_T_END_IO].missed[DS_TIER_FENTRY], 0);
	/* another kernel measured nothing */
	facts(&kf, "6.12.117+deb12-cloud-amd64");
	tier_misses_load(&kf, path);
	assert_int_equal(kf.t[DS_T_IOMAP_BEGIN].missed[DS_TIER_FENTRY], 0);
}

static void test_nothing_written_without_misses(void **state)
{
	struct prog_stats s = { .misses_counted = true };

	add(&s, DS_T_IOMAP_BEGIN, DS_TIER_FENTRY, 0, 240);
	assert_int_equal(tier_misses_save(path, "6.1.0-57-cloud-amd64", &s), 0);
	assert_int_not_equal(access(path, F_OK), 0);
}

static void test_planner_prefers_tier_without_misses(void **state)
{
	struct kernel_facts kf;
	struct plan p;

	facts(&kf, "7.3.4+deb13-cloud-amd64");
	kf.t[DS_T_IOMAP_BEGIN].missed[DS_TIER_FENTRY] = 17;
	kf.t[DS_T_IOMAP_BEGIN].missed_runs[DS_TIER_FENTRY] = 223;
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_IOMAP_BEGIN].tier, DS_TIER_KPROBE);
	assert_non_null(strstr(p.t[DS_T_IOMAP_BEGIN].detail,
			       "lost 17 of 240 calls to recursion misses"));
	/* the misses are the kernel's: a target that has not missed yet moves too */
	assert_int_equal(p.t[DS_T_END_IO].tier, DS_TIER_KPROBE);
	assert_int_equal(p.t[DS_T_MAP_BLOCKS].tier, DS_TIER_KPROBE);
	/* asked for, fentry it is */
	plan_targets(&kf, DS_TIER_FENTRY, &p);
	assert_int_equal(p.t[DS_T_IOMAP_BEGIN].tier, DS_TIER_FENTRY);
	/* where kprobe missed too, nothing is gained by moving */
	kf.t[DS_T_IOMAP_BEGIN].missed[DS_TIER_KPROBE] = 3;
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_IOMAP_BEGIN].tier, DS_TIER_FENTRY);
	assert_int_equal(p.t[DS_T_END_IO].tier, DS_TIER_KPROBE);
	/* a kernel without misses keeps fentry */
	facts(&kf, "6.12.118+deb12-cloud-amd64");
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_END_IO].tier, DS_TIER_FENTRY);
}

/*
 * Learned misses stay the second line: on a kernel whose preemption model
 * says nothing (unknown, or voluntary that still missed), they move the
 * plan; on a preemptible one the model did so already, and a target whose
 * kprobe missed here keeps kprobe, where fentry would miss more.
 */
static void test_misses_after_the_preemption_rule(void **state)
{
	struct kernel_facts kf;
	struct plan p;

	facts(&kf, "6.18.15+deb13-cloud-amd64");
	kf.preempt.model = PREEMPT_MODEL_UNKNOWN;
	kf.t[DS_T_DIO_RW].missed[DS_TIER_FENTRY] = 6;
	kf.t[DS_T_DIO_RW].missed_runs[DS_TIER_FENTRY] = 650;
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_MAP_BLOCKS].tier, DS_TIER_KPROBE);
	assert_non_null(strstr(p.t[DS_T_MAP_BLOCKS].detail, "lost 6 of 656 calls"));
	assert_null(strstr(p.t[DS_T_MAP_BLOCKS].detail, "preemption"));

	facts(&kf, "6.18.15+deb13-cloud-amd64");
	kf.preempt.model = PREEMPT_MODEL_LAZY;
	kf.preempt.bpf_reentrant = true;
	strcpy(kf.preempt.source, "CONFIG_PREEMPT_LAZY in /boot/config-6.18.15");
	kf.t[DS_T_SPLIT].missed[DS_TIER_KPROBE] = 1;
	kf.t[DS_T_SPLIT].missed_runs[DS_TIER_KPROBE] = 90;
	plan_targets(&kf, DS_TIER_NONE, &p);
	assert_int_equal(p.t[DS_T_MAP_BLOCKS].tier, DS_TIER_KPROBE);
	assert_non_null(strstr(p.t[DS_T_MAP_BLOCKS].detail, "lazy preemption"));
	assert_int_equal(p.t[DS_T_SPLIT].tier, DS_TIER_KPROBE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_misses_kept_per_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_written_without_misses, setup, teardown),
		cmocka_unit_test(test_planner_prefers_tier_without_misses),
		cmocka_unit_test(test_misses_after_the_preemption_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
