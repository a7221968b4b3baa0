#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "tally.h"
#include "tsvout.h"
#include "writer.h"

enum { K_INPUT, K_STREAM, K_MEASURE, K_DETAIL, K_N };

struct tally_row {
	char *key[K_N];
	long n;
};

struct tally {
	struct tsvout *out;
	struct tally_row *rows;
	size_t n, cap;
};

struct tally *
tally_open(const char *path)
{
	struct tally *t;
	int fd;

	if (path == NULL)
		return NULL;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0)
		fatal(EXIT_DATA, "%s: %s", path, strerror(errno));
	t = xmalloc(sizeof *t);
	memset(t, 0, sizeof *t);
	t->out = tsv_open_fd(fd, path);
	return t;
}

static int
same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

void
tally_add(struct tally *t, const char *input, const char *stream, const char *measure, const char *detail, long n)
{
	const char *key[K_N] = { input, stream, measure, detail };

	if (t == NULL)
		return;
	/* A program adds a few dozen rows; the newest match first. */
	for (size_t i = t->n; i-- > 0;) {
		int k;

		for (k = 0; k < K_N && same(t->rows[i].key[k], key[k]); k++)
			;
		if (k == K_N) {
			t->rows[i].n += n;
			return;
		}
	}
	if (t->n == t->cap)
		t->rows = xrealloc(t->rows, (t->cap = 2 * t->cap + 16) * sizeof *t->rows);
	for (int k = 0; k < K_N; k++)
		t->rows[t->n].key[k] = xstrdup(key[k] ? key[k] : "");
	t->rows[t->n++].n = n;
}

int
tally_close(struct tally *t, int complete)
{
	struct writer *w;
	const char *why, *col;
	int rc, k_program, k[K_N], k_count;

	if (t == NULL)
		return 0;
	w = writer_open("summary");
	k_program = writer_col(w, "program");
	k[K_INPUT] = writer_col(w, "input");
	k[K_STREAM] = writer_col(w, "output");
	k[K_MEASURE] = writer_col(w, "measure");
	k[K_DETAIL] = writer_col(w, "detail");
	k_count = writer_col(w, "count");
	writer_complete(w);
	writer_header(w, t->out);
	for (size_t i = 0; i < t->n; i++) {
		w_str(w, k_program, progname);
		for (int j = 0; j < K_N; j++)
			w_str(w, k[j], t->rows[i].key[j]);
		w_int(w, k_count, t->rows[i].n);
		if ((why = writer_row(w, t->out, &col)) != NULL)
			diag("--summary: %s of %s: %s", col, t->rows[i].key[K_MEASURE], why);
		for (int j = 0; j < K_N; j++)
			free(t->rows[i].key[j]);
	}
	rc = tsv_finish(t->out, complete);
	writer_free(w);
	free(t->rows);
	free(t);
	return rc;
}
