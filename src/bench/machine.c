// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "bench/machine.h"
#include "util/parse.h"

static void cpu_model(char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512], *v;

	snprintf(out, len, "-");
	if (!f)
		return;
	/* x86 says "model name", others "cpu model" or "Processor" */
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "model name", 10) &&
		    strncmp(line, "cpu model", 9) &&
		    strncmp(line, "Processor", 9))
			continue;
		v = strchr(line, ':');
		if (!v)
			continue;
		v += 1 + strspn(v + 1, " \t");
		v[strcspn(v, "\n")] = '\0';
		snprintf(out, len, "%s", *v ? v : "-");
		break;
	}
	fclose(f);
}

/* no '|' in a field of DIOSCOPE_MACHINE, no newline in meta */
static bool field_ok(const char *s)
{
	return *s && !strpbrk(s, "|\n\r");
}

int machine_parse(const char *s, struct machine *m)
{
	char buf[512], *f[4], *save = NULL;
	unsigned long long cores;
	int i;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", s);
	for (i = 0; i < 4; i++) {
		f[i] = strtok_r(i ? NULL : buf, "|", &save);
		if (!f[i] || !field_ok(f[i]))
			return -EINVAL;
	}
	if (strtok_r(NULL, "|", &save) || parse_u64(f[1], &cores) || !cores ||
	    parse_u64(f[2], &m->mem_bytes) || !m->mem_bytes ||
	    strlen(f[0]) >= sizeof(m->cpu_model) ||
	    strlen(f[3]) >= sizeof(m->host_id))
		return -EINVAL;
	snprintf(m->cpu_model, sizeof(m->cpu_model), "%s", f[0]);
	snprintf(m->host_id, sizeof(m->host_id), "%s", f[3]);
	m->cores = cores;
	return 0;
}

int machine_read(struct machine *m)
{
	const char *env = getenv("DIOSCOPE_MACHINE");
	struct sysinfo si;
	struct utsname u;
	long n;

	memset(m, 0, sizeof(*m));
	if (env && *env)
		return machine_parse(env, m);
	cpu_model(m->cpu_model, sizeof(m->cpu_model));
	n = sysconf(_SC_NPROCESSORS_ONLN);
	m->cores = n > 0 ? n : 0;
	if (!sysinfo(&si))
		m->mem_bytes = (unsigned long long)si.totalram * si.mem_unit;
	uname(&u);
	snprintf(m->host_id, sizeof(m->host_id), "%s", u.nodename);
	return 0;
}

void machine_meta(const struct machine *m, struct meta *meta)
{
	meta_set(meta, "machine_cpu_model", "%s", m->cpu_model);
	meta_set(meta, "machine_cores", "%lu", m->cores);
	meta_set(meta, "machine_mem_bytes", "%llu", m->mem_bytes);
	meta_set(meta, "machine_host_id", "%s", m->host_id);
}
