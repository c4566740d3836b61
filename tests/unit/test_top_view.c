// SPDX-License-Identifier: GPL-2.0
/*
 * What the keys of `dioscope top` do, and the batch lines: fields, "-"
 * for what cannot be seen, and a header that lines up with the rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "top/batch.h"
#include "top/view.h"

#define DEV ((7u << 20) | 3)

static struct top_caps caps;

static void caps_tracepoints_only(struct top_caps *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < TOP_C_MAX; i++)
		c->col[i] = true;
	c->col[TOP_C_MERGES] = c->col[TOP_C_CHURN] = false;
	c->col[TOP_C_WASTE] = false;
	strcpy(c->why, "MERGE/CHURN/WASTE: not traced");
}

static struct top_row row(__u64 ino, __u64 writes, __u64 conv)
{
	struct top_row r;

	memset(&r, 0, sizeof(r));
	r.dev = DEV;
	r.ino = ino;
	r.n[TOP_N_WRITES] = writes;
	r.n[TOP_N_CONV] = conv;
	r.span_ns = 2000000000ULL;
	return r;
}

/* A view as top_view_start() leaves it, without a terminal. */
static void view_new(struct top_view *v, int sort)
{
	memset(v, 0, sizeof(*v));
	v->caps = &caps;
	v->cap = 8;
	v->sort = sort;
	v->rows = calloc(v->cap, sizeof(*v->rows));
}

static void test_keys(void **state)
{
	struct top_row rows[3] = { row(1, 10, 5), row(2, 50, 1), row(3, 1, 9) };
	struct top_row all = row(0, 61, 15);
	struct top_view_info info = { .kernel = "6.1" };
	struct top_view v;

	caps_tracepoints_only(&caps);
	view_new(&v, TOP_C_CONV);
	top_view_update(&v, rows, 3, &all, &info);
	assert_int_equal(v.rows[0].ino, 3);
	assert_int_equal(top_view_key(&v, 'w'), TOP_VIEW_REDRAW);
	assert_int_equal(v.sort, TOP_C_WRITES);
	assert_int_equal(v.rows[0].ino, 2);
	assert_int_equal(top_view_key(&v, 'i'), TOP_VIEW_REDRAW);
	assert_int_equal(v.rows[0].ino, 1);
	assert_int_equal(top_view_key(&v, 'Z'), TOP_VIEW_NONE);
	assert_int_equal(top_view_key(&v, 'q'), TOP_VIEW_QUIT);
	top_view_stop(&v);
}

static void test_freeze_keeps_rows(void **state)
{
	struct top_row first[1] = { row(1, 10, 5) };
	struct top_row later[2] = { row(7, 1, 1), row(8, 2, 2) };
	struct top_row all = row(0, 10, 5);
	struct top_view_info info = { .kernel = "6.1" };
	struct top_view v;

	caps_tracepoints_only(&caps);
	view_new(&v, TOP_C_CONV);
	top_view_update(&v, first, 1, &all, &info);
	assert_int_equal(top_view_key(&v, 'f'), TOP_VIEW_REDRAW);
	assert_true(v.frozen);
	top_view_update(&v, later, 2, &all, &info);
	assert_int_equal(v.nrows, 1);
	assert_int_equal(v.rows[0].ino, 1);
	/* re-sorting a frozen screen works on what it shows */
	assert_int_equal(top_view_key(&v, 'w'), TOP_VIEW_REDRAW);
	assert_int_equal(v.nrows, 1);
	assert_int_equal(top_view_key(&v, ' '), TOP_VIEW_REDRAW);
	assert_false(v.frozen);
	top_view_update(&v, later, 2, &all, &info);
	assert_int_equal(v.nrows, 2);
	assert_int_equal(v.rows[0].ino, 8);
	top_view_stop(&v);
}

static void test_help_any_key_returns(void **state)
{
	struct top_view v;

	caps_tracepoints_only(&caps);
	view_new(&v, TOP_C_CONV);
	assert_int_equal(top_view_key(&v, '?'), TOP_VIEW_REDRAW);
	assert_true(v.help);
	/* a sort key while the help is up only closes it */
	assert_int_equal(top_view_key(&v, 'w'), TOP_VIEW_REDRAW);
	assert_false(v.help);
	assert_int_equal(v.sort, TOP_C_CONV);
	/* q quits from the help too */
	top_view_key(&v, '?');
	assert_int_equal(top_view_key(&v, 'q'), TOP_VIEW_QUIT);
	top_view_stop(&v);
}

/* ---- batch lines ---------------------------------------------------- */

