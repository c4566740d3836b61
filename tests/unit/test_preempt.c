// SPDX-License-Identifier: GPL-2.0
/*
 * The preemption model read from each of its sources, and whether it lets
 * a second task enter a fentry program on the same CPU.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "trace/preempt.h"

static void test_debugfs(void **state)
{
	/* 6.1 and 6.12 offer four modes; Debian's 7.3 prints "full (lazy) " */
	assert_int_equal(preempt_parse_debugfs("none (voluntary) full \n"),
			 PREEMPT_MODEL_VOLUNTARY);
	assert_int_equal(preempt_parse_debugfs("full (lazy) \n"), PREEMPT_MODEL_LAZY);
	assert_int_equal(preempt_parse_debugfs("none voluntary (full) lazy"),
			 PREEMPT_MODEL_FULL);
	assert_int_equal(preempt_parse_debugfs("(none) voluntary full"),
			 PREEMPT_MODEL_NONE);
	assert_int_equal(preempt_parse_debugfs("none voluntary full"),
			 PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_parse_debugfs("(fullish)"), PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_parse_debugfs(NULL), PREEMPT_MODEL_UNKNOWN);
}

static void test_cmdline(void **state)
{
	assert_int_equal(preempt_parse_cmdline("root=/dev/vda preempt=full quiet\n"),
			 PREEMPT_MODEL_FULL);
	assert_int_equal(preempt_parse_cmdline("preempt=lazy"), PREEMPT_MODEL_LAZY);
	assert_int_equal(preempt_parse_cmdline("preempt=full preempt=none"),
			 PREEMPT_MODEL_NONE);
	/* another parameter ending in preempt= is not this one */
	assert_int_equal(preempt_parse_cmdline("nopreempt=full"), PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_parse_cmdline("preempt=fully"), PREEMPT_MODEL_UNKNOWN);
	assert_int_equal(preempt_parse_cmdline("quiet"), PREEMPT_MODEL_UNKNOWN);
}

static void config_of(struct preempt_config *c, const char *const *lines)
{
	memset(c, 0, sizeof(*c));
	c->read = true;
	strcpy(c->path, "/boot/config-test");
	while (*lines)
		preempt_config_line(c, *lines++);
}

/* the preemption lines of Debian's 7.3 cloud kernel configuration */
static const char *const config73[] = {
	"CONFIG_PREEMPT_BUILD=y\n", "CONFIG_ARCH_HAS_PREEMPT_LAZY=y\n",
	"# CONFIG_PREEMPT is not set\n", "CONFIG_PREEMPT_LAZY=y\n",
	"# CONFIG_PREEMPT_RT is not set\n", "CONFIG_PREEMPT_COUNT=y\n",
	"CONFIG_PREEMPTION=y\n", "CONFIG_PREEMPT_DYNAMIC=y\n",
	"CONFIG_PREEMPT_RCU=y\n", NULL,
};

/* and of its 6.1 */
static const char *const config61[] = {
	"CONFIG_PREEMPT_BUILD=y\n", "# CONFIG_PREEMPT_NONE is not set\n",
	"CONFIG_PREEMPT_VOLUNTARY=y\n", "# CONFIG_PREEMPT is not set\n",
	"CONFIG_PREEMPT_COUNT=y\n", "CONFIG_PREEMPTION=y\n",
	"CONFIG_PREEMPT_DYNAMIC=y\n", NULL,
};

static void test_config(void **state)
{
	static const char *const full[] = { "CONFIG_PREEMPT=y", NULL };
	static const char *const rt[] = { "CONFIG_PREEMPT_RT=y\n", NULL };
	struct preempt_config c;

	config_of(&c, config73);
	assert_int_equal(c.model, PREEMPT_MODEL_LAZY);
	assert_true(c.dynamic);
	assert_false(c.rt);
	config_of(&c, config61);
	assert_int_equal(c.model, PREEMPT_MODEL_VOLUNTARY);
	config_of(&c, full);
	assert_int_equal(c.model, PREEMPT_MODEL_FULL);
	assert_false(c.dynamic);
	config_of(&c, rt);
	assert_true(c.rt);
}

