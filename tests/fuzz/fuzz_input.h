/* SPDX-License-Identifier: GPL-2.0 */
/* Fuzz input as a file path: the parsers under test read files. */
#ifndef DIOSCOPE_FUZZ_INPUT_H
#define DIOSCOPE_FUZZ_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* A memfd holding data, named by its /proc path; -1 on failure. */
static inline int fuzz_memfd(const uint8_t *data, size_t size, char *path,
			     size_t len)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return -1;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	lseek(fd, 0, SEEK_SET);
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
