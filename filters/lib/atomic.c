#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

/*
 * Killed (TERM, INT, HUP): the temporary files go with the program, as at
 * exit, and the signal then takes its default course (the parent sees it).
 * The list is changed only with these signals blocked, so the handler never
 * walks it half-linked; unlink is safe in a handler.
 */
static const int fatal_signals[] = { SIGTERM, SIGINT, SIGHUP };

static void
remove_pending_and_die(int sig)
{
	remove_pending();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
block_fatal(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		sigaddset(&set, fatal_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void
unlist(struct atomic_file *af)
{
	sigset_t old;

	block_fatal(&old);
	for (struct atomic_file **pp = &pending; *pp; pp = &(*pp)->next)
		if (*pp == af) {
			*pp = af->next;
			break;
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
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
	sigset_t old;

	if (!registered) {
		atexit(remove_pending);
		for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
			struct sigaction sa = { .sa_handler = remove_pending_and_die };
			struct sigaction was;

			/* A signal the caller chose to ignore (nohup) stays ignored. */
			if (sigaction(fatal_signals[i], NULL, &was) == 0 && was.sa_handler == SIG_IGN)
				continue;
			sigemptyset(&sa.sa_mask);
			sigaction(fatal_signals[i], &sa, NULL);
		}
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
	block_fatal(&old);
	af->next = pending;
	pending = af;
	sigprocmask(SIG_SETMASK, &old, NULL);
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
