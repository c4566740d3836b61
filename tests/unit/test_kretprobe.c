// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the return probes dioscope makes in kprobe_events: only the
 * characters an event name may hold, and the pid that owns them first,
 * which is how the events of a dead dioscope are found.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "trace/kretprobe.h"

static void test_plain(void **state)
{
	char name[64];

	kretprobe_event_name(name, sizeof(name), 1234, "iomap_dio_complete");
	assert_string_equal(name, "ds1234_iomap_dio_complete");
}

static void test_clone(void **state)
{
	char name[64];

	/* a compiler clone's dots are not allowed in an event name */
	kretprobe_event_name(name, sizeof(name), 7, "ext4_split_extent_at.isra.0");
	assert_string_equal(name, "ds7_ext4_split_extent_at_isra_0");
}

static void test_truncated(void **state)
{
	char name[16];

	kretprobe_event_name(name, sizeof(name), 42, "a_very_long_function_name");
	assert_int_equal(strlen(name), sizeof(name) - 1);
	assert_string_equal(name, "ds42_a_very_lon");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_clone),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
