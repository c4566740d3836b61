// SPDX-License-Identifier: GPL-2.0
/*
 * The table of traced functions. Program names are those of the BPF objects;
 * a program missing from its object is a build error caught by the tests.
 */
#include <string.h>
#include "trace/targets.h"

#define SYSCALL_WINDOW {						\
	.progs = { "tp_sys_enter_pwrite64", "tp_sys_exit_pwrite64",	\
		   "tp_sys_enter_pread64", "tp_sys_exit_pread64" },	\
	.tps = { "syscalls/sys_enter_pwrite64",				\
		 "syscalls/sys_exit_pwrite64",				\
		 "syscalls/sys_enter_pread64",				\
		 "syscalls/sys_exit_pread64" },				\
	.note = "syscall window: pread64/pwrite64 on O_DIRECT files only",	\
}

const struct target_def ds_targets[DS_T_MAX] = {
	[DS_T_DIO_RW] = {
		.id = DS_T_DIO_RW, .name = "dio_submit",
		.symbol = "iomap_dio_rw", .obj = DS_OBJ_DIO_WINDOW,
		.sigs = { { .nargs = 0, .args = { "iocb", "iter" }, .ret = DS_RET_ANY,
			    .fentry_progs = { "fentry_dio_rw" },
			    .kprobe_progs = { "kprobe_dio_rw" } } },
		.tp = { { .progs = { "tp_dio_rw_begin" },
			  .tps = { "iomap/iomap_dio_rw_begin" } },
			SYSCALL_WINDOW },
	},
	[DS_T_DIO_COMPLETE] = {
		.id = DS_T_DIO_COMPLETE, .name = "dio_complete",
		.symbol = "iomap_dio_complete", .obj = DS_OBJ_DIO_WINDOW,
		.sigs = { { .nargs = 1, .args = { "dio" }, .ret = DS_RET_ANY,
			    .fentry_progs = { "fentry_dio_complete", "fexit_dio_complete" },
			    .kprobe_progs = { "kprobe_dio_complete",
				  "kretprobe_dio_complete" } } },
		.tp = { { .progs = { "tp_dio_complete" },
			  .tps = { "iomap/iomap_dio_complete" },
			  .note = "no duration" },
			SYSCALL_WINDOW },
	},
	[DS_T_IOMAP_BEGIN] = {
		.id = DS_T_IOMAP_BEGIN, .name = "iomap_begin",
		.symbol = "ext4_iomap_begin", .obj = DS_OBJ_IOMAP_BEGIN,
		.sigs = { { .nargs = 6, .args = { "inode", "offset", "length", "flags", "iomap", "srcmap" }, .ret = DS_RET_INT,
			    .fentry_progs = { "fentry_iomap_begin", "fexit_iomap_begin" },
			    .kprobe_progs = { "kprobe_iomap_begin",
				  "kretprobe_iomap_begin" } } },
		.tp = { { .progs = { "tp_iomap_iter", "tp_iomap_iter_dstmap" },
			  .tps = { "iomap/iomap_iter",
				   "iomap/iomap_iter_dstmap" },
			  .note = "iomap_iter brackets ->iomap_begin" } },
	},
	[DS_T_END_IO] = {
		.id = DS_T_END_IO, .name = "end_io",
		.symbol = "ext4_dio_write_end_io", .obj = DS_OBJ_END_IO,
		.sigs = { { .nargs = 4, .args = { "iocb", "size", "error", "flags" }, .ret = DS_RET_INT,
			    .fentry_progs = { "fentry_end_io", "fexit_end_io" },
			    .kprobe_progs = { "kprobe_end_io", "kretprobe_end_io" } } },
	},
	[DS_T_MAP_BLOCKS] = {
		.id = DS_T_MAP_BLOCKS, .name = "map_blocks",
		.symbol = "ext4_ext_map_blocks", .obj = DS_OBJ_UNWRITTEN,
		.sigs = { { .nargs = 4, .args = { "handle", "inode", "map", "flags" }, .ret = DS_RET_INT,
			    .fentry_progs = { "fentry_map_blocks", "fexit_map_blocks" },
			    .kprobe_progs = { "kprobe_map_blocks", "kretprobe_map_blocks" } } },
		.tp = { { .progs = { "tp_map_blocks_enter",
				     "tp_map_blocks_exit" },
			  .tps = { "ext4/ext4_ext_map_blocks_enter",
				   "ext4/ext4_ext_map_blocks_exit" } } },
	},
	[DS_T_CONVERT] = {
		.id = DS_T_CONVERT, .name = "convert",
		.symbol = "ext4_convert_unwritten_extents",
		.obj = DS_OBJ_UNWRITTEN,
		/* 7.x added "converted", a pointer (fs/ext4/extents.c) */
		.sigs = {
			{ .label = "5 args, with converted", .nargs = 5,
			  .args = { "handle", "inode", "offset", "len" },
			  .ret = DS_RET_INT,
			  .fentry_progs = { "fentry_convert", "fexit_convert5" },
			  .kprobe_progs = { "kprobe_convert", "kretprobe_convert" } },
			{ .label = "4 args", .nargs = 4,
			  .args = { "handle", "inode", "offset", "len" },
			  .ret = DS_RET_INT,
			  .fentry_progs = { "fentry_convert", "fexit_convert" },
			  .kprobe_progs = { "kprobe_convert", "kretprobe_convert" } },
		},
	},
	[DS_T_CONVERT_INIT] = {
		.id = DS_T_CONVERT_INIT, .name = "convert_init",
		.symbol = "ext4_ext_convert_to_initialized",
		.obj = DS_OBJ_UNWRITTEN,
		/* 6.12 added "allocated" and returns the path (fs/ext4/extents.c) */
		.sigs = {
			{ .label = "6 args, returns the path",
			  .nargs = 6, .ret = DS_RET_PTR,
			  .args = { "handle", "inode", "map", "path", "flags",
				    "allocated" },
			  .fentry_progs = { "fentry_convert_init",
					    "fexit_convert_init6" },
			  .kprobe_progs = { "kprobe_convert_init",
					    "kretprobe_convert_init" } },
			{ .label = "5 args, path **",
			  .nargs = 5, .ret = DS_RET_INT,
			  .args = { "handle", "inode", "map", "ppath", "flags" },
			  .fentry_progs = { "fentry_convert_init",
					    "fexit_convert_init" },
			  .kprobe_progs = { "kprobe_convert_init",
					    "kretprobe_convert_init" } },
		},
		.tp = { { .progs = { "tp_convert_init" },
			  .tps = { "ext4/ext4_ext_convert_to_initialized_enter" },
			  .note = "entry only, no duration" } },
	},
	[DS_T_SPLIT] = {
		.id = DS_T_SPLIT, .name = "split",
		.symbol = "ext4_split_extent_at", .obj = DS_OBJ_EXTENT_CHURN,
		/*
		 * fs/ext4/extents.c: 7.2 dropped split_flag; 6.12 passes the
		 * path itself and returns it, older kernels a path ** and 0
		 */
		.sigs = {
			{ .label = "5 args, no split_flag, returns the path",
			  .nargs = 5, .ret = DS_RET_PTR,
			  .args = { "handle", "inode", "path", "split", "flags" },
			  .fentry_progs = { "fentry_split5", "fexit_split5" },
			  .kprobe_progs = { "kprobe_split5", "kretprobe_split" } },
			{ .label = "6 args, returns the path",
			  .nargs = 6, .ret = DS_RET_PTR,
			  .args = { "handle", "inode", "path", "split",
				    "split_flag", "flags" },
			  .fentry_progs = { "fentry_split", "fexit_split" },
			  .kprobe_progs = { "kprobe_split", "kretprobe_split" } },
			{ .label = "6 args, path **",
			  .nargs = 6, .ret = DS_RET_INT,
			  .args = { "handle", "inode", "ppath", "split",
				    "split_flag", "flags" },
			  .fentry_progs = { "fentry_split_pp", "fexit_split" },
			  .kprobe_progs = { "kprobe_split_pp", "kretprobe_split" } },
		},
		.tp = { { .progs = { "tp_split" },
			  .tps = { "ext4/ext4_ext_split" },
			  .note = "patched kernel; no duration" } },
	},
	[DS_T_MERGE_RIGHT] = {
		.id = DS_T_MERGE_RIGHT, .name = "merge",
		.symbol = "ext4_ext_try_to_merge_right",
		.obj = DS_OBJ_EXTENT_CHURN,
		.sigs = { { .nargs = 3, .args = { "inode", "path", "ex" }, .ret = DS_RET_INT,
			    .fentry_progs = { "fentry_merge_right", "fexit_merge_right" },
			    .kprobe_progs = { "kprobe_merge_right",
				  "kretprobe_merge_right" } } },
		.tp = { { .progs = { "tp_merge" },
			  .tps = { "ext4/ext4_ext_merge" },
			  .note = "patched kernel; merges done only, no duration" } },
	},
	[DS_T_MERGE] = {
		.id = DS_T_MERGE, .name = "merge_call",
		.symbol = "ext4_ext_try_to_merge", .obj = DS_OBJ_EXTENT_CHURN,
		.sigs = { { .nargs = 4, .args = { "handle", "inode", "path", "ex" }, .ret = DS_RET_ANY,
			    .fentry_progs = { "fentry_merge", "fexit_merge" },
			    .kprobe_progs = { "kprobe_merge", "kretprobe_merge" } } },
	},
	[DS_T_LEGACY_DIO] = {
		.id = DS_T_LEGACY_DIO, .name = "legacy_dio",
		.symbol = "ext4_direct_IO", .obj = DS_OBJ_DIO_WINDOW,
		.sigs = { { .nargs = 0, .args = { "iocb", "iter" }, .ret = DS_RET_ANY,
			    .fentry_progs = { "fentry_legacy_dio", "fexit_legacy_dio" },
			    .kprobe_progs = { "kprobe_legacy_dio", "kretprobe_legacy_dio" } } },
		.legacy = true,
	},
	[DS_T_LEGACY_END_IO] = {
		.id = DS_T_LEGACY_END_IO, .name = "legacy_end_io",
		.symbol = "ext4_end_io_dio", .obj = DS_OBJ_END_IO,
		.sigs = { { .nargs = 0, .args = { "iocb", "offset", "size" }, .ret = DS_RET_ANY,
			    .fentry_progs = { "fentry_legacy_end_io", "fexit_legacy_end_io" },
			    .kprobe_progs = { "kprobe_legacy_end_io",
				  "kretprobe_legacy_end_io" } } },
		.legacy = true,
	},
	/* inlined into ext4_do_writepages: its tracepoint is the only way */
	[DS_T_WB_MAP] = {
		.id = DS_T_WB_MAP, .name = "wb_map",
		.symbol = "mpage_map_one_extent", .obj = DS_OBJ_WRITEBACK,
		.tp = { { .progs = { "tp_wb_map" },
			  .tps = { "ext4/ext4_da_write_pages_extent" },
			  .note = "writeback's extents, before they are mapped" } },
	},
	[DS_T_FALLOCATE] = {
		.id = DS_T_FALLOCATE, .name = "fallocate",
		.symbol = "ext4_fallocate", .obj = DS_OBJ_WRITEBACK,
		.sigs = { { .nargs = 4, .ret = DS_RET_INT,
			    .args = { "file", "mode", "offset", "len" },
			    .fentry_progs = { "fentry_fallocate", "fexit_fallocate" },
			    .kprobe_progs = { "kprobe_fallocate",
					      "kretprobe_fallocate" } } },
		.tp = { { .progs = { "tp_sys_enter_fallocate",
				     "tp_sys_exit_fallocate" },
			  .tps = { "syscalls/sys_enter_fallocate",
				   "syscalls/sys_exit_fallocate" },
			  .note = "the syscall" } },
	},
	[DS_T_INSERT] = {
		.id = DS_T_INSERT, .name = "insert",
		.symbol = "ext4_ext_insert_extent", .obj = DS_OBJ_INSERT_MERGE,
		/* 6.12 passes the path itself and returns it (fs/ext4/extents.c) */
		.sigs = {
			{ .label = "returns the path", .nargs = 5,
			  .ret = DS_RET_PTR,
			  .args = { "handle", "inode", "path", "newext",
				    "gb_flags" },
			  .fentry_progs = { "fentry_insert", "fexit_insert" },
			  .kprobe_progs = { "kprobe_insert", "kretprobe_insert" } },
			{ .label = "path **", .nargs = 5, .ret = DS_RET_INT,
			  .args = { "handle", "inode", "ppath", "newext",
				    "gb_flags" },
			  .fentry_progs = { "fentry_insert_pp",
					    "fexit_insert_pp" },
			  .kprobe_progs = { "kprobe_insert_pp",
					    "kretprobe_insert_pp" } },
		},
		.tp = { { .progs = { "tp_insert_merge" },
			  .tps = { "ext4/ext4_ext_insert_merge" },
			  .note = "patched kernel; merges done only, no duration" } },
	},
};

static const char *const object_names[DS_OBJ_MAX] = {
	[DS_OBJ_DIO_WINDOW] = "dio_window",
	[DS_OBJ_IOMAP_BEGIN] = "iomap_begin",
	[DS_OBJ_END_IO] = "end_io",
	[DS_OBJ_UNWRITTEN] = "unwritten",
	[DS_OBJ_EXTENT_CHURN] = "extent_churn",
	[DS_OBJ_WRITEBACK] = "writeback",
	[DS_OBJ_INSERT_MERGE] = "insert_merge",
};

const struct target_def *target_by_name(const char *name)
{
	int i;

	for (i = 0; i < DS_T_MAX; i++) {
		if (!strcmp(ds_targets[i].name, name) ||
		    !strcmp(ds_targets[i].symbol, name))
			return &ds_targets[i];
	}
	return NULL;
}

int target_nsigs(const struct target_def *def)
{
	int n = 0;

	while (n < DS_MAX_SIGS && def->sigs[n].fentry_progs[0])
		n++;
	return n;
}

const char *object_name(enum ds_object obj)
{
	return obj < DS_OBJ_MAX ? object_names[obj] : "?";
}
