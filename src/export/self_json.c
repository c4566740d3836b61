// SPDX-License-Identifier: GPL-2.0
/* The self-accounting of live commands, and trace's closing summary. */
#include "util/json.h"
#include "event/names.h"
#include "event/stats.h"
#include "export/json.h"
#include "trace/prog_stats.h"
#include "trace/targets.h"

static struct json_object *cost(const struct prog_cost *c, bool timed,
				bool misses)
{
	struct json_object *o = json_object_new_object();

	json_put(o, "run_time_ns", timed ? json_u64(c->run_time_ns) : NULL);
	json_put(o, "runs", timed ? json_u64(c->runs) : NULL);
	json_put(o, "recursion_misses", misses ? json_u64(c->recursion_misses) : NULL);
	return o;
}

static struct json_object *programs(const struct prog_stats *ps, bool timed)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < ps->n; i++) {
		const struct prog_stat *p = &ps->p[i];
		struct json_object *o = cost(&p->c, timed, ps->misses_counted);

		json_put(o, "program", json_str(p->name));
		json_put(o, "target", p->target >= 0 ?
			 json_str(ds_targets[p->target].name) : NULL);
		json_put(o, "tier", json_str(tier_name(p->tier)));
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *self_account_json(const struct self_account *a)
{
	struct json_object *o = json_object_new_object();
	const struct prog_stats *ps = a->progs;
	bool timed = ps && a->stats && a->stats->mode != PROG_STATS_OFF;

	json_put(o, "lost_events", json_u64(a->lost_events));
	json_put(o, "kretprobe_missed", a->kretprobe_counted ?
		 json_u64(a->kretprobe_missed) : NULL);
	json_put(o, "bpf_stats", json_str(a->stats ?
		 prog_stats_mode_name(a->stats->mode) : "off"));
	if (!ps)
		return o;
	json_put(o, "bpf_recursion_misses", ps->misses_counted ?
		 json_u64(ps->total.recursion_misses) : NULL);
	json_put(o, "bpf_run_time_ns", timed ? json_u64(ps->total.run_time_ns) : NULL);
	json_put(o, "bpf_runs", timed ? json_u64(ps->total.runs) : NULL);
	json_put(o, "bpf_ns_per_io", timed && a->ios ?
		 json_num((double)ps->total.run_time_ns / a->ios) : NULL);
	json_put(o, "programs", programs(ps, timed));
	return o;
}

struct json_object *trace_summary_json(const struct event_stats *s,
				       const struct self_account *a)
{
	struct json_object *o = json_object_new_object();
	struct json_object *ev = json_object_new_object();
	struct json_object *tg = json_object_new_object();
	int i;

	json_put(o, "kind", json_str("summary"));
	json_put(o, "format", json_str(TRACE_JSON_FORMAT));
	json_put(o, "format_version", json_u64(DIOSCOPE_JSON_VERSION));
	for (i = 1; i < DS_EV_TYPE_MAX; i++)
		json_put(ev, event_type_name(i), json_u64(s->by_type[i]));
	json_put(o, "events", ev);
	json_put(o, "pre_io_splits", json_u64(s->pre_io));
	json_put(o, "conversions", json_u64(s->convert));
	json_put(o, "merges_done", json_u64(s->merges_done));
	for (i = 0; i < DS_T_MAX; i++) {
		struct json_object *t;

		if (!s->hist[i].count)
			continue;
		t = json_object_new_object();
		json_put(t, "calls", json_u64(s->hist[i].count));
		json_put(t, "mean_ns", json_num((double)s->hist[i].sum_ns /
						s->hist[i].count));
		json_put(tg, ds_targets[i].name, t);
	}
	json_put(o, "durations", tg);
	json_put(o, "self", self_account_json(a));
	return o;
}
