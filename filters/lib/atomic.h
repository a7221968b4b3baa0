/*
 * Output files that appear whole or not at all: written under a hidden
 * temporary name in the same folder, renamed into place on commit, removed
 * on abort or when the program exits without committing.
 */
#ifndef ATOMIC_H
#define ATOMIC_H

struct atomic_file {
	char *path;
	char *tmp;
	int fd;
	struct atomic_file *next;
};

/* The descriptor to write, or -1 (diagnosed). */
int atomic_open(struct atomic_file *af, const char *path);
/* fsync and rename; 0 or -1 (diagnosed).  The descriptor must be closed already. */
int atomic_commit(struct atomic_file *af);
void atomic_abort(struct atomic_file *af);

struct tsvout;
/*
 * Streams written into atomic files, finished together: when complete and
 * every write succeeds, each ends with its end line and all are committed;
 * else all are removed.  -1 when a write or a commit failed (diagnosed),
 * else 0 (whether committed or, not complete, removed).
 */
int atomic_finish_streams(struct tsvout **outs, struct atomic_file *files, int n, int complete);

#endif
