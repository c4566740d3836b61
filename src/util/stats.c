// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/stats.h"

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
#define RADIX_PASSES ((64 + RADIX_BITS - 1) / RADIX_BITS)

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * IEEE doubles order like integers once negative ones have all bits
 * flipped and positive ones the sign bit: this maps them so, and back.
 */
static uint64_t to_key(uint64_t bits)
{
	return bits >> 63 ? ~bits : bits | (1ULL << 63);
}

static uint64_t from_key(uint64_t key)
{
	return key >> 63 ? key & ~(1ULL << 63) : ~key;
}

/* Keys live in double arrays too: memcpy keeps the accesses well defined. */
static uint64_t get_key(const unsigned char *buf, size_t i)
{
	uint64_t k;

	memcpy(&k, buf + i * sizeof(k), sizeof(k));
	return k;
}

static void put_key(unsigned char *buf, size_t i, uint64_t k)
{
	memcpy(buf + i * sizeof(k), &k, sizeof(k));
}

static void radix_pass(const unsigned char *src, unsigned char *dst, size_t n,
		       size_t *count, unsigned int shift)
{
	size_t i, sum = 0, c;
	uint64_t k;

	for (i = 0; i < RADIX_SIZE; i++) {
		c = count[i];
		count[i] = sum;
		sum += c;
	}
	for (i = 0; i < n; i++) {
		k = get_key(src, i);
		put_key(dst, count[(k >> shift) & (RADIX_SIZE - 1)]++, k);
	}
}

int stats_sort(double *v, size_t n)
{
	size_t (*count)[RADIX_SIZE];
	unsigned char *keys = (unsigned char *)v, *tmp, *src, *dst, *t;
	unsigned int p;
	uint64_t k;
	size_t i;

	if (n < 64) {
		qsort(v, n, sizeof(*v), cmp_double);
		return 0;
	}
	tmp = malloc(n * sizeof(k));
	count = calloc(RADIX_PASSES, sizeof(*count));
	if (!tmp || !count) {
		free(tmp);
		free(count);
		qsort(v, n, sizeof(*v), cmp_double);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		k = to_key(get_key(keys, i));
		put_key(keys, i, k);
		for (p = 0; p < RADIX_PASSES; p++)
			count[p][(k >> (p * RADIX_BITS)) & (RADIX_SIZE - 1)]++;
	}
	src = keys;
	dst = tmp;
	for (p = 0; p < RADIX_PASSES; p++) {
		/* a digit all keys share moves nothing: skip the pass */
		k = get_key(src, 0);
		if (count[p][(k >> (p * RADIX_BITS)) & (RADIX_SIZE - 1)] == n)
			continue;
		radix_pass(src, dst, n, count[p], p * RADIX_BITS);
		t = src;
		src = dst;
		dst = t;
	}
	if (src != keys)
		memcpy(keys, src, n * sizeof(k));
	for (i = 0; i < n; i++)
		put_key(keys, i, from_key(get_key(keys, i)));
	free(count);
	free(tmp);
	return 0;
}

static void swap_keys(unsigned char *buf, size_t i, size_t j)
{
	uint64_t a = get_key(buf, i), b = get_key(buf, j);

	put_key(buf, i, b);
	put_key(buf, j, a);
}

/*
 * The selection reads keys where the doubles are, mapped as it compares
 * them (to_key without a branch): two passes over the array fewer than
 * mapping them all there and back.
 */
static uint64_t key_at(const unsigned char *buf, size_t i)
{
	uint64_t bits = get_key(buf, i);

	return bits ^ ((uint64_t)((int64_t)bits >> 63) | (1ULL << 63));
}

static void insertion_sort(unsigned char *buf, size_t lo, size_t hi)
{
	size_t i, j;
	uint64_t k, b;

	for (i = lo + 1; i < hi; i++) {
		b = get_key(buf, i);
		k = key_at(buf, i);
		for (j = i; j > lo && key_at(buf, j - 1) > k; j--)
			put_key(buf, j, get_key(buf, j - 1));
		put_key(buf, j, b);
	}
}

static int cmp_key(const void *a, const void *b)
{
	uint64_t x = key_at(a, 0), y = key_at(b, 0);

	return (x > y) - (x < y);
}

/* The middle of three keys, as a pivot that sorted input does not defeat. */
static uint64_t pivot_of(const unsigned char *buf, size_t lo, size_t hi)
{
	uint64_t a = key_at(buf, lo), b = key_at(buf, lo + (hi - lo) / 2);
	uint64_t c = key_at(buf, hi - 1), t;

	if (a > b) {
		t = a;
		a = b;
		b = t;
	}
	return c < a ? a : c > b ? b : c;
}

/*
 * Hoare's partition of [lo, hi) around p, a key in it: [lo, split) <= p
 * <= [split, hi). Only the misplaced pairs move (a three-way partition
 * moved nearly every value). lo < split < hi unless no value is < p.
 */
static size_t partition(unsigned char *buf, size_t lo, size_t hi, uint64_t p)
{
	size_t i = lo, j = hi;

	for (;;) {
		while (key_at(buf, i) < p)
			i++;
		do
			j--;
		while (key_at(buf, j) > p);
		if (i >= j)
			return j + 1;
		swap_keys(buf, i, j);
		i++;
	}
}

