// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include "top/inode_path.h"
#include "top/table.h"
#include "util/clock.h"
#include "util/escape.h"

#define EXT4_MAGIC 0xEF53
#define FILEID_INO32_GEN 1	/* include/linux/exportfs.h */
#define RESOLVED_TTL_MS 10000	/* files get renamed: ask again */
#define FAILED_RETRY_MS 30000
#define MOUNT_RETRY_MS 5000

enum ip_state { IP_PENDING, IP_RESOLVED, IP_FAILED };

/* In a table of top/table.c: the least recently asked for goes first. */
struct ip_entry {
	struct top_node node;	/* dev, ino, 0 */
	__u8 state;
	bool walk;		/* a handle cannot name it: walk */
	bool has_path;		/* path holds an answer, maybe being refreshed */
	__u64 stamp_ms;		/* queued, resolved or failed at */
	char path[IP_PATH_LEN];
};

struct ip_walk {
	FTS *fts;
	__u64 started_ms;
};

int inode_path_init(struct inode_path *c, unsigned int entries)
{
	memset(c, 0, sizeof(*c));
	c->t = table_new(entries ? entries : 1, sizeof(struct ip_entry));
	return c->t ? 0 : -ENOMEM;
}

/* Entry i of the table, NULL when it holds no inode. */
static struct ip_entry *entry_at(struct inode_path *c, __u32 i)
{
	struct top_node *n = node_at(c->t, i);

	return n->used ? (struct ip_entry *)n : NULL;
}

static void walk_end(struct ip_mount *m)
{
	if (!m->walk)
		return;
	fts_close(m->walk->fts);
	free(m->walk);
	m->walk = NULL;
}

void inode_path_free(struct inode_path *c)
{
	int i;

	for (i = 0; i < c->nmounts; i++) {
		walk_end(&c->mounts[i]);
		if (c->mounts[i].fd >= 0)
			close(c->mounts[i].fd);
	}
	table_free(c->t);
	memset(c, 0, sizeof(*c));
}

/*
 * Keep the end of a long path: the file name is what tells files apart.
 * Any user may name a file: it is escaped before top prints it.
 */
static void set_path(struct ip_entry *e, const char *raw)
{
	char path[sizeof(e->path) * 4];
	size_t len = strlen(raw);

	/* the end, escaped whole: at most 4 bytes come of each one */
	if (len >= sizeof(path) / 4)
		raw += len - (sizeof(path) / 4 - 1);
	term_escape(raw, strlen(raw), path, sizeof(path));
	len = strlen(path);
	if (len < sizeof(e->path))
		memcpy(e->path, path, len + 1);
	else
		snprintf(e->path, sizeof(e->path), "...%s",
			 path + len - (sizeof(e->path) - 4));
	e->state = IP_RESOLVED;
	e->has_path = true;
	e->walk = false;
	e->stamp_ms = mono_ms();
}

static void set_failed(struct ip_entry *e)
{
	e->state = IP_FAILED;
	e->walk = false;
	e->stamp_ms = mono_ms();
}

static struct ip_mount *mount_find(struct inode_path *c, __u32 dev)
{
	int i;

	for (i = 0; i < c->nmounts; i++) {
		if (c->mounts[i].dev == dev)
			return &c->mounts[i];
	}
	return NULL;
}

static struct ip_mount *mount_slot(struct inode_path *c, __u32 dev)
{
	struct ip_mount *m = mount_find(c, dev);

	if (m) {
		walk_end(m);
		if (m->fd >= 0)
			close(m->fd);
	} else if (c->nmounts < IP_MAX_MOUNTS) {
		m = &c->mounts[c->nmounts++];
	} else {
		return NULL;
	}
	memset(m, 0, sizeof(*m));
	m->dev = dev;
	m->fd = -1;
	return m;
}

