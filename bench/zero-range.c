// SPDX-License-Identifier: GPL-2.0
/*
 * zero-range: the bench's workload for writes beside FALLOC_FL_ZERO_RANGE,
 * which fio has no engine for. It is what a VM image sees when its guest
 * issues write-zeroes: writers write at random into the image while the
 * ranges next to what they just wrote are zeroed.
 *
 * The file is cut into chunks of zero-bs bytes. Each writer picks a chunk
 * at random and writes its last bs bytes (buffered and pushed to
 * writeback with sync_file_range, or O_DIRECT); then the zeroing thread
 * zeroes the whole next chunk. A written chunk that is zeroed becomes one
 * unwritten extent, which ext4 merges with an unwritten left neighbour:
 * the piece of the write just made, when its writeback is still in flight.
 *
 * It is run like fio (`zero-range --output-format=json --output=F JOB`):
 * JOB holds key=value lines with ${VAR} taken from the environment, the
 * same keys as the long options. Per writer it writes a latency log in
 * fio 3.33's write_lat_log format (log_offset=1, per_job_logs=1) and at
 * the end a JSON summary shaped like fio's, so that dioscope joins and
 * summarises it as it does fio.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define VERSION "zero-range-1"
#define MAX_WRITERS 64
#define LINE_MAX_LEN 1024

struct opts {
	const char *file, *log, *output;
	unsigned long long size, bs, zero_bs;
	unsigned int runtime, writers, seed;
	bool direct, sync;
};

struct writer {
	pthread_t thread;
	unsigned int id;
	unsigned long long *lat;	/* ns, one per write */
	size_t n, cap;
	FILE *log;
	int err;
};

static struct opts o = {
	.bs = 4096, .runtime = 5, .writers = 1, .seed = 1,
};
static int fd = -1;
static unsigned long long nchunks, t0_ns, zero_ops, zero_ns;
static int zero_err;
static atomic_bool stop;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static unsigned long long written_seq, last_chunk;

enum { O_FILE = 1, O_SIZE, O_BS, O_ZERO_BS, O_RUNTIME, O_WRITERS, O_SEED,
       O_DIRECT_OPT, O_SYNC_OPT, O_LOG, O_OUTPUT, O_FORMAT, O_ETA };

/* One table for the command line and the job file. */
static const struct option longopts[] = {
	{ "file",		required_argument, NULL, O_FILE },
	{ "size",		required_argument, NULL, O_SIZE },
	{ "bs",			required_argument, NULL, O_BS },
	{ "zero-bs",		required_argument, NULL, O_ZERO_BS },
	{ "runtime",		required_argument, NULL, O_RUNTIME },
	{ "writers",		required_argument, NULL, O_WRITERS },
	{ "seed",		required_argument, NULL, O_SEED },
	{ "direct",		required_argument, NULL, O_DIRECT_OPT },
	{ "sync",		required_argument, NULL, O_SYNC_OPT },
	{ "log",		required_argument, NULL, O_LOG },
	{ "output",		required_argument, NULL, O_OUTPUT },
	{ "output-format",	required_argument, NULL, O_FORMAT },
	{ "eta",		required_argument, NULL, O_ETA },
	{ "help",		no_argument,       NULL, 'h' },
	{ "version",		no_argument,       NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: zero-range [--KEY=VALUE]... [JOBFILE]\n"
"\n"
"Writes at random into FILE while the chunk after each write is zeroed\n"
"with fallocate(FALLOC_FL_ZERO_RANGE). Writers write the last BS bytes of\n"
"a random chunk of ZERO_BS bytes; one thread zeroes the chunk after it.\n"
"JOBFILE holds KEY=VALUE lines (';' or '#' starts a comment) with ${VAR}\n"
"replaced from the environment; the command line wins over it.\n"
"\n"
"  --file=PATH          the file, at least SIZE bytes already (required)\n"
"  --size=BYTES         bytes of the file to use (required; k, m, g)\n"
"  --bs=BYTES           bytes per write (default 4k)\n"
"  --zero-bs=BYTES      chunk and zero-range size (default 16 x BS)\n"
"  --runtime=SEC        seconds to run (default 5)\n"
"  --writers=N          writing threads, 1 to %d (default 1)\n"
"  --direct=0|1         O_DIRECT writes; else buffered writes, each pushed\n"
"                       to writeback at once with sync_file_range\n"
"  --sync=0|1           open with O_SYNC (default 0)\n"
"  --seed=N             random seed (default 1)\n"
"  --log=PREFIX         per writer PREFIX_lat.N.log, N from 1, fio's format\n"
"  --output=FILE        the JSON summary (default standard output)\n"
"  --output-format=json the only format (accepted for fio's command line)\n"
"  --eta=never          accepted and ignored, as fio's\n"
"  --version            print the driver's version (its fio.json says it too)\n"
"  -h, --help           this text\n", MAX_WRITERS);
}

