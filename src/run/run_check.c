// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "run/run_check.h"

bool run_event_invalid(const struct ds_event *e)
{
	return !e->type || e->type >= DS_EV_TYPE_MAX || e->target >= DS_T_MAX ||
	       e->tier > DS_TIER_TRACEPOINT;
}

bool run_tier_known(const char *name)
{
	return !strcmp(name, "fentry") || !strcmp(name, "kprobe") ||
	       !strcmp(name, "tracepoint") || !strcmp(name, "-");
}
