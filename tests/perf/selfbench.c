// SPDX-License-Identifier: GPL-2.0
/*
 * selfbench: what dioscope itself costs.
 *
 *   selfbench event-cost [--tier T] [--iters N]
 *	ns added to a traced call per event, for one attach tier: a tight
 *	loop of getppid() without and with a program emitting one event per
 *	call, the events drained by a reader thread.
 *   selfbench prog-cost PID
 *	runs and run time of every BPF program PID holds (another tracer,
 *	bpftrace), from bpf_prog_info: to set beside dioscope's own.
 *   selfbench with-stats COMMAND [ARGS...]
 *	COMMAND with the kernel's BPF run-time statistics on, and off again
 *	after it.
 *   selfbench throughput [--seconds S] [--out FILE]
 *	the highest event rate the collector consumes without loss: paced
 *	bursts of events through the ring buffer into a record file, rate
 *	doubled until the kernel side reports lost events.
 *
 * Output: CSV rows "metric,tier,value,unit" on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <sys/wait.h>
#include "run/record_file.h"
#include "trace/prog_stats.h"
#include "trace/targets.h"
#include "loadgen.skel.h"

struct reader {
	struct ring_buffer *rb;
	struct record_writer *w;
	atomic_bool stop;
	atomic_ullong seen;
};

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct reader *r = ctx;

	if (r->w)
		record_writer_add(r->w, data);
	atomic_fetch_add_explicit(&r->seen, 1, memory_order_relaxed);
	return 0;
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;

	while (!atomic_load(&r->stop))
		ring_buffer__poll(r->rb, 10);
	while (ring_buffer__consume(r->rb) > 0)
		;
	return NULL;
}

static __u64 lost_events(struct loadgen_bpf *skel)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	__u64 vals[1024] = { 0 }, sum = 0;
	__u32 zero = 0;

	if (ncpu > 1024 ||
	    bpf_map_lookup_elem(bpf_map__fd(skel->maps.lost), &zero, vals))
		return 0;
	for (i = 0; i < ncpu; i++)
		sum += vals[i];
	return sum;
}

static const char *prog_for(enum ds_tier tier)
{
	switch (tier) {
	case DS_TIER_FENTRY:
		return "fentry_getppid";
	case DS_TIER_KPROBE:
		return "kprobe_getppid";
	default:
		return "tp_getppid";
	}
}

/*
 * What getppid() runs that fentry can attach to: the syscall's wrapper, or,
 * where the kernel's BTF lacks the wrapper (Debian's 6.1), the pid lookup
 * it calls once per call.
 */
static const char *const fentry_targets[] = {
	"__x64_sys_getppid", "__task_pid_nr_ns",
};

static struct loadgen_bpf *load_one(enum ds_tier tier, __u32 burst,
				    const char *fentry_target)
{
	struct loadgen_bpf *skel = loadgen_bpf__open();
	struct bpf_program *p;
	int err;

	if (!skel)
		return NULL;
	skel->rodata->targ_tgid = getpid();
	skel->rodata->burst = burst;
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, !strcmp(bpf_program__name(p),
						     prog_for(tier)));
	if (tier == DS_TIER_FENTRY) {
		p = bpf_object__find_program_by_name(skel->obj, prog_for(tier));
		bpf_program__set_attach_target(p, 0, fentry_target);
	}
	if (!loadgen_bpf__load(skel))
		return skel;
	err = errno;
	loadgen_bpf__destroy(skel);
	errno = err;
	return NULL;
}

static struct loadgen_bpf *open_loadgen(enum ds_tier tier, __u32 burst,
					struct bpf_link **link)
{
	struct loadgen_bpf *skel = NULL;
	struct bpf_program *p;
	size_t i;

	for (i = 0; !skel && i < sizeof(fentry_targets) / sizeof(*fentry_targets); i++) {
		skel = load_one(tier, burst, fentry_targets[i]);
		if (tier != DS_TIER_FENTRY)
			break;
	}
	if (!skel)
		goto fail;
	p = bpf_object__find_program_by_name(skel->obj, prog_for(tier));
	*link = bpf_program__attach(p);
	if (!*link)
		goto fail;
	return skel;
fail:
	fprintf(stderr, "selfbench: %s tier does not load or attach here: %s\n",
		tier_name(tier), strerror(errno));
	loadgen_bpf__destroy(skel);
	return NULL;
}

