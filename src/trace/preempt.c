// SPDX-License-Identifier: GPL-2.0
/*
 * Can a trampoline program be entered twice on one CPU? The trampoline
 * runs fentry/fexit programs under migrate_disable(), not with preemption
 * off (kernel/bpf/trampoline.c, __bpf_prog_enter_recur), and counts a
 * second entry of a program already running on the CPU as a recursion
 * miss instead of running it. Whether the task running it can be
 * preempted depends on the preemption model: with full, lazy or RT
 * preemption it can be, anywhere in kernel code; with none or voluntary
 * only where the kernel calls the scheduler, never inside a program.
 * Before 5.11, migrate_disable() was preempt_disable() on kernels without
 * PREEMPT_RT (include/linux/preempt.h; "sched: Make migrate_disable/
 * enable() independent of RT", 5.11).
 *
 * The model, from the most to the least direct source:
 * 1. /sys/kernel/debug/sched/preempt (kernel/sched/debug.c, kernels with
 *    CONFIG_PREEMPT_DYNAMIC): the modes offered, the current one in
 *    parentheses ("full (lazy)" on Debian's 7.3); it can be written at
 *    run time, so it is the only source of the mode in force. Read only
 *    where debugfs is mounted.
 * 2. The kernel configuration (/proc/config.gz, /boot/config-RELEASE):
 *    the "Preemption Model" choice of kernel/Kconfig.preempt
 *    (CONFIG_PREEMPT_NONE, _VOLUNTARY, CONFIG_PREEMPT, _LAZY, _RT). With
 *    CONFIG_PREEMPT_DYNAMIC that choice is only the default, and
 *    preempt= on the kernel command line (/proc/cmdline; kernel/sched/
 *    core.c, setup_preempt_mode) overrides it at boot.
 * 3. uname -v: init/Makefile writes PREEMPT, PREEMPT_DYNAMIC or
 *    PREEMPT_RT into the version of a preemptible build, nothing into
 *    that of a none or voluntary one.
 * The kernel's BTF describes types, not the mode a kernel was built or
 * booted with, so it is no source here.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>
#include "trace/preempt.h"
#include "util/macros.h"

static const char *const model_names[] = {
	[PREEMPT_MODEL_UNKNOWN] = "unknown",
	[PREEMPT_MODEL_NONE] = "none",
	[PREEMPT_MODEL_VOLUNTARY] = "voluntary",
	[PREEMPT_MODEL_FULL] = "full",
	[PREEMPT_MODEL_LAZY] = "lazy",
	[PREEMPT_MODEL_RT] = "rt",
};

const char *preempt_model_name(enum preempt_model m)
{
	return m <= PREEMPT_MODEL_RT ? model_names[m] : "?";
}

/* A mode's name as debugfs and preempt= spell it, n bytes of s. */
static enum preempt_model model_of(const char *s, size_t n)
{
	int m;

	for (m = PREEMPT_MODEL_NONE; m <= PREEMPT_MODEL_LAZY; m++)
		if (strlen(model_names[m]) == n && !strncmp(s, model_names[m], n))
			return m;
	return PREEMPT_MODEL_UNKNOWN;
}

enum preempt_model preempt_parse_debugfs(const char *text)
{
	const char *open, *close;

	if (!text)
		return PREEMPT_MODEL_UNKNOWN;
	open = strchr(text, '(');
	close = open ? strchr(open, ')') : NULL;
	if (!close)
		return PREEMPT_MODEL_UNKNOWN;
	return model_of(open + 1, close - open - 1);
}

enum preempt_model preempt_parse_cmdline(const char *cmdline)
{
	enum preempt_model m = PREEMPT_MODEL_UNKNOWN;
	const char *p = cmdline;
	size_t n;

	/* the last one counts, as for any early parameter given twice */
	while (p && (p = strstr(p, "preempt="))) {
		if (p == cmdline || p[-1] == ' ') {
			p += strlen("preempt=");
			n = strcspn(p, " \n");
			m = model_of(p, n);
		} else {
			p++;
		}
	}
	return m;
}

static bool config_set(const char *line, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(line, key, n) && !strncmp(line + n, "=y", 2) &&
	       (line[n + 2] == '\0' || line[n + 2] == '\n');
}

void preempt_config_line(struct preempt_config *c, const char *line)
{
	static const struct {
		const char *key;
		enum preempt_model model;
	} choice[] = {
		{ "CONFIG_PREEMPT_NONE", PREEMPT_MODEL_NONE },
		{ "CONFIG_PREEMPT_VOLUNTARY", PREEMPT_MODEL_VOLUNTARY },
		{ "CONFIG_PREEMPT", PREEMPT_MODEL_FULL },
		{ "CONFIG_PREEMPT_LAZY", PREEMPT_MODEL_LAZY },
		{ "CONFIG_PREEMPT_RT", PREEMPT_MODEL_RT },
	};
	size_t i;

	if (config_set(line, "CONFIG_PREEMPT_DYNAMIC"))
		c->dynamic = true;
	if (config_set(line, "CONFIG_PREEMPT_RT"))
		c->rt = true;
	for (i = 0; i < ARRAY_SIZE(choice); i++)
		if (config_set(line, choice[i].key))
			c->model = choice[i].model;
}

/* The mode of a PREEMPT_DYNAMIC kernel without debugfs: preempt= or dflt. */
static enum preempt_model boot_mode(const char *cmdline,
				    enum preempt_model dflt, bool *from_cmdline)
{
	enum preempt_model m = preempt_parse_cmdline(cmdline);

	*from_cmdline = m != PREEMPT_MODEL_UNKNOWN;
	return *from_cmdline ? m : dflt;
}

