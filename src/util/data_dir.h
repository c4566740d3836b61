/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where dioscope's data is: the bench's job files and matrix (bench/),
 * the gnuplot scripts (plots/) and the workload drivers (zero-range,
 * known-churn). One order, the first that holds bench/matrix:
 *
 *   1. $DIOSCOPE_DATA_DIR, a directory laid out like the checkout
 *      (bench/, plots/); used when set, whatever it holds, so that a
 *      wrong value is said rather than passed over
 *   2. the checkout the binary was built in: the directory of the running
 *      binary, when it holds bench/matrix (make builds ./dioscope there)
 *   3. the installed share directory, $(PREFIX)/share/dioscope
 *
 * The drivers are looked up in the bench directory in use, then in the
 * installed $(PREFIX)/lib/dioscope.
 */
#ifndef DIOSCOPE_UTIL_DATA_DIR_H
#define DIOSCOPE_UTIL_DATA_DIR_H

#include <limits.h>
#include <stddef.h>

#define DATA_DIR_ENV "DIOSCOPE_DATA_DIR"

enum data_source {
	DATA_ENV,
	DATA_CHECKOUT,
	DATA_INSTALLED,
	DATA_NONE,	/* none holds bench/matrix: root is the installed one */
};

struct data_dir {
	enum data_source source;
	char root[PATH_MAX];	/* holds bench/ and plots/ */
};

/*
 * Fills d by the order above from env (the value of DIOSCOPE_DATA_DIR or
 * NULL), exe (the running binary) and the installed directory.
 */
void data_dir_find_in(struct data_dir *d, const char *env, const char *exe,
		      const char *installed);
/* The same for this process; found once, then remembered. */
const struct data_dir *data_dir(void);
/* "$DIOSCOPE_DATA_DIR", "the checkout", "installed", "not found" */
const char *data_source_name(enum data_source s);
/* root/sub ("bench", "plots") into buf. */
void data_dir_sub(const struct data_dir *d, const char *sub, char *buf,
		  size_t len);
/*
 * A workload driver: bench_dir/name if executable there, else the
 * installed lib directory's. 0, or -ENOENT with buf naming the first.
 */
int data_helper_in(const char *bench_dir, const char *libdir,
		   const char *name, char *buf, size_t len);
int data_helper(const char *bench_dir, const char *name, char *buf,
		size_t len);
/* The installed directories this binary was built for. */
const char *data_installed_dir(void);
const char *data_installed_libdir(void);

#endif
