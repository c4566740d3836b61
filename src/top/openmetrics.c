// SPDX-License-Identifier: GPL-2.0
/*
 * The exposition follows the OpenMetrics 1.0 text format (counters as a
 * family NAME with samples NAME_total, "# UNIT" for names ending in a
 * unit, "# EOF" last) and, for scrapers that do not ask for it,
 * Prometheus' text format 0.0.4 (the TYPE line names NAME_total).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>
#include "util/macros.h"
#include "top/openmetrics.h"

#define OM_CONTENT_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"
#define TEXT_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct om_server {
	struct MHD_Daemon *d;
	pthread_mutex_t lock;
	struct om_snap snap;
	char url[128];
};

struct counter_def {
	int count;		/* enum top_count */
	const char *name, *unit, *help;
	double scale;		/* sample = count * scale */
};

static const struct counter_def counters[] = {
	{ TOP_N_WRITES, "dioscope_dio_writes", NULL,
	  "Direct writes completed.", 1 },
	{ TOP_N_READS, "dioscope_dio_reads", NULL,
	  "Direct reads completed.", 1 },
	{ TOP_N_WB_IOS, "dioscope_writeback_ios", NULL,
	  "Writeback IOs: extents of dirty pages writeback mapped (ext4_da_write_pages_extent).", 1 },
	{ TOP_N_PRE_IO, "dioscope_pre_io_splits", NULL,
	  "ext4_ext_map_blocks calls with EXT4_GET_BLOCKS_PRE_IO: splits before a direct write.", 1 },
	{ TOP_N_CONV, "dioscope_conversions", NULL,
	  "ext4_ext_map_blocks calls with EXT4_GET_BLOCKS_CONVERT: unwritten-extent conversions at completion.", 1 },
	{ TOP_N_COMPL_SPLITS, "dioscope_completion_splits", NULL,
	  "ext4_split_extent_at calls inside a conversion by the same task: splits at completion, not before the write.", 1 },
	{ TOP_N_MERGES, "dioscope_extent_merges", NULL,
	  "Extent merges done.", 1 },
	{ TOP_N_CHURN, "dioscope_churn_pairs", NULL,
	  "Merges that removed a boundary an in-flight direct IO needed, redone by a split.", 1 },
	{ TOP_N_WASTE_NS, "dioscope_wasted_seconds", "seconds",
	  "Time of the churn pairs' merges and splits.", 1e-9 },
	{ TOP_N_WASTE_CPU_NS, "dioscope_wasted_cpu_seconds", "seconds",
	  "Of that time, the part their tasks were on the CPU.", 1e-9 },
};

#define NCOUNTERS (ARRAY_SIZE(counters))

static struct om_series *series_of(struct om_snap *snap, __u32 dev, __u64 ino)
{
	int i;

	for (i = 0; i < snap->n; i++)
		if (snap->s[i].dev == dev && snap->s[i].ino == ino)
			return &snap->s[i];
	if (snap->n >= OM_MAX_INODES)
		return NULL;
	snap->s[snap->n] = (struct om_series){ .dev = dev, .ino = ino };
	return &snap->s[snap->n++];
}

/*
 * An inode top dropped from its table comes back counting from 0: what
 * it counts then is new. What an inode series misses, "other" has, as
 * the difference to the total of all inodes, which only grows.
 */
static void fold_lat(struct om_snap *snap, const struct top_lat *lat)
{
	unsigned int k, i, end;
	__u64 sum = 0;

	if (!lat)
		return;
	/* a bucket ends at a power of two: counts below 2^k ns are exact */
	for (k = 0, i = 0; k < OM_LAT_BUCKETS; k++) {
		end = top_lat_bucket(1ULL << (OM_LAT_MIN_EXP + k));
		for (; i < end && i < TOP_LAT_BUCKETS; i++)
			sum += lat->b[i];
		snap->lat_le[k] = sum;
	}
	snap->lat_count = lat->n;
	snap->lat_sum_ns = lat->sum_ns;
}

void om_fold(struct om_snap *snap, const struct top_row *rows, int n,
	     const struct top_row *all, const struct top_lat *lat)
{
	struct om_series *other = &snap->s[OM_MAX_INODES];
	int i, k, j;

	for (i = 0; i < n; i++) {
		struct om_series *s = series_of(snap, rows[i].dev, rows[i].ino);

		for (k = 0; s && k < TOP_N_MAX; k++) {
			__u64 cur = rows[i].n[k];

			s->v[k] += cur >= s->last[k] ? cur - s->last[k] : cur;
			s->last[k] = cur;
		}
	}
	for (k = 0; k < TOP_N_MAX; k++) {
		__u64 named = 0;

		for (j = 0; j < snap->n; j++)
			named += snap->s[j].v[k];
		snap->all[k] = all->n[k];
		other->v[k] = all->n[k] > named ? all->n[k] - named : 0;
	}
	snap->events = all->events;
	fold_lat(snap, lat);
}

