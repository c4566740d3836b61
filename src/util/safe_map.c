// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "util/safe_map.h"

#define SLOTS 16

static struct {
	volatile uintptr_t start, end;
	volatile sig_atomic_t lost;
} slots[SLOTS];

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr, page;
	int i;

	for (i = 0; i < SLOTS; i++) {
		if (!slots[i].end || a < slots[i].start || a >= slots[i].end)
			continue;
		page = a & ~((uintptr_t)sysconf(_SC_PAGESIZE) - 1);
		/* the faulting read is retried on return and sees zeros */
		if (mmap((void *)page, sysconf(_SC_PAGESIZE), PROT_READ,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
		    MAP_FAILED)
			break;
		slots[i].lost = 1;
		return;
	}
	/* not ours: die of it as without the handler */
	signal(SIGBUS, SIG_DFL);
}

static void install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
}

int safe_map_add(const void *addr, size_t len)
{
	int i;

	/* each time: whoever set another handler since must not win */
	install();
	for (i = 0; i < SLOTS; i++) {
		if (slots[i].end)
			continue;
		slots[i].lost = 0;
		slots[i].start = (uintptr_t)addr;
		slots[i].end = (uintptr_t)addr + len;
		return 0;
	}
	return -ENOSPC;
}

static int slot_of(const void *addr)
{
	int i;

	for (i = 0; i < SLOTS; i++)
		if (slots[i].end && slots[i].start == (uintptr_t)addr)
			return i;
	return -1;
}

void safe_map_remove(const void *addr)
{
	int i = slot_of(addr);

	if (i >= 0)
		slots[i].end = slots[i].start = 0;
}

bool safe_map_lost(const void *addr)
{
	int i = slot_of(addr);

	return i >= 0 && slots[i].lost;
}
