// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "bench/job_plan.h"
#include "bench/merge_guard.h"

int job_plan_arms(const struct job_plan *p)
{
	if (p->aa)
		return 2;
	return p->nguard ? p->nguard : 1;
}

void job_plan_arm(const struct job_plan *p, int k, struct bench_job *j)
{
	j->guard = p->nguard ? p->modes[p->aa ? 0 : k] : -1;
	if (p->aa)
		snprintf(j->arm, sizeof(j->arm), "%s", k ? "B" : "A");
	else if (job_plan_arms(p) > 1)
		snprintf(j->arm, sizeof(j->arm), "guard-%s",
			 merge_guard_name(j->guard));
	else
		snprintf(j->arm, sizeof(j->arm), "-");
}

static void fill_cell(const struct job_plan *p, const struct bench_cell *c,
		      const char *kernel, unsigned int run,
		      struct bench_job *j)
{
	memset(j, 0, sizeof(*j));
	snprintf(j->kernel, sizeof(j->kernel), "%s", kernel);
	snprintf(j->scenario, sizeof(j->scenario), "%s", c->sc->name);
	snprintf(j->bs, sizeof(j->bs), "%s", c->bs);
	snprintf(j->variant, sizeof(j->variant), "%s", c->var->name);
	j->run = run;
	j->size = p->size;
	j->runtime = p->runtime;
}

int job_plan_each(const struct job_plan *p,
		  int (*fn)(const struct bench_job *j, unsigned int at,
			    void *ctx), void *ctx)
{
	int narms = job_plan_arms(p), kn, i, k, rc;
	unsigned int r, at = 0;
	struct bench_job j;

	for (r = p->first_run; r < p->first_run + p->runs; r++)
		for (kn = 0; kn < p->nkernels; kn++)
			for (i = 0; i < p->ncells; i++)
				for (k = 0; k < narms; k++) {
					fill_cell(p, &p->cells[i],
						  p->kernels[kn], r, &j);
					job_plan_arm(p, merge_guard_arm_at(narms,
						     r - 1, k), &j);
					rc = fn(&j, at++, ctx);
					if (rc)
						return rc;
				}
	return 0;
}

static int find_bs(const struct bench_matrix *m, const char *bs)
{
	int b;

	for (b = 0; b < m->nbs; b++)
		if (!strcmp(m->bs[b], bs))
			return b;
	return -1;
}

static int find_variant(const struct bench_matrix *m, const char *name)
{
	int v;

	for (v = 0; v < m->nvar; v++)
		if (!strcmp(m->var[v].name, name))
			return v;
	return -1;
}

int job_cell(const struct bench_matrix *m, const struct bench_job *j,
	     struct bench_cell *c, char *err, size_t len)
{
	int b = find_bs(m, j->bs), v = find_variant(m, j->variant);

	c->sc = bench_scenario(m, j->scenario);
	if (!c->sc || b < 0 || v < 0) {
		snprintf(err, len, "the matrix has no %s %s",
			 !c->sc ? "scenario" : b < 0 ? "block size" : "variant",
			 !c->sc ? j->scenario : b < 0 ? j->bs : j->variant);
		return -ENOENT;
	}
	c->bs = m->bs[b];
	c->var = &m->var[v];
	snprintf(c->id, sizeof(c->id), "%s.%s.%s", c->sc->name, c->bs,
		 c->var->name);
	return 0;
}