static void family(FILE *f, const char *name, const char *type,
		   const char *unit, const char *help, bool om)
{
	bool counter = !strcmp(type, "counter");

	/* 0.0.4 names a counter's samples, OpenMetrics its family */
	fprintf(f, "# TYPE %s%s %s\n", name, counter && !om ? "_total" : "", type);
	if (unit && om)
		fprintf(f, "# UNIT %s %s\n", name, unit);
	fprintf(f, "# HELP %s%s %s\n", name, counter && !om ? "_total" : "", help);
}

static void num(FILE *f, double v)
{
	if (v == (double)(__u64)v)
		fprintf(f, "%llu\n", (unsigned long long)v);
	else
		fprintf(f, "%.9g\n", v);
}

static void series_labels(FILE *f, const struct om_series *s)
{
	if (!s->ino)
		fputs("{dev=\"other\",ino=\"other\"}", f);
	else
		fprintf(f, "{dev=\"%u:%u\",ino=\"%llu\"}", s->dev >> 20,
			s->dev & 0xfffff, (unsigned long long)s->ino);
}

static void render_counters(FILE *f, const struct om_snap *snap, bool om)
{
	size_t c;
	int i;

	for (c = 0; c < NCOUNTERS; c++) {
		const struct counter_def *d = &counters[c];

		/* what this kernel's tier cannot see is left out, not 0 */
		if (!snap->observable[d->count])
			continue;
		family(f, d->name, "counter", d->unit, d->help, om);
		for (i = 0; i <= OM_MAX_INODES; i++) {
			const struct om_series *s = &snap->s[i];

			if (i >= snap->n && i < OM_MAX_INODES)
				continue;
			fprintf(f, "%s_total", d->name);
			series_labels(f, s);
			fputc(' ', f);
			num(f, s->v[d->count] * d->scale);
		}
	}
}

static void one(FILE *f, const char *name, const char *unit, const char *help,
		double v, bool om)
{
	family(f, name, "counter", unit, help, om);
	fprintf(f, "%s_total ", name);
	num(f, v);
}

static void render_self(FILE *f, const struct om_snap *snap, bool om)
{
	const struct om_self *s = &snap->self;

	one(f, "dioscope_events", NULL, "Events received from the kernel.",
	    snap->events, om);
	one(f, "dioscope_lost_events", NULL,
	    "Events the ring buffer had no room for.", s->lost_events, om);
	if (s->kretprobe_known)
		one(f, "dioscope_kretprobe_missed", NULL,
		    "Returns the return probes missed (maxactive overrun).",
		    s->kretprobe_missed, om);
	if (s->misses_known)
		one(f, "dioscope_bpf_recursion_misses", NULL,
		    "Calls the kernel did not let the tracer's programs see.",
		    s->bpf_recursion_misses, om);
	if (!s->bpf_known)
		return;
	one(f, "dioscope_bpf_run_seconds", "seconds",
	    "Time the tracer's BPF programs ran in the kernel.",
	    s->bpf_run_ns * 1e-9, om);
	one(f, "dioscope_bpf_runs", NULL, "Runs of the tracer's BPF programs.",
	    s->bpf_runs, om);
}

static void render_lat(FILE *f, const struct om_snap *snap, bool om)
{
	unsigned int k;

	if (!snap->observable[TOP_N_CONV])
		return;
	family(f, "dioscope_conversion_latency_seconds", "histogram", "seconds",
	       "Time of each unwritten-extent conversion (ext4_ext_map_blocks with CONVERT).",
	       om);
	for (k = 0; k < OM_LAT_BUCKETS; k++)
		fprintf(f, "dioscope_conversion_latency_seconds_bucket{le=\"%.10g\"} %llu\n",
			(double)(1ULL << (OM_LAT_MIN_EXP + k)) * 1e-9,
			(unsigned long long)snap->lat_le[k]);
	fprintf(f, "dioscope_conversion_latency_seconds_bucket{le=\"+Inf\"} %llu\n",
		(unsigned long long)snap->lat_count);
	fprintf(f, "dioscope_conversion_latency_seconds_count %llu\n",
		(unsigned long long)snap->lat_count);
	fprintf(f, "dioscope_conversion_latency_seconds_sum ");
	num(f, snap->lat_sum_ns * 1e-9);
}

