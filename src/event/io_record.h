/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the ring buffer carries: a ds_event, a CPU's batch of them
 * (struct ds_batch, bpf/dioscope.h), or a direct IO's record (struct
 * ds_io), which stands for the ds_events its slots hold. Readers of
 * the ring buffer hand each payload here and see ds_events only, the
 * same whether the kernel wrote batches, records or neither.
 */
#ifndef DIOSCOPE_EVENT_IO_RECORD_H
#define DIOSCOPE_EVENT_IO_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "dioscope.h"

typedef int (*io_event_fn)(void *ctx, const struct ds_event *e);

/* Is this payload a CPU's batch of ds_events (struct ds_batch)? */
bool io_batch_is(const void *data, size_t size);

/* Is a payload of this size a record? */
bool io_record_is(size_t size);

/*
 * Slot i of a record as the ds_event it stands for; false for a slot
 * that holds none (never written).
 */
bool io_record_event(const struct ds_io *io, unsigned int i,
		     struct ds_event *out);

/*
 * Hand the ds_events of one payload to fn, in slot order; a payload of
 * neither shape is skipped. 0 or the first nonzero fn returned.
 */
int io_payload_each(const void *data, size_t size, io_event_fn fn, void *ctx);

#endif
