// SPDX-License-Identifier: GPL-2.0
/*
 * Direct IO workloads for the boot test of the patched kernel, built
 * static so that it runs in a busybox initramfs.
 *
 *   dio-merge threads FILE NBLOCKS
 *	fallocate NBLOCKS 4 KiB blocks, then write every block once with
 *	O_DIRECT|O_SYNC pwrite() from two threads, in a scattered order,
 *	each block holding a pattern made from its number
 *   dio-merge holes FILE NBLOCKS
 *	the same into a sparse file of NBLOCKS blocks (ftruncate, no
 *	fallocate): on 7.x every write allocates an unwritten extent that
 *	can be merged with the piece of the other thread's write in flight
 *   dio-merge verify FILE NBLOCKS
 *	read the blocks back with O_DIRECT and compare them to the pattern
 *   dio-merge inflight FILE
 *	fallocate the first MiB of a 4 MiB sparse file, submit one
 *	asynchronous O_DIRECT write (io_submit) to the last 128 KiB of it,
 *	and while the write is in flight store through a shared mapping
 *	into the block right after the fallocated range; then wait for the
 *	write and check the whole file. On a file system mounted with
 *	nodelalloc, the fault allocates an unwritten extent next to the one
 *	split off for the write, which the kernel may merge with it.
 *
 *   dio-merge writeback FILE
 *	fallocate the first MiB of a 4 MiB file, write its last 128 KiB
 *	through the page cache, start their writeback (sync_file_range),
 *	and while it is in flight fallocate the 64 KiB right after the
 *	first MiB; then wait for the writeback and check the whole file.
 *	With dioread_nolock (the default) the writeback's io_end converts
 *	its unwritten extent at completion, and the fallocation next to it
 *	may be appended to that extent before.
 *
 * Writes "dio-merge: ..." markers to the ftrace buffer when it is there,
 * so that the events in between can be told apart. Exits 0 when the data
 * is as written, 1 when it is not, 2 on a usage or system error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/aio_abi.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BLK 4096
#define MIB (1024 * 1024)

static const char *path;
static long nblocks;

static void die(const char *what)
{
	fprintf(stderr, "dio-merge: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void marker(const char *text)
{
	int fd = open("/sys/kernel/tracing/trace_marker", O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0)
		perror("dio-merge: trace_marker");
	close(fd);
}

static void *block_buf(void)
{
	void *p;

	if (posix_memalign(&p, BLK, BLK))
		die("posix_memalign");
	return p;
}

static void fill(uint64_t *p, long blk)
{
	for (size_t i = 0; i < BLK / sizeof(*p); i++)
		p[i] = ((uint64_t)blk << 32 | i) ^ 0x5eedf00d5eedf00dULL;
}

static int check(const uint64_t *p, long blk)
{
	for (size_t i = 0; i < BLK / sizeof(*p); i++)
		if (p[i] != (((uint64_t)blk << 32 | i) ^ 0x5eedf00d5eedf00dULL))
			return 0;
	return 1;
}

static int is_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void *writer(void *arg)
{
	long t = (long)arg;
	int fd = open(path, O_WRONLY | O_DIRECT | O_SYNC);
	uint64_t *buf = block_buf();

	if (fd < 0)
		die("open for writing");
	/* every other block, in a scattered order that visits each once */
	long stride = nblocks % 7 ? 7 : 1;

	for (long i = 0; i < nblocks; i++) {
		long blk = (i * stride) % nblocks;

		if (blk % 2 != t)
			continue;
		fill(buf, blk);
		if (pwrite(fd, buf, BLK, (off_t)blk * BLK) != BLK)
			die("pwrite");
	}
	free(buf);
	close(fd);
	return NULL;
}

static int cmd_threads(int holes)
{
	pthread_t th[2];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0)
		die("create");
	if (holes ? ftruncate(fd, (off_t)nblocks * BLK) :
		    fallocate(fd, 0, 0, (off_t)nblocks * BLK))
		die(holes ? "ftruncate" : "fallocate");
	if (fsync(fd))
		die("fsync");
	close(fd);
	marker("dio-merge: threads start");
	for (long t = 0; t < 2; t++)
		if (pthread_create(&th[t], NULL, writer, (void *)t))
			die("pthread_create");
	for (int t = 0; t < 2; t++)
		pthread_join(th[t], NULL);
	marker("dio-merge: threads done");
	printf("dio-merge: wrote %ld blocks from 2 threads into %s\n", nblocks,
	       holes ? "holes" : "a fallocated file");
	return 0;
}