void om_render(FILE *f, const struct om_snap *snap, bool om)
{
	render_counters(f, snap, om);
	render_lat(f, snap, om);
	render_self(f, snap, om);
	if (om)
		fputs("# EOF\n", f);
}

static bool wants_openmetrics(struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_ACCEPT);

	return accept && strstr(accept, "application/openmetrics-text");
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
			     const char *type, char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body,
						MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!r) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *data_len, void **state)
{
	struct om_server *s = cls;
	bool om = wants_openmetrics(c);
	char *body = NULL;
	size_t len = 0;
	FILE *f;

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
			     strdup("GET /metrics\n"), 13);
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain",
			     strdup("dioscope serves /metrics\n"), 25);
	f = open_memstream(&body, &len);
	if (!f)
		return MHD_NO;
	pthread_mutex_lock(&s->lock);
	om_render(f, &s->snap, om);
	pthread_mutex_unlock(&s->lock);
	if (fclose(f))
		return MHD_NO;
	return reply(c, MHD_HTTP_OK, om ? OM_CONTENT_TYPE : TEXT_CONTENT_TYPE,
		     body, len);
}

int om_parse_addr(const char *spec, char *host, size_t hlen,
		  unsigned int *port, char *err, size_t elen)
{
	const char *colon = strrchr(spec, ':');
	char *end;
	unsigned long p;

	/* a bare port, or ":PORT": loopback, never every address */
	if (!colon || colon == spec) {
		snprintf(host, hlen, "127.0.0.1");
	} else if (spec[0] == '[' && colon[-1] == ']') {
		snprintf(host, hlen, "%.*s", (int)(colon - spec - 2), spec + 1);
	} else {
		snprintf(host, hlen, "%.*s", (int)(colon - spec), spec);
	}
	if (!strcmp(host, "localhost"))
		snprintf(host, hlen, "127.0.0.1");
	p = strtoul(colon ? colon + 1 : spec, &end, 10);
	if (*end || end == (colon ? colon + 1 : spec) || p > 65535) {
		snprintf(err, elen, "'%s' is no ADDR:PORT (like 127.0.0.1:9466)", spec);
		return -1;
	}
	*port = p;
	return 0;
}

static struct MHD_Daemon *listen_on(struct om_server *s, const char *host,
				    unsigned int port, char *err, size_t elen)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	/*
	 * No MHD_USE_ERROR_LOG: its logger prints a client's bad request, HTML
	 * error page and all, on our stderr; what fails here is said below.
	 */
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD;
	const struct sockaddr *sa = (const struct sockaddr *)&a4;
	struct MHD_Daemon *d;

	if (inet_pton(AF_INET6, host, &a6.sin6_addr) == 1) {
		sa = (const struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else if (inet_pton(AF_INET, host, &a4.sin_addr) != 1) {
		snprintf(err, elen, "'%s' is no IPv4 or IPv6 address", host);
		return NULL;
	}
	d = MHD_start_daemon(flags, port, NULL, NULL, on_request, s,
			     MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_END);
	if (!d)
		snprintf(err, elen, "cannot listen on %s port %u: %s", host,
			 port, strerror(errno));
	return d;
}

struct om_server *om_start(const char *spec, const struct top_caps *caps,
			   char *err, size_t elen)
{
	const union MHD_DaemonInfo *info;
	struct om_server *s;
	char host[64];
	unsigned int port;
	int k;

	if (om_parse_addr(spec, host, sizeof(host), &port, err, elen))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, elen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	for (k = 0; k < TOP_N_MAX; k++) {
		int col;

		for (col = 0; col < TOP_C_MAX && top_col_count(col) != k; col++)
			;
		s->snap.observable[k] = col < TOP_C_MAX && caps->col[col];
	}
	s->d = listen_on(s, host, port, err, elen);
	if (!s->d) {
		pthread_mutex_destroy(&s->lock);
		free(s);
		return NULL;
	}
	/* port 0 took a free one: say which */
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	if (info && info->port)
		port = info->port;
	snprintf(s->url, sizeof(s->url), strchr(host, ':') ?
		 "http://[%s]:%u/metrics" : "http://%s:%u/metrics", host, port);
	return s;
}

const char *om_url(const struct om_server *s)
{
	return s->url;
}

void om_publish(struct om_server *s, const struct top_row *rows, int n,
		const struct top_row *all, const struct top_lat *lat,
		const struct om_self *self)
{
	pthread_mutex_lock(&s->lock);
	om_fold(&s->snap, rows, n, all, lat);
	s->snap.self = *self;
	pthread_mutex_unlock(&s->lock);
}

void om_stop(struct om_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
