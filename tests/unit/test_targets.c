// SPDX-License-Identifier: GPL-2.0
/*
 * The target table names BPF programs by string: every name must exist
 * in the object it points at, with the section its tier implies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include "trace/targets.h"
#include "dio_window.skel.h"
#include "iomap_begin.skel.h"
#include "end_io.skel.h"
#include "unwritten.skel.h"
#include "extent_churn.skel.h"
#include "writeback.skel.h"
#include "insert_merge.skel.h"

static struct bpf_object *objs[DS_OBJ_MAX];

static struct bpf_object *open_elf(const void *elf, size_t sz, const char *name)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .object_name = name);

	return bpf_object__open_mem(elf, sz, &o);
}

#define OPEN(o, name) do {					\
	size_t sz;							\
	const void *elf = name##_bpf__elf_bytes(&sz);			\
									\
	objs[o] = open_elf(elf, sz, #name);				\
} while (0)

static int setup(void **state)
{
	OPEN(DS_OBJ_DIO_WINDOW, dio_window);
	OPEN(DS_OBJ_IOMAP_BEGIN, iomap_begin);
	OPEN(DS_OBJ_END_IO, end_io);
	OPEN(DS_OBJ_UNWRITTEN, unwritten);
	OPEN(DS_OBJ_EXTENT_CHURN, extent_churn);
	OPEN(DS_OBJ_WRITEBACK, writeback);
	OPEN(DS_OBJ_INSERT_MERGE, insert_merge);
	for (int i = 0; i < DS_OBJ_MAX; i++)
		if (!objs[i])
			return -1;
	return 0;
}

static int teardown(void **state)
{
	for (int i = 0; i < DS_OBJ_MAX; i++)
		bpf_object__close(objs[i]);
	return 0;
}

static void check_progs(enum ds_object o, const char *const *names,
			const char *sec_prefix, const char *symbol)
{
	for (int k = 0; k < DS_MAX_PROGS && names[k]; k++) {
		struct bpf_program *p = bpf_object__find_program_by_name(objs[o], names[k]);
		const char *sec;

		if (!p)
			fail_msg("program %s missing from %s", names[k], object_name(o));
		sec = bpf_program__section_name(p);
		if (sec_prefix && !strstr(sec, symbol))
			fail_msg("%s: section %s does not name %s", names[k], sec, symbol);
	}
}

static void test_programs_exist(void **state)
{
	for (int i = 0; i < DS_T_MAX; i++) {
		const struct target_def *d = &ds_targets[i];

		assert_int_equal(d->id, i);
		/* a target without programs of its own has tracepoints */
		assert_true(target_nsigs(d) >= 1 || d->tp[0].progs[0]);
		for (int g = 0; g < target_nsigs(d); g++) {
			check_progs(d->obj, d->sigs[g].fentry_progs, "f", d->symbol);
			check_progs(d->obj, d->sigs[g].kprobe_progs, "k", d->symbol);
		}
		for (int a = 0; a < DS_MAX_TP_ALTS; a++)
			check_progs(d->obj, d->tp[a].progs, NULL, NULL);
	}
}

static void test_every_program_is_planned(void **state)
{
	/* a program no target mentions would never be loaded */
	for (int o = 0; o < DS_OBJ_MAX; o++) {
		struct bpf_program *p;

		bpf_object__for_each_program(p, objs[o]) {
			const char *name = bpf_program__name(p);
			bool found = false;

			for (int i = 0; i < DS_T_MAX && !found; i++) {
				const struct target_def *d = &ds_targets[i];

				for (int k = 0; k < DS_MAX_PROGS; k++) {
					for (int g = 0; g < DS_MAX_SIGS; g++) {
						const struct sig_def *sg = &d->sigs[g];

						found |= sg->fentry_progs[k] && !strcmp(sg->fentry_progs[k], name);
						found |= sg->kprobe_progs[k] && !strcmp(sg->kprobe_progs[k], name);
					}
					for (int a = 0; a < DS_MAX_TP_ALTS; a++)
						found |= d->tp[a].progs[k] && !strcmp(d->tp[a].progs[k], name);
				}
			}
			if (!found)
				fail_msg("program %s in %s belongs to no target", name, object_name(o));
		}
	}
}

static void test_names(void **state)
{
	enum ds_tier t;

	assert_ptr_equal(target_by_name("ext4_iomap_begin"), &ds_targets[DS_T_IOMAP_BEGIN]);
	assert_ptr_equal(target_by_name("split"), &ds_targets[DS_T_SPLIT]);
	assert_null(target_by_name("nope"));
	assert_int_equal(tier_parse("fentry", &t), 0);
	assert_int_equal(t, DS_TIER_FENTRY);
	assert_int_equal(tier_parse("tp", &t), 0);
	assert_int_equal(t, DS_TIER_TRACEPOINT);
	assert_int_equal(tier_parse("uprobe", &t), -1);
	assert_string_equal(tier_name(DS_TIER_KPROBE), "kprobe");
	assert_string_equal(event_type_name(DS_EV_SPLIT), "split");
	assert_string_equal(event_type_name(999), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_programs_exist),
		cmocka_unit_test(test_every_program_is_planned),
		cmocka_unit_test(test_names),
	};

	libbpf_set_print(NULL);
	return cmocka_run_group_tests(tests, setup, teardown);
}
