// SPDX-License-Identifier: GPL-2.0
#include <stddef.h>
#include <string.h>
#include "run/record_codec.h"

struct field {
	unsigned short off, size;
};

#define F(name) { offsetof(struct ds_event, name), \
		  sizeof(((struct ds_event *)0)->name) }

/* the numeric fields, in the order of enum codec_field */
static const struct field fields[CF_COMM] = {
	[CF_TARGET] = F(target), [CF_TIER] = F(tier), [CF_TID] = F(tid),
	[CF_PID] = F(pid), [CF_DEV] = F(dev), [CF_INO] = F(ino),
	[CF_DUR] = F(dur_ns), [CF_POS] = F(pos), [CF_LEN] = F(len),
	[CF_AUX0] = F(aux0), [CF_AUX1] = F(aux1), [CF_RET] = F(ret),
	[CF_FLAGS] = F(flags), [CF_AUX2] = F(aux2),
};

static __u64 get(const struct ds_event *e, int f)
{
	const unsigned char *p = (const unsigned char *)e + fields[f].off;
	__u64 v8;
	__u32 v4;

	switch (fields[f].size) {
	case 1: return *p;
	case 4: memcpy(&v4, p, 4); return v4;
	default: memcpy(&v8, p, 8); return v8;
	}
}

static void set(struct ds_event *e, int f, __u64 v)
{
	unsigned char *p = (unsigned char *)e + fields[f].off;
	__u32 v4 = v;

	switch (fields[f].size) {
	case 1: *p = v; break;
	case 4: memcpy(p, &v4, 4); break;
	default: memcpy(p, &v, 8); break;
	}
}

static unsigned char *put_varint(unsigned char *p, __u64 v)
{
	while (v >= 0x80) {
		*p++ = v | 0x80;
		v >>= 7;
	}
	*p++ = v;
	return p;
}

static unsigned char *put_zigzag(unsigned char *p, __u64 delta)
{
	__s64 d = delta;

	return put_varint(p, ((__u64)d << 1) ^ (__u64)(d >> 63));
}

/* NULL when the bytes end within the number or it is too long */
static const unsigned char *get_varint(const unsigned char *p,
				       const unsigned char *end, __u64 *v)
{
	unsigned int shift = 0;
	__u64 r = 0;

	while (p < end && shift < 64) {
		r |= (__u64)(*p & 0x7f) << shift;
		if (!(*p++ & 0x80)) {
			*v = r;
			return p;
		}
		shift += 7;
	}
	return NULL;
}

static __u64 unzigzag(__u64 z)
{
	return (z >> 1) ^ -(z & 1);
}

void codec_reset(struct codec_state *s)
{
	memset(s, 0, sizeof(*s));
}

/* What the previous events say e holds, once its type and tid are known. */
static void predict_task(const struct codec_state *s, struct ds_event *pred,
			 __u32 tid)
{
	const struct codec_tid *t = &s->tids[tid % CODEC_TIDS];

	if (t->tid != tid)
		return;
	pred->pid = t->pid;
	memcpy(pred->comm, t->comm, DS_COMM_LEN);
}

static void remember(struct codec_state *s, const struct ds_event *e)
{
	struct codec_tid *t = &s->tids[e->tid % CODEC_TIDS];

	s->ts = e->ts_ns;
	s->prev[e->type % CODEC_SLOTS] = *e;
	t->tid = e->tid;
	t->pid = e->pid;
	memcpy(t->comm, e->comm, DS_COMM_LEN);
}

static int comm_len(const char *comm)
{
	int n = DS_COMM_LEN;

	while (n > 0 && !comm[n - 1])
		n--;
	return n;
}

size_t codec_encode(struct codec_state *s, const struct ds_event *e,
		    unsigned char *out)
{
	struct ds_event pred = s->prev[e->type % CODEC_SLOTS];
	unsigned char *p = out;
	unsigned int mask = 0;
	int f, n;

	predict_task(s, &pred, e->tid);
	for (f = 0; f < CF_COMM; f++)
		if (get(e, f) != get(&pred, f))
			mask |= 1u << f;
	if (memcmp(e->comm, pred.comm, DS_COMM_LEN))
		mask |= 1u << CF_COMM;
	p = put_varint(p, e->type);
	p = put_varint(p, mask);
	p = put_zigzag(p, e->ts_ns - s->ts);
	for (f = 0; f < CF_COMM; f++)
		if (mask & (1u << f))
			p = put_zigzag(p, get(e, f) - get(&pred, f));
	if (mask & (1u << CF_COMM)) {
		n = comm_len(e->comm);
		*p++ = n;
		memcpy(p, e->comm, n);
		p += n;
	}
	remember(s, e);
	return p - out;
}

/* The fields after the timestamp; NULL if short or not an encoding. */
static const unsigned char *decode_fields(const struct codec_state *s,
					  const unsigned char *p,
					  const unsigned char *end,
					  unsigned int mask, struct ds_event *e)
{
	__u64 d;
	int f, n;

	for (f = 0; f < CF_COMM; f++) {
		if (f == CF_PID)
			predict_task(s, e, e->tid);
		if (!(mask & (1u << f)))
			continue;
		p = get_varint(p, end, &d);
		if (!p)
			return NULL;
		set(e, f, get(e, f) + unzigzag(d));
	}
	if (!(mask & (1u << CF_COMM)))
		return p;
	if (p >= end)
		return NULL;
	n = *p++;
	if (n > DS_COMM_LEN || end - p < n)
		return n > DS_COMM_LEN ? (const unsigned char *)-1 : NULL;
	memset(e->comm, 0, DS_COMM_LEN);
	memcpy(e->comm, p, n);
	return p + n;
}

int codec_decode(struct codec_state *s, const unsigned char *p, size_t n,
		 struct ds_event *e)
{
	const unsigned char *start = p, *end = p + n;
	__u64 type, mask, dts;

	p = get_varint(p, end, &type);
	if (p)
		p = get_varint(p, end, &mask);
	if (p)
		p = get_varint(p, end, &dts);
	if (!p)
		return end - start >= 30 ? -1 : 0;
	if (type > 0xffff || mask >> CF_MAX)
		return -1;
	*e = s->prev[type % CODEC_SLOTS];
	e->type = type;
	e->ts_ns = s->ts + unzigzag(dts);
	p = decode_fields(s, p, end, mask, e);
	if (p == (const unsigned char *)-1)
		return -1;
	if (!p)
		return end - start >= CODEC_MAX_EVENT ? -1 : 0;
	remember(s, e);
	return p - start;
}
