// SPDX-License-Identifier: GPL-2.0
/*
 * Writing the trace-event JSON. Slices on one track must nest: every
 * slice that begins inside another ends inside it too, or the viewers
 * draw them wrongly. Calls nest by nature (each is a call inside its
 * caller on one task); what can cross is an IO's window and a call that
 * the probes saw end after the completion point (a conversion in the
 * completion path on the tracepoint tier). The IO's slice then grows to
 * hold it (its arguments keep the exact submission and completion), and
 * anything else that would cross is cut at its parent's end and marked.
 *
 * The format: the Trace Event Format document of the Chromium project
 * ("B"/"E" duration events, "X" complete events, "b"/"e" nestable async
 * events by id, "i" instants, "s"/"f" flow events, "M" metadata; "ts" in
 * microseconds).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "event/names.h"
#include "export/perfetto_int.h"
#include "trace/targets.h"

#define MAX_DEPTH 64

static bool is_slice(const struct pf_item *it)
{
	return it->kind == PF_IO || it->kind == PF_CHILD ||
	       (it->kind == PF_CALL && it->end > it->begin);
}

static bool async_io(const struct pf_item *it)
{
	return it->kind == PF_IO && it->async;
}

/* Tracks: a task's (sync IOs, calls), or an async IO's (it, its work). */
static void track_of(const struct pf_item *it, __u64 *k0, __u64 *k1)
{
	if (it->kind == PF_CHILD || async_io(it)) {
		*k0 = 1;
		*k1 = it->id;
	} else {
		*k0 = 0;
		*k1 = (__u64)it->pid << 32 | it->tid;
	}
}

static const struct pf_item *sort_items;

static int cmp_nest(const void *a, const void *b)
{
	const struct pf_item *x = &sort_items[*(const size_t *)a];
	const struct pf_item *y = &sort_items[*(const size_t *)b];
	__u64 x0, x1, y0, y1;

	track_of(x, &x0, &x1);
	track_of(y, &y0, &y1);
	if (x0 != y0)
		return x0 < y0 ? -1 : 1;
	if (x1 != y1)
		return x1 < y1 ? -1 : 1;
	if (x->begin != y->begin)
		return x->begin < y->begin ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;	/* outer first */
	if ((x->kind == PF_IO) != (y->kind == PF_IO))
		return x->kind == PF_IO ? -1 : 1;
	return 0;
}

/* iv begins inside top and ends after it: make them nest. */
static bool uncross(struct pf_item *top, struct pf_item *iv)
{
	if (top->kind == PF_IO && iv->kind != PF_IO) {
		top->end = iv->end;	/* the IO holds all its work */
		return false;
	}
	if (iv->kind == PF_IO) {
		top->end = iv->begin;	/* ended before the IO began */
		top->clipped = 1;
		return true;		/* pop it */
	}
	iv->end = top->end;
	iv->clipped = 1;
	return false;
}

static void nest_track(struct pf_item *it, const size_t *idx, size_t n)
{
	struct pf_item *stack[MAX_DEPTH];
	int depth = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		struct pf_item *iv = &it[idx[i]];

		while (depth && stack[depth - 1]->end <= iv->begin)
			depth--;
		while (depth && iv->end > stack[depth - 1]->end)
			if (uncross(stack[depth - 1], iv))
				depth--;
			else
				break;
		if (depth < MAX_DEPTH)
			stack[depth++] = iv;
		else if (iv->end > stack[depth - 1]->end)
			iv->end = stack[depth - 1]->end;
	}
}

static int nest(struct perfetto *pf)
{
	size_t *idx = malloc((pf->n ? pf->n : 1) * sizeof(*idx));
	size_t n = 0, i, start;

	if (!idx)
		return -ENOMEM;
	for (i = 0; i < pf->n; i++)
		if (is_slice(&pf->it[i]))
			idx[n++] = i;
	sort_items = pf->it;
	qsort(idx, n, sizeof(*idx), cmp_nest);
	for (start = 0; start < n; start = i) {
		__u64 a0, a1, b0, b1;

		track_of(&pf->it[idx[start]], &a0, &a1);
		for (i = start + 1; i < n; i++) {
			track_of(&pf->it[idx[i]], &b0, &b1);
			if (b0 != a0 || b1 != a1)
				break;
		}
		nest_track(pf->it, idx + start, i - start);
	}
	free(idx);
	return 0;
}

/* One line of the file: a slice's begin or end, or a point in time. */
struct pf_rec {
	__u64 ts, tie;
	size_t item;
	__u8 rank;		/* at one time: ends, then begins, then points */
	__u8 end;
};

static int cmp_rec(const void *a, const void *b)
{
	const struct pf_rec *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->tie != y->tie)
		return x->tie < y->tie ? -1 : 1;
	return x->item < y->item ? -1 : x->item > y->item;
}

