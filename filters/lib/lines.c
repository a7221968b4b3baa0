#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lines.h"

#define LINES_BLOCK (1024 * 1024)
#define LINES_MAX (64 * 1024 * 1024)	/* a longer line is a broken file, not data */

void
lines_init(struct lines *l, struct input *in)
{
	memset(l, 0, sizeof *l);
	l->in = in;
	l->cap = LINES_BLOCK;
	l->buf = xmalloc(l->cap);
	l->eol = '\n';
}

/* Make room after l->end, keeping the unread bytes; -1 when a line is too long. */
static int
make_room(struct lines *l)
{
	size_t unread = l->end - l->pos;

	if (l->pos > 0) {
		memmove(l->buf, l->buf + l->pos, unread);
		l->pos = 0;
		l->end = unread;
	}
	if (l->end == l->cap) {
		if (l->cap >= LINES_MAX) {
			diag_at(input_label(l->in), l->lineno + 1,
			    "line longer than %d MiB", LINES_MAX >> 20);
			return -1;
		}
		l->cap *= 2;
		l->buf = xrealloc(l->buf, l->cap);
	}
	return 0;
}

int
lines_next(struct lines *l, const char **p, size_t *n)
{
	size_t scanned = 0;	/* bytes after pos known to hold no LF */
	char *lf;

	for (;;) {
		lf = memchr(l->buf + l->pos + scanned, l->eol, l->end - l->pos - scanned);
		if (lf != NULL)
			break;
		scanned = l->end - l->pos;
		if (l->eof) {
			if (scanned == 0)
				return 0;
			*p = l->buf + l->pos;
			*n = scanned;
			l->pos = l->end;
			l->last_had_lf = 0;
			l->lineno++;
			return 1;
		}
		if (make_room(l) < 0)
			return -1;
		ssize_t r = input_read(l->in, l->buf + l->end, l->cap - l->end);
		if (r < 0)
			return -1;
		if (r == 0)
			l->eof = 1;
		l->end += r;
		if (!l->bom_checked && (l->end >= 3 || l->eof)) {
			l->bom_checked = 1;
			/* The line ends of the member, from its first block. */
			if (l->lineno == 0 && !memchr(l->buf + l->pos, '\n', l->end - l->pos) &&
			    memchr(l->buf + l->pos, '\r', l->end - l->pos))
				l->eol = '\r';
			if (l->lineno == 0 && l->end - l->pos >= 3 &&
			    memcmp(l->buf + l->pos, "\357\273\277", 3) == 0) {
				l->pos += 3;
				scanned = 0;
			}
		}
	}
	*p = l->buf + l->pos;
	*n = lf - (l->buf + l->pos);
	l->pos += *n + 1;
	l->last_had_lf = 1;
	l->lineno++;
	return 1;
}

void
lines_free(struct lines *l)
{
	free(l->buf);
	l->buf = NULL;
}
