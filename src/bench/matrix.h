/* SPDX-License-Identifier: GPL-2.0 */
/* The bench's scenario matrix (bench/matrix): scenarios, sizes, variants. */
#ifndef DIOSCOPE_BENCH_MATRIX_H
#define DIOSCOPE_BENCH_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#define BM_MAX 16

/* BM_SPARSE: truncated to its size, all holes inside i_size */
enum bm_setup { BM_FALLOCATE, BM_PREWRITE, BM_EMPTY, BM_SPARSE };

struct bm_scenario {
	char name[48];
	enum bm_setup setup;
};

struct bm_variant {
	char name[48], mkfs[64], mount[64];	/* "" for none */
};

struct bench_matrix {
	struct bm_scenario sc[BM_MAX];
	char bs[BM_MAX][16];
	struct bm_variant var[BM_MAX];
	int nsc, nbs, nvar;
	char error[160];
};

/* 0, or -errno with m->error naming the file and line. */
int bench_matrix_read(const char *path, struct bench_matrix *m);
int bench_matrix_parse_line(struct bench_matrix *m, char *line);
const struct bm_scenario *bench_scenario(const struct bench_matrix *m,
					 const char *name);
/*
 * The job file of scenario `name` in dir and the program that runs it
 * (fio, or the zero-range driver beside the job files). 0; -ENOENT when
 * there is no job file; -ENOEXEC when the driver is not built.
 */
int bench_job(const char *dir, const char *name, char *job, size_t len,
	      char *prog, size_t plen);

/* A name that is safe as a file name: no '/', no "..", no leading dot. */
bool bench_name_ok(const char *name);

#endif