static int parse_bytes(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int parse_uint(const char *s, unsigned int lo, unsigned int hi,
		      unsigned int *out)
{
	unsigned long long v;

	if (parse_bytes(s, &v) || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (strcmp(s, "0") && strcmp(s, "1"))
		return -1;
	*out = *s == '1';
	return 0;
}

/* Values live as long as the program: they come from argv or strdup. */
static int set_opt(int id, const char *v)
{
	switch (id) {
	case O_FILE: o.file = v; return 0;
	case O_LOG: o.log = v; return 0;
	case O_OUTPUT: o.output = v; return 0;
	case O_SIZE: return parse_bytes(v, &o.size);
	case O_BS: return parse_bytes(v, &o.bs);
	case O_ZERO_BS: return parse_bytes(v, &o.zero_bs);
	case O_RUNTIME: return parse_uint(v, 1, 86400, &o.runtime);
	case O_WRITERS: return parse_uint(v, 1, MAX_WRITERS, &o.writers);
	case O_SEED: return parse_uint(v, 0, ~0u, &o.seed);
	case O_DIRECT_OPT: return parse_bool(v, &o.direct);
	case O_SYNC_OPT: return parse_bool(v, &o.sync);
	case O_FORMAT: return strcmp(v, "json") ? -1 : 0;
	case O_ETA: return 0;
	}
	return -1;
}

/* ${VAR} from the environment; an unset VAR is an error, as in fio. */
static int expand(const char *in, char *out, size_t len, const char **bad)
{
	size_t n = 0;

	while (*in) {
		const char *end, *val;
		char name[128];

		if (in[0] != '$' || in[1] != '{') {
			if (n + 1 >= len)
				return -1;
			out[n++] = *in++;
			continue;
		}
		end = strchr(in, '}');
		if (!end || (size_t)(end - in - 2) >= sizeof(name))
			return -1;
		memcpy(name, in + 2, end - in - 2);
		name[end - in - 2] = '\0';
		val = getenv(name);
		if (!val) {
			*bad = in;
			return -1;
		}
		if (n + strlen(val) >= len)
			return -1;
		n += sprintf(out + n, "%s", val);
		in = end + 1;
	}
	out[n] = '\0';
	return 0;
}

static const struct option *find_opt(const char *key)
{
	const struct option *op;

	for (op = longopts; op->name; op++)
		if (!strcmp(op->name, key) && op->has_arg == required_argument)
			return op;
	return NULL;
}

/* One line of a job file; 0, or -1 with a message. */
static int job_line(const char *path, unsigned int ln, char *line)
{
	char val[LINE_MAX_LEN];
	const struct option *op;
	const char *bad = NULL;
	char *eq, *end;

	line[strcspn(line, ";#\r\n")] = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	for (end = line + strlen(line); end > line &&
	     (end[-1] == ' ' || end[-1] == '\t'); end--)
		end[-1] = '\0';
	if (!*line || *line == '[')
		return 0;	/* blank, or a section name as fio has them */
	eq = strchr(line, '=');
	if (eq)
		*eq = '\0';
	op = find_opt(line);
	if (!eq || !op) {
		fprintf(stderr, "zero-range: %s:%u: unknown key '%s'\n", path, ln, line);
		return -1;
	}
	if (expand(eq + 1, val, sizeof(val), &bad)) {
		fprintf(stderr, "zero-range: %s:%u: %s\n", path, ln,
			bad ? "variable not set in the environment" : "value too long");
		return -1;
	}
	if (set_opt(op->val, strdup(val))) {
		fprintf(stderr, "zero-range: %s:%u: bad value '%s' for %s\n",
			path, ln, val, line);
		return -1;
	}
	return 0;
}

static int read_job(const char *path)
{
	char line[LINE_MAX_LEN];
	unsigned int ln = 0;
	FILE *f = fopen(path, "r");
	int err = 0;

	if (!f) {
		fprintf(stderr, "zero-range: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (!err && fgets(line, sizeof(line), f))
		err = job_line(path, ++ln, line);
	fclose(f);
	return err;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int keep_lat(struct writer *w, unsigned long long ns)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 4096;
		unsigned long long *p = realloc(w->lat, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		w->lat = p;
		w->cap = cap;
	}
	w->lat[w->n++] = ns;
	return 0;
}

static int write_one(struct writer *w, void *buf, unsigned int *rnd)
{
	unsigned long long c = rand_r(rnd) % nchunks;
	unsigned long long off = (c + 1) * o.zero_bs - o.bs, t, lat;
	ssize_t n;

	t = now_ns();
	n = pwrite(fd, buf, o.bs, off);
	if (n != (ssize_t)o.bs)
		return n < 0 ? -errno : -EIO;
	/* start writeback and leave it in flight, as a VM's flush would not */
	if (!o.direct && sync_file_range(fd, off, o.bs, SYNC_FILE_RANGE_WRITE))
		return -errno;
	lat = now_ns() - t;
	if (w->log)
		fprintf(w->log, "%llu, %llu, 1, %llu, %llu, 0\n",
			(now_ns() - t0_ns) / 1000000, lat, o.bs, off);
	pthread_mutex_lock(&lock);
	last_chunk = c;
	written_seq++;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	return keep_lat(w, lat);
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	unsigned int rnd = o.seed * 7919 + w->id;
	void *buf;

	if (posix_memalign(&buf, 4096, o.bs)) {
		w->err = -ENOMEM;
		return NULL;
	}
	memset(buf, 0xa5, o.bs);
	while (!atomic_load(&stop) && !w->err)
		w->err = write_one(w, buf, &rnd);
	if (w->err)
		atomic_store(&stop, true);
	free(buf);
	return NULL;
}

/* Zero the chunk after each new write, as soon as the write is made. */
static void *zeroer_main(void *arg)
{
	unsigned long long seen = 0, c, t;

	for (;;) {
		pthread_mutex_lock(&lock);
		while (written_seq == seen && !atomic_load(&stop))
			pthread_cond_wait(&wake, &lock);
		seen = written_seq;
		c = (last_chunk + 1) % nchunks;
		pthread_mutex_unlock(&lock);
		if (atomic_load(&stop))
			return NULL;
		t = now_ns();
		if (fallocate(fd, FALLOC_FL_ZERO_RANGE, c * o.zero_bs, o.zero_bs)) {
			zero_err = errno;
			atomic_store(&stop, true);
			return NULL;
		}
		zero_ns += now_ns() - t;
		zero_ops++;
	}
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank of a sorted sample. */
static unsigned long long pct(const struct writer *w, double p)
{
	size_t i = (size_t)(p / 100.0 * w->n + 0.999999);

	if (!w->n)
		return 0;
	return w->lat[i ? i - 1 : 0];
}

static json_object *ddir(const struct writer *w, double secs)
{
	static const double ps[] = { 1, 5, 10, 50, 90, 95, 99, 99.5, 99.9 };
	json_object *d = json_object_new_object(), *lat, *pc;
	unsigned long long sum = 0;
	char key[32];
	size_t i;

	json_object_object_add(d, "total_ios", json_object_new_int64(w ? w->n : 0));
	json_object_object_add(d, "iops",
			       json_object_new_double(w ? w->n / secs : 0));
	if (!w || !w->n)
		return d;
	for (i = 0; i < w->n; i++)
		sum += w->lat[i];
	lat = json_object_new_object();
	json_object_object_add(lat, "min", json_object_new_int64(w->lat[0]));
	json_object_object_add(lat, "max", json_object_new_int64(w->lat[w->n - 1]));
	json_object_object_add(lat, "mean", json_object_new_double((double)sum / w->n));
	pc = json_object_new_object();
	for (i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		snprintf(key, sizeof(key), "%f", ps[i]);
		json_object_object_add(pc, key, json_object_new_int64(pct(w, ps[i])));
	}
	json_object_object_add(lat, "percentile", pc);
	json_object_object_add(d, "lat_ns", lat);
	return d;
}

static json_object *summary(struct writer *ws, double secs)
{
	json_object *root = json_object_new_object(), *jobs, *z;
	unsigned int i;

	json_object_object_add(root, "fio version", json_object_new_string(VERSION));
	jobs = json_object_new_array();
	for (i = 0; i < o.writers; i++) {
		struct writer *w = &ws[i];
		json_object *j = json_object_new_object();

		qsort(w->lat, w->n, sizeof(*w->lat), cmp_ull);
		json_object_object_add(j, "jobname", json_object_new_string("writer"));
		json_object_object_add(j, "error", json_object_new_int(-w->err));
		json_object_object_add(j, "read", ddir(NULL, secs));
		json_object_object_add(j, "write", ddir(w, secs));
		json_object_array_add(jobs, j);
	}
	json_object_object_add(root, "jobs", jobs);
	/* the zeroing is not an IO of fio's kind: apart, not in "jobs" */
	z = json_object_new_object();
	json_object_object_add(z, "ops", json_object_new_int64(zero_ops));
	json_object_object_add(z, "bytes", json_object_new_int64(zero_ops * o.zero_bs));
	json_object_object_add(z, "mean_ns", json_object_new_double(
		zero_ops ? (double)zero_ns / zero_ops : 0));
	json_object_object_add(z, "error", json_object_new_int(zero_err));
	json_object_object_add(root, "zero_range", z);
	return root;
}

static int write_summary(struct writer *ws, double secs)
{
	json_object *root = summary(ws, secs);
	const char *s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
	FILE *f = o.output ? fopen(o.output, "w") : stdout;
	int err = 0;

	if (!f) {
		fprintf(stderr, "zero-range: %s: %s\n", o.output, strerror(errno));
		json_object_put(root);
		return -1;
	}
	if (fprintf(f, "%s\n", s) < 0)
		err = -1;
	if (f != stdout && fclose(f))
		err = -1;
	json_object_put(root);
	return err;
}

static int check_opts(void)
{
	if (!o.file || !o.size) {
		fprintf(stderr, "zero-range: file and size are required (--help)\n");
		return -1;
	}
	if (!o.zero_bs)
		o.zero_bs = 16 * o.bs;
	if (!o.bs || o.bs > o.zero_bs || o.zero_bs % 4096 ||
	    o.bs % 512) {
		fprintf(stderr, "zero-range: bs must be a multiple of 512 and at most zero-bs, zero-bs a multiple of 4k\n");
		return -1;
	}
	nchunks = o.size / o.zero_bs;
	if (nchunks < 2) {
		fprintf(stderr, "zero-range: size holds fewer than two chunks\n");
		return -1;
	}
	return 0;
}

static int open_logs(struct writer *ws)
{
	char path[4096];
	unsigned int i;

	for (i = 0; i < o.writers; i++) {
		ws[i].id = i;
		if (!o.log)
			continue;
		snprintf(path, sizeof(path), "%s_lat.%u.log", o.log, i + 1);
		ws[i].log = fopen(path, "w");
		if (!ws[i].log) {
			fprintf(stderr, "zero-range: %s: %s\n", path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int run(struct writer *ws)
{
	struct timespec tick = { .tv_nsec = 50 * 1000000 };
	unsigned long long end;
	pthread_t zt;
	unsigned int i;
	int err = 0;

	t0_ns = now_ns();
	if (pthread_create(&zt, NULL, zeroer_main, NULL))
		return -1;
	for (i = 0; i < o.writers; i++)
		if (pthread_create(&ws[i].thread, NULL, writer_main, &ws[i]))
			break;
	/* a writer that fails stops the run early */
	end = t0_ns + o.runtime * 1000000000ULL;
	while (now_ns() < end && !atomic_load(&stop))
		nanosleep(&tick, NULL);
	atomic_store(&stop, true);
	pthread_mutex_lock(&lock);
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&lock);
	while (i--) {
		pthread_join(ws[i].thread, NULL);
		if (ws[i].err) {
			fprintf(stderr, "zero-range: writer %u: %s\n", i + 1,
				strerror(-ws[i].err));
			err = -1;
		}
	}
	pthread_join(zt, NULL);
	if (zero_err) {
		fprintf(stderr, "zero-range: fallocate(FALLOC_FL_ZERO_RANGE): %s\n",
			strerror(zero_err));
		err = -1;
	}
	return err;
}

/* Options on the command line win over the job file's: applied after it. */
static int parse_args(int argc, char **argv)
{
	static struct { int id; const char *v; } cl[64];
	int c, n = 0, i;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			exit(0);
		}
		/* as fio --version, for the bench's meta */
		if (c == 'V') {
			puts(VERSION);
			exit(0);
		}
		if (c == '?' || n == (int)(sizeof(cl) / sizeof(cl[0]))) {
			usage(stderr);
			return -1;
		}
		cl[n].id = c;
		cl[n++].v = optarg;
	}
	if (optind < argc - 1) {
		fprintf(stderr, "zero-range: one job file at most\n");
		return -1;
	}
	if (optind < argc && read_job(argv[optind]))
		return -1;
	for (i = 0; i < n; i++) {
		if (set_opt(cl[i].id, cl[i].v)) {
			fprintf(stderr, "zero-range: bad value '%s'\n", cl[i].v);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct writer ws[MAX_WRITERS] = { 0 };
	double secs;
	unsigned int i;
	int err;

	if (parse_args(argc, argv) || check_opts() || open_logs(ws))
		return 1;
	fd = open(o.file, O_WRONLY | (o.direct ? O_DIRECT : 0) |
		  (o.sync ? O_SYNC : 0));
	if (fd < 0) {
		fprintf(stderr, "zero-range: %s: %s\n", o.file, strerror(errno));
		return 1;
	}
	err = run(ws);
	secs = (now_ns() - t0_ns) / 1e9;
	for (i = 0; i < o.writers; i++)
		if (ws[i].log && fclose(ws[i].log))
			err = -1;
	/* what a buffered run left in the page cache is not the bench's */
	if (!o.direct && fsync(fd))
		err = -1;
	close(fd);
	if (write_summary(ws, secs))
		err = -1;
	for (i = 0; i < o.writers; i++)
		free(ws[i].lat);
	return err ? 1 : 0;
}
