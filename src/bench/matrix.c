// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench/matrix.h"
#include "util/data_dir.h"
#include "util/parse.h"

/*
 * Names become directory and file names (DIR/<scenario>.<bs>.<variant>,
 * bench/<scenario>.fio): letters, digits, '-', '_' and '.', not first.
 */
bool bench_name_ok(const char *name)
{
	const char *p;

	if (!name || !isalnum((unsigned char)*name))
		return false;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
			return false;
	return p - name < 64;
}

static int opt_copy(char *dst, size_t len, const char *tok)
{
	if (!tok)
		return -EINVAL;
	snprintf(dst, len, "%s", strcmp(tok, "-") ? tok : "");
	return 0;
}

int bench_matrix_parse_line(struct bench_matrix *m, char *line)
{
	char *save = NULL, *kind = strtok_r(line, " \t\r\n", &save), *tok;

	if (!kind || *kind == '#')
		return 0;
	if (!strcmp(kind, "scenario")) {
		struct bm_scenario *sc = &m->sc[m->nsc];
		char *name = strtok_r(NULL, " \t\r\n", &save);
		char *setup = strtok_r(NULL, " \t\r\n", &save);

		if (m->nsc == BM_MAX || !bench_name_ok(name) || !setup)
			return -EINVAL;
		snprintf(sc->name, sizeof(sc->name), "%s", name);
		if (!strcmp(setup, "fallocate"))
			sc->setup = BM_FALLOCATE;
		else if (!strcmp(setup, "prewrite"))
			sc->setup = BM_PREWRITE;
		else if (!strcmp(setup, "empty"))
			sc->setup = BM_EMPTY;
		else if (!strcmp(setup, "sparse"))
			sc->setup = BM_SPARSE;
		else
			return -EINVAL;
		m->nsc++;
		return 0;
	}
	if (!strcmp(kind, "bs")) {
		while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
			unsigned long long bytes;

			if (m->nbs == BM_MAX || parse_size(tok, &bytes) || !bytes ||
			    !bench_name_ok(tok))
				return -EINVAL;
			snprintf(m->bs[m->nbs++], sizeof(m->bs[0]), "%s", tok);
		}
		return 0;
	}
	if (!strcmp(kind, "variant")) {
		struct bm_variant *v = &m->var[m->nvar];

		if (m->nvar == BM_MAX ||
		    opt_copy(v->name, sizeof(v->name), strtok_r(NULL, " \t\r\n", &save)) ||
		    opt_copy(v->mkfs, sizeof(v->mkfs), strtok_r(NULL, " \t\r\n", &save)) ||
		    opt_copy(v->mount, sizeof(v->mount), strtok_r(NULL, " \t\r\n", &save)) ||
		    !bench_name_ok(v->name))
			return -EINVAL;
		m->nvar++;
		return 0;
	}
	return -EINVAL;
}

int bench_matrix_read(const char *path, struct bench_matrix *m)
{
	char line[512];
	unsigned long n = 0;
	FILE *f = fopen(path, "r");

	memset(m, 0, sizeof(*m));
	if (!f) {
		snprintf(m->error, sizeof(m->error), "%s: %s", path,
			 strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (bench_matrix_parse_line(m, line)) {
			snprintf(m->error, sizeof(m->error),
				 "%s:%lu: not a scenario, bs or variant line (names: letters, digits, '-', '_', '.')",
				 path, n);
			fclose(f);
			return -EINVAL;
		}
	}
	fclose(f);
	if (!m->nsc || !m->nbs || !m->nvar) {
		snprintf(m->error, sizeof(m->error),
			 "%s: needs scenarios, block sizes and variants", path);
		return -EINVAL;
	}
	return 0;
}

const struct bm_scenario *bench_scenario(const struct bench_matrix *m,
					 const char *name)
{
	int i;

	for (i = 0; i < m->nsc; i++)
		if (!strcmp(m->sc[i].name, name))
			return &m->sc[i];
	return NULL;
}

/*
 * A scenario's job: NAME.fio for fio, else NAME.zr for the zero-range
 * driver (fio has no engine for it), found beside the job files or
 * installed (util/data_dir.h).
 */
int bench_job(const char *dir, const char *name, char *job, size_t len,
	      char *prog, size_t plen)
{
	snprintf(job, len, "%s/%s.fio", dir, name);
	if (!access(job, R_OK)) {
		snprintf(prog, plen, "fio");
		return 0;
	}
	snprintf(job, len, "%s/%s.zr", dir, name);
	if (access(job, R_OK))
		return -ENOENT;
	return data_helper(dir, "zero-range", prog, plen) ? -ENOEXEC : 0;
}
