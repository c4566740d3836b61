// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "util/json.h"
#include "util/macros.h"
#include "event/aux.h"
#include "event/format.h"
#include "event/names.h"
#include "export/json.h"
#include "trace/targets.h"

static void put_u64(struct json_object *o, const char *key, __u64 v)
{
	json_put(o, key, json_u64(v));
}

static void put_i64(struct json_object *o, const char *key, __s64 v)
{
	json_put(o, key, json_object_new_int64(v));
}

static void put_bool(struct json_object *o, const char *key, bool v)
{
	json_put(o, key, json_object_new_boolean(v));
}

/* The get_blocks flags by name, as the kernel's tracepoints print them. */
static struct json_object *gb_flags(__u32 flags)
{
	static const struct { __u32 bit; const char *name; } bits[] = {
		{ DS_GET_BLOCKS_CREATE, "CREATE" },
		{ DS_GET_BLOCKS_UNWRIT_EXT, "UNWRIT_EXT" },
		{ DS_GET_BLOCKS_PRE_IO, "PRE_IO" },
		/* 6.19's name of the same bit */
		{ DS_GET_BLOCKS_SPLIT_NOMERGE, "SPLIT_NOMERGE" },
		{ DS_GET_BLOCKS_CONVERT, "CONVERT" },
	};
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bits); i++)
		if (flags & bits[i].bit)
			json_object_array_add(a, json_str(bits[i].name));
	return a;
}

static void dio(struct json_object *o, const struct ds_event *e)
{
	put_u64(o, "offset_bytes", e->pos);
	put_u64(o, "length_bytes", e->len);
	put_bool(o, "write", e->flags & DS_DIO_WRITE);
	put_bool(o, "aio", e->flags & DS_DIO_AIO);
	put_bool(o, "sync", e->flags & DS_DIO_SYNC);
	put_bool(o, "syscall_window", e->flags & DS_DIO_SYSCALL);
	put_i64(o, "ret", e->ret);
}

static void extent(struct json_object *o, const struct ds_event *e)
{
	switch (e->type) {
	case DS_EV_MAP_BLOCKS:
		put_u64(o, "lblk", e->pos);
		put_u64(o, "len_blocks", e->len);
		put_u64(o, "pblk", ds_map_pblk(e));
		json_put(o, "flags", gb_flags(e->flags));
		put_u64(o, "m_flags", ds_map_mflags(e));
		put_i64(o, "ret", e->ret);
		break;
	case DS_EV_SPLIT:
		put_u64(o, "split_lblk", e->pos);
		put_u64(o, "extent_lblk", ds_split_extent_lblk(e));
		put_u64(o, "extent_len_blocks", e->len);
		put_bool(o, "unwritten", ds_split_unwritten(e));
		put_u64(o, "split_flag", e->flags);
		put_u64(o, "get_blocks_flags", ds_split_gb_flags(e));
		break;
	case DS_EV_MERGE:
		put_u64(o, "boundary_lblk", e->pos);
		put_u64(o, "left_lblk", ds_merge_left_lblk(e));
		put_u64(o, "left_len_blocks", e->len);
		put_u64(o, "right_len_blocks", ds_merge_right_len(e));
		put_bool(o, "left_unwritten", e->flags & DS_MERGE_LEFT_UNWRITTEN);
		put_bool(o, "right_unwritten", e->flags & DS_MERGE_RIGHT_UNWRITTEN);
		put_bool(o, "merged", e->flags & DS_MERGE_DONE);
		put_bool(o, "exact", e->flags & DS_MERGE_EXACT);
		put_u64(o, "pairs_merged", ds_merge_pairs(e));
		break;
	default:	/* CONVERT_INIT, MERGE_CALL */
		put_u64(o, "lblk", e->pos);
		put_u64(o, "len_blocks", e->len);
		put_i64(o, "ret", e->ret);
		break;
	}
}

static void details(struct json_object *o, const struct ds_event *e)
{
	switch (e->type) {
	case DS_EV_DIO_SUBMIT:
	case DS_EV_DIO_COMPLETE:
		dio(o, e);
		break;
	case DS_EV_IOMAP_BEGIN:
		put_u64(o, "offset_bytes", e->pos);
		put_u64(o, "length_bytes", e->len);
		json_put(o, "iomap_type",
			 json_str(iomap_type_name(ds_iomap_type(e))));
		put_u64(o, "map_length_bytes", ds_iomap_length(e));
		put_i64(o, "ret", e->ret);
		break;
	case DS_EV_END_IO:
		put_u64(o, "offset_bytes", e->pos);
		put_u64(o, "length_bytes", e->len);
		put_i64(o, "error", ds_end_io_error(e));
		put_i64(o, "ret", e->ret);
		break;
	case DS_EV_CONVERT:
		put_u64(o, "offset_bytes", e->pos);
		put_u64(o, "length_bytes", e->len);
		put_i64(o, "ret", e->ret);
		break;
	default:
		extent(o, e);
		break;
	}
}

struct json_object *event_json(const struct ds_event *e)
{
	struct json_object *o = json_object_new_object();
	char dev[24], comm[DS_COMM_LEN + 1];

	if (!o)
		return NULL;
	snprintf(dev, sizeof(dev), "%u:%u", e->dev >> 20, e->dev & 0xfffff);
	snprintf(comm, sizeof(comm), "%.*s", DS_COMM_LEN, e->comm);
	json_put(o, "kind", json_str("event"));
	json_put(o, "event", json_str(event_type_name(e->type)));
	put_u64(o, "ts_ns", e->ts_ns);
	/* a point in time has no duration: leave it out rather than 0 */
	if (e->dur_ns)
		put_u64(o, "dur_ns", e->dur_ns);
	json_put(o, "target", json_str(e->target < DS_T_MAX ?
				       ds_targets[e->target].name : "?"));
	json_put(o, "tier", json_str(tier_name(e->tier)));
	json_put(o, "comm", json_str(comm));
	put_u64(o, "pid", e->pid);
	put_u64(o, "tid", e->tid);
	json_put(o, "dev", json_str(dev));
	put_u64(o, "ino", e->ino);
	details(o, e);
	return o;
}
