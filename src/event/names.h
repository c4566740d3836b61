/* SPDX-License-Identifier: GPL-2.0 */
/* The names of the event model's enums (bpf/dioscope.h). */
#ifndef DIOSCOPE_EVENT_NAMES_H
#define DIOSCOPE_EVENT_NAMES_H

#include <linux/types.h>
#include "dioscope.h"

const char *tier_name(enum ds_tier tier);
/* 0, or -1 for a name that is no tier. */
int tier_parse(const char *s, enum ds_tier *out);
const char *event_type_name(unsigned int type);

#endif