static int cmd_verify(void)
{
	int fd = open(path, O_RDONLY | O_DIRECT);
	uint64_t *buf = block_buf();
	long bad = 0;

	if (fd < 0)
		die("open for reading");
	for (long blk = 0; blk < nblocks; blk++) {
		if (pread(fd, buf, BLK, (off_t)blk * BLK) != BLK)
			die("pread");
		if (!check(buf, blk) && bad++ < 5)
			fprintf(stderr, "dio-merge: block %ld differs\n", blk);
	}
	close(fd);
	free(buf);
	printf("dio-merge: %ld of %ld blocks differ\n", bad, nblocks);
	return bad != 0;
}

/*
 * The boot test throttles vdb's writes (QEMU's throttling.bps-write), but
 * a leaky bucket lets the first request after a pause through at once:
 * the write under test then completed before the fault. A write of twice
 * its size to a file of its own, made and completed first, fills the
 * bucket, so that the write under test waits in QEMU while the fault
 * happens.
 */
static void fill_throttle(const void *buf, size_t len)
{
	char fill[PATH_MAX];
	int fd, i;

	snprintf(fill, sizeof(fill), "%s.fill", path);
	fd = open(fill, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644);
	if (fd < 0)
		die("create the filler");
	for (i = 0; i < 2; i++)
		if (pwrite(fd, buf, len, (off_t)i * len) != (ssize_t)len)
			die("write the filler");
	close(fd);
	unlink(fill);
}

static int cmd_inflight(void)
{
	const off_t size = 4 * MIB, falloc = MIB, dio_len = 128 * 1024;
	const off_t dio_off = falloc - dio_len, poke = falloc;
	aio_context_t ctx = 0;
	struct iocb cb, *cbs[1] = { &cb };
	struct io_event ev;
	struct timespec zero = { 0, 0 };
	unsigned char *buf, *map, *rd;
	int fd, mfd, bad = 0;
	long in_flight;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT, 0644);
	if (fd < 0)
		die("create");
	if (ftruncate(fd, size) || fallocate(fd, 0, 0, falloc) || fsync(fd))
		die("ftruncate/fallocate/fsync");
	mfd = open(path, O_RDWR);
	if (mfd < 0)
		die("open for mapping");
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	if (posix_memalign((void **)&buf, BLK, dio_len))
		die("posix_memalign");
	for (off_t b = 0; b < dio_len / BLK; b++)
		fill((uint64_t *)(buf + b * BLK), dio_off / BLK + b);
	if (syscall(SYS_io_setup, 1, &ctx))
		die("io_setup");

	memset(&cb, 0, sizeof(cb));
	cb.aio_fildes = fd;
	cb.aio_lio_opcode = IOCB_CMD_PWRITE;
	cb.aio_buf = (uintptr_t)buf;
	cb.aio_nbytes = dio_len;
	cb.aio_offset = dio_off;
	fill_throttle(buf, dio_len);
	marker("dio-merge: dio submit");
	if (syscall(SYS_io_submit, ctx, 1, cbs) != 1)
		die("io_submit");
	/* a page fault that allocates the block right after the fallocation */
	map[poke] = 0xa5;
	in_flight = syscall(SYS_io_getevents, ctx, 0, 1, &ev, &zero);
	if (in_flight < 0)
		die("io_getevents");
	in_flight = !in_flight;
	marker("dio-merge: fault done");
	if (in_flight && syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL) != 1)
		die("io_getevents");
	marker("dio-merge: dio complete");
	if (ev.res != dio_len) {
		fprintf(stderr, "dio-merge: the write returned %lld\n",
			(long long)ev.res);
		return 1;
	}
	if (msync(map, size, MS_SYNC) || munmap(map, size) || fsync(fd))
		die("msync/munmap/fsync");
	printf("dio-merge: in flight during the fault: %s\n",
	       in_flight ? "yes" : "no");

	/* read everything back past the page cache */
	if (posix_memalign((void **)&rd, BLK, BLK))
		die("posix_memalign");
	for (off_t off = 0; off < size; off += BLK) {
		int good;

		if (pread(fd, rd, BLK, off) != BLK)
			die("pread");
		if (off >= dio_off && off < dio_off + dio_len)
			good = check((uint64_t *)rd, off / BLK);
		else if (off == poke)
			good = rd[0] == 0xa5 && is_zero(rd + 1, BLK - 1);
		else
			good = is_zero(rd, BLK);
		if (!good && bad++ < 5)
			fprintf(stderr, "dio-merge: block %lld differs\n",
				(long long)(off / BLK));
	}
	printf("dio-merge: %d of %lld blocks differ\n", bad,
	       (long long)(size / BLK));
	syscall(SYS_io_destroy, ctx);
	close(mfd);
	close(fd);
	return bad != 0;
}

