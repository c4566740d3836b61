// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare/machine.h"
#include "run/meta.h"
#include "run/tree.h"

/* "cpu model, N cores, M bytes", or "" when the meta does not say */
static int run_hw(const char *dir, char *hw, size_t hlen, char *host,
		  size_t len)
{
	char path[PATH_MAX + 16];
	const char *cpu, *cores, *mem, *id;
	struct meta m;

	hw[0] = host[0] = '\0';
	if (tree_path(path, sizeof(path), dir, RUN_META) || meta_read(&m, path))
		return 0;
	cpu = meta_get(&m, "machine_cpu_model");
	cores = meta_get(&m, "machine_cores");
	mem = meta_get(&m, "machine_mem_bytes");
	id = meta_get(&m, "machine_host_id");
	if (cpu && cores && mem)
		snprintf(hw, hlen, "%s, %s cores, %s bytes of memory", cpu,
			 cores, mem);
	snprintf(host, len, "%s", id ? id : "");
	meta_free(&m);
	return 0;
}

int machine_of_runs(const struct run_list *runs, char *hw, size_t hlen,
		    char *why, size_t len)
{
	char one[512], host[128], first_dir[PATH_MAX];
	size_t k;

	hw[0] = '\0';
	for (k = 0; k < runs->n; k++) {
		run_hw(runs->dir[k], one, sizeof(one), host, sizeof(host));
		if (!one[0])
			continue;
		if (!hw[0]) {
			snprintf(hw, hlen, "%s", one);
			snprintf(first_dir, sizeof(first_dir), "%s",
				 runs->dir[k]);
			continue;
		}
		if (strcmp(hw, one)) {
			snprintf(why, len, "%s ran on %s, %s on %s",
				 first_dir, hw, runs->dir[k], one);
			return -EINVAL;
		}
	}
	return 0;
}

int machine_hosts(const struct run_list *runs)
{
	char hw[512], host[128], **seen;
	int n = 0, i;
	size_t k;

	seen = calloc(runs->n ? runs->n : 1, sizeof(*seen));
	if (!seen)
		return 0;
	for (k = 0; k < runs->n; k++) {
		run_hw(runs->dir[k], hw, sizeof(hw), host, sizeof(host));
		if (!host[0])
			continue;
		for (i = 0; i < n && strcmp(seen[i], host); i++)
			;
		if (i == n && (seen[n] = strdup(host)))
			n++;
	}
	for (i = 0; i < n; i++)
		free(seen[i]);
	free(seen);
	return n;
}