static void test_debugfs_is_the_mode_in_force(void **state)
{
	struct preempt_config c;
	struct preempt_inputs in = { .release = "7.3.4+deb13-cloud-amd64",
				     .config = &c };
	struct preempt_facts pf;

	/* switched to voluntary at run time: the configuration's lazy is past */
	config_of(&c, config73);
	in.debugfs = "none (voluntary) full lazy\n";
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_VOLUNTARY);
	assert_false(pf.bpf_reentrant);
	assert_string_equal(pf.source, "/sys/kernel/debug/sched/preempt");
	in.debugfs = "full (lazy) \n";
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_LAZY);
	assert_true(pf.bpf_reentrant);
}

static void test_config_and_command_line(void **state)
{
	struct preempt_config c;
	struct preempt_inputs in = { .release = "6.1.0-57-cloud-amd64",
				     .config = &c, .cmdline = "quiet" };
	struct preempt_facts pf;

	config_of(&c, config61);
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_VOLUNTARY);
	assert_false(pf.bpf_reentrant);
	assert_non_null(strstr(pf.source, "CONFIG_PREEMPT_VOLUNTARY"));
	assert_non_null(strstr(pf.source, "/boot/config-test"));
	/* a dynamic kernel booted with preempt=full preempts */
	in.cmdline = "quiet preempt=full";
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_FULL);
	assert_true(pf.bpf_reentrant);
	assert_non_null(strstr(pf.source, "preempt=full on the kernel command line"));
	/* one that is not dynamic ignores it */
	c.dynamic = false;
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_VOLUNTARY);
	/* RT preempts in every mode */
	c.rt = true;
	in.debugfs = "(lazy) full";
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_RT);
	assert_true(pf.bpf_reentrant);
}

static void test_version_alone(void **state)
{
	struct preempt_inputs in = { .release = "6.18.15+deb13-cloud-amd64" };
	struct preempt_facts pf;

	in.version = "#1 SMP PREEMPT Debian 6.18.15";
	preempt_decide(&in, &pf);
	assert_true(pf.bpf_reentrant);
	in.version = "#1 SMP PREEMPT_RT Debian 6.18.15";
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_RT);
	in.version = "#1 SMP Debian 6.18.15";
	preempt_decide(&in, &pf);
	assert_false(pf.bpf_reentrant);
	/* dynamic: the mode is in the configuration or on the command line */
	in.version = "#1 SMP PREEMPT_DYNAMIC Debian 6.18.15";
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_UNKNOWN);
	assert_false(pf.bpf_reentrant);
	in.cmdline = "preempt=lazy";
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_LAZY);
	assert_true(pf.bpf_reentrant);
	in.version = NULL;
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_UNKNOWN);
	assert_non_null(strstr(pf.source, "no source readable"));
}

/* migrate_disable() kept preemption off before 5.11 on kernels without RT */
static void test_before_5_11(void **state)
{
	struct preempt_inputs in = { .version = "#1 SMP PREEMPT" };
	struct preempt_facts pf;

	in.release = "5.10.0-35-amd64";
	preempt_decide(&in, &pf);
	assert_int_equal(pf.model, PREEMPT_MODEL_FULL);
	assert_false(pf.bpf_reentrant);
	in.release = "5.11.0";
	preempt_decide(&in, &pf);
	assert_true(pf.bpf_reentrant);
	in.release = "5.10.0-35-rt-amd64";
	in.version = "#1 SMP PREEMPT_RT";
	preempt_decide(&in, &pf);
	assert_true(pf.bpf_reentrant);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debugfs),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_debugfs_is_the_mode_in_force),
		cmocka_unit_test(test_config_and_command_line),
		cmocka_unit_test(test_version_alone),
		cmocka_unit_test(test_before_5_11),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
