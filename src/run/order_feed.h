/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Events decoded and put in time order by a thread of their own, passed
 * to the caller in batches: each batch is what one release of the order
 * passed on, as pointers to the events where they lie in the order's
 * ring (or copies, for the few that came through its heap). The ring
 * holds two batches more than the window, and the caller is handed two
 * at most: so the thread never writes where the caller reads, and the
 * events cross CPUs through the cache they would have gone through
 * anyway (the ring is larger than a CPU's own), not as copies.
 */
#ifndef DIOSCOPE_RUN_ORDER_FEED_H
#define DIOSCOPE_RUN_ORDER_FEED_H

#include <stddef.h>
#include "analysis/corr_order.h"

struct order_feed;

/*
 * The thread's work: add events to o (corr_order_slot, _commit), calling
 * order_feed_pass() after each corr_order_slot; 0 or -errno. The feed
 * flushes the order when it returns 0.
 */
typedef int (*order_produce_fn)(void *ctx, struct order_feed *f,
				struct corr_order *o);

/* Start the thread; NULL with errno set. window as corr_order_init's. */
struct order_feed *order_feed_start(size_t window, order_produce_fn fn,
				    void *ctx);
/* In the thread: hand over what the order passed on. 0, or -ECANCELED. */
int order_feed_pass(struct order_feed *f);
/*
 * In the caller: the next batch (*ev, *n), valid until the next call;
 * the one before is given back. 1, 0 after the last, or the thread's
 * -errno.
 */
int order_feed_next(struct order_feed *f, const struct ds_event *const **ev,
		    size_t *n);
/*
 * Stop the thread (at once if it still runs), wait for it, free the feed;
 * *late: the order's late events. NULL: nothing.
 */
void order_feed_stop(struct order_feed *f, __u64 *late);

#endif