/*
 * Keys [lo, hi) so that each index in idx[0, n) (sorted, within the
 * range) holds the key a sort would put there: a quickselect that
 * follows every side holding a wanted index. Past `depth` partitions,
 * or where one leaves a side empty, the range is sorted instead, so
 * that no input makes it quadratic.
 */
static void select_keys(unsigned char *buf, size_t lo, size_t hi,
			const size_t *idx, size_t n, unsigned int depth)
{
	size_t split, left;
	uint64_t k;

	while (n && hi - lo > 1) {
		if (hi - lo <= 16) {
			insertion_sort(buf, lo, hi);
			return;
		}
		split = depth ? partition(buf, lo, hi, pivot_of(buf, lo, hi)) : lo;
		if (split <= lo || split >= hi) {
			qsort(buf + lo * sizeof(k), hi - lo, sizeof(k), cmp_key);
			return;
		}
		depth--;
		for (left = 0; left < n && idx[left] < split; left++)
			;
		select_keys(buf, lo, split, idx, left, depth);
		/* the side above, without recursing */
		idx += left;
		n -= left;
		lo = split;
	}
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

void stats_select(double *v, size_t n, const size_t *ranks, size_t nranks)
{
	unsigned char *keys = (unsigned char *)v;
	unsigned int depth = 0;
	size_t i, m = 0, *idx;

	idx = malloc((nranks ? nranks : 1) * sizeof(*idx));
	if (!idx) {
		/* sorted whole is selected too (by qsort when short of memory) */
		stats_sort(v, n);
		return;
	}
	for (i = 0; i < nranks; i++)
		if (ranks[i] >= 1 && ranks[i] <= n)
			idx[m++] = ranks[i] - 1;
	qsort(idx, m, sizeof(*idx), cmp_size);
	for (i = n; i; i >>= 1)
		depth += 2;
	select_keys(keys, 0, n, idx, m, depth);
	free(idx);
}

size_t stats_percentile_rank(size_t n, double p)
{
	double r = ceil(p / 100.0 * n);

	return r < 1 ? 1 : r > n ? n : (size_t)r;
}

double stats_percentile(const double *sorted, size_t n, double p)
{
	if (!n)
		return NAN;
	return sorted[stats_percentile_rank(n, p) - 1];
}

/*
 * Walk the binomial(n, q) distribution over the range that holds all
 * but a negligible part of its mass (40 standard deviations each side),
 * its terms in log space so that none underflows before it matters.
 */
static void binomial_ranks(size_t n, double q, double tail,
			   size_t *lo_rank, size_t *hi_rank)
{
	double mean = n * q, sd = sqrt(n * q * (1 - q));
	double lq = log(q), lr = log1p(-q), lp, cum = 0;
	double first = floor(mean - 40 * sd - 10);
	double last = ceil(mean + 40 * sd + 10);
	size_t k0 = first < 0 ? 0 : (size_t)first;
	size_t k1 = last > n ? n : (size_t)last;
	size_t j;

	/* below k0 the mass is ~0: every rank up to k0 bounds from below */
	*lo_rank = k0;
	*hi_rank = n + 1;
	lp = lgamma(n + 1.0) - lgamma(k0 + 1.0) - lgamma(n - k0 + 1.0) +
	     k0 * lq + (n - k0) * lr;
	for (j = k0; j <= k1 && j < n; j++) {
		/* cum = P(B <= j): rank j + 1 bounds when the tail allows */
		cum += exp(lp);
		if (cum <= tail)
			*lo_rank = j + 1;
		if (cum >= 1 - tail) {
			*hi_rank = j + 1;
			return;
		}
		lp += log((double)(n - j) / (j + 1)) + lq - lr;
	}
}

int stats_percentile_ci_ranks(size_t n, double p, double conf,
			      size_t *lo_rank, size_t *hi_rank)
{
	double q = p / 100.0, tail = (1 - conf) / 2;

	*lo_rank = 0;
	*hi_rank = n + 1;
	if (!n || !(q > 0 && q <= 1) || !(conf > 0 && conf < 1))
		return -EINVAL;
	if (q == 1) {
		/* every sample is at or below the maximum */
		*lo_rank = n;
		return 0;
	}
	binomial_ranks(n, q, tail, lo_rank, hi_rank);
	return 0;
}

int stats_percentile_ci(const double *sorted, size_t n, double p,
			double conf, double *lo, double *hi)
{
	size_t l, h;

	*lo = *hi = NAN;
	if (stats_percentile_ci_ranks(n, p, conf, &l, &h))
		return -EINVAL;
	if (l >= 1)
		*lo = sorted[l - 1];
	if (h <= n)
		*hi = sorted[h - 1];
	return isnan(*lo) || isnan(*hi) ? 1 : 0;
}

double stats_mean(const double *v, size_t n)
{
	double s = 0;
	size_t i;

	if (!n)
		return NAN;
	for (i = 0; i < n; i++)
		s += v[i];
	return s / n;
}
