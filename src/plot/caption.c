// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "compare/samples.h"
#include "plot/caption.h"

enum { CAP_P50, CAP_P99, CAP_WASTED, CAP_N };

static const struct estimator cap_est[CAP_N] = {
	[CAP_P50] = { EST_PERCENTILE, IOC_LAT, 50 },
	[CAP_P99] = { EST_PERCENTILE, IOC_LAT, 99 },
	[CAP_WASTED] = { EST_MEAN, IOC_WASTED, 1 },
};

/* "+12.3 [+10.1, +14.2]" of d times show; "n/a" without a difference */
static void fmt_diff(char *buf, size_t len, const struct boot_diff *d,
		     double show)
{
	if (isnan(d->abs))
		snprintf(buf, len, "n/a");
	else if (isnan(d->abs_lo))
		snprintf(buf, len, "%+.1f", d->abs * show);
	else
		snprintf(buf, len, "%+.1f [%+.1f, %+.1f]", d->abs * show,
			 d->abs_lo * show, d->abs_hi * show);
}

int plot_captions(const struct samples *const *s, const char *const *label,
		  const bool *observed, int nk, const char *scen, bool icount,
		  struct captions *cap)
{
	/* compare's defaults: the same numbers as compare.csv */
	const struct boot_opts o = { .reps = 1000, .conf = 0.95, .seed = 1 };
	struct boot_diff d[CAP_N * 8];
	char p50[64], p99[64], w[64];
	int k;

	memset(cap, 0, nk * sizeof(*cap));
	if (nk < 2 || nk > 8)
		return 0;
	if (bootstrap_diff(s, nk, cap_est, CAP_N, &o, boot_stream(scen), d))
		return -ENOMEM;
	for (k = 1; k < nk; k++) {
		fmt_diff(p50, sizeof(p50), &d[CAP_P50 * nk + k], 1e-3);
		fmt_diff(p99, sizeof(p99), &d[CAP_P99 * nk + k], 1e-3);
		snprintf(cap[k].lat, CAPTION_LEN,
			 "%s - %s: p50 %s %s, p99 %s %s", label[k], label[0],
			 p50, icount ? "kins" : "µs", p99, icount ? "kins" : "µs");
		if (!observed[0] || !observed[k])
			continue;
		fmt_diff(w, sizeof(w), &d[CAP_WASTED * nk + k], 1);
		snprintf(cap[k].wasted, CAPTION_LEN,
			 "%s - %s: wasted time per IO %s %s", label[k],
			 label[0], w, icount ? "instructions" : "ns");
	}
	return 0;
}
