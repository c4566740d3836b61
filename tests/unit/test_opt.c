// SPDX-License-Identifier: GPL-2.0
/* The number parser, the option tables and the options every tracer takes. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "cmd/cli.h"
#include "util/opt.h"
#include "util/parse.h"

static void test_u64(void **state)
{
	unsigned long long v;

	assert_int_equal(parse_u64("42", &v), 0);
	assert_int_equal(v, 42);
	/* decimal, not octal */
	assert_int_equal(parse_u64("010", &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(parse_u64("18446744073709551615", &v), 0);
	assert_true(v == ~0ULL);
	assert_int_equal(parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(parse_u64("99999999999999999999999", &v), -ERANGE);
	assert_int_equal(parse_u64("99999999999999999999999x", &v), -EINVAL);
	assert_int_equal(parse_u64("0x10", &v), -EINVAL);
	assert_int_equal(parse_u64("-1", &v), -EINVAL);
	assert_int_equal(parse_u64("+1", &v), -EINVAL);
	assert_int_equal(parse_u64(" 1", &v), -EINVAL);
	assert_int_equal(parse_u64("12abc", &v), -EINVAL);
	assert_int_equal(parse_u64("", &v), -EINVAL);
	assert_int_equal(parse_u64(NULL, &v), -EINVAL);
}

static void test_size(void **state)
{
	unsigned long long v;

	assert_int_equal(parse_size("4k", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_size("1M", &v), 0);
	assert_int_equal(v, 1 << 20);
	assert_int_equal(parse_size("1MiB", &v), 0);
	assert_int_equal(v, 1 << 20);
	assert_int_equal(parse_size("2GiB", &v), 0);
	assert_true(v == 2ULL << 30);
	assert_int_equal(parse_size("1T", &v), 0);
	assert_true(v == 1ULL << 40);
	assert_int_equal(parse_size("010M", &v), 0);
	assert_true(v == 10ULL << 20);
	/* 2^54 + 1 MiB: the shift would wrap to 1 MiB */
	assert_int_equal(parse_size("18014398509481985M", &v), -ERANGE);
	assert_int_equal(parse_size("17179869184G", &v), -ERANGE);
	assert_int_equal(parse_size("16777215T", &v), 0);
	assert_int_equal(parse_size("12q", &v), -EINVAL);
	assert_int_equal(parse_size("1MX", &v), -EINVAL);
	assert_int_equal(parse_size("-1", &v), -EINVAL);
	assert_int_equal(parse_size("", &v), -EINVAL);
	assert_int_equal(parse_size("k", &v), -EINVAL);
}

static void test_double(void **state)
{
	double d;

	assert_int_equal(parse_double("0.5", &d), 0);
	assert_true(d == 0.5);
	assert_int_equal(parse_double("2", &d), 0);
	assert_int_equal(parse_double(".25", &d), 0);
	assert_true(d == 0.25);
	assert_int_equal(parse_double("1e3", &d), -EINVAL);
	assert_int_equal(parse_double("0x10", &d), -EINVAL);
	assert_int_equal(parse_double("inf", &d), -EINVAL);
	assert_int_equal(parse_double("nan", &d), -EINVAL);
	assert_int_equal(parse_double("1.2.3", &d), -EINVAL);
	assert_int_equal(parse_double("-1", &d), -EINVAL);
	assert_int_equal(parse_double("", &d), -EINVAL);
	assert_int_equal(parse_double(".", &d), -EINVAL);
}

static void test_size_str(void **state)
{
	char b[32];

	size_str(1ULL << 40, b, sizeof(b));
	assert_string_equal(b, "1T");
	size_str(256ULL << 20, b, sizeof(b));
	assert_string_equal(b, "256M");
	size_str(1536, b, sizeof(b));
	assert_string_equal(b, "1536");
}

struct fake {
	bool flag;
	const char *str;
	unsigned int n;
	unsigned long long size;
	double d;
	int calls;
};

static int count_calls(const struct ds_opt *opt, const char *arg)
{
	struct fake *f = opt->value;

	f->calls++;
	return strcmp(arg, "bad") ? 0 : -1;
}

#define FAKE_OPTS(f)							\
	const struct ds_opt opts[] = {					\
		OPT_FLAG('f', "flag", &(f)->flag, "a flag"),		\
		OPT_STRING('o', "out", &(f)->str, "DIR", "a string"),	\
		OPT_UINT(0, "num", &(f)->n, "N", 1, 100, "a number"),	\
		OPT_SIZE(0, "size", &(f)->size, "S", 1ULL << 20,		\
			 1ULL << 40, "a size\non two lines"),		\
		OPT_DOUBLE('i', "interval", &(f)->d, "S", 0.1, 10, "a double"), \
		OPT_CALLBACK('c', "call", f, "X", "a callback", count_calls), \
		OPT_END(),						\
	};								\
	const struct ds_cmd cmd = { .name = "fake", .usage = "[OPTIONS] ARG", \
				    .opts = opts, .min_args = 1, .max_args = 1 }

static int run(struct fake *f, ...)
{
	char *argv[16] = { "fake" };
	int argc = 1;
	va_list ap;
	char *a;

	FAKE_OPTS(f);
	va_start(ap, f);
	while ((a = va_arg(ap, char *)) && argc < 15)
		argv[argc++] = a;
	va_end(ap);
	/* refusals print: keep them out of the TAP output */
	if (!freopen("/dev/null", "w", stderr))
		return -99;
	return opt_parse(&cmd, argc, argv);
}

static void test_table_parses(void **state)
{
	struct fake f = { 0 };

	assert_int_equal(run(&f, "-f", "--out", "d", "--num", "010", "--size",
			     "1T", "-i", "0.5", "-c", "x", "arg", NULL), 12);
	assert_true(f.flag);
	assert_string_equal(f.str, "d");
	assert_int_equal(f.n, 10);
	assert_true(f.size == 1ULL << 40);
	assert_true(f.d == 0.5);
	assert_int_equal(f.calls, 1);
	/* options after the positional argument are still options */
	assert_int_equal(run(&f, "arg", "--num=7", NULL), 2);
	assert_int_equal(f.n, 7);
}

static void test_table_refuses(void **state)
{
	struct fake f = { 0 };

	assert_int_equal(run(&f, "--num", "0", "a", NULL), -1);
	assert_int_equal(run(&f, "--num", "101", "a", NULL), -1);
	assert_int_equal(run(&f, "--num", "4294967297", "a", NULL), -1);
	assert_int_equal(f.n, 0);
	assert_int_equal(run(&f, "--size", "18014398509481985M", "a", NULL), -1);
	assert_int_equal(run(&f, "--size", "2T", "a", NULL), -1);
	assert_int_equal(f.size, 0);
	assert_int_equal(run(&f, "-i", "11", "a", NULL), -1);
	assert_int_equal(run(&f, "--call", "bad", "a", NULL), -1);
	assert_int_equal(run(&f, "--nope", "a", NULL), -1);
	assert_int_equal(run(&f, "-z", "a", NULL), -1);
	assert_int_equal(run(&f, "--flag=1", "a", NULL), -1);
	assert_int_equal(run(&f, "a", "--out", NULL), -1);
	assert_int_equal(run(&f, NULL), -1);
	assert_int_equal(run(&f, "a", "b", NULL), -1);
}

static void test_table_help(void **state)
{
	struct fake f = { 0 };
	char buf[4096];
	int saved, rc;
	size_t n;
	FILE *mem;

	FAKE_OPTS(&f);
	mem = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(mem);
	opt_help(&cmd, mem);
	n = ftell(mem);
	fclose(mem);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "usage: dioscope fake [OPTIONS] ARG\n"));
	assert_non_null(strstr(buf, "  -f, --flag "));
	assert_non_null(strstr(buf, "  -o, --out DIR "));
	/* the range comes from the table, not from the help text */
	assert_non_null(strstr(buf, "a number (1 to 100)\n"));
	assert_non_null(strstr(buf, "a size\n"));
	assert_non_null(strstr(buf, "on two lines (1M to 1T)\n"));
	assert_non_null(strstr(buf, "a double (0.1 to 10)\n"));
	assert_non_null(strstr(buf, "  -h, --help "));
	/* --help prints (to stdout, kept out of TAP) and ends the parse */
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_non_null(freopen("/dev/null", "w", stdout));
	rc = run(&f, "--help", NULL);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	assert_int_equal(rc, 0);
}

static int parse_trace(struct tracer_opts *o, ...)
{
	char *argv[16] = { "t" };
	int argc = 1;
	va_list ap;
	char *a;
	const struct ds_opt opts[] = { OPT_TRACE(o), OPT_END() };
	const struct ds_cmd cmd = { .name = "t", .opts = opts };

	va_start(ap, o);
	while ((a = va_arg(ap, char *)) && argc < 15)
		argv[argc++] = a;
	va_end(ap);
	if (!freopen("/dev/null", "w", stderr))
		return -99;
	return opt_parse(&cmd, argc, argv);
}

static void test_trace_opts(void **state)
{
	struct tracer_opts o = { 0 };

	assert_int_equal(parse_trace(&o, "--min-us", "18446744073709551",
				     "--buffer-mb", "64", "-p", "010",
				     "--tier", "kprobe", "-c", "fio", NULL), 11);
	assert_true(o.filters.min_ns == 18446744073709551ULL * 1000);
	assert_int_equal(o.ringbuf_mb, 64);
	assert_int_equal(o.filters.tgid, 10);
	assert_int_equal(o.forced, DS_TIER_KPROBE);
	assert_string_equal(o.filters.comm, "fio");
	memset(&o, 0, sizeof(o));
	/* 10^3 times this wraps to 384 ns */
	assert_int_equal(parse_trace(&o, "--min-us", "18446744073709552", NULL), -1);
	assert_true(o.filters.min_ns == 0);
	assert_int_equal(parse_trace(&o, "--buffer-mb", "3", NULL), -1);
	assert_int_equal(parse_trace(&o, "--buffer-mb", "8192", NULL), -1);
	assert_int_equal(parse_trace(&o, "-p", "0", NULL), -1);
	assert_int_equal(parse_trace(&o, "-p", "4294967296", NULL), -1);
	assert_int_equal(parse_trace(&o, "-i", "0", NULL), -1);
	assert_int_equal(parse_trace(&o, "--tier", "warp", NULL), -1);
	assert_int_equal(parse_trace(&o, "-c", "a-name-far-too-long", NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_size),
		cmocka_unit_test(test_double),
		cmocka_unit_test(test_size_str),
		cmocka_unit_test(test_table_parses),
		cmocka_unit_test(test_table_refuses),
		cmocka_unit_test(test_table_help),
		cmocka_unit_test(test_trace_opts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
