/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bench's scratch filesystem: an ext4 image on a loop device by
 * default, a real device only when asked, and everything undone on exit.
 */
#ifndef DIOSCOPE_SCRATCH_FS_H
#define DIOSCOPE_SCRATCH_FS_H

#include <limits.h>
#include <stdbool.h>

struct scratch {
	char img[256];		/* the image we made, "" with a real device */
	char dev[256];
	char mnt[256];
	bool loop, mounted;
	int loop_fd;		/* held open: the device lives as long as we do */
	char error[PATH_MAX + 512];	/* room for a path and a tool's words */
};

/*
 * A device to make filesystems on: a new image of `size` bytes on a loop
 * device, or `device` if given, refused when it is mounted or holds a
 * filesystem unless force. 0 or -1 with s->error set. With an image the
 * bench moves into a mount namespace of its own, and the loop device
 * clears itself: a bench killed by SIGKILL leaves no mount, no device and
 * no image, only an empty mount point that the next bench removes.
 */
int scratch_open(struct scratch *s, const char *device,
		 unsigned long long size, bool force);
/* mkfs.ext4 with mkfs_opts, mount with mount_opts ("" for none). */
int scratch_mkfs_mount(struct scratch *s, const char *mkfs_opts,
		       const char *mount_opts);
int scratch_umount(struct scratch *s);
/* Unmount, detach, remove: safe to call more than once. */
void scratch_close(struct scratch *s);
/*
 * Remove what benches that are gone left in TMPDIR (mount points, images
 * named with their pid, and loop devices on those images), saying each
 * through say. Returns how many were removed.
 */
int scratch_clean_leftovers(void (*say)(const char *));
/* The filesystem's block size, from statvfs. */
unsigned long scratch_block_size(const struct scratch *s);

#endif
