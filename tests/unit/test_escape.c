// SPDX-License-Identifier: GPL-2.0
/*
 * Names from the kernel and filesystems reach the terminal escaped: a
 * task or file named with a newline and ESC sequences once forged lines
 * and sent escape codes to root's terminal through trace and top.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <cmocka.h>
#include "event/format.h"
#include "top/inode_path.h"
#include "util/escape.h"

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

static void test_escape(void **state)
{
	char out[128];

	assert_string_equal(term_escape("fio", 16, out, sizeof(out)), "fio");
	assert_string_equal(term_escape("a\nb\033[2Jc", 16, out, sizeof(out)),
			    "a\\x0ab\\x1b[2Jc");
	assert_string_equal(term_escape("back\\slash\x7f", 16, out, sizeof(out)),
			    "back\\\\slash\\x7f");
	/* UTF-8 stays, a C1 control (U+009B, CSI) and a stray byte do not */
	assert_string_equal(term_escape("d\xc3\xa9j\xc3\xa0", 16, out, sizeof(out)),
			    "d\xc3\xa9j\xc3\xa0");
	assert_string_equal(term_escape("x\xc2\x9by\x9bz", 16, out, sizeof(out)),
			    "x\\xc2\\x9by\\x9bz");
	/* the field's length bounds the name, the buffer bounds the output */
	assert_string_equal(term_escape("abcdef", 3, out, sizeof(out)), "abc");
	assert_string_equal(term_escape("\n\n\n", 16, out, 6), "\\x0a");
}

static void test_trace_line(void **state)
{
	struct ds_event e = { .type = DS_EV_DIO_SUBMIT };
	char line[512];

	memcpy(e.comm, "x\nFAKE\033[31m", 12);
	event_line(&e, 0, line, sizeof(line));
	assert_false(has_control(line));
	assert_non_null(strstr(line, "x\\x0aFAKE\\x1b[31m"));
}

static void test_top_path(void **state)
{
	char dir[64], file[256];
	struct inode_path c;
	const char *p = NULL;
	struct stat st;
	FILE *f;
	__u32 dev;
	int i;

	snprintf(dir, sizeof(dir), "/tmp/dioscope-esc.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/evil\n\033]0;owned\007name", dir);
	f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(stat(file, &st), 0);
	dev = (major(st.st_dev) << 20) | minor(st.st_dev);
	assert_int_equal(inode_path_init(&c, 16), 0);
	assert_int_equal(inode_path_add_root(&c, dev, dir), 0);
	c.mounts[0].handles = false;
	for (i = 0; !p && i < 5; i++) {
		p = inode_path_get(&c, dev, st.st_ino);
		if (!p)
			inode_path_work(&c, 1000);
	}
	assert_non_null(p);
	assert_false(has_control(p));
	assert_non_null(strstr(p, "evil\\x0a\\x1b]0;owned\\x07name"));
	inode_path_free(&c);
	unlink(file);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_trace_line),
		cmocka_unit_test(test_top_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
