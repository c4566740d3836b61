// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>
#include "util/json.h"
#include "compare/json.h"

struct json_object *compare_json_new(void)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return NULL;
	json_put(doc, "format", json_str(COMPARE_JSON_FORMAT));
	json_put(doc, "format_version", json_u64(COMPARE_JSON_VERSION));
	json_put(doc, "kernels", json_object_new_array());
	json_put(doc, "rows", json_object_new_array());
	return doc;
}

static struct json_object *array(struct json_object *doc, const char *key)
{
	struct json_object *a = NULL;

	json_object_object_get_ex(doc, key, &a);
	return a;
}

void compare_json_kernel(struct json_object *doc, char letter,
			 const char *label, const char *results, bool emulated,
			 bool icount)
{
	struct json_object *k = json_object_new_object();
	char name[2] = { letter, '\0' };

	json_put(k, "letter", json_str(name));
	json_put(k, "kernel", json_str(label));
	json_put(k, "results", json_str(results));
	json_put(k, "emulated", json_object_new_boolean(emulated));
	json_put(k, "clock", json_str(icount ? "icount" : "wall"));
	json_object_array_add(array(doc, "kernels"), k);
}

static struct json_object *side(const char *kernel, const char *results,
				bool emulated, bool icount, double value)
{
	struct json_object *o = json_object_new_object();

	json_put(o, "kernel", json_str(kernel));
	json_put(o, "results", json_str(results));
	json_put(o, "emulated", json_object_new_boolean(emulated));
	json_put(o, "clock", json_str(icount ? "icount" : "wall"));
	json_put(o, "value", json_num(value));
	return o;
}

/* true, false (no difference, or noise), or null: undecided */
static struct json_object *significant(enum verdict v)
{
	if (v == VERDICT_UNTESTED || v == VERDICT_UNDECIDABLE)
		return NULL;
	return json_object_new_boolean(v == VERDICT_DIFFERENT);
}

static struct json_object *text(const char *s)
{
	return s && *s ? json_str(s) : NULL;
}

static struct json_object *runs(const struct decision *d)
{
	struct json_object *o = json_object_new_object();

	json_put(o, "runs_a", json_u64(d->a.n));
	json_put(o, "runs_b", json_u64(d->b.n));
	json_put(o, "spread_a_pct", json_num(d->a.spread_pct));
	json_put(o, "spread_b_pct", json_num(d->b.spread_pct));
	json_put(o, "noise_pct", json_num(d->noise_pct));
	json_put(o, "noise_abs", json_num(d->noise_abs));
	json_put(o, "test", text(run_test_name(d->test)));
	json_put(o, "kind_limit", json_num(d->limit));
	json_put(o, "t", json_num(d->t));
	json_put(o, "df", json_num(d->df));
	json_put(o, "p", json_num(d->p));
	json_put(o, "p_holm", json_num(d->p_holm));
	return o;
}

void compare_json_row(struct json_object *doc, const struct compare_row *r)
{
	struct json_object *o = json_object_new_object();

	json_put(o, "scenario", json_str(r->scenario));
	/* the metric is summary.csv's column: its name carries the unit */
	json_put(o, "metric", json_str(r->metric));
	json_put(o, "unit", json_str(r->unit));
	json_put(o, "a", side(r->kernel_a, r->results_a, r->emulated_a,
			      r->icount_a, r->value_a));
	json_put(o, "b", side(r->kernel_b, r->results_b, r->emulated_b,
			      r->icount_b, r->value_b));
	json_put(o, "diff_pct", json_num(r->diff_pct));
	json_put(o, "ci_lo_pct", json_num(r->ci_lo_pct));
	json_put(o, "ci_hi_pct", json_num(r->ci_hi_pct));
	json_put(o, "diff_abs", json_num(r->diff_abs));
	json_put(o, "ci_lo_abs", json_num(r->ci_lo_abs));
	json_put(o, "ci_hi_abs", json_num(r->ci_hi_abs));
	json_put(o, "runs", runs(&r->dec));
	json_put(o, "verdict", text(verdict_name(r->dec.v)));
	json_put(o, "significant", significant(r->dec.v));
	json_put(o, "p_ios", json_num(r->p_ios));
	json_put(o, "test_ios", text(r->test));
	json_put(o, "note", text(compare_note_text(r->note)));
	json_object_array_add(array(doc, "rows"), o);
}

int compare_json_finish(struct json_object *doc,
			const struct compare_json_totals *t, const char *path)
{
	struct json_object *o = json_object_new_object();
	int err;

	json_put(o, "compared", json_u64(t->compared));
	json_put(o, "significant", json_u64(t->significant));
	json_put(o, "noise", json_u64(t->noise));
	json_put(o, "not_decidable", json_u64(t->undecidable));
	json_put(o, "min_runs", json_u64(VERDICT_MIN_RUNS));
	json_put(o, "refused_scenarios", json_u64(t->refused));
	json_put(o, "skipped_scenarios", json_u64(t->skipped));
	json_put(o, "bootstrap_resamples", json_u64(t->reps));
	json_put(o, "bootstrap_seed", json_u64(t->seed));
	json_put(o, "confidence", json_num(t->conf));
	json_put(o, "alpha", json_num(t->alpha));
	json_put(doc, "totals", o);
	err = json_write_file(doc, path);
	json_object_put(doc);
	return err;
}
