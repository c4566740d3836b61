// SPDX-License-Identifier: GPL-2.0
/*
 * known-churn: a workload whose churn is known before it runs, to hold
 * dioscope's churn count against.
 *
 * Pair k writes block 3k (write A) and block 3k + 1 (write B) into holes
 * inside i_size, O_DIRECT through Linux AIO; block 3k + 2 stays a hole,
 * so that no pair touches another. B is submitted while A is in flight.
 * On a kernel whose DIO allocation may extend a neighbouring unwritten
 * extent (7.x), B's insert extends A's over its own block, and A's
 * conversion at completion must split it off again: one churn pair per
 * overlapped pair. With --serial, B is submitted after A completed, and
 * nothing churns.
 *
 * AIO, because a synchronous DIO write that allocates holds the inode
 * lock until it completes: B would wait for A and never overlap it. An
 * io_submit() returns once the write has its blocks and its bio is
 * queued, so a pair overlapped when A's completion is not there yet as
 * B's io_submit() returns: that is measured, not assumed, and the summary
 * line says how many did. Nothing here keeps A in flight: the device must
 * (dm-delay, a throttled disk). Even behind dm-delay an emulated machine
 * may stall for longer than the delay between A and B; with --retry, a
 * pair whose A was back before B was queued is written again on the
 * next blocks, so that K pairs overlap unless the device keeps failing.
 *
 * B's block must also follow A's on disk, or there is nothing to merge.
 * ext4 takes the blocks of a small file from a preallocation per CPU: the
 * file is made large (stream allocation, each block's goal next to its
 * logical neighbour's) and the process keeps to one CPU.
 *
 *   known-churn [--pairs K] [--bs BYTES] [--serial] [--retry R] FILE
 *
 * Prints "pairs K overlapped N mode concurrent|serial retried M" on
 * success; M pairs more than K were written, none of which overlapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libaio.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* above mballoc's stream threshold (16 blocks) by far: no per-CPU pool */
#define FILE_MIN_BYTES (64ULL << 20)

struct opts {
	const char *file;
	unsigned long pairs, bs, retries;
	bool serial;
};

static int submit(io_context_t ctx, struct iocb *cb, int fd, void *buf,
		  size_t len, long long off)
{
	struct iocb *cbs[1] = { cb };
	int n;

	io_prep_pwrite(cb, fd, buf, len, off);
	n = io_submit(ctx, 1, cbs);
	return n == 1 ? 0 : n < 0 ? n : -EAGAIN;
}

