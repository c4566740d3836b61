/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one clock of intervals and deadlines: CLOCK_MONOTONIC, the clock
 * bpf_ktime_get_ns() reads too, so event times and ours compare.
 */
#ifndef DIOSCOPE_UTIL_CLOCK_H
#define DIOSCOPE_UTIL_CLOCK_H

#include <time.h>

static inline unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline unsigned long long mono_ms(void)
{
	return mono_ns() / 1000000;
}

#endif
