/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Read-only file mappings that survive the file shrinking under them.
 * A page past the new end of file raises SIGBUS on access; for a mapping
 * registered here the handler puts a page of zeros in its place, the read
 * goes on, and the owner learns from safe_map_lost() that its view of
 * the file is no longer the file: it must refuse what it read.
 */
#ifndef DIOSCOPE_SAFE_MAP_H
#define DIOSCOPE_SAFE_MAP_H

#include <stdbool.h>
#include <stddef.h>

/* 0, or -ENOSPC when too many mappings are registered. */
int safe_map_add(const void *addr, size_t len);
void safe_map_remove(const void *addr);
/* Whether a page of the mapping at addr was replaced by zeros. */
bool safe_map_lost(const void *addr);

#endif
