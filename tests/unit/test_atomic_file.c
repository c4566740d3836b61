// SPDX-License-Identifier: GPL-2.0
/*
 * Files written aside: the aside name, and the clean-up of what a killed
 * writer left, which must take its files and nothing else.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "util/atomic_file.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/dioscope-atomic.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static void touch(const char *name)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
}

static bool there(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* The pid of a process that has exited and been reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	assert_true(pid > 0);
	waitpid(pid, NULL, 0);
	return pid;
}

static void test_commit_leaves_no_aside(void **state)
{
	struct atomic_file af;
	char path[128], tmp[256];

	snprintf(path, sizeof(path), "%s/out.csv", dir);
	assert_int_equal(atomic_open(&af, path), 0);
	assert_int_equal(atomic_tmp_name(tmp, sizeof(tmp), path), 0);
	assert_string_equal(tmp, af.tmp);
	assert_non_null(strstr(tmp, ".dioscope-"));
	assert_true(there(strrchr(tmp, '/') + 1));
	fputs("a\n", af.f);
	assert_int_equal(atomic_commit(&af, false), 0);
	assert_false(there(strrchr(tmp, '/') + 1));
	assert_true(there("out.csv"));
	assert_int_equal(atomic_tmp_name(tmp, 8, path), -ENAMETOOLONG);
}

static void test_clean_takes_only_leftovers(void **state)
{
	char dead[64], mine[64], sub[128];
	pid_t pid = dead_pid();

	snprintf(dead, sizeof(dead), "summary.csv.dioscope-%d.tmp", (int)pid);
	snprintf(mine, sizeof(mine), "ios.csv.dioscope-%d.tmp", (int)getpid());
	touch(dead);
	touch(mine);		/* a writer at work */
	touch("notes.tmp");	/* the user's */
	touch("ios.csv.tmp");
	touch("a.dioscope-12x.tmp");
	touch("a.dioscope-0.tmp");
	touch(".dioscope-1.tmp");
	touch("a.dioscope-99999999999.tmp");
	snprintf(sub, sizeof(sub), "%s/d.dioscope-%d.tmp", dir, (int)pid);
	assert_int_equal(mkdir(sub, 0755), 0);

	assert_int_equal(atomic_clean_dir(dir), 1);
	assert_false(there(dead));
	assert_true(there(mine));
	assert_true(there("notes.tmp"));
	assert_true(there("ios.csv.tmp"));
	assert_true(there("a.dioscope-12x.tmp"));
	assert_true(there("a.dioscope-0.tmp"));
	assert_true(there(".dioscope-1.tmp"));
	assert_true(there("a.dioscope-99999999999.tmp"));
	assert_int_equal(access(sub, F_OK), 0);
	/* by the path of a file written there */
	touch(dead);
	snprintf(sub, sizeof(sub), "%s/summary.csv", dir);
	assert_int_equal(atomic_clean_beside(sub), 1);
	assert_false(there(dead));
	assert_int_equal(atomic_clean_dir("/nonexistent-dioscope"), -ENOENT);
}

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static bool is_regular(const char *path)
{
	struct stat st;

	return !lstat(path, &st) && S_ISREG(st.st_mode);
}

/* Principle 1: what is not a regular file is never renamed over. */
static void test_refuses_what_is_not_a_file(void **state)
{
	struct atomic_file af;
	char path[256], target[256];
	struct stat st;

	path_of(path, sizeof(path), "d");
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(atomic_open(&af, path), -EISDIR);
	assert_int_equal(atomic_check(path), -EISDIR);

	path_of(target, sizeof(target), "outside");
	touch("outside");
	path_of(path, sizeof(path), "link");
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(atomic_open(&af, path), -ELOOP);
	assert_true(is_regular(target));
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));

	path_of(path, sizeof(path), "fifo");
	assert_int_equal(mkfifo(path, 0644), 0);
	/* nobody reads it: refused at once, not waited on */
	assert_int_equal(atomic_open(&af, path), -ENXIO);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_non_null(strstr(atomic_strerror(-ENXIO), "FIFO"));
	assert_non_null(strstr(atomic_strerror(-ELOOP), "symbolic link"));
}

/* A character device is written through, and its failure is said. */
static void test_writes_through_a_device(void **state)
{
	struct atomic_file af;
	struct stat st;

	assert_int_equal(atomic_open(&af, "/dev/null"), 0);
	assert_string_equal(af.tmp, "");
	fputs("x\n", af.f);
	assert_int_equal(atomic_commit(&af, false), 0);
	assert_int_equal(stat("/dev/null", &st), 0);
	assert_true(S_ISCHR(st.st_mode));

	if (access("/dev/full", W_OK))
		skip();
	assert_int_equal(atomic_open(&af, "/dev/full"), 0);
	fputs("x\n", af.f);
	assert_int_equal(atomic_commit(&af, false), -ENOSPC);
	assert_int_equal(stat("/dev/full", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
}

static long size_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? -1 : (long)st.st_size;
}

/* A symlink planted at the aside name is not written through. */
static void test_aside_name_not_followed(void **state)
{
	struct atomic_file af;
	char path[256], tmp[300], target[256];

	path_of(path, sizeof(path), "out.csv");
	path_of(target, sizeof(target), "victim");
	touch("victim");
	assert_int_equal(atomic_tmp_name(tmp, sizeof(tmp), path), 0);
	assert_int_equal(symlink(target, tmp), 0);
	assert_int_equal(atomic_open(&af, path), 0);
	fputs("mine\n", af.f);
	assert_int_equal(atomic_commit(&af, false), 0);
	assert_true(is_regular(target));
	assert_true(is_regular(path));
	assert_int_equal(size_of(target), 0);
	assert_int_equal(size_of(path), 5);
}

/* Another writer's aside file: in place of a file, never of a link. */
static void test_rename_of_another_writer(void **state)
{
	char path[256], tmp[256], target[256];

	path_of(path, sizeof(path), "plot.png");
	path_of(tmp, sizeof(tmp), "plot.png.aside");
	path_of(target, sizeof(target), "victim");
	touch("plot.png.aside");
	touch("plot.png");
	assert_int_equal(atomic_rename(tmp, path), 0);
	assert_false(there("plot.png.aside"));
	touch("victim");
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
	touch("plot.png.aside");
	assert_int_equal(atomic_rename(tmp, path), -ELOOP);
	assert_false(there("plot.png.aside"));
	assert_true(is_regular(target));
	unlink(path);
	assert_int_equal(mkdir(path, 0755), 0);
	touch("plot.png.aside");
	assert_int_equal(atomic_rename(tmp, path), -EISDIR);
	assert_false(there("plot.png.aside"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commit_leaves_no_aside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clean_takes_only_leftovers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_what_is_not_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writes_through_a_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_aside_name_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rename_of_another_writer, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