static double loop_ns(long iters)
{
	__u64 t0 = now_ns();
	long i;

	for (i = 0; i < iters; i++)
		syscall(SYS_getppid);
	return (double)(now_ns() - t0) / iters;
}

/* Median of five timings: one slow pass (a preemption) must not count. */
static double median_loop_ns(long iters)
{
	double v[5], t;
	int i, j;

	for (i = 0; i < 5; i++)
		v[i] = loop_ns(iters);
	for (i = 1; i < 5; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[2];
}

static int event_cost(enum ds_tier tier, long iters)
{
	struct reader r = { 0 };
	struct bpf_link *link = NULL;
	struct loadgen_bpf *skel;
	double base, traced;
	pthread_t th;

	base = median_loop_ns(iters);
	skel = open_loadgen(tier, 1, &link);
	if (!skel)
		return 1;
	r.rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, &r,
				NULL);
	if (!r.rb || pthread_create(&th, NULL, reader_main, &r))
		return 1;
	traced = median_loop_ns(iters);
	atomic_store(&r.stop, true);
	pthread_join(th, NULL);
	printf("syscall_ns_untraced,%s,%.1f,ns\n", tier_name(tier), base);
	printf("syscall_ns_traced,%s,%.1f,ns\n", tier_name(tier), traced);
	printf("event_cost_ns,%s,%.1f,ns\n", tier_name(tier), traced - base);
	printf("events_seen,%s,%llu,events\n", tier_name(tier),
	       (unsigned long long)atomic_load(&r.seen));
	printf("events_lost,%s,%llu,events\n", tier_name(tier),
	       (unsigned long long)lost_events(skel));
	ring_buffer__free(r.rb);
	bpf_link__destroy(link);
	loadgen_bpf__destroy(skel);
	return 0;
}

#define BURST 64

/*
 * Emit `rate` events per second for `secs` seconds in bursts of BURST,
 * sleeping between bursts to keep the pace. Returns events emitted.
 */
static __u64 paced(double rate, double secs)
{
	__u64 t0 = now_ns(), end = t0 + secs * 1e9, n = 0, due;
	struct timespec ts;

	while (now_ns() < end) {
		syscall(SYS_getppid);
		n += BURST;
		due = t0 + n / rate * 1e9;
		if (due > now_ns() + 50000) {
			ts.tv_sec = 0;
			ts.tv_nsec = due - now_ns();
			nanosleep(&ts, NULL);
		}
	}
	return n;
}

struct rate_result {
	double rate, consumed_per_s;
	__u64 emitted, seen, lost;
};

static int run_rate(double rate, double secs, const char *out,
		    struct rate_result *res)
{
	struct record_writer w;
	struct reader r = { .w = &w };
	struct bpf_link *link = NULL;
	struct loadgen_bpf *skel;
	pthread_t th;
	__u64 t0;

	skel = open_loadgen(DS_TIER_TRACEPOINT, BURST, &link);
	if (!skel)
		return -1;
	if (record_writer_open(&w, out))
		return -1;
	r.rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, &r,
				NULL);
	if (!r.rb || pthread_create(&th, NULL, reader_main, &r))
		return -1;
	t0 = now_ns();
	res->rate = rate;
	res->emitted = paced(rate, secs);
	atomic_store(&r.stop, true);
	pthread_join(th, NULL);
	res->consumed_per_s = atomic_load(&r.seen) * 1e9 / (now_ns() - t0);
	res->seen = atomic_load(&r.seen);
	res->lost = lost_events(skel);
	record_writer_close(&w);
	ring_buffer__free(r.rb);
	bpf_link__destroy(link);
	loadgen_bpf__destroy(skel);
	return 0;
}

