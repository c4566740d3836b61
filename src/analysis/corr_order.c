// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "analysis/corr_order.h"

#define DEFAULT_WINDOW (1u << 16)

int corr_order_cmp(const struct ds_event *a, const struct ds_event *b)
{
	if (a->ts_ns != b->ts_ns)
		return a->ts_ns < b->ts_ns ? -1 : 1;
	return (a->type != DS_EV_DIO_SUBMIT) - (b->type != DS_EV_DIO_SUBMIT);
}

int corr_order_init(struct corr_order *o, size_t window, order_fn fn,
		    void *ctx)
{
	memset(o, 0, sizeof(*o));
	o->window = window ? window : DEFAULT_WINDOW;
	o->fn = fn;
	o->ctx = ctx;
	o->buf = malloc(2 * o->window * sizeof(*o->buf));
	return o->buf ? 0 : -ENOMEM;
}

void corr_order_free(struct corr_order *o)
{
	free(o->buf);
	o->buf = NULL;
}

static int release(struct corr_order *o, size_t count)
{
	size_t i;
	int err = 0;

	for (i = 0; i < count && !err; i++)
		err = o->fn(o->ctx, &o->buf[i]);
	if (count) {
		o->released_ts = o->buf[count - 1].ts_ns;
		o->released_any = 1;
	}
	memmove(o->buf, o->buf + count, (o->n - count) * sizeof(*o->buf));
	o->n -= count;
	return err;
}

int corr_order_add(struct corr_order *o, const struct ds_event *e)
{
	size_t i;
	int err = 0;

	if (o->n == 2 * o->window)
		err = release(o, o->window);
	if (o->released_any && e->ts_ns < o->released_ts)
		o->late++;
	/* insertion from the end: nearly sorted input moves almost nothing */
	i = o->n;
	while (i > 0 && corr_order_cmp(&o->buf[i - 1], e) > 0)
		i--;
	memmove(&o->buf[i + 1], &o->buf[i], (o->n - i) * sizeof(*o->buf));
	o->buf[i] = *e;
	o->n++;
	return err;
}

int corr_order_flush(struct corr_order *o)
{
	return release(o, o->n);
}
