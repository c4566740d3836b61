// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "run/meta.h"
#include "trace/tracer.h"
#include "trace/prog_stats.h"

void meta_set(struct meta *m, const char *key, const char *fmt, ...)
{
	char buf[1024], *p;
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* one line per key: newlines in values would break the format */
	for (p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	for (i = 0; i < m->n; i++) {
		if (!strcmp(m->key[i], key)) {
			free(m->val[i]);
			m->val[i] = strdup(buf);
			return;
		}
	}
	if (m->n >= META_MAX)
		return;
	m->key[m->n] = strdup(key);
	m->val[m->n] = strdup(buf);
	m->n++;
}

const char *meta_get(const struct meta *m, const char *key)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->key[i], key))
			return m->val[i];
	return NULL;
}

int meta_write(const struct meta *m, const char *path)
{
	char tmp[4096];
	FILE *f;
	int i;

	/* written aside and renamed: a reader never sees half a file */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	for (i = 0; i < m->n; i++)
		fprintf(f, "%s=%s\n", m->key[i], m->val[i] ? m->val[i] : "");
	if (fclose(f))
		return -errno;
	if (rename(tmp, path))
		return -errno;
	return 0;
}

int meta_read(struct meta *m, const char *path)
{
	char line[2048], *eq, *nl;
	FILE *f = fopen(path, "r");

	memset(m, 0, sizeof(*m));
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq || eq == line) {
			fclose(f);
			meta_free(m);
			return -EINVAL;
		}
		*eq = '\0';
		meta_set(m, line, "%s", eq + 1);
	}
	fclose(f);
	return 0;
}

void meta_free(struct meta *m)
{
	int i;

	for (i = 0; i < m->n; i++) {
		free(m->key[i]);
		free(m->val[i]);
	}
	m->n = 0;
}

void meta_add_kernel(struct meta *m, const struct tracer *t)
{
	char digest[64];
	int i;

	kernel_config_digest(t->kf.release, digest, sizeof(digest));
	meta_set(m, "kernel_release", "%s", t->kf.release);
	meta_set(m, "kernel_config_digest", "%s", digest);
	meta_set(m, "btf", "%s", t->kf.has_btf ? "yes" : "no");
	if (t->kf.custom_btf)
		meta_set(m, "btf_custom", "%s", t->kf.custom_btf);
	meta_set(m, "dio_path", "%s", dio_path_name(&t->kf));
	for (i = 0; i < DS_T_MAX; i++) {
		char key[64];

		snprintf(key, sizeof(key), "tier.%s", ds_targets[i].name);
		meta_set(m, key, "%s", tier_name(t->plan.t[i].tier));
	}
}

static void cost_keys(struct meta *m, const char *suffix,
		      const struct prog_cost *c, bool timed, bool misses)
{
	char key[96];

	snprintf(key, sizeof(key), "bpf_run_time_ns%s", suffix);
	if (timed)
		meta_set(m, key, "%llu", (unsigned long long)c->run_time_ns);
	else
		meta_set(m, key, "unknown");
	snprintf(key, sizeof(key), "bpf_runs%s", suffix);
	if (timed)
		meta_set(m, key, "%llu", (unsigned long long)c->runs);
	else
		meta_set(m, key, "unknown");
	snprintf(key, sizeof(key), "bpf_recursion_misses%s", suffix);
	if (misses)
		meta_set(m, key, "%llu",
			 (unsigned long long)c->recursion_misses);
	else
		meta_set(m, key, "unknown");
}

void meta_add_prog_stats(struct meta *m, const struct prog_stats *s,
			 const struct prog_stats_switch *sw)
{
	bool timed = sw->mode != PROG_STATS_OFF;
	bool owned[DS_T_MAX] = { false };
	char suffix[64];
	int i;

	meta_set(m, "bpf_stats", "%s", prog_stats_mode_name(sw->mode));
	meta_set(m, "bpf_stats_how", "%s", sw->why);
	meta_set(m, "bpf_programs", "%d", s->n);
	cost_keys(m, "", &s->total, timed, s->misses_counted);
	for (i = 0; i < s->n; i++)
		if (s->p[i].target >= 0 && s->p[i].target < DS_T_MAX)
			owned[s->p[i].target] = true;
	for (i = 0; i < DS_T_MAX; i++) {
		if (!owned[i])
			continue;
		snprintf(suffix, sizeof(suffix), ".%s", ds_targets[i].name);
		cost_keys(m, suffix, &s->target[i], timed, s->misses_counted);
	}
}
