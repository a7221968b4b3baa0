/*
 * Writing a catalog stream: the program names the columns it can fill, the
 * catalog says which of them the stream has and in what order, and every
 * row is checked against the column types before a byte of it is written.
 *
 *	w = writer_open("calls");             the program's own stream
 *	k_id = writer_col(w, "complete_call_id");   -1: the catalog has no such column
 *	...
 *	writer_complete(w);                   every catalog column has a filler, or exit 2
 *	writer_header(w, out);
 *	w_text(w, k_id, p, n); w_int(w, k_line, line); ...
 *	if ((why = writer_row(w, out, &col)) != NULL)   nothing written: reject the row
 *
 * A value set for a column the catalog lacks (-1) is dropped, so a column
 * taken out of the catalog leaves every output without a change of code.
 */
#ifndef WRITER_H
#define WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "tsvout.h"

struct writer_slot {
	const char *p;
	size_t n;
	const char *bad;	/* a setter found the value out of range */
	char buf[32];
};

struct writer {
	const struct cat_stream *stream;
	struct writer_slot *slot;	/* one per catalog column, in its order */
	unsigned char *filled;		/* the program has a filler for the column */
};

/* The stream this program writes; exit 2 (diagnosed) when the catalog lacks it or names another writer. */
struct writer *writer_open(const char *stream);
/*
 * The writer of a stream whose columns a program fills by these n names
 * (col[i] the slot of names[i], -1 when the stream lacks it), checked
 * complete: writer_open, writer_col of each, writer_complete.
 */
struct writer *writer_bind(const char *stream, const char *const *names, int n, int *col);
/* The column's slot, or -1 when the catalog's stream has no such column. */
int writer_col(struct writer *w, const char *column);
/* Exit 2 (diagnosed with the catalog's line) when a column of the stream has no filler. */
void writer_complete(const struct writer *w);
void writer_header(const struct writer *w, struct tsvout *out);

static inline void
w_text(struct writer *w, int k, const char *p, size_t n)
{
	if (k >= 0) {
		w->slot[k].p = p;
		w->slot[k].n = n;
	}
}

void w_str(struct writer *w, int k, const char *s);
void w_int(struct writer *w, int k, int64_t v);
void w_cents(struct writer *w, int k, int64_t cents);
/* A UTC instant as "YYYY-MM-DD HH:MM:SS"; out of range (before year 1, after 9999) when it cannot be. */
void w_time(struct writer *w, int k, int64_t t);

/*
 * Check every value against its column and write the row; the slots are
 * empty again after.  NULL when written; else the reject reason, *col the
 * column's name, and nothing written.
 */
const char *writer_row(struct writer *w, struct tsvout *out, const char **col);
/* Empty the slots without writing (a row given up). */
void writer_clear(struct writer *w);
void writer_free(struct writer *w);

#endif
