// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "run/meta.h"
#include "util/atomic_file.h"
#include "trace/tracer.h"
#include "trace/prog_stats.h"
#include "util/fileio.h"

static int grow(struct meta *m)
{
	int cap = m->cap ? m->cap * 2 : 64;
	char **k, **v;
	unsigned int *l;

	k = realloc(m->key, cap * sizeof(*k));
	if (!k)
		return -ENOMEM;
	m->key = k;
	v = realloc(m->val, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	m->val = v;
	l = realloc(m->line, cap * sizeof(*l));
	if (!l)
		return -ENOMEM;
	m->line = l;
	m->cap = cap;
	return 0;
}

static int find(const struct meta *m, const char *key)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->key[i], key))
			return i;
	return -1;
}

/* No limit on the number of keys: a key dropped is a value misread. */
static int set_line(struct meta *m, const char *key, const char *val,
		    unsigned int line)
{
	int i = find(m, key);
	char *v = strdup(val), *k;

	if (!v)
		return -ENOMEM;
	if (i >= 0) {
		free(m->val[i]);
		m->val[i] = v;
		m->line[i] = line;
		return 0;
	}
	k = strdup(key);
	if (!k || (m->n == m->cap && grow(m))) {
		free(k);
		free(v);
		return -ENOMEM;
	}
	m->key[m->n] = k;
	m->val[m->n] = v;
	m->line[m->n] = line;
	m->n++;
	return 0;
}

void meta_set(struct meta *m, const char *key, const char *fmt, ...)
{
	char buf[1024], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* one line per key: newlines in values would break the format */
	for (p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	set_line(m, key, buf, 0);
}

const char *meta_get(const struct meta *m, const char *key)
{
	int i = find(m, key);

	return i < 0 ? NULL : m->val[i];
}

void meta_where(const struct meta *m, const char *key, char *buf, size_t len)
{
	int i = find(m, key);

	if (i < 0)
		snprintf(buf, len, "%s: %s", m->path ? m->path : "meta", key);
	else
		snprintf(buf, len, "%s:%u: %s=%s", m->path ? m->path : "meta",
			 m->line[i], key, m->val[i]);
}

int meta_get_u64(const struct meta *m, const char *key, __u64 *v)
{
	const char *s = meta_get(m, key), *p;
	__u64 x = 0;

	if (!s)
		return -ENOENT;
	/* decimal digits only: no sign, no base prefix, no blanks */
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (x > (~0ULL - (*p - '0')) / 10)
			break;
		x = x * 10 + (*p - '0');
	}
	if (p == s || *p)
		return -EINVAL;
	*v = x;
	return 0;
}

int meta_need_u64(struct meta *m, const char *key, __u64 dflt, __u64 *v)
{
	char where[400];
	int err = meta_get_u64(m, key, v);

	if (err == -ENOENT) {
		*v = dflt;
		return 0;
	}
	if (err) {
		meta_where(m, key, where, sizeof(where));
		snprintf(m->error, sizeof(m->error),
			 "%s: not a non-negative decimal number", where);
	}
	return err;
}

int meta_write(const struct meta *m, const char *path)
{
	struct atomic_file af;
	int i, err;

	/* a reader never sees half a meta, and it survives a crash */
	err = atomic_open(&af, path);
	if (err)
		return err;
	for (i = 0; i < m->n; i++)
		fprintf(af.f, "%s=%s\n", m->key[i], m->val[i] ? m->val[i] : "");
	return atomic_commit(&af, true);
}

static int bad(struct meta *m, unsigned int line, const char *why)
{
	snprintf(m->error, sizeof(m->error), "%s:%u: %s", m->path, line, why);
	return -EINVAL;
}

