// SPDX-License-Identifier: GPL-2.0
#include "util/json.h"
#include "event/names.h"
#include "export/json.h"
#include "trace/tracer.h"

static struct json_object *target(const struct tracer *t, int i)
{
	const struct target_plan *tp = &t->plan.t[i];
	const struct target_facts *tf = &t->kf.t[i];
	struct json_object *o = json_object_new_object();

	json_put(o, "target", json_str(ds_targets[i].name));
	json_put(o, "symbol", json_str(ds_targets[i].symbol));
	/* a compiler clone is attached by the name kallsyms has */
	json_put(o, "attach_symbol", json_str(tf->sym == SYM_RENAMED ?
					     tf->sym_name : ds_targets[i].symbol));
	json_put(o, "covered", json_object_new_boolean(tp->tier != DS_TIER_NONE));
	json_put(o, "tier", tp->tier ? json_str(tier_name(tp->tier)) : NULL);
	json_put(o, "detail", json_str(tp->detail));
	json_put(o, "legacy_path", json_object_new_boolean(ds_targets[i].legacy));
	return o;
}

struct json_object *probe_json(const struct tracer *t)
{
	const struct kernel_facts *kf = &t->kf;
	struct json_object *o = json_object_new_object();
	struct json_object *list = json_object_new_array();
	int i;

	if (!o || !list)
		return NULL;
	json_put(o, "format", json_str(PROBE_JSON_FORMAT));
	json_put(o, "format_version", json_u64(DIOSCOPE_JSON_VERSION));
	json_put(o, "kernel_release", json_str(kf->release));
	json_put(o, "btf", json_object_new_boolean(kf->has_btf));
	json_put(o, "btf_custom", json_str(kf->custom_btf));
	json_put(o, "dio_path", json_str(dio_path_name(kf)));
	json_put(o, "kprobes", json_object_new_boolean(kf->kprobes));
	json_put(o, "tracefs", kf->tracefs ? json_str(kf->tracefs_path) : NULL);
	json_put(o, "preemption", json_str(preempt_model_name(kf->preempt.model)));
	json_put(o, "preemption_source", json_str(kf->preempt.source));
	json_put(o, "fentry_reentrant",
		 json_object_new_boolean(kf->preempt.bpf_reentrant));
	for (i = 0; i < DS_T_MAX; i++)
		json_object_array_add(list, target(t, i));
	json_put(o, "targets", list);
	json_put(o, "targets_covered", json_u64(t->plan.covered));
	json_put(o, "targets_total", json_u64(DS_T_MAX));
	json_put(o, "merges_observed", json_object_new_boolean(
		t->plan.t[DS_T_SPLIT].tier != DS_TIER_NONE &&
		t->plan.t[DS_T_MERGE_RIGHT].tier != DS_TIER_NONE));
	return o;
}
