// SPDX-License-Identifier: GPL-2.0
/*
 * torture: a data-integrity check for the extent code under concurrency.
 *
 * Several threads write, read, fallocate, punch, zero, truncate and fsync
 * shared files at random, direct and buffered, and every byte read is
 * checked against a model of what the file must hold.
 *
 * What the model can know under concurrency: each file is cut into chunks
 * (--chunk bytes), and chunk c belongs to thread c % threads. A thread
 * writes, reads, fallocates, punches and zeroes only inside its own
 * chunks, so neighbouring chunks, whose extents the kernel may merge and
 * split, are written by different threads at the same time, while the
 * model of each byte is only ever changed by one thread. Those operations
 * hold a per-file lock shared. What changes the whole file holds it
 * exclusively: truncate, any operation that would move the size (a write
 * or fallocate past the end), and a read of the whole file. The size is
 * therefore stable under the shared lock, and bytes past it are zero in
 * the model, as the kernel must show them when the file grows again.
 *
 * Every operation takes a sequence number under its file's lock; operations
 * under the shared lock touch disjoint bytes and commute, so the log in
 * sequence order is a serial history with the same result. --log writes it
 * and --replay LOG runs it again in one thread, checking every read, to
 * reproduce a mismatch without the scheduling that produced it.
 *
 * --corrupt N is the fault hook that proves the checking works: after N
 * operations one byte of the file is changed behind the model's back and
 * read back at once; the run must then report a mismatch.
 *
 *   torture [-t THREADS] [-f FILES] [-s SIZE] [-c CHUNK] [-n OPS | -d SECS]
 *           [--seed N] [--log FILE] [--corrupt N] DIR
 *   torture --replay LOG DIR
 *
 * Prints one "ops" line per operation type and a "result" line; exit
 * status 0 when every read matched, 1 on a mismatch, 2 on bad usage or a
 * system call that failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLK 4096ULL
#define MAX_THREADS 64
#define MAX_FILES 16

enum op {
	OP_WRITE_DIRECT,
	OP_WRITE_BUFFERED,
	OP_READ_DIRECT,
	OP_READ_BUFFERED,
	OP_FALLOCATE,
	OP_FALLOCATE_KEEP,
	OP_PUNCH,
	OP_ZERO,
	OP_ZERO_KEEP,
	OP_FSYNC,
	OP_TRUNCATE,
	OP_VERIFY,
	OP_CORRUPT,
	OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
	"write_direct", "write_buffered", "read_direct", "read_buffered",
	"fallocate", "fallocate_keep_size", "punch_hole", "zero_range",
	"zero_range_keep_size", "fsync", "truncate", "verify_file", "corrupt",
};

/* how often each operation is picked by a thread, out of the sum */
static const unsigned int op_weight[OP_COUNT] = {
	[OP_WRITE_DIRECT] = 24, [OP_WRITE_BUFFERED] = 14,
	[OP_READ_DIRECT] = 14, [OP_READ_BUFFERED] = 14,
	[OP_FALLOCATE] = 6, [OP_FALLOCATE_KEEP] = 6, [OP_PUNCH] = 8,
	[OP_ZERO] = 4, [OP_ZERO_KEEP] = 4, [OP_FSYNC] = 3,
	[OP_TRUNCATE] = 2, [OP_VERIFY] = 1,
};

struct opts {
	const char *dir, *log, *replay;
	unsigned int threads, files;
	uint64_t size, chunk, ops, seed, corrupt;
	double secs;
};

/* one operation, as the log holds it */
struct rec {
	uint64_t seq;
	unsigned int tid, file;
	enum op op;
	uint64_t off, len, tag;
};

struct tfile {
	pthread_rwlock_t lock;
	int fd_direct, fd_buffered;
	uint64_t size;		/* i_size as the model has it */
	unsigned char *model;	/* what the first --size bytes must hold */
	uint64_t *last;		/* per block: sequence number of its last change */
};

static struct opts o = {
	.threads = 4, .files = 2, .size = 4 << 20, .chunk = 16384,
	.seed = 1,
};
static struct tfile files[MAX_FILES];
static uint64_t seq_next = 1;
static uint64_t ops_done;
static uint64_t op_count[OP_COUNT];
static uint64_t mismatches;
static int sys_failed;
static volatile int stop;
static FILE *logf;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("torture: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	__atomic_store_n(&sys_failed, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
}

