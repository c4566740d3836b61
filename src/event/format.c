// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "event/format.h"
#include "event/aux.h"
#include "util/escape.h"
#include "util/macros.h"
#include "event/names.h"

const char *iomap_type_name(__u64 type)
{
	static const char *const names[] = {
		[DS_IOMAP_HOLE] = "HOLE", [DS_IOMAP_DELALLOC] = "DELALLOC",
		[DS_IOMAP_MAPPED] = "MAPPED", [DS_IOMAP_UNWRITTEN] = "UNWRITTEN",
		[DS_IOMAP_INLINE] = "INLINE",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "?";
}

const char *gb_flags_str(__u32 flags, char *buf, size_t len)
{
	static const struct { __u32 bit; const char *name; } bits[] = {
		{ DS_GET_BLOCKS_CREATE, "CREATE" },
		{ DS_GET_BLOCKS_UNWRIT_EXT, "UNWRIT" },
		/* one bit, named SPLIT_NOMERGE from 6.19 */
		{ DS_GET_BLOCKS_PRE_IO, "PRE_IO/SPLIT_NOMERGE" },
		{ DS_GET_BLOCKS_CONVERT, "CONVERT" },
	};
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		if (!(flags & bits[i].bit) || used >= len)
			continue;
		used += snprintf(buf + used, len - used, "%s%s",
				 used ? "|" : "", bits[i].name);
	}
	if (!buf[0])
		snprintf(buf, len, "0x%x", flags);
	return buf;
}

void event_detail(const struct ds_event *e, char *buf, size_t len)
{
	char fl[64];

	switch (e->type) {
	case DS_EV_DIO_SUBMIT:
	case DS_EV_DIO_COMPLETE:
		snprintf(buf, len, "%s%s ret=%lld",
			 e->flags & DS_DIO_WRITE ? "write" : "read",
			 e->flags & DS_DIO_AIO ? " aio" : "",
			 (long long)e->ret);
		break;
	case DS_EV_IOMAP_BEGIN:
		snprintf(buf, len, "type=%s maplen=%llu ret=%lld",
			 iomap_type_name(ds_iomap_type(e)),
			 (unsigned long long)ds_iomap_length(e),
			 (long long)e->ret);
		break;
	case DS_EV_END_IO:
		snprintf(buf, len, "error=%lld ret=%lld",
			 (long long)ds_end_io_error(e),
			 (long long)e->ret);
		break;
	case DS_EV_MAP_BLOCKS:
		snprintf(buf, len, "flags=%s mflags=0x%llx ret=%lld",
			 gb_flags_str(e->flags, fl, sizeof(fl)),
			 (unsigned long long)ds_map_mflags(e),
			 (long long)e->ret);
		break;
	case DS_EV_SPLIT:
		snprintf(buf, len, "extent=%llu+%llu%s split_flag=0x%x",
			 (unsigned long long)ds_split_extent_lblk(e),
			 (unsigned long long)e->len,
			 ds_split_unwritten(e) ? " unwritten" : "", e->flags);
		break;
	case DS_EV_MERGE:
		snprintf(buf, len, "%s left=%llu+%llu%s right=+%llu%s",
			 e->flags & DS_MERGE_DONE ? "merged" : "kept",
			 (unsigned long long)ds_merge_left_lblk(e),
			 (unsigned long long)e->len,
			 e->flags & DS_MERGE_LEFT_UNWRITTEN ? "u" : "",
			 (unsigned long long)ds_merge_right_len(e),
			 e->flags & DS_MERGE_RIGHT_UNWRITTEN ? "u" : "");
		break;
	default:
		snprintf(buf, len, "ret=%lld", (long long)e->ret);
	}
}

const char *event_header(void)
{
	return "TIME(s)       COMM             PID     INODE      EVENT         "
	       "OFF/LBLK       LEN        DUR(us)    DETAIL";
}

void event_line(const struct ds_event *e, __u64 t0_ns, char *buf, size_t len)
{
	char detail[160], dur[24] = "-", comm[DS_COMM_LEN * 4 + 1];
	double t = e->ts_ns >= t0_ns ? (e->ts_ns - t0_ns) / 1e9 : 0;

	/* any task may name itself: escaped before it reaches a terminal */
	term_escape(e->comm, DS_COMM_LEN, comm, sizeof(comm));
	event_detail(e, detail, sizeof(detail));
	if (e->dur_ns)
		snprintf(dur, sizeof(dur), "%.2f", e->dur_ns / 1000.0);
	snprintf(buf, len, "%-13.6f %-16s %-7u %-10llu %-13s %-14llu %-10llu %-10s %s",
		 t, comm, e->pid, (unsigned long long)e->ino,
		 event_type_name(e->type), (unsigned long long)e->pos,
		 (unsigned long long)e->len, dur, detail);
}