static void add_recs(const struct pf_item *it, size_t i, struct pf_rec *r,
		     size_t *n)
{
	bool io = it->kind == PF_IO;
	__u64 dur = it->end - it->begin;

	if (!is_slice(it)) {
		r[(*n)++] = (struct pf_rec){ it->begin, i, i, 2, 0 };
		return;
	}
	/* at one time the outer slice begins first and ends last */
	r[(*n)++] = (struct pf_rec){ it->begin, ~(2 * dur + io), i, 1, 0 };
	if (it->kind == PF_CALL)
		return;		/* an "X": begin and duration in one */
	r[(*n)++] = (struct pf_rec){ it->end, ~(2 * it->begin + !io), i, 0, 1 };
}

static void put_ts(FILE *f, __u64 ns, __u64 t0)
{
	__u64 d = ns > t0 ? ns - t0 : 0;

	fprintf(f, "\"ts\":%llu.%03llu", (unsigned long long)(d / 1000),
		(unsigned long long)(d % 1000));
}

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static const char *call_name(const struct pf_item *it, char *buf, size_t len)
{
	const char *sym = it->target < DS_T_MAX ? ds_targets[it->target].symbol :
			  event_type_name(it->type);

	if (it->type == DS_EV_MAP_BLOCKS && (it->flags & DS_GET_BLOCKS_PRE_IO))
		snprintf(buf, len, "%s PRE_IO", sym);
	else if (it->type == DS_EV_MAP_BLOCKS && (it->flags & DS_GET_BLOCKS_CONVERT))
		snprintf(buf, len, "%s CONVERT", sym);
	else
		snprintf(buf, len, "%s", sym);
	return buf;
}

static const char *state_name(__u8 state)
{
	switch (state) {
	case CORR_IO_DONE: return "done";
	case CORR_IO_SUPERSEDED: return "completion lost";
	default: return "open at end";
	}
}

static void io_args(FILE *f, const struct pf_item *it)
{
	fprintf(f, ",\"args\":{\"io\":%llu,\"offset_bytes\":%llu,\"length_bytes\":%llu,"
		"\"ino\":%llu,\"dev\":\"%u:%u\",\"ret\":%lld,\"state\":\"%s\",\"churn_pairs\":%llu",
		(unsigned long long)it->id, (unsigned long long)it->pos,
		(unsigned long long)it->len, (unsigned long long)it->ino,
		it->dev >> 20, it->dev & 0xfffff, (long long)it->ret,
		state_name(it->state), (unsigned long long)it->io);
	if (it->state == CORR_IO_DONE)
		fprintf(f, ",\"lat_ns\":%llu", (unsigned long long)it->lat);
	fputs("}", f);
}

static void call_args(FILE *f, const struct pf_item *it)
{
	bool blocks = it->type == DS_EV_MAP_BLOCKS || it->type == DS_EV_SPLIT ||
		      it->type == DS_EV_MERGE || it->type == DS_EV_CONVERT_INIT ||
		      it->type == DS_EV_MERGE_CALL;

	fprintf(f, ",\"args\":{\"ino\":%llu,\"%s\":%llu,\"%s\":%llu,\"ret\":%lld",
		(unsigned long long)it->ino, blocks ? "lblk" : "offset_bytes",
		(unsigned long long)it->pos, blocks ? "len_blocks" : "length_bytes",
		(unsigned long long)it->len, (long long)it->ret);
	if (it->io)
		fprintf(f, ",\"io\":%llu", (unsigned long long)(it->io - 1));
	/* the slice's time its task ran, the tracer's nested programs in it */
	if (it->cpu_ns != DS_OFFCPU_UNKNOWN)
		fprintf(f, ",\"on_cpu_ns\":%llu,\"nested_calls\":%u",
			(unsigned long long)it->cpu_ns, it->nested);
	if (it->clipped)
		fputs(",\"clipped\":true", f);
	fputs("}", f);
}

