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
static const struct field fields[CF_MAX] = {
	[CF_TARGET] = F(target), [CF_TIER] = F(tier), [CF_TID] = F(tid),
	[CF_PID] = F(pid), [CF_DEV] = F(dev), [CF_INO] = F(ino),
	[CF_DUR] = F(dur_ns), [CF_POS] = F(pos), [CF_LEN] = F(len),
	[CF_AUX0] = F(aux0), [CF_AUX1] = F(aux1), [CF_RET] = F(ret),
	[CF_FLAGS] = F(flags), [CF_AUX2] = F(aux2),
	[CF_OFFCPU] = F(offcpu_ns), [CF_NESTED] = F(nested),
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

/*
 * NULL when the bytes end within the number or it is too long. With room
 * for the longest (10 bytes) the end is not tested byte by byte: the
 * decoder spent half its time in this loop.
 */
static inline const unsigned char *get_varint(const unsigned char *p,
					      const unsigned char *end,
					      __u64 *v)
{
	unsigned int shift = 0;
	__u64 r = 0, b;

	if (end - p >= 10) {
#pragma GCC unroll 10
		for (shift = 0; shift < 64; shift += 7) {
			b = *p++;
			r |= (b & 0x7f) << shift;
			if (!(b & 0x80)) {
				*v = r;
				return p;
			}
		}
		return NULL;
	}
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

/* After each event: its time, and its task (the slot is done apart). */
static void remember(struct codec_state *s, const struct ds_event *e)
{
	struct codec_tid *t = &s->tids[e->tid % CODEC_TIDS];

	s->ts = e->ts_ns;
	t->tid = e->tid;
	t->pid = e->pid;
	memcpy(t->comm, e->comm, DS_COMM_LEN);
}

/*
 * remember() after a decode: the task's entry changes only when the tid
 * is new to it or the event changed pid or comm. Storing it always made
 * the CPU read tid and pid back as one word right after storing them
 * apart, a stall on every event (a quarter of the decoder's time).
 */
static void remember_decoded(struct codec_state *s, const struct ds_event *c,
			     unsigned int mask)
{
	struct codec_tid *t = &s->tids[c->tid % CODEC_TIDS];

	s->ts = c->ts_ns;
	if (t->tid == c->tid &&
	    !(mask & (1u << CF_PID | 1u << CF_COMM)))
		return;
	t->tid = c->tid;
	t->pid = c->pid;
	memcpy(t->comm, c->comm, DS_COMM_LEN);
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
	for (f = 0; f < CF_MAX; f++)
		if (f != CF_COMM && get(e, f) != get(&pred, f))
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
	for (f = CF_COMM + 1; f < CF_MAX; f++)
		if (mask & (1u << f))
			p = put_zigzag(p, get(e, f) - get(&pred, f));
	s->prev[e->type % CODEC_SLOTS] = *e;
	remember(s, e);
	return p - out;
}

/* One zigzag delta onto a field, if its bit is set; the hot path of report. */
#define DELTA(bit, field)						\
	do {								\
		if (mask & (1u << (bit))) {				\
			if (p < end && *p < 0x80) {			\
				d = *p++;				\
			} else {					\
				p = get_varint(p, end, &d);		\
				if (!p)					\
					return 0;			\
			}						\
			e->field += unzigzag(d);			\
			c->field = e->field;				\
		}							\
	} while (0)

/*
 * The fields after the timestamp, into e (a copy of the type's slot c)
 * and c both, field by field: copying one whole into the other right
 * after single fields were stored into it stalls the CPU on every event.
 * On failure the state is spoilt, and decoding stops there anyway.
 * The length, 0 if the bytes end within the event, -1 if they are not
 * an encoding.
 */
static int decode_fields(struct codec_state *s, const unsigned char *p,
			 const unsigned char *end, unsigned int mask,
			 struct ds_event *c, struct ds_event *e)
{
	const struct codec_tid *t;
	const unsigned char *start = p;
	__u64 d;
	int n;

	DELTA(CF_TARGET, target);
	DELTA(CF_TIER, tier);
	DELTA(CF_TID, tid);
	t = &s->tids[e->tid % CODEC_TIDS];
	if (t->tid == e->tid) {
		e->pid = c->pid = t->pid;
		memcpy(e->comm, t->comm, DS_COMM_LEN);
		memcpy(c->comm, t->comm, DS_COMM_LEN);
	}
	DELTA(CF_PID, pid);
	DELTA(CF_DEV, dev);
	DELTA(CF_INO, ino);
	DELTA(CF_DUR, dur_ns);
	DELTA(CF_POS, pos);
	DELTA(CF_LEN, len);
	DELTA(CF_AUX0, aux0);
	DELTA(CF_AUX1, aux1);
	DELTA(CF_RET, ret);
	DELTA(CF_FLAGS, flags);
	DELTA(CF_AUX2, aux2);
	if (mask & (1u << CF_COMM)) {
		if (p >= end)
			return 0;
		n = *p++;
		if (n > DS_COMM_LEN)
			return -1;
		if (end - p < n)
			return 0;
		memset(e->comm, 0, DS_COMM_LEN);
		memcpy(e->comm, p, n);
		memset(c->comm, 0, DS_COMM_LEN);
		memcpy(c->comm, p, n);
		p += n;
	}
	DELTA(CF_OFFCPU, offcpu_ns);
	DELTA(CF_NESTED, nested);
	return p - start;
}

int codec_decode(struct codec_state *s, const unsigned char *p, size_t n,
		 struct ds_event *e)
{
	const unsigned char *start = p, *end = p + n;
	__u64 type, mask, dts;
	struct ds_event *c;
	int len;

	p = get_varint(p, end, &type);
	if (p)
		p = get_varint(p, end, &mask);
	if (p)
		p = get_varint(p, end, &dts);
	if (!p)
		return end - start >= 30 ? -1 : 0;
	if (type > 0xffff || mask >> CF_MAX)
		return -1;
	c = &s->prev[type % CODEC_SLOTS];
	*e = *c;
	e->type = c->type = type;
	e->ts_ns = c->ts_ns = s->ts + unzigzag(dts);
	len = decode_fields(s, p, end, mask, c, e);
	if (len < 0)
		return -1;
	if (!len && mask)
		return end - start >= CODEC_MAX_EVENT ? -1 : 0;
	remember_decoded(s, c, mask);
	return p + len - start;
}