static int throughput(double secs, const char *out)
{
	struct rate_result res, best = { 0 };
	struct rusage ru;
	double rate;

	for (rate = 250000; rate <= 64e6; rate *= 2) {
		if (run_rate(rate, secs, out, &res))
			return 1;
		fprintf(stderr, "rate %.2fM/s: emitted %llu, consumed %llu, lost %llu\n",
			rate / 1e6, (unsigned long long)res.emitted,
			(unsigned long long)res.seen,
			(unsigned long long)res.lost);
		if (res.lost)
			break;
		best = res;
		/* the producer cannot go faster: no loss up to its limit */
		if (res.emitted < 0.9 * rate * secs)
			break;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("zero_loss_rate,tracepoint,%.0f,events/s\n", best.consumed_per_s);
	printf("loss_reached,tracepoint,%d,bool\n", res.lost ? 1 : 0);
	if (res.lost)
		printf("first_loss_rate,tracepoint,%.0f,events/s\n", res.rate);
	printf("first_loss_fraction,tracepoint,%.4f,ratio\n",
	       res.lost ? (double)res.lost / (res.lost + res.seen) : 0);
	printf("collector_max_rss,tracepoint,%ld,KiB\n", ru.ru_maxrss);
	unlink(out);
	return 0;
}

/* The ids of the BPF programs a process holds, from its fds' fdinfo. */
static int held_prog_ids(const char *pid, __u32 *ids, int max)
{
	char dir[64], path[320], line[128];
	struct dirent *d;
	int n = 0;
	DIR *dp;

	snprintf(dir, sizeof(dir), "/proc/%s/fdinfo", pid);
	dp = opendir(dir);
	if (!dp)
		return -errno;
	while ((d = readdir(dp)) && n < max) {
		unsigned int id;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "prog_id: %u", &id) == 1)
				ids[n++] = id;
		fclose(f);
	}
	closedir(dp);
	return n;
}

static int prog_cost(const char *pid)
{
	static struct prog_stats s;
	__u32 ids[PROG_STATS_MAX];
	int n = held_prog_ids(pid, ids, PROG_STATS_MAX), err, i, j, dup;

	if (n < 0) {
		fprintf(stderr, "selfbench: process %s: %s\n", pid, strerror(-n));
		return 1;
	}
	/* one program may sit behind several fds */
	for (i = 0, j = 0; i < n; i++) {
		for (dup = 0; dup < j && ids[dup] != ids[i]; dup++)
			;
		if (dup == j)
			ids[j++] = ids[i];
	}
	err = prog_stats_read_ids(ids, j, &s);
	if (err) {
		fprintf(stderr, "selfbench: bpf_prog_info: %s\n", strerror(-err));
		return 1;
	}
	printf("programs,%d\nruns,%llu\nrun_time_ns,%llu\n", s.n,
	       (unsigned long long)s.total.runs,
	       (unsigned long long)s.total.run_time_ns);
	return 0;
}

static int with_stats(char **argv)
{
	struct prog_stats_switch sw;
	int st = 0;
	pid_t pid;

	if (prog_stats_on(&sw) == PROG_STATS_OFF) {
		fprintf(stderr, "selfbench: BPF statistics: %s\n", sw.why);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	prog_stats_off(&sw);
	return pid > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tier", required_argument, NULL, 't' },
		{ "iters", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	enum ds_tier tier = DS_TIER_TRACEPOINT;
	const char *out = "/tmp/selfbench-events.bin";
	long iters = 2000000;
	double secs = 2;
	int opt;

	if (argc < 2) {
		fprintf(stderr, "usage: selfbench event-cost|throughput [--tier T] [--iters N] [--seconds S] [--out FILE]\n"
			"       selfbench prog-cost PID\n"
			"       selfbench with-stats COMMAND [ARGS...]\n");
		return 2;
	}
	if (!strcmp(argv[1], "prog-cost") && argc == 3)
		return prog_cost(argv[2]);
	if (!strcmp(argv[1], "with-stats") && argc > 2)
		return with_stats(argv + 2);
	optind = 2;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (tier_parse(optarg, &tier))
				return 2;
			break;
		case 'n':
			iters = atol(optarg);
			break;
		case 's':
			secs = atof(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return 2;
		}
	}
	libbpf_set_print(NULL);
	if (!strcmp(argv[1], "event-cost"))
		return event_cost(tier, iters);
	if (!strcmp(argv[1], "throughput"))
		return throughput(secs, out);
	fprintf(stderr, "selfbench: unknown mode %s\n", argv[1]);
	return 2;
}