static void from_config(const struct preempt_inputs *in,
			struct preempt_facts *pf)
{
	const struct preempt_config *c = in->config;
	bool cmd = false;

	pf->model = c->dynamic ? boot_mode(in->cmdline, c->model, &cmd) : c->model;
	if (cmd)
		snprintf(pf->source, sizeof(pf->source),
			 "preempt=%s on the kernel command line (CONFIG_PREEMPT_DYNAMIC in %s)",
			 preempt_model_name(pf->model), c->path);
	else
		snprintf(pf->source, sizeof(pf->source), "%s%s in %s",
			 c->model == PREEMPT_MODEL_FULL ? "CONFIG_PREEMPT" :
			 c->model == PREEMPT_MODEL_NONE ? "CONFIG_PREEMPT_NONE" :
			 c->model == PREEMPT_MODEL_VOLUNTARY ? "CONFIG_PREEMPT_VOLUNTARY" :
			 c->model == PREEMPT_MODEL_LAZY ? "CONFIG_PREEMPT_LAZY" :
			 c->model == PREEMPT_MODEL_RT ? "CONFIG_PREEMPT_RT" :
			 "no preemption model",
			 c->dynamic ? " (the boot default of CONFIG_PREEMPT_DYNAMIC)" : "",
			 c->path);
	/* an RT kernel preempts in its lazy mode too */
	if (c->rt)
		pf->model = PREEMPT_MODEL_RT;
}

static bool has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = s; (p = strstr(p, word)); p += n)
		if ((p == s || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static void from_version(const struct preempt_inputs *in,
			 struct preempt_facts *pf)
{
	bool cmd = false;

	if (has_word(in->version, "PREEMPT_RT")) {
		pf->model = PREEMPT_MODEL_RT;
		snprintf(pf->source, sizeof(pf->source), "PREEMPT_RT in uname -v");
	} else if (has_word(in->version, "PREEMPT_DYNAMIC")) {
		pf->model = boot_mode(in->cmdline, PREEMPT_MODEL_UNKNOWN, &cmd);
		snprintf(pf->source, sizeof(pf->source), "%s",
			 cmd ? "preempt= on the kernel command line (PREEMPT_DYNAMIC in uname -v)" :
			 "PREEMPT_DYNAMIC in uname -v, but neither debugfs' sched/preempt nor the kernel configuration can be read, nor is preempt= given");
	} else if (has_word(in->version, "PREEMPT")) {
		pf->model = PREEMPT_MODEL_FULL;
		snprintf(pf->source, sizeof(pf->source),
			 "PREEMPT in uname -v (full or lazy)");
	} else {
		pf->model = PREEMPT_MODEL_NONE;
		snprintf(pf->source, sizeof(pf->source),
			 "no PREEMPT in uname -v (none or voluntary)");
	}
}

/* 5.11 or later; an unreadable release is taken as recent */
static bool migrate_disable_preemptible(const char *release)
{
	int major, minor;

	if (!release || sscanf(release, "%d.%d", &major, &minor) != 2)
		return true;
	return major > 5 || (major == 5 && minor >= 11);
}

void preempt_decide(const struct preempt_inputs *in, struct preempt_facts *pf)
{
	enum preempt_model m = preempt_parse_debugfs(in->debugfs);

	memset(pf, 0, sizeof(*pf));
	if (m != PREEMPT_MODEL_UNKNOWN) {
		pf->model = m;
		snprintf(pf->source, sizeof(pf->source),
			 "/sys/kernel/debug/sched/preempt");
		/* debugfs names full and lazy alike on RT kernels */
		if (in->config && in->config->read && in->config->rt)
			pf->model = PREEMPT_MODEL_RT;
	} else if (in->config && in->config->read) {
		from_config(in, pf);
	} else if (in->version) {
		from_version(in, pf);
	} else {
		snprintf(pf->source, sizeof(pf->source),
			 "no source readable (debugfs' sched/preempt, kernel configuration, uname -v)");
	}
	switch (pf->model) {
	case PREEMPT_MODEL_RT:
		pf->bpf_reentrant = true;
		break;
	case PREEMPT_MODEL_FULL:
	case PREEMPT_MODEL_LAZY:
		pf->bpf_reentrant = migrate_disable_preemptible(in->release);
		break;
	default:
		pf->bpf_reentrant = false;
	}
}

/* The first line of a small file, or NULL. */
static const char *read_line(const char *path, char *buf, int len)
{
	FILE *f = fopen(path, "r");
	const char *s;

	if (!f)
		return NULL;
	s = fgets(buf, len, f);
	fclose(f);
	return s;
}

static void read_config(const char *release, struct preempt_config *c)
{
	char path[sizeof(c->path)], line[256];
	gzFile gz;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "/proc/config.gz");
	gz = gzopen(path, "rb");
	if (!gz) {
		snprintf(path, sizeof(path), "/boot/config-%s", release);
		gz = gzopen(path, "rb");	/* reads plain files too */
	}
	if (!gz)
		return;
	while (gzgets(gz, line, sizeof(line)))
		preempt_config_line(c, line);
	gzclose(gz);
	c->read = true;
	snprintf(c->path, sizeof(c->path), "%s", path);
}

void preempt_read(const char *release, struct preempt_facts *pf)
{
	static char debugfs[128], cmdline[4096];
	struct preempt_config config;
	struct preempt_inputs in = { .release = release, .config = &config };
	struct utsname u;

	in.debugfs = read_line("/sys/kernel/debug/sched/preempt", debugfs,
			       sizeof(debugfs));
	in.cmdline = read_line("/proc/cmdline", cmdline, sizeof(cmdline));
	read_config(release, &config);
	if (uname(&u) == 0)
		in.version = u.version;
	preempt_decide(&in, pf);
}
