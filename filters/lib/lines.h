/* Physical lines of an input member, read in large blocks and split with memchr. */
#ifndef LINES_H
#define LINES_H

#include <stddef.h>

#include "input.h"

struct lines {
	struct input *in;
	char *buf;
	size_t cap, pos, end;
	int eof;
	int bom_checked;
	char eol;		/* LF; CR for a file whose lines end in CR alone (old Mac) */
	int last_had_lf;	/* the line just returned ended with LF */
	long lineno;		/* number of the line just returned, from 1 */
};

void lines_init(struct lines *l, struct input *in);
/*
 * Next line without its LF (a CR before it is kept), valid until the next
 * call; a UTF-8 BOM at the start of the member is removed.  A member whose
 * first block holds CRs and not one LF ends its lines with CR alone.
 * 1: a line; 0: end of member; -1: read error (diagnosed).
 */
int lines_next(struct lines *l, const char **p, size_t *n);
void lines_free(struct lines *l);

#endif
