// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <unistd.h>
#include "util/atomic_file.h"

int atomic_open(struct atomic_file *af, const char *path)
{
	af->path = path;
	if ((size_t)snprintf(af->tmp, sizeof(af->tmp), "%s.tmp", path) >=
	    sizeof(af->tmp))
		return -ENAMETOOLONG;
	af->f = fopen(af->tmp, "w");
	return af->f ? 0 : -errno;
}

int atomic_commit(struct atomic_file *af, bool durable)
{
	int err = 0;

	errno = 0;
	if (fflush(af->f) || ferror(af->f))
		err = errno ? -errno : -EIO;
	if (!err && durable && fsync(fileno(af->f)))
		err = -errno;
	if (fclose(af->f) && !err)
		err = -errno;
	af->f = NULL;
	if (!err && rename(af->tmp, af->path))
		err = -errno;
	if (err)
		unlink(af->tmp);
	return err;
}

void atomic_abort(struct atomic_file *af)
{
	if (af->f)
		fclose(af->f);
	af->f = NULL;
	unlink(af->tmp);
}
