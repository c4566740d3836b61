/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events into time order, on the fly. The ring buffer delivers events
 * nearly in order: CPUs race a little for it, and an event that reports a
 * span is stamped at one end of it (a syscall-tier submission at its
 * entry, when it is written at the exit). A window of the latest events
 * is kept sorted; what leaves it goes on in order. An event older than
 * what already left is late: it still goes on, and is counted.
 *
 * The cost per event is bounded whatever the input: an event is moved
 * into place among the latest ones only if it belongs at most
 * CORR_ORDER_SHIFT places back (nearly sorted input, the common case,
 * moves almost nothing); one further out of order goes into a heap
 * (log2 of the window), and the two are merged on the way out.
 */
#ifndef DIOSCOPE_CORR_ORDER_H
#define DIOSCOPE_CORR_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "dioscope.h"

#define CORR_ORDER_SHIFT 16

typedef int (*order_fn)(void *ctx, const struct ds_event *e);

struct corr_order {
	struct ds_event *ring;	/* sorted, a circle of 2 * window */
	size_t head, n, mask;
	struct ds_event *heap;	/* the far out of order, a min-heap */
	size_t nheap;
	size_t window;
	__u64 released_ts;	/* time of the last event passed on */
	__u64 late;
	__u64 far;		/* events that went through the heap */
	int released_any;
	order_fn fn;
	void *ctx;
};

/* window: events held back (0: a default). 0 or -ENOMEM. */
int corr_order_init(struct corr_order *o, size_t window, order_fn fn,
		    void *ctx);
/*
 * The same with room for `kept` more events in the ring: an event passed
 * on from the ring stays where it is, untouched, until `kept` more events
 * were added after it was passed on (for another thread to read it
 * there, not a copy).
 */
int corr_order_init_kept(struct corr_order *o, size_t window, size_t kept,
			 order_fn fn, void *ctx);
/* Whether an event passed on is in the ring (else a copy from the heap). */
static inline bool corr_order_in_ring(const struct corr_order *o,
				      const struct ds_event *e)
{
	return e >= o->ring && e <= &o->ring[o->mask];
}
/* Take an event; may pass older ones on. 0 or what fn returned. */
int corr_order_add(struct corr_order *o, const struct ds_event *e);
/*
 * The same in two steps, for an event made in place (decoded straight
 * into the window, not copied there): the slot for it, which passes
 * older ones on first (*err: 0 or what fn returned), valid until the
 * next call; then, once filled, corr_order_commit() takes it. A slot
 * not committed is not taken.
 */
struct ds_event *corr_order_slot(struct corr_order *o, int *err);
void corr_order_commit(struct corr_order *o);
/* Pass everything held on. */
int corr_order_flush(struct corr_order *o);
/* Pass on, in order, the events held that are stamped before ts. */
int corr_order_release_before(struct corr_order *o, __u64 ts);
void corr_order_free(struct corr_order *o);
/* Time order; at the same instant, a window opens before its work. */
int corr_order_cmp(const struct ds_event *a, const struct ds_event *b);

#endif
