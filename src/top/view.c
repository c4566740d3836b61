// SPDX-License-Identifier: GPL-2.0
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "top/view.h"

#define MIN_COL_W 6
#define INODE_W 9

static SCREEN *screen;

/* What each column means, for the help screen. */
static const char *const col_help[TOP_C_MAX] = {
	[TOP_C_WRITES] = "direct writes completed",
	[TOP_C_READS] = "direct reads completed",
	[TOP_C_WB] = "writeback IOs: extents of dirty pages writeback mapped",
	[TOP_C_PRE_IO] = "ext4_ext_map_blocks with PRE_IO: the split before a write into unwritten extents",
	[TOP_C_CONV] = "ext4_ext_map_blocks with CONVERT: unwritten -> written at completion",
	[TOP_C_COMPL_SPLIT] = "splits inside a conversion: at completion, not before the write",
	[TOP_C_MERGES] = "extent merges done",
	[TOP_C_CHURN] = "a merge removed a boundary an in-flight DIO or writeback IO needs, a split put it back",
	[TOP_C_WASTE] = "time of those merges and splits, microseconds per second",
	[TOP_C_WASTE_CPU] = "of it, time their tasks were on the CPU (switched-out time left out)",
	[TOP_C_P50] = "median time of one conversion (ext4_ext_map_blocks CONVERT)",
	[TOP_C_P99] = "99th percentile of the same",
	[TOP_C_UNWRITTEN] = "mappings that found an unwritten extent, since the start",
};

int top_view_start(struct top_view *v, const struct top_caps *caps,
		   struct inode_path *paths, int cap, int sort)
{
	memset(v, 0, sizeof(*v));
	v->caps = caps;
	v->paths = paths;
	v->sort = sort;
	v->cap = cap;
	v->rows = calloc(cap, sizeof(*v->rows));
	if (!v->rows)
		return -1;
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return -1;
	v->on = true;
	cbreak();
	noecho();
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	curs_set(0);
	return 0;
}

void top_view_stop(struct top_view *v)
{
	if (v->on) {
		endwin();
		delscreen(screen);
		screen = NULL;
		v->on = false;
	}
	free(v->rows);
	v->rows = NULL;
}

void top_view_update(struct top_view *v, const struct top_row *rows, int n,
		     const struct top_row *all,
		     const struct top_view_info *info)
{
	if (v->frozen)
		return;
	if (n > v->cap)
		n = v->cap;
	memcpy(v->rows, rows, n * sizeof(*rows));
	v->nrows = n;
	v->all = *all;
	v->info = *info;
	top_sort(v->rows, v->nrows, v->sort);
}

/* ---- numbers in at most 7 characters ------------------------------- */

static void fmt_rate(double r, char *b, size_t len)
{
	if (r == 0)
		snprintf(b, len, "0");
	else if (r < 9.95)
		snprintf(b, len, "%.1f", r);
	else if (r < 99999.5)
		snprintf(b, len, "%.0f", r);
	else if (r < 99999.5e3)
		snprintf(b, len, "%.0fk", r / 1e3);
	else
		snprintf(b, len, "%.0fM", r / 1e6);
}

static void fmt_ns(__u64 ns, char *b, size_t len)
{
	if (!ns)
		snprintf(b, len, " ");	/* no conversion in the interval */
	else if (ns < 1000)
		snprintf(b, len, "%lluns", (unsigned long long)ns);
	else if (ns < 9950)
		snprintf(b, len, "%.1fus", ns / 1e3);
	else if (ns < 999500)
		snprintf(b, len, "%.0fus", ns / 1e3);
	else if (ns < 9950000)
		snprintf(b, len, "%.1fms", ns / 1e6);
	else if (ns < 999500000)
		snprintf(b, len, "%.0fms", ns / 1e6);
	else
		snprintf(b, len, "%.1fs", ns / 1e9);
}

static void fmt_count(__u64 n, char *b, size_t len)
{
	if (n < 1000000)
		snprintf(b, len, "%llu", (unsigned long long)n);
	else if (n < 1000000000)
		snprintf(b, len, "%.1fM", n / 1e6);
	else
		snprintf(b, len, "%.1fG", n / 1e9);
}