/* splitmix64: a small generator, reproducible from its seed */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

/* the byte a write tagged @tag puts at @off: never 0, so unlike a hole */
static unsigned char pattern(uint64_t tag, uint64_t off)
{
	uint64_t x = tag * 0x100000001b3ULL ^ off;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	return (unsigned char)(x >> 56) | 1;
}

static void log_rec(const struct rec *r)
{
	if (!logf)
		return;
	pthread_mutex_lock(&log_lock);
	fprintf(logf, "%" PRIu64 " %u %u %s %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		r->seq, r->tid, r->file, op_names[r->op], r->off, r->len, r->tag);
	pthread_mutex_unlock(&log_lock);
}

static void model_set(struct tfile *f, const struct rec *r, bool zero)
{
	uint64_t i, end = r->off + r->len;

	if (end > o.size)
		end = o.size;
	for (i = r->off; i < end; i++)
		f->model[i] = zero ? 0 : pattern(r->tag, i);
	for (i = r->off / BLK; i * BLK < end; i++)
		f->last[i] = r->seq;
}

static void grow(struct tfile *f, uint64_t end)
{
	if (end > f->size)
		f->size = end;
}

static int pwrite_all(int fd, const void *buf, uint64_t len, uint64_t off)
{
	ssize_t n;

	while (len) {
		n = pwrite(fd, buf, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf = (const char *)buf + n;
		len -= n;
		off += n;
	}
	return 0;
}

static ssize_t pread_all(int fd, void *buf, uint64_t len, uint64_t off)
{
	ssize_t n, got = 0;

	while ((uint64_t)got < len) {
		n = pread(fd, (char *)buf + got, len - got, off + got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

/* compare what a read returned with the model; report the first difference */
static void check_read(struct tfile *f, const struct rec *r,
		       const unsigned char *buf, ssize_t got)
{
	uint64_t want = 0, i;

	if (r->off < f->size)
		want = f->size - r->off < r->len ? f->size - r->off : r->len;
	if ((uint64_t)got != want) {
		fprintf(stderr, "torture: MISMATCH op %" PRIu64 " (%s) file %u: read %zd bytes at %" PRIu64 ", expected %" PRIu64 " (size %" PRIu64 ")\n",
			r->seq, op_names[r->op], r->file, got, r->off, want, f->size);
		__atomic_add_fetch(&mismatches, 1, __ATOMIC_RELAXED);
		return;
	}
	for (i = 0; i < want; i++) {
		uint64_t at = r->off + i;

		if (buf[i] == f->model[at])
			continue;
		fprintf(stderr, "torture: MISMATCH op %" PRIu64 " (%s) file %u offset %" PRIu64 ": read 0x%02x, expected 0x%02x; block last changed by op %" PRIu64 "\n",
			r->seq, op_names[r->op], r->file, at, buf[i],
			f->model[at], f->last[at / BLK]);
		__atomic_add_fetch(&mismatches, 1, __ATOMIC_RELAXED);
		return;
	}
}

static int do_falloc(struct tfile *f, int mode, const struct rec *r)
{
	if (fallocate(f->fd_buffered, mode, r->off, r->len) == 0)
		return 0;
	fail("fallocate(mode %#x, %" PRIu64 ", %" PRIu64 ") of file %u: %s",
	     mode, r->off, r->len, r->file, strerror(errno));
	return -1;
}

/* carry out @r on its file, the model kept alongside; the lock is held */
static void run_op(const struct rec *r, unsigned char *buf)
{
	struct tfile *f = &files[r->file];
	bool direct = r->op == OP_WRITE_DIRECT || r->op == OP_READ_DIRECT;
	int fd = direct ? f->fd_direct : f->fd_buffered;
	uint64_t i, end = r->off + r->len;
	ssize_t got;

	switch (r->op) {
	case OP_WRITE_DIRECT:
	case OP_WRITE_BUFFERED:
		for (i = 0; i < r->len; i++)
			buf[i] = pattern(r->tag, r->off + i);
		if (pwrite_all(fd, buf, r->len, r->off)) {
			fail("%s of %" PRIu64 " bytes at %" PRIu64 " of file %u: %s",
			     op_names[r->op], r->len, r->off, r->file, strerror(errno));
			return;
		}
		model_set(f, r, false);
		grow(f, end);
		break;
	case OP_READ_DIRECT:
	case OP_READ_BUFFERED:
	case OP_VERIFY:
		got = pread_all(fd, buf, r->len, r->off);
		if (got < 0) {
			fail("%s of %" PRIu64 " bytes at %" PRIu64 " of file %u: %s",
			     op_names[r->op], r->len, r->off, r->file, strerror(errno));
			return;
		}
		check_read(f, r, buf, got);
		break;
	case OP_FALLOCATE:
		if (!do_falloc(f, 0, r))
			grow(f, end);
		break;
	case OP_FALLOCATE_KEEP:
		do_falloc(f, FALLOC_FL_KEEP_SIZE, r);
		break;
	case OP_PUNCH:
		if (!do_falloc(f, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, r))
			model_set(f, r, true);
		break;
	case OP_ZERO:
	case OP_ZERO_KEEP:
		if (do_falloc(f, FALLOC_FL_ZERO_RANGE |
			      (r->op == OP_ZERO_KEEP ? FALLOC_FL_KEEP_SIZE : 0), r))
			break;
		model_set(f, r, true);
		if (r->op == OP_ZERO)
			grow(f, end);
		break;
	case OP_FSYNC:
		if (fsync(f->fd_buffered))
			fail("fsync of file %u: %s", r->file, strerror(errno));
		break;
	case OP_TRUNCATE:
		if (ftruncate(f->fd_buffered, r->off)) {
			fail("truncate of file %u to %" PRIu64 ": %s", r->file,
			     r->off, strerror(errno));
			return;
		}
		/* what lies past the new size reads as zeros if it grows again */
		if (r->off < f->size) {
			struct rec z = *r;

			z.len = f->size - r->off;
			model_set(f, &z, true);
		}
		f->size = r->off;
		break;
	case OP_CORRUPT:
		/* behind the model's back: the read that follows must see it */
		buf[0] = f->model[r->off] ^ 0x5a;
		if (pwrite_all(f->fd_buffered, buf, 1, r->off))
			fail("corrupting file %u: %s", r->file, strerror(errno));
		break;
	default:
		break;
	}
}

/* does @r need the file to itself: it moves the size or reads all of it */
static bool exclusive(const struct tfile *f, const struct rec *r)
{
	switch (r->op) {
	case OP_TRUNCATE:
	case OP_VERIFY:
	case OP_CORRUPT:
		return true;
	case OP_WRITE_DIRECT:
	case OP_WRITE_BUFFERED:
	case OP_FALLOCATE:
	case OP_ZERO:
		return r->off + r->len > f->size;
	default:
		return false;
	}
}

static enum op pick_op(uint64_t *s)
{
	unsigned int sum = 0, x, i;

	for (i = 0; i < OP_COUNT; i++)
		sum += op_weight[i];
	x = below(s, sum);
	for (i = 0; i < OP_COUNT; i++) {
		if (x < op_weight[i])
			return i;
		x -= op_weight[i];
	}
	return OP_FSYNC;
}

/* a range inside one of thread @tid's chunks; whole blocks for direct IO */
static void pick_range(uint64_t *s, unsigned int tid, struct rec *r)
{
	uint64_t nchunks = o.size / o.chunk, per = nchunks / o.threads;
	uint64_t c = below(s, per) * o.threads + tid, base = c * o.chunk;
	uint64_t a, b;

	if (r->op == OP_WRITE_DIRECT || r->op == OP_READ_DIRECT ||
	    below(s, 2)) {
		a = below(s, o.chunk / BLK);
		b = below(s, o.chunk / BLK);
		if (a > b) {
			uint64_t t = a;

			a = b;
			b = t;
		}
		r->off = base + a * BLK;
		r->len = (b - a + 1) * BLK;
		return;
	}
	a = below(s, o.chunk);
	r->off = base + a;
	r->len = 1 + below(s, o.chunk - a);
}

/* choose the next operation of thread @tid */
static void pick(uint64_t *s, unsigned int tid, struct rec *r)
{
	memset(r, 0, sizeof(*r));
	r->tid = tid;
	r->file = below(s, o.files);
	r->op = pick_op(s);
	r->tag = rnd(s) | 1;
	switch (r->op) {
	case OP_FSYNC:
		break;
	case OP_TRUNCATE:
		/* between half the size and all of it, on any byte */
		r->off = o.size / 2 + below(s, o.size / 2 + 1);
		break;
	case OP_VERIFY:
		r->len = o.size;
		break;
	default:
		pick_range(s, tid, r);
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* take @r's lock, number it, run it, log it */
static void locked_op(struct rec *r, unsigned char *buf)
{
	struct tfile *f = &files[r->file];
	bool excl;

	pthread_rwlock_rdlock(&f->lock);
	excl = exclusive(f, r);
	if (excl) {
		/* the size may move while the lock is dropped: look again */
		pthread_rwlock_unlock(&f->lock);
		pthread_rwlock_wrlock(&f->lock);
	}
	r->seq = __atomic_fetch_add(&seq_next, 1, __ATOMIC_RELAXED);
	run_op(r, buf);
	pthread_rwlock_unlock(&f->lock);
	log_rec(r);
	__atomic_add_fetch(&op_count[r->op], 1, __ATOMIC_RELAXED);
}

struct worker {
	pthread_t thread;
	unsigned int tid;
	uint64_t deadline;
};

static void corrupt_once(uint64_t *s, unsigned int tid, unsigned char *buf)
{
	struct rec r = { .tid = tid, .op = OP_CORRUPT };
	struct tfile *f;

	r.file = below(s, o.files);
	f = &files[r.file];
	pthread_rwlock_wrlock(&f->lock);
	if (!f->size) {
		pthread_rwlock_unlock(&f->lock);
		fail("file %u is empty: nothing to corrupt", r.file);
		return;
	}
	r.off = below(s, f->size);
	r.len = 1;
	r.seq = __atomic_fetch_add(&seq_next, 1, __ATOMIC_RELAXED);
	run_op(&r, buf);
	log_rec(&r);
	__atomic_add_fetch(&op_count[OP_CORRUPT], 1, __ATOMIC_RELAXED);
	/* read the block back through the ordinary path, lock still held */
	r.op = below(s, 2) ? OP_READ_DIRECT : OP_READ_BUFFERED;
	r.off = r.off / BLK * BLK;
	r.len = BLK;
	r.seq = __atomic_fetch_add(&seq_next, 1, __ATOMIC_RELAXED);
	run_op(&r, buf);
	pthread_rwlock_unlock(&f->lock);
	log_rec(&r);
	__atomic_add_fetch(&op_count[r.op], 1, __ATOMIC_RELAXED);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	uint64_t s = o.seed * 0x2545f4914f6cdd1dULL + w->tid, n;
	unsigned char *buf;
	struct rec r;

	if (posix_memalign((void **)&buf, BLK, o.size)) {
		fail("out of memory");
		return NULL;
	}
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		n = __atomic_add_fetch(&ops_done, 1, __ATOMIC_RELAXED);
		if (o.ops && n > o.ops)
			break;
		if (w->deadline && now_ns() > w->deadline)
			break;
		if (o.corrupt && n == o.corrupt) {
			corrupt_once(&s, w->tid, buf);
			continue;
		}
		pick(&s, w->tid, &r);
		locked_op(&r, buf);
	}
	free(buf);
	return NULL;
}

static int open_files(bool create)
{
	char path[4096];
	unsigned int i;
	struct stat st;

	for (i = 0; i < o.files; i++) {
		struct tfile *f = &files[i];

		snprintf(path, sizeof(path), "%s/torture.%u", o.dir, i);
		f->fd_buffered = open(path, O_RDWR | O_CREAT | (create ? O_TRUNC : 0), 0644);
		if (f->fd_buffered < 0) {
			fprintf(stderr, "torture: %s: %s\n", path, strerror(errno));
			return -1;
		}
		f->fd_direct = open(path, O_RDWR | O_DIRECT);
		if (f->fd_direct < 0) {
			fprintf(stderr, "torture: %s: O_DIRECT: %s (the file system must support direct IO)\n",
				path, strerror(errno));
			return -1;
		}
		/* sparse and full size: writes go to holes inside i_size */
		if (fstat(f->fd_buffered, &st) || st.st_size ||
		    ftruncate(f->fd_buffered, o.size)) {
			fprintf(stderr, "torture: %s: cannot make it empty and %" PRIu64 " bytes long\n",
				path, o.size);
			return -1;
		}
		f->size = o.size;
		f->model = calloc(o.size, 1);
		f->last = calloc(o.size / BLK, sizeof(*f->last));
		if (!f->model || !f->last) {
			fprintf(stderr, "torture: out of memory\n");
			return -1;
		}
		pthread_rwlock_init(&f->lock, NULL);
	}
	return 0;
}

/* the whole of every file, read once more at the end */
static void verify_all(unsigned char *buf)
{
	struct rec r = { .op = OP_VERIFY, .len = o.size };
	unsigned int i;

	for (i = 0; i < o.files; i++) {
		r.file = i;
		locked_op(&r, buf);
	}
}

static int parse_u64(const char *s, uint64_t *v, bool suffix)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	if (suffix && (*end == 'k' || *end == 'K'))
		x <<= 10, end++;
	else if (suffix && (*end == 'm' || *end == 'M'))
		x <<= 20, end++;
	if (*end)
		return -1;
	*v = x;
	return 0;
}

static void usage(FILE *out)
{
	fputs("usage: torture [-t THREADS] [-f FILES] [-s SIZE] [-c CHUNK] [-n OPS | -d SECS]\n"
	      "               [--seed N] [--log FILE] [--corrupt N] DIR\n"
	      "       torture --replay LOG DIR\n"
	      "Random direct and buffered writes and reads, fallocate, punch, zero range,\n"
	      "truncate and fsync by THREADS threads (4) on FILES files (2) of up to SIZE\n"
	      "bytes (4M) in DIR, each thread in its own CHUNK-byte chunks (16k), every\n"
	      "read checked against a model. -n: operations in all (default 10000);\n"
	      "-d: run for SECS seconds instead. --log: the operations, to --replay.\n"
	      "--corrupt N: change a byte behind the model's back after N operations.\n"
	      "Exit status: 0 all reads matched, 1 a mismatch, 2 an error.\n", out);
}

static int parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "threads", required_argument, NULL, 't' },
		{ "files", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 's' },
		{ "chunk", required_argument, NULL, 'c' },
		{ "ops", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 'S' },
		{ "log", required_argument, NULL, 'l' },
		{ "corrupt", required_argument, NULL, 'C' },
		{ "replay", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "t:f:s:c:n:d:l:h", lo, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_u64(optarg, &v, false) || !v || v > MAX_THREADS)
				goto bad;
			o.threads = v;
			break;
		case 'f':
			if (parse_u64(optarg, &v, false) || !v || v > MAX_FILES)
				goto bad;
			o.files = v;
			break;
		case 's':
			if (parse_u64(optarg, &o.size, true))
				goto bad;
			break;
		case 'c':
			if (parse_u64(optarg, &o.chunk, true))
				goto bad;
			break;
		case 'n':
			if (parse_u64(optarg, &o.ops, false) || !o.ops)
				goto bad;
			break;
		case 'd':
			o.secs = strtod(optarg, &end);
			if (*end || end == optarg || !(o.secs > 0))
				goto bad;
			break;
		case 'S':
			if (parse_u64(optarg, &o.seed, false))
				goto bad;
			break;
		case 'l':
			o.log = optarg;
			break;
		case 'C':
			if (parse_u64(optarg, &o.corrupt, false) || !o.corrupt)
				goto bad;
			break;
		case 'R':
			o.replay = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "torture: one directory is needed\n");
		usage(stderr);
		return -1;
	}
	o.dir = argv[optind];
	if (!o.chunk || o.chunk % BLK || !o.size || o.size % o.chunk ||
	    o.size / o.chunk < o.threads) {
		fprintf(stderr, "torture: --chunk must be a multiple of %llu and --size a multiple of it, with a chunk for every thread\n",
			BLK);
		return -1;
	}
	if (o.ops && o.secs > 0) {
		fprintf(stderr, "torture: -n and -d exclude each other\n");
		return -1;
	}
	if (!o.ops && !(o.secs > 0))
		o.ops = 10000;
	if (o.corrupt && o.ops && o.corrupt > o.ops) {
		fprintf(stderr, "torture: --corrupt must come within -n\n");
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "torture: bad value '%s' for -%c\n", optarg, c == 'S' ? 'S' : c);
	return -1;
}

static int op_by_name(const char *name)
{
	int i;

	for (i = 0; i < OP_COUNT; i++)
		if (!strcmp(name, op_names[i]))
			return i;
	return -1;
}

static int cmp_seq(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* read the log's header and operations; the header sets the options */
static struct rec *read_log(FILE *in, size_t *n)
{
	struct rec *v = NULL, *nv;
	size_t cap = 0;
	char line[256], name[64];
	unsigned int threads, nfiles;
	int op;

	*n = 0;
	if (!fgets(line, sizeof(line), in) ||
	    sscanf(line, "# torture threads %u files %u size %" SCNu64 " chunk %" SCNu64 " seed %" SCNu64,
		   &threads, &nfiles, &o.size, &o.chunk, &o.seed) != 5 ||
	    !nfiles || nfiles > MAX_FILES || !o.size) {
		fprintf(stderr, "torture: %s is not a torture log\n", o.replay);
		return NULL;
	}
	o.threads = threads;
	o.files = nfiles;
	while (fgets(line, sizeof(line), in)) {
		struct rec r = { 0 };

		if (line[0] == '#')
			continue;
		if (sscanf(line, "%" SCNu64 " %u %u %63s %" SCNu64 " %" SCNu64 " %" SCNu64,
			   &r.seq, &r.tid, &r.file, name, &r.off, &r.len, &r.tag) != 7 ||
		    (op = op_by_name(name)) < 0 || r.file >= o.files ||
		    r.off > o.size || r.len > o.size - r.off) {
			fprintf(stderr, "torture: %s: bad line: %s", o.replay, line);
			free(v);
			return NULL;
		}
		r.op = op;
		if (*n == cap) {
			cap = cap ? cap * 2 : 1024;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				return NULL;
			}
			v = nv;
		}
		v[(*n)++] = r;
	}
	qsort(v, *n, sizeof(*v), cmp_seq);
	return v;
}

static int replay(void)
{
	FILE *in = fopen(o.replay, "r");
	unsigned char *buf;
	struct rec *v;
	size_t n, i;

	if (!in) {
		fprintf(stderr, "torture: %s: %s\n", o.replay, strerror(errno));
		return 2;
	}
	v = read_log(in, &n);
	fclose(in);
	if (!v || open_files(true) || posix_memalign((void **)&buf, BLK, o.size))
		return 2;
	for (i = 0; i < n && !sys_failed; i++) {
		seq_next = v[i].seq;
		locked_op(&v[i], buf);
	}
	free(v);
	free(buf);
	printf("replayed %zu operations\n", i);
	return sys_failed ? 2 : mismatches ? 1 : 0;
}

static void summary(double secs)
{
	uint64_t total = 0;
	int i;

	for (i = 0; i < OP_COUNT; i++) {
		printf("ops %s %" PRIu64 "\n", op_names[i], op_count[i]);
		total += op_count[i];
	}
	printf("result ops %" PRIu64 " mismatches %" PRIu64 " errors %d seconds %.1f seed %" PRIu64 " threads %u files %u size %" PRIu64 " chunk %" PRIu64 "\n",
	       total, mismatches, sys_failed, secs, o.seed, o.threads, o.files,
	       o.size, o.chunk);
}

int main(int argc, char **argv)
{
	struct worker w[MAX_THREADS];
	unsigned char *buf;
	uint64_t t0, deadline = 0;
	unsigned int i;
	int rc;

	if (parse(argc, argv))
		return 2;
	if (o.replay) {
		rc = replay();
		summary(0);
		return rc;
	}
	if (o.log) {
		logf = fopen(o.log, "w");
		if (!logf) {
			fprintf(stderr, "torture: %s: %s\n", o.log, strerror(errno));
			return 2;
		}
		fprintf(logf, "# torture threads %u files %u size %" PRIu64 " chunk %" PRIu64 " seed %" PRIu64 "\n",
			o.threads, o.files, o.size, o.chunk, o.seed);
	}
	if (open_files(true) || posix_memalign((void **)&buf, BLK, o.size))
		return 2;
	t0 = now_ns();
	if (o.secs > 0)
		deadline = t0 + (uint64_t)(o.secs * 1e9);
	for (i = 0; i < o.threads; i++) {
		w[i].tid = i;
		w[i].deadline = deadline;
		if (pthread_create(&w[i].thread, NULL, work, &w[i])) {
			fprintf(stderr, "torture: cannot start thread %u\n", i);
			return 2;
		}
	}
	for (i = 0; i < o.threads; i++)
		pthread_join(w[i].thread, NULL);
	if (!sys_failed)
		verify_all(buf);
	summary((now_ns() - t0) / 1e9);
	if (logf && fclose(logf)) {
		fprintf(stderr, "torture: %s: %s\n", o.log, strerror(errno));
		return 2;
	}
	free(buf);
	if (sys_failed)
		return 2;
	return mismatches ? 1 : 0;
}