/* kB under writeback in the whole system (the guest is otherwise idle) */
static long writeback_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long kb = -1;

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Writeback: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int cmd_writeback(void)
{
	const off_t size = 4 * MIB, falloc = MIB, wb_len = 128 * 1024;
	const off_t wb_off = falloc - wb_len, next_len = 64 * 1024;
	unsigned char *buf, *rd;
	int fd, bad = 0;
	long in_flight;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		die("create");
	if (ftruncate(fd, size) || fallocate(fd, 0, 0, falloc) || fsync(fd))
		die("ftruncate/fallocate/fsync");
	buf = malloc(wb_len);
	rd = block_buf();
	if (!buf)
		die("malloc");
	for (off_t b = 0; b < wb_len / BLK; b++)
		fill((uint64_t *)(buf + b * BLK), wb_off / BLK + b);
	if (pwrite(fd, buf, wb_len, wb_off) != wb_len)
		die("pwrite");
	marker("dio-merge: writeback submit");
	if (sync_file_range(fd, wb_off, wb_len, SYNC_FILE_RANGE_WRITE))
		die("sync_file_range");
	/* the fallocation right after the range under writeback */
	if (fallocate(fd, FALLOC_FL_KEEP_SIZE, falloc, next_len))
		die("fallocate next to the writeback");
	in_flight = writeback_kb() > 0;
	marker("dio-merge: fallocate done");
	if (fsync(fd))
		die("fsync");
	marker("dio-merge: writeback complete");
	printf("dio-merge: in flight during the fallocate: %s\n",
	       in_flight ? "yes" : "no");
	close(fd);

	/* read everything back past the page cache */
	fd = open(path, O_RDONLY | O_DIRECT);
	if (fd < 0)
		die("open for reading");
	for (off_t off = 0; off < size; off += BLK) {
		int good;

		if (pread(fd, rd, BLK, off) != BLK)
			die("pread");
		if (off >= wb_off && off < wb_off + wb_len)
			good = check((uint64_t *)rd, off / BLK);
		else
			good = is_zero(rd, BLK);
		if (!good && bad++ < 5)
			fprintf(stderr, "dio-merge: block %lld differs\n",
				(long long)(off / BLK));
	}
	printf("dio-merge: %d of %lld blocks differ\n", bad,
	       (long long)(size / BLK));
	close(fd);
	free(buf);
	free(rd);
	return bad != 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3)
		path = argv[2];
	if (argc == 4)
		nblocks = strtol(argv[3], NULL, 0);
	if (argc == 4 && nblocks > 0 && !strcmp(argv[1], "threads"))
		return cmd_threads(0);
	if (argc == 4 && nblocks > 0 && !strcmp(argv[1], "holes"))
		return cmd_threads(1);
	if (argc == 4 && nblocks > 0 && !strcmp(argv[1], "verify"))
		return cmd_verify();
	if (argc == 3 && !strcmp(argv[1], "inflight"))
		return cmd_inflight();
	if (argc == 3 && !strcmp(argv[1], "writeback"))
		return cmd_writeback();
	fprintf(stderr, "usage: dio-merge threads|holes|verify FILE NBLOCKS\n"
		"       dio-merge inflight|writeback FILE\n");
	return 2;
}
