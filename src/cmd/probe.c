// SPDX-License-Identifier: GPL-2.0
/*
 * dioscope probe: can this kernel be traced, and how? Loads and attaches
 * everything the planner picks (a plan that is not tried proves nothing),
 * then prints the outcome per target.
 */
#include <stdio.h>
#include <string.h>
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "util/csv.h"
#include "util/json.h"
#include "util/macros.h"
#include "export/json.h"

static void print_csv(const struct tracer *t)
{
	struct csv_row r;
	int i;

	csv_header(stdout, "target,symbol,tier,detail");
	for (i = 0; i < DS_T_MAX; i++) {
		csv_begin(&r, stdout);
		csv_str(&r, ds_targets[i].name);
		csv_str(&r, t->kf.t[i].sym == SYM_RENAMED ?
			t->kf.t[i].sym_name : ds_targets[i].symbol);
		csv_str(&r, tier_name(t->plan.t[i].tier));
		csv_str(&r, t->plan.t[i].detail);
		csv_end(&r);
	}
}

static void print_json(const struct tracer *t)
{
	struct json_object *doc = probe_json(t);

	if (!doc) {
		ds_err("out of memory");
		return;
	}
	if (json_write_line(doc, stdout))
		ds_err("writing: %m");
	json_object_put(doc);
}

/* Where a boundary between two extents can go away, and who sees it. */
static const struct {
	enum ds_target target;
	const char *what;
} merge_sites[] = {
	{ DS_T_MERGE_RIGHT, "pairs merged in the tree (ext4_ext_try_to_merge)" },
	{ DS_T_INSERT, "a neighbour extended in place at insertion (append/prepend)" },
};

static void print_merge_sites(const struct tracer *t)
{
	size_t i;

	printf("\nmerge sites (fentry and kprobe see every call, the tracepoints only\n"
	       "where patches/ added them):\n");
	for (i = 0; i < ARRAY_SIZE(merge_sites); i++) {
		enum ds_tier tier = t->plan.t[merge_sites[i].target].tier;

		printf("  %-28s %-11s %s\n",
		       ds_targets[merge_sites[i].target].symbol,
		       tier ? tier_name(tier) : "not seen", merge_sites[i].what);
	}
}

static void print_table(const struct tracer *t)
{
	const struct kernel_facts *kf = &t->kf;
	int i;

	printf("kernel    %s\n", kf->release);
	printf("BTF       %s%s%s\n", kf->has_btf ? "yes" : "no",
	       kf->custom_btf ? ", CO-RE from " : "",
	       kf->custom_btf ? kf->custom_btf : "");
	printf("DIO path  %s\n", dio_path_name(kf));
	printf("kprobes   %s\n", kf->kprobes ? "yes" : "not built in");
	printf("tracefs   %s\n", kf->tracefs ? kf->tracefs_path : "none");
	printf("preempt   %s (%s): %s\n\n", preempt_model_name(kf->preempt.model),
	       kf->preempt.source, kf->preempt.bpf_reentrant ?
	       "a fentry program preempted on its CPU can be entered again there, and skips that call" :
	       "a fentry program runs to its end before another task runs on its CPU");
	printf("%-14s %-32s %-11s %s\n", "TARGET", "FUNCTION", "TIER",
	       "DETAIL");
	for (i = 0; i < DS_T_MAX; i++) {
		const struct target_plan *tp = &t->plan.t[i];

		printf("%-14s %-32s %-11s %s\n", ds_targets[i].name,
		       kf->t[i].sym == SYM_RENAMED ? kf->t[i].sym_name :
		       ds_targets[i].symbol,
		       tp->tier ? tier_name(tp->tier) : "not covered",
		       tp->detail);
	}
	print_merge_sites(t);
	printf("\n%d of %d targets covered\n", t->plan.covered, DS_T_MAX);
	if (t->plan.t[DS_T_SPLIT].tier == DS_TIER_NONE ||
	    t->plan.t[DS_T_MERGE_RIGHT].tier == DS_TIER_NONE ||
	    t->plan.t[DS_T_INSERT].tier == DS_TIER_NONE)
		printf("extent merges and splits are not observed here: they need fentry, kprobes,\n"
		       "or the tracepoints of patches/ (PRE_IO splits and conversions are still\n"
		       "seen through ext4_ext_map_blocks)\n");
}

int cmd_probe(int argc, char **argv)
{
	struct tracer_opts o = { 0 };
	bool csv = false, json = false;
	const struct ds_opt opts[] = {
		OPT_FLAG(0, "csv", &csv, "print target,symbol,tier,detail rows"),
		OPT_FLAG(0, "json", &json,
			 "print the same as one JSON document (null: not covered)"),
		OPT_TRACE_TIER(&o),
		OPT_TRACE_BTF(&o),
		OPT_TRACE_VERBOSE(&o),
		OPT_END(),
	};
	const struct ds_cmd cmd = {
		.name = "probe", .usage = "[--csv | --json] [--tier T] [--btf FILE] [-v]",
		.opts = opts,
		.about =
"Shows the kernel release, whether it has BTF, its direct-IO path (iomap\n"
"or legacy), and for every traced function the attach tier that loads\n"
"here, or why it is not covered. Exit status 0 if anything can be traced.",
	};
	struct tracer t;
	int rc;

	rc = opt_parse(&cmd, argc, argv);
	if (rc < 1)
		return opt_exit(rc);
	if (csv && json) {
		ds_err("--csv and --json exclude each other");
		return 2;
	}
	rc = cli_tracer_open(&t, &o);
	/* with nothing traceable the plan still says why: show it */
	if (rc && !t.plan.covered && t.kf.release[0])
		rc = 1;
	else if (rc)
		return rc;
	if (json)
		print_json(&t);
	else if (csv)
		print_csv(&t);
	else
		print_table(&t);
	tracer_close(&t);
	return rc;
}
