// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "bench/cells.h"
#include "util/err.h"

static bool selected(const char *const *only, int nonly, const char *name)
{
	int i;

	if (!nonly)
		return true;
	for (i = 0; i < nonly; i++)
		if (!strcmp(only[i], name))
			return true;
	return false;
}

static int check_names(const struct bench_matrix *m, const char *const *only,
		       int nonly)
{
	char names[BM_MAX * 64];
	size_t used;
	int s, v;

	for (s = 0; s < nonly; s++) {
		if (bench_scenario(m, only[s]))
			continue;
		for (v = 0, used = 0; v < m->nsc && used < sizeof(names); v++)
			used += snprintf(names + used, sizeof(names) - used, " %s",
					 m->sc[v].name);
		ds_err("no scenario '%s'; the scenarios are:%s", only[s],
		       m->nsc ? names : "");
		return -1;
	}
	return 0;
}

int bench_plan_cells(const struct bench_matrix *m, const char *const *only,
		     int nonly, bool full, struct bench_cell *cells)
{
	int v, b, s, n = 0;

	if (check_names(m, only, nonly))
		return -1;
	for (v = 0; v < (full ? m->nvar : 1); v++)
		for (b = 0; b < (full ? m->nbs : 1); b++)
			for (s = 0; s < m->nsc && n < BENCH_MAX_CELLS; s++) {
				struct bench_cell *c = &cells[n];

				if (!selected(only, nonly, m->sc[s].name))
					continue;
				c->sc = &m->sc[s];
				c->bs = m->bs[b];
				c->var = &m->var[v];
				snprintf(c->id, sizeof(c->id), "%s.%s.%s",
					 c->sc->name, c->bs, c->var->name);
				n++;
			}
	return n;
}