/* Reap at least min of the writes in flight; *got adds what came. */
static int reap(io_context_t ctx, long min, long max, size_t len, long *got)
{
	struct timespec none = { 0, 0 };
	struct io_event ev[2];
	int n, i;

	n = io_getevents(ctx, min, max, ev, min ? NULL : &none);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		if (ev[i].res != len)
			return (long)ev[i].res < 0 ? (int)ev[i].res : -EIO;
	*got += n;
	return 0;
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/*
 * One pair; *overlapped: A was still in flight when B had its blocks.
 * *gap_us: from A's submission's return to B's.
 */
static int one_pair(const struct opts *o, io_context_t ctx, int fd,
		    void *buf, unsigned long k, bool *overlapped,
		    long long *gap_us)
{
	long long a = (long long)(3 * k) * o->bs;
	struct iocb cb_a, cb_b;
	long done = 0;
	int err;

	*overlapped = false;
	err = submit(ctx, &cb_a, fd, buf, o->bs, a);
	if (!err && o->serial)
		err = reap(ctx, 1, 1, o->bs, &done);
	if (err)
		return err;
	*gap_us = now_us();
	err = submit(ctx, &cb_b, fd, buf, o->bs, a + o->bs);
	if (err)
		return err;
	*gap_us = now_us() - *gap_us;
	/* what completed by the time B was queued */
	err = reap(ctx, 0, 2, o->bs, &done);
	*overlapped = !o->serial && !done;
	while (!err && done < 2)
		err = reap(ctx, 1, 2 - done, o->bs, &done);
	return err;
}

/* The CPU this process runs on now, and no other. */
static int stay_on_one_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return -errno;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

/* A pair that did not overlap, written again if --retry allows. */
static bool retry_pair(const struct opts *o, unsigned long k,
		       unsigned long *retried, long long gap_us)
{
	if (o->serial || *retried >= o->retries)
		return false;
	++*retried;
	fprintf(stderr,
		"known-churn: pair %lu: the first write was back before the "
		"second was queued (%lld ms after it); retry %lu of %lu\n",
		k, gap_us / 1000, *retried, o->retries);
	return true;
}

static int run(const struct opts *o)
{
	unsigned long long size = 3ULL * (o->pairs + o->retries) * o->bs;
	unsigned long k, i, overlapped = 0, retried = 0;
	io_context_t ctx = 0;
	void *buf = NULL;
	long long gap_us = 0;
	int fd, err;
	bool ov;

	fd = open(o->file, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644);
	if (fd < 0) {
		fprintf(stderr, "known-churn: %s: %s\n", o->file, strerror(errno));
		return 1;
	}
	/* holes inside i_size: the writes allocate, and change no size */
	if (size < FILE_MIN_BYTES)
		size = FILE_MIN_BYTES;
	err = ftruncate(fd, (off_t)size) ? -errno : 0;
	if (!err)
		err = stay_on_one_cpu();
	if (!err)
		err = -posix_memalign(&buf, 4096, o->bs);
	if (!err)
		err = io_setup(2, &ctx);
	if (!err)
		memset(buf, 0x5a, o->bs);
	/* k counts the pairs, i the blocks' triples written */
	for (k = 0, i = 0; !err && k < o->pairs; i++) {
		err = one_pair(o, ctx, fd, buf, i, &ov, &gap_us);
		if (err || (!ov && retry_pair(o, k, &retried, gap_us)))
			continue;
		overlapped += ov;
		k++;
	}
	if (err)
		fprintf(stderr, "known-churn: %s: pair %lu: %s\n", o->file, k,
			strerror(-err));
	else
		printf("pairs %lu overlapped %lu mode %s retried %lu\n",
		       o->pairs, overlapped,
		       o->serial ? "serial" : "concurrent", retried);
	if (ctx)
		io_destroy(ctx);
	free(buf);
	if (close(fd) && !err) {
		fprintf(stderr, "known-churn: %s: %s\n", o->file, strerror(errno));
		err = -EIO;
	}
	return err ? 1 : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: known-churn [--pairs K] [--bs BYTES] [--serial] [--retry R] FILE\n"
		"\n"
		"Writes K pairs of adjacent O_DIRECT blocks into holes of FILE (made\n"
		"afresh) with Linux AIO, the second of a pair while the first is in\n"
		"flight, which the device must hold there (dm-delay). Prints how many\n"
		"pairs overlapped and how many were written again. A kernel that extends unwritten extents at DIO\n"
		"allocation (7.x) churns once per overlapped pair; with --serial, not\n"
		"at all.\n"
		"\n"
		"  --pairs K     pairs to write (default 16)\n"
		"  --bs BYTES    size of a write, a multiple of 4096 (default 4096)\n"
		"  --serial      submit the second of a pair after the first completed\n"
		"  --retry R     write a pair whose first write was back before the\n"
		"                second was queued again, R times at most (default 0)\n");
}

/* A count from min to max, in decimal; false for anything else. */
static bool count_arg(const char *s, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && !*end && *out >= min && *out <= max;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pairs", required_argument, NULL, 'p' },
		{ "bs", required_argument, NULL, 'b' },
		{ "serial", no_argument, NULL, 's' },
		{ "retry", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct opts o = { .pairs = 16, .bs = 4096 };
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!count_arg(optarg, 1, 1UL << 20, &o.pairs))
				goto bad;
			break;
		case 'b':
			if (!count_arg(optarg, 1, 1UL << 24, &o.bs) || o.bs % 4096)
				goto bad;
			break;
		case 's':
			o.serial = true;
			break;
		case 'r':
			if (!count_arg(optarg, 0, 1UL << 20, &o.retries))
				goto bad;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	o.file = argv[optind];
	return run(&o);
bad:
	fprintf(stderr, "known-churn: --%s %s: out of range or not a number\n",
		c == 'p' ? "pairs" : c == 'r' ? "retry" : "bs", optarg);
	return 2;
}