int inode_path_add_root(struct inode_path *c, __u32 dev, const char *dir)
{
	struct ip_mount *m = mount_slot(c, dev);
	struct statfs sf;

	if (!m)
		return -ENOSPC;
	snprintf(m->dir, sizeof(m->dir), "%s", dir);
	m->fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (m->fd < 0)
		return -errno;
	if (!fstatfs(m->fd, &sf)) {
		m->handles = sf.f_type == EXT4_MAGIC;
		m->blkbits = sf.f_bsize ? 63 - __builtin_clzll(sf.f_bsize) : 0;
	}
	return 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (s[1] - '0') * 64 + (s[2] - '0') * 8 + s[3] - '0';
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* The mount point of dev; one that shows the filesystem's root wins. */
static bool mountinfo_dir(__u32 dev, char dir[IP_PATH_LEN])
{
	char line[4096], root[1024], mnt[1024];
	unsigned int maj, min;
	bool found = false;
	FILE *f = fopen("/proc/self/mountinfo", "re");

	if (!f)
		return false;
	/* longer mount points do not fit the cache: they fail to match */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %u:%u %1023s %1023s", &maj, &min,
			   root, mnt) != 4)
			continue;
		if (((maj << 20) | min) != dev || (found && strcmp(root, "/")))
			continue;
		unescape(mnt);
		if (strlen(mnt) >= IP_PATH_LEN)
			continue;
		memcpy(dir, mnt, strlen(mnt) + 1);
		found = true;
		if (!strcmp(root, "/"))
			break;
	}
	fclose(f);
	return found;
}

static struct ip_mount *mount_get(struct inode_path *c, __u32 dev)
{
	struct ip_mount *m = mount_find(c, dev);
	char dir[IP_PATH_LEN];

	/* a device that was not mounted may be by now */
	if (m && (m->fd >= 0 || mono_ms() - m->missing_ms < MOUNT_RETRY_MS))
		return m->fd >= 0 ? m : NULL;
	if (mountinfo_dir(dev, dir) &&
	    !inode_path_add_root(c, dev, dir))
		return mount_find(c, dev);
	m = mount_slot(c, dev);
	if (m)
		m->missing_ms = mono_ms();
	return NULL;
}

unsigned int inode_path_blkbits(struct inode_path *c, __u32 dev)
{
	struct ip_mount *m = mount_get(c, dev);

	return m ? m->blkbits : 0;
}

static struct ip_entry *entry_find(struct inode_path *c, __u32 dev, __u64 ino)
{
	return (struct ip_entry *)table_find(c->t, top_key(dev, ino, 0));
}

const char *inode_path_get(struct inode_path *c, __u32 dev, __u64 ino)
{
	struct ip_entry *e = entry_find(c, dev, ino);
	__u64 age;

	if (!e) {
		if (table_full(c->t))
			table_remove(c->t, table_oldest(c->t));
		e = (struct ip_entry *)table_insert(c->t, top_key(dev, ino, 0));
		e->state = IP_PENDING;
		e->stamp_ms = mono_ms();
		return NULL;
	}
	table_touch(c->t, &e->node);
	age = mono_ms() - e->stamp_ms;
	if ((e->state == IP_RESOLVED && age > RESOLVED_TTL_MS) ||
	    (e->state == IP_FAILED && age > FAILED_RETRY_MS)) {
		e->state = IP_PENDING;
		e->stamp_ms = mono_ms();
	}
	return e->has_path ? e->path : NULL;
}

static bool same_file(const char *path, __u32 dev, __u64 ino)
{
	struct stat st;

	if (stat(path, &st))
		return false;
	return st.st_ino == ino &&
	       major(st.st_dev) == (dev >> 20) &&
	       minor(st.st_dev) == (dev & 0xfffff);
}

/*
 * The generation is left 0: ext4 then skips its check, and the handle
 * names whatever inode has that number now. Whether the answer is the
 * file asked for is checked by stat() on the path it gives.
 */
static void by_handle(struct inode_path *c, struct ip_mount *m,
		      struct ip_entry *e)
{
	struct {
		struct file_handle fh;
		__u32 v[2];
	} h = { .fh = { .handle_bytes = 8, .handle_type = FILEID_INO32_GEN },
		.v = { (__u32)e->node.key.ino, 0 } };
	char link[64], path[PATH_MAX];
	ssize_t n;
	int fd;

