// SPDX-License-Identifier: GPL-2.0
/*
 * calib HOST LAB: the ns per instruction of one kind of call, from its
 * mean duration per run on the host (ns, comma-separated) and in the
 * icount lab (instructions, comma-separated): the ratio of their
 * geometric means, and its 95 % interval by Welch's t on the logs of the
 * per-run values (a ratio is a difference of logs; the runs of the two
 * sides are independent and their spreads differ).
 * Prints "factor low high" (tests/perf/calibrate.sh writes them down).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare/stats.h"
#include "util/parse.h"
#include "util/stats.h"

#define CALIB_MAX_RUNS 256

/* comma-separated positive numbers as their logs; count, or -1 */
static int read_logs(const char *list, double *out, int max)
{
	char buf[4096], *tok, *save = NULL;
	int n = 0;
	double v;

	if (strlen(list) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == max || parse_double(tok, &v) || !(v > 0))
			return -1;
		out[n++] = log(v);
	}
	return n;
}

static double var(const double *v, int n, double mean)
{
	double s = 0;
	int i;

	for (i = 0; i < n; i++)
		s += (v[i] - mean) * (v[i] - mean);
	return s / (n - 1);
}

int main(int argc, char **argv)
{
	static double h[CALIB_MAX_RUNS], g[CALIB_MAX_RUNS];
	double mh, mg, se, d, t;
	struct welch w;
	int nh, ng;

	if (argc != 3) {
		fprintf(stderr, "usage: calib HOST_NS,... LAB_INSTRUCTIONS,...\n");
		return 2;
	}
	nh = read_logs(argv[1], h, CALIB_MAX_RUNS);
	ng = read_logs(argv[2], g, CALIB_MAX_RUNS);
	if (nh < 2 || ng < 2) {
		fprintf(stderr, "calib: each side needs 2 or more positive numbers, comma-separated (%s; %s)\n",
			argv[1], argv[2]);
		return 2;
	}
	mh = stats_mean(h, nh);
	mg = stats_mean(g, ng);
	d = mh - mg;
	se = sqrt(var(h, nh, mh) / nh + var(g, ng, mg) / ng);
	if (welch_test(g, ng, h, nh, &w) || !(se > 0)) {
		/* no spread on either side: the interval is the point */
		printf("%.6g %.6g %.6g\n", exp(d), exp(d), exp(d));
		return 0;
	}
	t = student_t_quantile(STATS_CONFIDENCE, w.df);
	printf("%.6g %.6g %.6g\n", exp(d), exp(d - t * se), exp(d + t * se));
	return 0;
}