static void cell(const struct top_view *v, const struct top_row *r, int col,
		 char *b, size_t len)
{
	int k = top_col_count(col);

	if (!v->caps->col[col])
		snprintf(b, len, "-");
	else if (col == TOP_C_P50)
		fmt_ns(r->p50_ns, b, len);
	else if (col == TOP_C_P99)
		fmt_ns(r->p99_ns, b, len);
	else if (col == TOP_C_UNWRITTEN)
		fmt_count(r->unwritten_total, b, len);
	else if (col == TOP_C_WASTE || col == TOP_C_WASTE_CPU)
		fmt_rate(top_rate(r->n[k], r->span_ns) / 1e3, b, len);
	else
		fmt_rate(top_rate(r->n[k], r->span_ns), b, len);
}

static int col_w(int col)
{
	int w = strlen(top_cols[col].title);

	return w < MIN_COL_W ? MIN_COL_W : w;
}

/* ---- drawing ------------------------------------------------------- */

/* printw that stops at the right edge instead of wrapping */
static void vput(const char *fmt, va_list ap)
{
	int x = getcurx(stdscr);
	char buf[1024];

	if (x >= COLS)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	addnstr(buf, COLS - x);
}

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vput(fmt, ap);
	va_end(ap);
}

/* The same at (y, x); nothing when that is off the screen. */
static void put_at(int y, int x, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void put_at(int y, int x, const char *fmt, ...)
{
	va_list ap;

	if (move(y, x) == ERR)
		return;
	va_start(ap, fmt);
	vput(fmt, ap);
	va_end(ap);
}

/* Text over at most max lines, broken at spaces; returns the next y. */
static int wrapped(int y, int indent, const char *text, int max)
{
	int width = COLS - indent, len, cut, k, i;

	if (width < 10)
		return y;
	for (i = 0; i < max && *text; i++) {
		len = strlen(text);
		cut = len <= width ? len : width;
		for (k = cut; cut < len && k > width / 2; k--) {
			if (text[k] == ' ') {
				cut = k;
				break;
			}
		}
		mvaddnstr(y++, indent, text, cut);
		text += cut;
		while (*text == ' ')
			text++;
	}
	return y;
}

static int draw_header(const struct top_view *v)
{
	const struct top_view_info *in = &v->info;
	char now[16], ev[16];
	time_t t = time(NULL);
	int y = 0;

	strftime(now, sizeof(now), "%H:%M:%S", localtime(&t));
	fmt_rate(top_rate(v->all.events, v->all.span_ns), ev, sizeof(ev));
	attron(A_BOLD);
	put_at(y, 0, "dioscope top");
	attroff(A_BOLD);
	put("  kernel %s  every %gs  events %s/s  lost %llu (+%llu)  %s",
	    in->kernel ? in->kernel : "?", in->interval_s, ev,
	    in->lost_total, in->lost_last, now);
	y++;
	put_at(y, 0, "tiers ");
	y = wrapped(y, 6, in->tiers ? in->tiers : "", 2);
	if (v->caps->why[0]) {
		put_at(y, 0, "-     ");
		y = wrapped(y, 6, v->caps->why, 3);
	}
	put_at(y++, 0, "inodes %d active, %u tracked, %llu evicted   sort: %s%s",
	       v->nrows, in->tracked, in->evicted, top_sort_name(v->sort),
	       v->frozen ? "   [FROZEN]" : "");
	return y + 1;
}

static void draw_row(const struct top_view *v, int y, const struct top_row *r)
{
	char line[256], b[32], where[32];
	const char *path = NULL;
	int c, x, room, len;

	if (r->ino)
		snprintf(b, sizeof(b), "%llu", (unsigned long long)r->ino);
	else
		snprintf(b, sizeof(b), "(all)");
	x = snprintf(line, sizeof(line), "%*s", INODE_W, b);
	for (c = 0; c < TOP_C_MAX; c++) {
		cell(v, r, c, b, sizeof(b));
		x += snprintf(line + x, sizeof(line) - x, " %*s", col_w(c), b);
	}
	put_at(y, 0, "%s", line);
	if (r->ino && v->paths)
		path = inode_path_get(v->paths, r->dev, r->ino);
	if (!path && r->ino) {
		snprintf(where, sizeof(where), "<dev %u:%u>", r->dev >> 20,
			 r->dev & 0xfffff);
		path = where;
	}
	room = COLS - x - 2;
	if (!path || room <= 0)
		return;
	len = strlen(path);
	move(y, x + 2);
	/* the end of a long path says more than its start */
	if (len > room && room > 3) {
		addstr("...");
		path += len - (room - 3);
		room -= 3;
	}
	addnstr(path, room);
}

static void draw_titles(const struct top_view *v, int y)
{
	int c;

	attron(A_REVERSE);
	put_at(y, 0, "%*s", INODE_W, "INODE");
	for (c = 0; c < TOP_C_MAX; c++) {
		put(" ");
		if (c == v->sort)
			attron(A_BOLD | A_UNDERLINE);
		put("%*s", col_w(c), top_cols[c].title);
		if (c == v->sort)
			attroff(A_BOLD | A_UNDERLINE);
	}
	put("  %-*s", COLS > 0 ? COLS : 0, "PATH");
	attroff(A_REVERSE);
}

static void draw_table(const struct top_view *v, int y)
{
	int i, room;

	draw_titles(v, y++);
	attron(A_BOLD);
	draw_row(v, y++, &v->all);
	attroff(A_BOLD);
	room = LINES - 1 - y;
	for (i = 0; i < v->nrows && i < room; i++) {
		if (i == room - 1 && v->nrows > room) {
			put_at(y + i, 0, "%*s ... %d more", INODE_W, "",
			       v->nrows - i);
			break;
		}
		draw_row(v, y + i, &v->rows[i]);
	}
}

static void draw_help(const struct top_view *v, int y)
{
	int c;

	put_at(y++, 0, "Keys: q quit, f or space freeze/unfreeze (tracing goes on), ? this help;");
	put_at(y++, 0, "      i sort by inode; the key before a column sorts by it:");
	y++;
	for (c = 0; c < TOP_C_MAX && y < LINES - 1; c++) {
		put_at(y, 0, "  %c  %-10s", top_cols[c].key, top_cols[c].title);
		y = wrapped(y, 17, col_help[c], 2);
	}
	y++;
	put_at(y++, 0, "Rates are per second over the last interval; UNWR counts since the start.");
	put_at(y++, 0, "-: not observable with this kernel's tiers; a blank latency: no conversion.");
}

void top_view_draw(struct top_view *v)
{
	int y;

	if (!v->on)
		return;
	erase();
	y = draw_header(v);
	if (v->help)
		draw_help(v, y);
	else
		draw_table(v, y);
	attron(A_REVERSE);
	put_at(LINES - 1, 0, "%-*.*s", COLS, COLS,
	       v->help ? " any key: back to the table" :
	       " q quit  f freeze  sort: w r b s c S m p x l L u i  ? help");
	attroff(A_REVERSE);
	refresh();
}

enum top_view_action top_view_key(struct top_view *v, int key)
{
	int sort;

	if (key == 'q' || key == 'Q')
		return TOP_VIEW_QUIT;
	if (key == KEY_RESIZE)
		return TOP_VIEW_REDRAW;
	if (v->help) {
		v->help = false;
		return TOP_VIEW_REDRAW;
	}
	if (key == '?' || key == 'h') {
		v->help = true;
		return TOP_VIEW_REDRAW;
	}
	if (key == 'f' || key == ' ') {
		v->frozen = !v->frozen;
		return TOP_VIEW_REDRAW;
	}
	sort = top_sort_by_key(key);
	if (sort < 0)
		return TOP_VIEW_NONE;
	v->sort = sort;
	top_sort(v->rows, v->nrows, v->sort);
	return TOP_VIEW_REDRAW;
}

enum top_view_action top_view_keys(struct top_view *v)
{
	enum top_view_action a = TOP_VIEW_NONE, k;
	int key;

	if (!v->on)
		return TOP_VIEW_NONE;
	while ((key = getch()) != ERR) {
		k = top_view_key(v, key);
		if (k > a)
			a = k;
	}
	return a;
}