	fd = open_by_handle_at(m->fd, &h.fh, O_PATH | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ESTALE) {	/* no such inode any more */
			set_failed(e);
			return;
		}
		if (errno == EPERM || errno == EOPNOTSUPP || errno == ENOSYS)
			m->handles = false;
		e->walk = true;
		return;
	}
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	close(fd);
	if (n > 0) {
		path[n] = '\0';
		/* a dentry cut off from the tree reads as "/": walk for it */
		if (same_file(path, e->node.key.dev, e->node.key.ino) ||
		    (n > 10 && !strcmp(path + n - 10, " (deleted)"))) {
			set_path(e, path);
			c->resolved++;
			return;
		}
	}
	e->walk = true;
}

static bool wants_walk(const struct ip_entry *e, __u32 dev)
{
	return e && e->state == IP_PENDING && e->walk && e->node.key.dev == dev;
}

/* Inodes still unnamed after a whole walk that started after them fail. */
static void walk_finish(struct inode_path *c, struct ip_mount *m)
{
	struct ip_entry *e;
	__u32 i;

	for (i = 0; i < c->t->cap; i++) {
		e = entry_at(c, i);
		if (wants_walk(e, m->dev) &&
		    e->stamp_ms <= m->walk->started_ms)
			set_failed(e);
	}
	walk_end(m);
}

static bool walk_begin(struct ip_mount *m)
{
	char *roots[] = { m->dir, NULL };

	m->walk = calloc(1, sizeof(*m->walk));
	if (!m->walk)
		return false;
	m->walk->fts = fts_open(roots, FTS_PHYSICAL | FTS_XDEV | FTS_NOCHDIR,
				NULL);
	if (!m->walk->fts) {
		free(m->walk);
		m->walk = NULL;
		return false;
	}
	m->walk->started_ms = mono_ms();
	return true;
}

/* Walk on from where the last call stopped, until the deadline. */
static void walk_step(struct inode_path *c, struct ip_mount *m,
		      __u64 deadline)
{
	struct ip_entry *e;
	FTSENT *ent;
	__u64 n = 0;

	if (!m->walk && !walk_begin(m))
		return;
	while ((ent = fts_read(m->walk->fts))) {
		if (ent->fts_info == FTS_F || ent->fts_info == FTS_D ||
		    ent->fts_info == FTS_SL || ent->fts_info == FTS_DEFAULT) {
			c->walked_entries++;
			e = entry_find(c, m->dev, ent->fts_statp->st_ino);
			if (e && e->state == IP_PENDING) {
				set_path(e, ent->fts_path);
				c->resolved++;
			}
		}
		if (!(++n & 63) && mono_ms() >= deadline)
			return;
	}
	walk_finish(c, m);
}

void inode_path_work(struct inode_path *c, unsigned int budget_ms)
{
	__u64 deadline = mono_ms() + budget_ms;
	struct ip_mount *m;
	struct ip_entry *e;
	unsigned int i;
	int k;

	/* each pass makes some progress, however short the budget */
	for (i = 0; i < c->t->cap; i++) {
		e = entry_at(c, i);
		if (!e || e->state != IP_PENDING || e->walk)
			continue;
		m = mount_get(c, e->node.key.dev);
		if (!m)
			set_failed(e);
		else if (m->handles && e->node.key.ino <= UINT32_MAX)
			by_handle(c, m, e);
		else
			e->walk = true;
		if (mono_ms() >= deadline)
			return;
	}
	for (k = 0; k < c->nmounts; k++) {
		m = &c->mounts[k];
		if (m->fd < 0)
			continue;
		for (i = 0; !m->walk && i < c->t->cap; i++) {
			if (wants_walk(entry_at(c, i), m->dev))
				break;
		}
		if (m->walk || i < c->t->cap)
			walk_step(c, m, deadline);
	}
}
