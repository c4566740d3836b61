// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "event/io_record.h"

/* A ds_event has no size a record can have: the ring buffer tells them apart. */
_Static_assert(sizeof(struct ds_event) < DS_IO_HDR + DS_IO_SLOT &&
	       sizeof(struct ds_event) != DS_IO_HDR,
	       "a ds_event would look like an IO record");

bool io_batch_is(const void *data, size_t size)
{
	__u64 tag;
	size_t n;

	if (size < DS_BATCH_HDR + sizeof(struct ds_event) ||
	    (size - DS_BATCH_HDR) % sizeof(struct ds_event))
		return false;
	n = (size - DS_BATCH_HDR) / sizeof(struct ds_event);
	memcpy(&tag, data, sizeof(tag));
	return n <= DS_BATCH_MAX && tag == DS_BATCH_TAG && !io_record_is(size);
}

bool io_record_is(size_t size)
{
	return size > DS_IO_HDR && size <= sizeof(struct ds_io) &&
	       (size - DS_IO_HDR) % DS_IO_SLOT == 0;
}

bool io_record_event(const struct ds_io *io, unsigned int i,
		     struct ds_event *out)
{
	const struct ds_io_slot *s = &io->slot[i];
	const struct ds_io_who *w;

	/* an unwritten or void slot, or garbage, is no event */
	if (i >= DS_IO_SLOTS || !s->type || s->type >= DS_EV_TYPE_MAX ||
	    s->who > DS_IO_COMPLETER)
		return false;
	w = &io->who[s->who];
	memset(out, 0, sizeof(*out));
	out->ts_ns = s->ts_ns;
	out->dur_ns = s->dur_ns;
	out->ino = io->ino;
	out->pos = s->pos;
	out->len = s->len;
	out->aux0 = s->aux0;
	out->aux1 = s->aux1;
	out->ret = s->ret;
	out->dev = io->dev;
	out->pid = w->pid;
	out->tid = w->tid;
	out->flags = s->flags;
	out->aux2 = s->aux2;
	out->type = s->type;
	out->target = s->target;
	out->tier = s->tier;
	memcpy(out->comm, w->comm, sizeof(out->comm));
	/* a slot holds no clock of the task off the CPU */
	if (out->dur_ns)
		out->offcpu_ns = DS_OFFCPU_UNKNOWN;
	return true;
}

/*
 * The ring buffer keeps records 8-byte aligned, and a ds_event's size is
 * a multiple of 8: the batch's events are handed over where they are.
 */
static int batch_each(const void *data, size_t size, io_event_fn fn,
		      void *ctx)
{
	const struct ds_event *e = (const void *)((const char *)data +
						  DS_BATCH_HDR);
	size_t i, n = (size - DS_BATCH_HDR) / sizeof(*e);
	int err;

	for (i = 0; i < n; i++) {
		err = fn(ctx, &e[i]);
		if (err)
			return err;
	}
	return 0;
}

int io_payload_each(const void *data, size_t size, io_event_fn fn, void *ctx)
{
	struct ds_io io;
	struct ds_event e;
	unsigned int i, n;
	int err;

	if (size == sizeof(struct ds_event))
		return fn(ctx, data);
	if (io_batch_is(data, size))
		return batch_each(data, size, fn, ctx);
	if (!io_record_is(size))
		return 0;
	/* the ring buffer's copy may be unaligned for the slots' words */
	memset(&io, 0, sizeof(io));
	memcpy(&io, data, size);
	n = (size - DS_IO_HDR) / DS_IO_SLOT;
	for (i = 0; i < n; i++) {
		if (!io_record_event(&io, i, &e))
			continue;
		err = fn(ctx, &e);
		if (err)
			return err;
	}
	return 0;
}
