// SPDX-License-Identifier: GPL-2.0
/* The names of the enums of bpf/dioscope.h, as every output spells them. */
#include <string.h>
#include "event/names.h"

const char *tier_name(enum ds_tier tier)
{
	switch (tier) {
	case DS_TIER_FENTRY:
		return "fentry";
	case DS_TIER_KPROBE:
		return "kprobe";
	case DS_TIER_TRACEPOINT:
		return "tracepoint";
	default:
		return "-";
	}
}

int tier_parse(const char *s, enum ds_tier *out)
{
	if (!strcmp(s, "fentry") || !strcmp(s, "fexit") || !strcmp(s, "1"))
		*out = DS_TIER_FENTRY;
	else if (!strcmp(s, "kprobe") || !strcmp(s, "2"))
		*out = DS_TIER_KPROBE;
	else if (!strcmp(s, "tracepoint") || !strcmp(s, "tp") ||
		 !strcmp(s, "3"))
		*out = DS_TIER_TRACEPOINT;
	else
		return -1;
	return 0;
}

static const char *const event_names[DS_EV_TYPE_MAX] = {
	[DS_EV_DIO_SUBMIT] = "dio_submit",
	[DS_EV_DIO_COMPLETE] = "dio_complete",
	[DS_EV_IOMAP_BEGIN] = "iomap_begin",
	[DS_EV_END_IO] = "end_io",
	[DS_EV_MAP_BLOCKS] = "map_blocks",
	[DS_EV_CONVERT] = "convert",
	[DS_EV_CONVERT_INIT] = "convert_init",
	[DS_EV_SPLIT] = "split",
	[DS_EV_MERGE] = "merge",
	[DS_EV_MERGE_CALL] = "merge_call",
	[DS_EV_WB_MAP] = "wb_map",
	[DS_EV_OP_BEGIN] = "op_begin",
	[DS_EV_OP_END] = "op_end",
};

const char *event_type_name(unsigned int type)
{
	if (type >= DS_EV_TYPE_MAX || !event_names[type])
		return "unknown";
	return event_names[type];
}
