/* SPDX-License-Identifier: GPL-2.0 */
/* One event as one line of text, for `dioscope trace`. */
#ifndef DIOSCOPE_EVENT_FORMAT_H
#define DIOSCOPE_EVENT_FORMAT_H

#include <stddef.h>
#include <linux/types.h>
#include "dioscope.h"

const char *iomap_type_name(__u64 type);
/* "PRE_IO|CREATE..." for ext4_map_blocks flags, into buf. */
const char *gb_flags_str(__u32 flags, char *buf, size_t len);
void event_detail(const struct ds_event *e, char *buf, size_t len);
/* header line matching event_line() */
const char *event_header(void);
void event_line(const struct ds_event *e, __u64 t0_ns, char *buf, size_t len);

#endif
