// SPDX-License-Identifier: GPL-2.0
/*
 * Inode to path: by file handle where the filesystem allows it, by a
 * walk of the mount point where it does not, cached, and a walk that
 * goes on over several calls when its time slice is too short.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <cmocka.h>
#include "top/inode_path.h"
#include "top/table.h"

struct fixture {
	char dir[256];
	char file[PATH_MAX];
	__u32 dev;
	__u64 ino;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char sub[PATH_MAX + 16];
	struct stat st;
	FILE *fp;
	int i;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/dioscope-path.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(f->dir))
		return -1;
	/* some clutter for the walk to go through */
	for (i = 0; i < 300; i++) {
		snprintf(sub, sizeof(sub), "%s/c%03d", f->dir, i);
		fp = fopen(sub, "w");
		if (fp)
			fclose(fp);
	}
	snprintf(sub, sizeof(sub), "%s/a", f->dir);
	mkdir(sub, 0755);
	snprintf(sub, sizeof(sub), "%s/a/b c", f->dir);
	mkdir(sub, 0755);
	snprintf(f->file, sizeof(f->file), "%s/a/b c/data", f->dir);
	fp = fopen(f->file, "w");
	if (!fp || stat(f->file, &st))
		return -1;
	fclose(fp);
	f->dev = (major(st.st_dev) << 20) | minor(st.st_dev);
	f->ino = st.st_ino;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

/* Ask, resolve, ask again. */
static const char *resolve(struct inode_path *c, __u32 dev, __u64 ino,
			   unsigned int budget_ms, int rounds)
{
	const char *p = inode_path_get(c, dev, ino);
	int i;

	for (i = 0; !p && i < rounds; i++) {
		inode_path_work(c, budget_ms);
		p = inode_path_get(c, dev, ino);
	}
	return p;
}

static void test_by_walk(void **state)
{
	struct fixture *f = *state;
	struct inode_path c;
	const char *p;

	assert_int_equal(inode_path_init(&c, 64), 0);
	assert_int_equal(inode_path_add_root(&c, f->dev, f->dir), 0);
	c.mounts[0].handles = false;
	/* a miss costs nothing until work runs */
	assert_null(inode_path_get(&c, f->dev, f->ino));
	assert_int_equal(c.walked_entries, 0);
	p = resolve(&c, f->dev, f->ino, 1000, 1);
	assert_non_null(p);
	assert_string_equal(p, f->file);
	assert_true(c.walked_entries > 0);
	assert_true(inode_path_blkbits(&c, f->dev) >= 9);
	inode_path_free(&c);
}

static void test_walk_resumes(void **state)
{
	struct fixture *f = *state;
	struct inode_path c;
	__u64 seen = 0;
	const char *p;
	int calls;

	assert_int_equal(inode_path_init(&c, 64), 0);
	assert_int_equal(inode_path_add_root(&c, f->dev, f->dir), 0);
	c.mounts[0].handles = false;
	/* no time at all: 64 entries per call, then the deadline stops it */
	inode_path_get(&c, f->dev, f->ino);
	for (calls = 0; calls < 50; calls++) {
		inode_path_work(&c, 0);
		assert_true(c.walked_entries >= seen);
		seen = c.walked_entries;
		p = inode_path_get(&c, f->dev, f->ino);
		if (p)
			break;
	}
	assert_non_null(p);
	assert_string_equal(p, f->file);
	/* the 300 files took more than one slice */
	assert_true(calls >= 2);
	inode_path_free(&c);
}

static void test_by_handle_or_walk(void **state)
{
	struct fixture *f = *state;
	struct inode_path c;
	const char *p;

	/* whatever this filesystem allows, the answer is the file */
	assert_int_equal(inode_path_init(&c, 64), 0);
	assert_int_equal(inode_path_add_root(&c, f->dev, f->dir), 0);
	p = resolve(&c, f->dev, f->ino, 1000, 2);
	assert_non_null(p);
	assert_string_equal(p, f->file);
	/* ext4 and the right to use handles: named without a walk */
	if (c.mounts[0].handles)
		assert_int_equal(c.walked_entries, 0);
	inode_path_free(&c);
}

static void test_unknown_inode(void **state)
{
	struct fixture *f = *state;
	struct inode_path c;

	assert_int_equal(inode_path_init(&c, 64), 0);
	assert_int_equal(inode_path_add_root(&c, f->dev, f->dir), 0);
	c.mounts[0].handles = false;
	/* no such inode under the root: a whole walk, then it fails */
	assert_null(resolve(&c, f->dev, 999999999, 1000, 3));
	/* a device that is not mounted anywhere */
	assert_null(resolve(&c, (4095u << 20) | 77, 12, 100, 2));
	assert_int_equal(inode_path_blkbits(&c, (4095u << 20) | 77), 0);
	inode_path_free(&c);
}

static void test_cache_is_bounded(void **state)
{
	struct fixture *f = *state;
	struct inode_path c;
	const char *p;
	__u64 i;

	assert_int_equal(inode_path_init(&c, 8), 0);
	assert_int_equal(inode_path_add_root(&c, f->dev, f->dir), 0);
	c.mounts[0].handles = false;
	p = resolve(&c, f->dev, f->ino, 1000, 1);
	assert_non_null(p);
	/* the file, asked for all the time, stays; others come and go */
	for (i = 1; i <= 1000; i++) {
		inode_path_get(&c, f->dev, 1000000 + i);
		assert_non_null(inode_path_get(&c, f->dev, f->ino));
	}
	assert_int_equal(c.t->cap, 8);
	assert_int_equal(c.t->count, 8);
	inode_path_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_by_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_resumes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_by_handle_or_walk, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unknown_inode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cache_is_bounded, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