static void test_fields(void **state)
{
	struct top_row r = row(12, 3, 4);
	char b[32];

	caps_tracepoints_only(&caps);
	r.n[TOP_N_WASTE_NS] = 3000;
	r.p50_ns = 1500;
	r.unwritten_total = 77;
	r.n[TOP_N_UNWRITTEN] = 2;
	/* rates over the 2 s the row covers */
	top_batch_field(&caps, &r, TOP_C_WRITES, true, b, sizeof(b));
	assert_string_equal(b, "1.5");
	top_batch_field(&caps, &r, TOP_C_CONV, true, b, sizeof(b));
	assert_string_equal(b, "2.0");
	/* totals are counts */
	top_batch_field(&caps, &r, TOP_C_CONV, false, b, sizeof(b));
	assert_string_equal(b, "4");
	top_batch_field(&caps, &r, TOP_C_P50, true, b, sizeof(b));
	assert_string_equal(b, "1.50");
	/* unwritten extents seen: since the start, in both */
	top_batch_field(&caps, &r, TOP_C_UNWRITTEN, true, b, sizeof(b));
	assert_string_equal(b, "77");
	/* what cannot be seen is '-', never a 0 that looks measured */
	top_batch_field(&caps, &r, TOP_C_MERGES, true, b, sizeof(b));
	assert_string_equal(b, "-");
	top_batch_field(&caps, &r, TOP_C_WASTE, false, b, sizeof(b));
	assert_string_equal(b, "-");
	caps.col[TOP_C_WASTE] = true;
	top_batch_field(&caps, &r, TOP_C_WASTE, true, b, sizeof(b));
	assert_string_equal(b, "1.5");
	top_batch_field(&caps, &r, TOP_C_WASTE, false, b, sizeof(b));
	assert_string_equal(b, "3.0");
}

static int words(const char *line)
{
	int n = 0;
	bool in = false;

	for (; *line && *line != '\n'; line++) {
		if (*line != ' ' && !in)
			n++;
		in = *line != ' ';
	}
	return n;
}

static void test_lines(void **state)
{
	struct top_row rows[2] = { row(12, 10, 10), row(13, 0, 2) };
	struct top_row all = row(0, 10, 12);
	struct top_batch b = { .caps = &caps };
	char *buf = NULL, *line, *save;
	size_t len = 0;
	int n = 0, header = 0;

	caps_tracepoints_only(&caps);
	b.f = open_memstream(&buf, &len);
	top_batch_intro(&b, "6.1.0", "tracepoint: map_blocks", 1);
	assert_int_equal(top_batch_interval(&b, 0, rows, 2, &all, 3), 0);
	assert_int_equal(top_batch_totals(&b, rows, 2, &all,
					  &(struct top_losses){ .ringbuf = 3 }), 0);
	fclose(b.f);
	assert_non_null(strstr(buf, "# not observable here (-): MERGE/CHURN/WASTE"));
	assert_non_null(strstr(buf, "lost 3 events"));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		/* every line has the header's columns */
		if (!header)
			header = words(line);
		assert_int_equal(words(line), header);
		n++;
	}
	/* a header and 2 + 1 rows, twice */
	assert_int_equal(n, 8);
	assert_int_equal(header, 3 + TOP_C_MAX + 1);
	free(buf);
}

/* The totals line counts every loss, as record's meta lost_events does. */
static void test_totals_count_every_loss(void **state)
{
	struct top_row all = row(0, 10, 12);
	struct top_losses lost = {
		.ringbuf = 2, .recursion = 89, .recursion_known = true,
		.kretprobe = 1, .kretprobe_known = true,
	};
	struct top_batch b = { .caps = &caps };
	char *buf = NULL;
	size_t len = 0;

	all.events = 22;
	caps_tracepoints_only(&caps);
	b.f = open_memstream(&buf, &len);
	assert_int_equal(top_batch_totals(&b, NULL, 0, &all, &lost), 0);
	fclose(b.f);
	assert_non_null(strstr(buf, ": 22 events, 92 lost (2 ring buffer full, 89 recursion misses, 1 missed returns)\n"));
	free(buf);

	/* what this kernel does not count is said, not taken as none */
	lost = (struct top_losses){ .kretprobe_known = true };
	buf = NULL;
	b.f = open_memstream(&buf, &len);
	assert_int_equal(top_batch_totals(&b, NULL, 0, &all, &lost), 0);
	fclose(b.f);
	assert_non_null(strstr(buf, ", 0 lost (0 ring buffer full, recursion misses unknown, 0 missed returns)\n"));
	free(buf);

	/* events that came out of time order are said, apart from losses */
	lost = (struct top_losses){ .kretprobe_known = true, .late = 7 };
	buf = NULL;
	b.f = open_memstream(&buf, &len);
	assert_int_equal(top_batch_totals(&b, NULL, 0, &all, &lost), 0);
	fclose(b.f);
	assert_non_null(strstr(buf, ", 0 lost (0 ring buffer full, recursion misses unknown, 0 missed returns); 7 late, taken out of time order\n"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_freeze_keeps_rows),
		cmocka_unit_test(test_help_any_key_returns),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_totals_count_every_loss),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
