// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "compare/params.h"
#include "run/meta.h"
#include "run/summary.h"
#include "run/tree.h"

const char *const scenario_param_names[SP_MAX] = {
	[SP_BLOCK_SIZE] = "block_size_bytes",
	[SP_SIZE] = "size_bytes",
	[SP_MOUNT] = "mount_options",
	[SP_FIO] = "fio_version",
	[SP_MKFS] = "mkfs_options",
	/* 5 s against 3600 s is not the same workload */
	[SP_RUNTIME] = "runtime_s",
	/* fio's latency against the kernel's is not one measure */
	[SP_LATENCY] = "latency_source",
};

/* summary.csv writes "-" for what it did not know; meta writes "-" for "none" */
static bool known(const char *v, bool dash_unknown)
{
	return v && *v && !(dash_unknown && !strcmp(v, "-"));
}

static void meta_tiers(const struct meta *m, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < m->n && used < len; i++)
		if (!strncmp(m->key[i], "tier.", 5))
			used += snprintf(buf + used, len - used, "%s%s=%s",
					 used ? " " : "", m->key[i] + 5, m->val[i]);
}

/* The first run's meta sets a value; every later run must say the same. */
static int agree(char *have, size_t hlen, const char *v, bool dash_unknown,
		 const char *what, const char *dir, char *why, size_t len)
{
	if (!known(v, dash_unknown))
		return 0;
	if (!have[0]) {
		snprintf(have, hlen, "%s", v);
		return 0;
	}
	if (!strcmp(have, v))
		return 0;
	snprintf(why, len, "%s/meta: %s is %s where an earlier run has %s",
		 dir, what, v, have);
	return -EINVAL;
}

static int load_run(const char *dir, struct scenario_params *p,
		    char *why, size_t len)
{
	char path[PATH_MAX + 16], tiers[sizeof(p->tiers)];
	struct meta m;
	int i, err = 0;

	tree_path(path, sizeof(path), dir, RUN_META);
	/* a run without meta says nothing; the summary still may */
	if (meta_read(&m, path))
		return 0;
	for (i = 0; i < SP_MAX && !err; i++)
		err = agree(p->val[i], sizeof(p->val[i]),
			    meta_get(&m, scenario_param_names[i]), false,
			    scenario_param_names[i], dir, why, len);
	meta_tiers(&m, tiers, sizeof(tiers));
	if (!err && !p->tiers[0])
		snprintf(p->tiers, sizeof(p->tiers), "%s", tiers);
	meta_free(&m);
	return err;
}

int params_load(const struct results *r, const char *scenario,
		const struct run_list *runs, struct scenario_params *p,
		char *why, size_t len)
{
	const char *v;
	size_t k;
	int i, err;

	memset(p, 0, sizeof(*p));
	for (k = 0; k < runs->n; k++) {
		err = load_run(runs->dir[k], p, why, len);
		if (err)
			return err;
	}
	/* the summary row must agree with the runs it sums up */
	for (i = 0; i < SP_MAX; i++) {
		v = results_get(r, scenario, scenario_param_names[i]);
		/* summaries from before the column held fio's latency or none */
		if (i == SP_LATENCY && !v)
			v = SUMMARY_LAT_FIO;
		err = agree(p->val[i], sizeof(p->val[i]), v, true,
			    scenario_param_names[i], r->dir, why, len);
		if (err) {
			snprintf(why, len, "%s/summary.csv: %s of %s is %s, its runs' meta says %s",
				 r->dir, scenario_param_names[i], scenario, v, p->val[i]);
			return err;
		}
	}
	v = results_get(r, scenario, "tiers");
	if (!p->tiers[0] && known(v, true))
		snprintf(p->tiers, sizeof(p->tiers), "%s", v);
	return 0;
}

static void add_word(char *buf, size_t len, const char *w)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? " " : "", w);
}

int params_match(const struct scenario_params *a, const char *an,
		 const struct scenario_params *b, const char *bn,
		 char *why, size_t len, char *unknown, size_t ulen)
{
	int i;

	unknown[0] = '\0';
	for (i = 0; i < SP_MAX; i++) {
		const char *x = a->val[i], *y = b->val[i];

		if (!*x || !*y) {
			add_word(unknown, ulen, scenario_param_names[i]);
			continue;
		}
		if (strcmp(x, y)) {
			snprintf(why, len, "%s differs: %s in %s, %s in %s",
				 scenario_param_names[i], x, an, y, bn);
			return -1;
		}
	}
	return 0;
}

/* The tier of target in a "target=tier ..." list, into out; "" if absent. */
static void tier_of(const char *list, const char *target, size_t tlen,
		    char *out, size_t len)
{
	const char *p = list;

	out[0] = '\0';
	while (*p) {
		const char *end = strchr(p, ' ');
		size_t wlen = end ? (size_t)(end - p) : strlen(p);

		if (wlen > tlen && !strncmp(p, target, tlen) && p[tlen] == '=') {
			snprintf(out, len, "%.*s", (int)(wlen - tlen - 1), p + tlen + 1);
			return;
		}
		p += wlen;
		while (*p == ' ')
			p++;
	}
}

/* Adds the targets of list x whose tier in y differs, "target (x vs y)". */
static int tier_walk(const char *x, const char *y, bool swap, char *buf,
		     size_t len, int n)
{
	const char *p = x;
	size_t used = strlen(buf);

	while (*p) {
		const char *eq = strchr(p, '='), *end = strchr(p, ' ');
		char tx[64], ty[64];

		if (!eq || (end && end < eq))
			break;
		tier_of(x, p, eq - p, tx, sizeof(tx));
		tier_of(y, p, eq - p, ty, sizeof(ty));
		/* what both name is reported once, from a's side */
		if (strcmp(tx, ty) && !(swap && *ty) && used < len) {
			used += snprintf(buf + used, len - used, "%s%.*s (%s vs %s)",
					 n ? ", " : "", (int)(eq - p), p,
					 swap ? "absent" : tx,
					 swap ? tx : *ty ? ty : "absent");
			n++;
		}
		p = end ? end + 1 : p + strlen(p);
	}
	return n;
}

int params_tier_diff(const struct scenario_params *a,
		     const struct scenario_params *b, char *buf, size_t len)
{
	int n;

	buf[0] = '\0';
	/* summaries of old trees name one tier for all targets */
	if (!strchr(a->tiers, '=') || !strchr(b->tiers, '=')) {
		if (!strcmp(a->tiers, b->tiers))
			return 0;
		snprintf(buf, len, "%s vs %s", *a->tiers ? a->tiers : "?",
			 *b->tiers ? b->tiers : "?");
		return 1;
	}
	n = tier_walk(a->tiers, b->tiers, false, buf, len, 0);
	return tier_walk(b->tiers, a->tiers, true, buf, len, n);
}