static int parse_line(struct meta *m, char *line, ssize_t len,
		      unsigned int no)
{
	const char *p;
	char *eq;

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	if ((ssize_t)strlen(line) != len)
		return bad(m, no, "a NUL byte: not a meta file");
	if (strchr(line, '\r'))
		return bad(m, no, "a carriage return (CRLF line endings?): write meta with LF endings");
	if (!line[0] || line[0] == '#')
		return 0;
	/* a value reaches terminals: no escape sequence, no forged line */
	for (p = line; *p; p++)
		if ((unsigned char)*p < 0x20 ? *p != '\t' : *p == 0x7f)
			return bad(m, no, "a control character: refused");
	eq = strchr(line, '=');
	if (!eq || eq == line)
		return bad(m, no, "not a key=value line");
	*eq = '\0';
	if (find(m, line) >= 0)
		return bad(m, no, "a key given twice");
	if (set_line(m, line, eq + 1, no))
		return -ENOMEM;
	return 0;
}

int meta_read(struct meta *m, const char *path)
{
	unsigned int no = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int err = 0;

	memset(m, 0, sizeof(*m));
	m->path = strdup(path);
	if (!m->path)
		return -ENOMEM;
	f = fopen_regular(path, m->error, sizeof(m->error));
	if (!f) {
		err = -errno;
		free(m->path);
		m->path = NULL;
		return err;
	}
	while (!err && (len = getline(&line, &cap, f)) >= 0)
		err = parse_line(m, line, len, ++no);
	if (!err && ferror(f))
		err = -EIO;
	if (err == -EIO || err == -ENOMEM)
		snprintf(m->error, sizeof(m->error), "%s: %s", path,
			 strerror(-err));
	free(line);
	fclose(f);
	if (err) {
		char keep[sizeof(m->error)];

		memcpy(keep, m->error, sizeof(keep));
		meta_free(m);
		memcpy(m->error, keep, sizeof(keep));
	}
	return err;
}

void meta_free(struct meta *m)
{
	int i;

	for (i = 0; i < m->n; i++) {
		free(m->key[i]);
		free(m->val[i]);
	}
	free(m->key);
	free(m->val);
	free(m->line);
	free(m->path);
	m->key = m->val = NULL;
	m->line = NULL;
	m->path = NULL;
	m->n = m->cap = 0;
}

void meta_add_filters(struct meta *m, const struct filters *f)
{
	if (f->tgid)
		meta_set(m, "filter_tgid", "%u", f->tgid);
	if (f->comm[0])
		meta_set(m, "filter_comm", "%.*s", DS_COMM_LEN, f->comm);
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
	/* whether the events' offcpu_ns were measured, and if not why */
	meta_set(m, "offcpu", "%s", t->offcpu ? "sched_switch" : "no");
	if (!t->offcpu)
		meta_set(m, "offcpu_why", "%s", t->offcpu_why);
	/* why the plan took kprobe for functions fentry could trace */
	meta_set(m, "preemption", "%s", preempt_model_name(t->kf.preempt.model));
	meta_set(m, "preemption_source", "%s", t->kf.preempt.source);
	/* events came in per-CPU batches of up to this many (dioscope.h) */
	if (t->batch)
		meta_set(m, "event_batches", "%d", DS_BATCH_MAX);
	else
		meta_set(m, "event_batches", "no");
	/* the tracepoint tier's IOs came as one record each (--io-records) */
	meta_set(m, "io_records", "%s", t->io_records ? "yes" : "no");
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
	/* not in the sums: it runs on every switch, whoever does the IO */
	if (!strcmp(meta_get(m, "offcpu") ?: "", "sched_switch"))
		cost_keys(m, ".sched_switch", &s->offcpu, timed,
			  s->misses_counted);
	/* not in the sums either: run by the reader, per CPU, not per IO */
	if (strcmp(meta_get(m, "event_batches") ?: "no", "no"))
		cost_keys(m, ".batch_flush", &s->batch, timed,
			  s->misses_counted);
	/* nor this: it runs as tasks exit */
	if (s->reaper_on)
		cost_keys(m, ".task_exit", &s->reaper, timed,
			  s->misses_counted);
}