static void write_rec(FILE *f, const struct perfetto *pf, const struct pf_rec *r,
		      __u64 t0)
{
	const struct pf_item *it = &pf->it[r->item];
	char name[96];

	fprintf(f, ",\n{\"pid\":%u,\"tid\":%u,", it->pid, it->tid);
	put_ts(f, r->end ? it->end : it->begin, t0);
	switch (it->kind) {
	case PF_IO:
		fprintf(f, ",\"cat\":\"dio\",\"name\":\"%s\"",
			it->type == CORR_SRC_WRITEBACK ? "writeback" :
			it->flags & DS_DIO_WRITE ? "write" : "read");
		if (async_io(it))
			fprintf(f, ",\"ph\":\"%s\",\"id\":\"io%llu\"", r->end ? "e" : "b",
				(unsigned long long)it->id);
		else
			fprintf(f, ",\"ph\":\"%s\"", r->end ? "E" : "B");
		if (!r->end)
			io_args(f, it);
		break;
	case PF_CHILD:
		fprintf(f, ",\"cat\":\"dio\",\"name\":");
		put_str(f, call_name(it, name, sizeof(name)));
		fprintf(f, ",\"ph\":\"%s\",\"id\":\"io%llu\"", r->end ? "e" : "b",
			(unsigned long long)it->id);
		break;
	case PF_CALL:
		fprintf(f, ",\"cat\":\"ext4\",\"name\":");
		put_str(f, call_name(it, name, sizeof(name)));
		if (it->end > it->begin) {
			fprintf(f, ",\"ph\":\"X\",\"dur\":%llu.%03llu",
				(unsigned long long)((it->end - it->begin) / 1000),
				(unsigned long long)((it->end - it->begin) % 1000));
		} else {
			fputs(",\"ph\":\"i\",\"s\":\"t\"", f);
		}
		call_args(f, it);
		break;
	case PF_POINT:
		fprintf(f, ",\"cat\":\"extent\",\"name\":\"%s\",\"ph\":\"i\",\"s\":\"t\","
			"\"args\":{\"ino\":%llu,\"lblk\":%llu,\"dev\":\"%u:%u\"}}",
			it->type == DS_EV_SPLIT ? "split" : "merge",
			(unsigned long long)it->ino, (unsigned long long)it->pos,
			it->dev >> 20, it->dev & 0xfffff);
		return;
	default:	/* the flows of a churn pair */
		fprintf(f, ",\"cat\":\"churn\",\"name\":\"churn pair\",\"ph\":\"%s\",\"id\":%llu%s",
			it->kind == PF_FLOW_S ? "s" : "f", (unsigned long long)it->id,
			it->kind == PF_FLOW_F ? ",\"bp\":\"e\"" : "");
		fprintf(f, ",\"args\":{\"ino\":%llu,\"lblk\":%llu,\"io\":%llu}",
			(unsigned long long)it->ino, (unsigned long long)it->pos,
			(unsigned long long)(it->io - 1));
		break;
	}
	fputs("}", f);
}

static void write_tasks(FILE *f, const struct perfetto *pf)
{
	size_t i;

	/* the first element of the list, so that every other begins ",\n" */
	fputs("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":0,\"tid\":0,\"args\":{\"name\":\"dioscope\"}}", f);
	for (i = 0; i < pf->ntask; i++) {
		const struct pf_task *t = &pf->task[i];

		fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":",
			t->pid, t->tid);
		put_str(f, t->comm);
		fputs("}}", f);
		if (t->pid != t->tid)
			continue;
		fprintf(f, ",\n{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":%u,\"tid\":%u,\"args\":{\"name\":",
			t->pid, t->tid);
		put_str(f, t->comm);
		fputs("}}", f);
	}
}

/* The counts a checker compares with ios.csv, and the title. */
static void write_head(FILE *f, const struct perfetto *pf, __u64 t0)
{
	unsigned long long ios = 0;
	size_t i;

	for (i = 0; i < pf->n; i++)
		ios += pf->it[i].kind == PF_IO;
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"format\":\"" PERFETTO_FORMAT "\",", f);
	fprintf(f, "\"format_version\":%d,\"title\":", PERFETTO_VERSION);
	put_str(f, pf->label);
	/*
	 * The correlator hands every pair over with its merge, so none is
	 * without one; format 1's readers still find the count.
	 */
	fprintf(f, ",\"t0_ns\":%llu,\"ios\":%llu,\"churn_pairs\":%llu,\"churn_pairs_without_merge\":0},\n\"traceEvents\":[\n",
		(unsigned long long)t0, ios, (unsigned long long)pf->flows);
}

int pf_write(struct perfetto *pf, FILE *f)
{
	struct pf_rec *r = malloc((2 * pf->n + 1) * sizeof(*r));
	__u64 t0 = ~0ULL;
	size_t n = 0, i;
	int err;

	if (!r)
		return -ENOMEM;
	err = nest(pf);
	for (i = 0; !err && i < pf->n; i++) {
		add_recs(&pf->it[i], i, r, &n);
		if (pf->it[i].begin < t0)
			t0 = pf->it[i].begin;
	}
	if (!err) {
		qsort(r, n, sizeof(*r), cmp_rec);
		write_head(f, pf, n ? t0 : 0);
		write_tasks(f, pf);
		for (i = 0; i < n; i++)
			write_rec(f, pf, &r[i], t0);
		fputs("\n]}\n", f);
		if (ferror(f))
			err = -EIO;
	}
	free(r);
	return err;
}
