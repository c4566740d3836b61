// SPDX-License-Identifier: GPL-2.0
/*
 * Results trees and the parameters that make them comparable: finding
 * summaries and runs, refusing scenarios whose parameters differ, warning
 * where tiers differ; and compare as a whole refusing them (exit 3).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "util/fs.h"
#include "cmd/commands.h"
#include "compare/params.h"
#include "run/recorder.h"
#include "run/results_dir.h"

static char top[256];
static const char *runtime = "5";	/* runtime_s of the next tree */

static void put(const char *path, const char *fmt, ...)
{
	va_list ap;
	FILE *f;

	f = fopen(path, "w");
	assert_non_null(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	assert_int_equal(fclose(f), 0);
}

#define SUMMARY_HEAD "scenario,kernel_release,ios,iops,lat_p50_ns,block_size_bytes," \
		     "size_bytes,mount_options,fio_version,tiers,emulated\r\n"

/*
 * A tree of one scenario "seq" with two runs: block size bs, mount mount
 * ("" leaves it out of the meta), the tier of the split target.
 */
static void tree(const char *name, const char *bs, const char *mount,
		 const char *split_tier)
{
	char dir[512], path[600];
	int r;

	snprintf(dir, sizeof(dir), "%s/%s", top, name);
	assert_int_equal(mkdir_p(dir), 0);
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	put(path, SUMMARY_HEAD "seq,6.1.0-%s,100,1000,2000,%s,1048576,%s,fio-3.33,fentry,no\r\n",
	    name, bs, *mount ? mount : "-");
	for (r = 1; r <= 2; r++) {
		snprintf(path, sizeof(path), "%s/seq/run-%d", dir, r);
		assert_int_equal(mkdir_p(path), 0);
		snprintf(path, sizeof(path), "%s/seq/run-%d/meta", dir, r);
		put(path, "scenario=seq\nblock_size_bytes=%s\nsize_bytes=1048576\n%s%s%s"
		    "fio_version=fio-3.33\nmkfs_options=-\ntier.dio_submit=fentry\n"
		    "tier.split=%s\nruntime_s=%s\n", bs, *mount ? "mount_options=" : "", mount,
		    *mount ? "\n" : "", split_tier, runtime);
	}
}

static int setup(void **state)
{
	snprintf(top, sizeof(top), "%s/dioscope-test-params.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(top));
	tree("a", "4096", "dioread_nolock", "fentry");
	tree("same", "4096", "dioread_nolock", "fentry");
	tree("bigger", "65536", "dioread_nolock", "fentry");
	tree("nomount", "4096", "", "fentry");
	tree("tp", "4096", "dioread_nolock", "-");
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) ? -1 : 0;
}

static void load(const char *name, struct results *r, struct run_list *runs,
		 struct scenario_params *p)
{
	char path[512], err[1024], why[1024];

	snprintf(path, sizeof(path), "%s/%s", top, name);
	assert_int_equal(results_open(r, path, err, sizeof(err)), 0);
	assert_int_equal(results_runs(r, "seq", runs), 0);
	assert_int_equal(params_load(r, "seq", runs, p, why, sizeof(why)), 0);
}

static void test_open(void **state)
{
	char path[512], err[1024];
	struct run_list runs;
	struct results r;

	snprintf(path, sizeof(path), "%s/a", top);
	assert_int_equal(results_open(&r, path, err, sizeof(err)), 0);
	assert_string_equal(r.release, "6.1.0-a");
	assert_false(r.emulated);
	assert_int_equal(results_row(&r, "seq"), 0);
	assert_int_equal(results_row(&r, "nope"), -1);
	assert_string_equal(results_get(&r, "seq", "iops"), "1000");
	assert_null(results_get(&r, "seq", "no_such_column"));
	/* runs are ordered by number, not by name; other entries are not runs */
	snprintf(path, sizeof(path), "%s/a/seq/run-10", top);
	assert_int_equal(mkdir_p(path), 0);
	snprintf(path, sizeof(path), "%s/a/seq/run-x", top);
	assert_int_equal(mkdir_p(path), 0);
	snprintf(path, sizeof(path), "%s/a/seq/run-3", top);
	put(path, "a file\n");
	assert_int_equal(results_runs(&r, "seq", &runs), 0);
	assert_int_equal(runs.n, 3);
	assert_non_null(strstr(runs.dir[0], "/run-1"));
	assert_non_null(strstr(runs.dir[1], "/run-2"));
	assert_non_null(strstr(runs.dir[2], "/run-10"));
	run_list_free(&runs);
	snprintf(path, sizeof(path), "%s/a/seq/run-10", top);
	rmdir(path);
	assert_int_equal(results_runs(&r, "../a", &runs), -EINVAL);
	results_close(&r);
}

/* Only a "yes" says merges were observed: a missing column says nothing. */
static void test_merges_observed(void **state)
{
	char path[512], err[1024];
	struct results r;

	snprintf(path, sizeof(path), "%s/a", top);
	assert_int_equal(results_open(&r, path, err, sizeof(err)), 0);
	assert_false(results_merges_observed(&r, "seq"));
	results_close(&r);
	snprintf(path, sizeof(path), "%s/mo", top);
	assert_int_equal(mkdir_p(path), 0);
	snprintf(path, sizeof(path), "%s/mo/summary.csv", top);
	put(path, "scenario,kernel_release,merges_observed\r\n"
	    "seen,7.3,yes\r\nblind,7.3,no\r\nold,7.3,\r\n");
	snprintf(path, sizeof(path), "%s/mo", top);
	assert_int_equal(results_open(&r, path, err, sizeof(err)), 0);
	assert_true(results_merges_observed(&r, "seen"));
	assert_false(results_merges_observed(&r, "blind"));
	assert_false(results_merges_observed(&r, "old"));
	assert_false(results_merges_observed(&r, "absent"));
	results_close(&r);
}

static void test_open_parent(void **state)
{
	char path[512], err[1024];
	struct results r;

	/* bench -o DIR leaves DIR/<release>: DIR names it when it is alone */
	snprintf(path, sizeof(path), "%s/parent/6.1.0-p", top);
	assert_int_equal(mkdir_p(path), 0);
	snprintf(path, sizeof(path), "%s/parent/6.1.0-p/summary.csv", top);
	put(path, SUMMARY_HEAD "seq,6.1.0-p,1,1,1,4096,1048576,-,fio-3.33,fentry,yes\r\n");
	snprintf(path, sizeof(path), "%s/parent", top);
	assert_int_equal(results_open(&r, path, err, sizeof(err)), 0);
	assert_true(r.emulated);
	assert_false(r.icount);
	assert_string_equal(r.label, "6.1.0-p (emulated)");
	results_close(&r);
	/* a clock column of icount: times are instructions, labelled so */
	snprintf(path, sizeof(path), "%s/parent/6.1.0-p/summary.csv", top);
	put(path, "scenario,kernel_release,ios,iops,lat_p50_ns,block_size_bytes,"
		  "size_bytes,mount_options,fio_version,tiers,emulated,clock\r\n"
		  "seq,6.1.0-p,1,1,1,4096,1048576,-,fio-3.33,fentry,yes,icount\r\n");
	snprintf(path, sizeof(path), "%s/parent", top);
	assert_int_equal(results_open(&r, path, err, sizeof(err)), 0);
	assert_true(r.icount);
	assert_string_equal(r.label, "6.1.0-p (emulated, icount)");
	results_close(&r);
	/* the whole tree holds several: which one is meant is not guessed */
	assert_int_not_equal(results_open(&r, top, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "several"));
	snprintf(path, sizeof(path), "%s/a/seq", top);
	assert_int_equal(results_open(&r, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "summary.csv"));
	/* a summary that is not a table is named */
	snprintf(path, sizeof(path), "%s/bad", top);
	assert_int_equal(mkdir_p(path), 0);
	snprintf(path, sizeof(path), "%s/bad/summary.csv", top);
	put(path, "scenario,ios\r\nseq,1,2\r\n");
	snprintf(path, sizeof(path), "%s/bad", top);
	assert_int_equal(results_open(&r, path, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a summary table"));
}

static void test_match(void **state)
{
	struct scenario_params pa, pb;
	struct run_list ra, rb;
	struct results a, b;
	char why[1024], unknown[256];

	load("a", &a, &ra, &pa);
	assert_string_equal(pa.val[SP_BLOCK_SIZE], "4096");
	assert_string_equal(pa.val[SP_MKFS], "-");
	load("same", &b, &rb, &pb);
	assert_int_equal(params_match(&pa, "A", &pb, "B", why, sizeof(why),
				      unknown, sizeof(unknown)), 0);
	assert_string_equal(unknown, "");
	results_close(&b);
	run_list_free(&rb);

	load("bigger", &b, &rb, &pb);
	assert_int_equal(params_match(&pa, "A", &pb, "B", why, sizeof(why),
				      unknown, sizeof(unknown)), -1);
	assert_string_equal(why, "block_size_bytes differs: 4096 in A, 65536 in B");
	results_close(&b);
	run_list_free(&rb);

	/* 5 s against 3600 s: not the same workload */
	runtime = "3600";
	tree("long", "4096", "dioread_nolock", "fentry");
	runtime = "5";
	load("long", &b, &rb, &pb);
	assert_int_equal(params_match(&pa, "A", &pb, "B", why, sizeof(why),
				      unknown, sizeof(unknown)), -1);
	assert_string_equal(why, "runtime_s differs: 5 in A, 3600 in B");
	results_close(&b);
	run_list_free(&rb);

	/* what one side does not know is listed, not held against it */
	load("nomount", &b, &rb, &pb);
	assert_int_equal(params_match(&pa, "A", &pb, "B", why, sizeof(why),
				      unknown, sizeof(unknown)), 0);
	assert_string_equal(unknown, "mount_options");
	results_close(&b);
	run_list_free(&rb);
	results_close(&a);
	run_list_free(&ra);
}

static void test_inconsistent(void **state)
{
	char path[512], err[1024], why[1024];
	struct scenario_params p;
	struct run_list runs;
	struct results r;

	/* runs of one scenario that disagree cannot be summed up as one */
	tree("mixed", "4096", "dioread_nolock", "fentry");
	snprintf(path, sizeof(path), "%s/mixed/seq/run-2/meta", top);
	put(path, "block_size_bytes=8192\n");
	snprintf(path, sizeof(path), "%s/mixed", top);
	assert_int_equal(results_open(&r, path, err, sizeof(err)), 0);
	assert_int_equal(results_runs(&r, "seq", &runs), 0);
	assert_int_equal(params_load(&r, "seq", &runs, &p, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "run-2/meta: block_size_bytes is 8192"));
	run_list_free(&runs);
	results_close(&r);
	/* nor a summary that disagrees with its runs */
	tree("mixed", "4096", "dioread_nolock", "fentry");
	snprintf(path, sizeof(path), "%s/mixed/summary.csv", top);
	put(path, SUMMARY_HEAD "seq,6.1.0-m,1,1,1,4096,2097152,-,fio-3.33,fentry,no\r\n");
	snprintf(path, sizeof(path), "%s/mixed", top);
	assert_int_equal(results_open(&r, path, err, sizeof(err)), 0);
	assert_int_equal(results_runs(&r, "seq", &runs), 0);
	assert_int_equal(params_load(&r, "seq", &runs, &p, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "size_bytes of seq is 2097152"));
	run_list_free(&runs);
	results_close(&r);
}

static void test_tiers(void **state)
{
	struct scenario_params pa, pb;
	struct run_list ra, rb;
	struct results a, b;
	char buf[256];

	load("a", &a, &ra, &pa);
	load("tp", &b, &rb, &pb);
	assert_string_equal(pa.tiers, "dio_submit=fentry split=fentry");
	assert_int_equal(params_tier_diff(&pa, &pb, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "split (fentry vs -)");
	assert_int_equal(params_tier_diff(&pa, &pa, buf, sizeof(buf)), 0);
	/* a target only one side traces counts too */
	snprintf(pb.tiers, sizeof(pb.tiers), "dio_submit=fentry split=fentry merge=kprobe");
	assert_int_equal(params_tier_diff(&pa, &pb, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "merge (absent vs kprobe)");
	assert_int_equal(params_tier_diff(&pb, &pa, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "merge (kprobe vs absent)");
	/* old summaries name one tier for all */
	snprintf(pb.tiers, sizeof(pb.tiers), "tracepoint");
	snprintf(pa.tiers, sizeof(pa.tiers), "fentry");
	assert_int_equal(params_tier_diff(&pa, &pb, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "fentry vs tracepoint");
	results_close(&a);
	results_close(&b);
	run_list_free(&ra);
	run_list_free(&rb);
}

/* Runs a command with its output in a file; its status. */
static int quietly(int (*cmd)(int, char **), int argc, char **argv,
		   const char *log)
{
	int out = dup(1), err = dup(2), fd, rc;

	fflush(stdout);
	fflush(stderr);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	optind = 0;
	rc = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	return rc;
}

static bool file_has(const char *path, const char *needle)
{
	char buf[8192];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strstr(buf, needle) != NULL;
}

static void test_compare_refuses(void **state)
{
	char a[512], b[512], out[512], log[600], csv[600];
	char *argv[] = { "compare", a, b, "-o", out, NULL };
	FILE *f;
	int lines = 0, c;

	snprintf(a, sizeof(a), "%s/a", top);
	snprintf(b, sizeof(b), "%s/bigger", top);
	snprintf(out, sizeof(out), "%s/out", top);
	snprintf(log, sizeof(log), "%s/compare.log", top);
	snprintf(csv, sizeof(csv), "%s/compare.csv", out);
	assert_int_equal(quietly(cmd_compare, 5, argv, log), 3);
	assert_true(file_has(log, "seq: refused: block_size_bytes differs: 4096 in"));
	/* nothing of the refused scenario is in compare.csv: its header only */
	f = fopen(csv, "r");
	assert_non_null(f);
	while ((c = fgetc(f)) != EOF)
		lines += c == '\n';
	fclose(f);
	assert_int_equal(lines, 1);
	/* tiers that differ are a warning, not a refusal */
	snprintf(b, sizeof(b), "%s/tp", top);
	assert_int_equal(quietly(cmd_compare, 5, argv, log), 0);
	assert_true(file_has(log, "attach tiers differ between A and B: split (fentry vs -)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_merges_observed),
		cmocka_unit_test(test_open_parent),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_inconsistent),
		cmocka_unit_test(test_tiers),
		cmocka_unit_test(test_compare_refuses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
