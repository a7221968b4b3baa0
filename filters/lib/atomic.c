#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "diag.h"
#include "tsvout.h"

static struct atomic_file *pending;

static void
remove_pending(void)
{
	for (struct atomic_file *af = pending; af; af = af->next)
		if (af->tmp)
			unlink(af->tmp);
}

static void
unlist(struct atomic_file *af)
{
	for (struct atomic_file **pp = &pending; *pp; pp = &(*pp)->next)
		if (*pp == af) {
			*pp = af->next;
			break;
		}
	free(af->tmp);
	free(af->path);
	af->tmp = af->path = NULL;
}

int
atomic_open(struct atomic_file *af, const char *path)
{
	static int registered;
	const char *slash = strrchr(path, '/');
	size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
	size_t n = strlen(path) + 16;
	mode_t mask;

	if (!registered) {
		atexit(remove_pending);
		registered = 1;
	}
	af->path = xstrdup(path);
	af->tmp = xmalloc(n);
	snprintf(af->tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, path, path + dirlen);
	af->fd = mkstemp(af->tmp);
	if (af->fd < 0) {
		diag("%s: cannot create: %s", af->tmp, strerror(errno));
		free(af->tmp);
		free(af->path);
		af->tmp = af->path = NULL;
		return -1;
	}
	mask = umask(0);
	umask(mask);
	fchmod(af->fd, 0666 & ~mask);
	af->next = pending;
	pending = af;
	return af->fd;
}

int
atomic_commit(struct atomic_file *af)
{
	int fd, rc = 0;

	/* The data must be on disk before the name points at it. */
	fd = open(af->tmp, O_RDONLY);
	if (fd < 0 || fsync(fd) < 0 || rename(af->tmp, af->path) < 0) {
		diag("%s: cannot commit: %s", af->path, strerror(errno));
		unlink(af->tmp);
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	unlist(af);
	return rc;
}

int
atomic_finish_streams(struct tsvout **outs, struct atomic_file *files, int n, int complete)
{
	int failed = 0;

	for (int i = 0; i < n; i++)
		if (tsv_finish(outs[i], complete) < 0)
			failed = 1;
	for (int i = 0; i < n; i++)
		if (!complete || failed)
			atomic_abort(&files[i]);
		else if (atomic_commit(&files[i]) < 0)
			failed = 1;	/* the ones before are in place: the caller fails the run */
	return failed ? -1 : 0;
}

void
atomic_abort(struct atomic_file *af)
{
	if (af->tmp)
		unlink(af->tmp);
	unlist(af);
}
