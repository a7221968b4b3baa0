#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "diag.h"
#include "money.h"
#include "writer.h"

/* 0001-01-01 00:00:00 and 9999-12-31 23:59:59 UTC: what a TIMESTAMP's text form holds. */
#define FIRST_INSTANT (-62135596800LL)
#define LAST_INSTANT 253402300799LL

struct writer *
writer_open(const char *stream)
{
	struct writer *w = xmalloc(sizeof *w);

	w->stream = catalog_writes(progname, stream);
	w->slot = xmalloc(w->stream->ncolumns * sizeof *w->slot);
	memset(w->slot, 0, w->stream->ncolumns * sizeof *w->slot);
	w->filled = xmalloc(w->stream->ncolumns);
	memset(w->filled, 0, w->stream->ncolumns);
	return w;
}

struct writer *
writer_bind(const char *stream, const char *const *names, int n, int *col)
{
	struct writer *w = writer_open(stream);

	for (int i = 0; i < n; i++)
		col[i] = writer_col(w, names[i]);
	writer_complete(w);
	return w;
}

int
writer_col(struct writer *w, const char *column)
{
	int k = cat_column(w->stream, column);

	if (k >= 0)
		w->filled[k] = 1;
	return k;
}

void
writer_complete(const struct writer *w)
{
	int ok = 1;

	for (int k = 0; k < w->stream->ncolumns; k++)
		if (!w->filled[k]) {
			diag_at(catalog()->path, w->stream->columns[k].line, "stream %s: %s does not write a column %s",
			    w->stream->name, progname, w->stream->columns[k].name);
			ok = 0;
		}
	if (!ok)
		exit(EXIT_USAGE);
}

void
writer_header(const struct writer *w, struct tsvout *out)
{
	for (int k = 0; k < w->stream->ncolumns; k++)
		tsv_str(out, w->stream->columns[k].name);
	tsv_end_row(out);
}

void
w_str(struct writer *w, int k, const char *s)
{
	w_text(w, k, s, strlen(s));
}

void
w_int(struct writer *w, int k, int64_t v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	if (k < 0)
		return;
	do
		*--p = '0' + u % 10;
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	w->slot[k].n = tmp + sizeof tmp - p;
	memcpy(w->slot[k].buf, p, w->slot[k].n);
	w->slot[k].p = w->slot[k].buf;
}

void
w_cents(struct writer *w, int k, int64_t cents)
{
	if (k < 0)
		return;
	w->slot[k].n = money_format(cents, w->slot[k].buf);
	w->slot[k].p = w->slot[k].buf;
}

void
w_time(struct writer *w, int k, int64_t t)
{
	if (k < 0)
		return;
	if (t < FIRST_INSTANT || t > LAST_INSTANT) {
		w->slot[k].bad = "out_of_range";
		return;
	}
	w->slot[k].n = format_utc(t, w->slot[k].buf);
	w->slot[k].p = w->slot[k].buf;
}

void
writer_clear(struct writer *w)
{
	for (int k = 0; k < w->stream->ncolumns; k++)
		w->slot[k] = (struct writer_slot){ .n = 0 };
}

const char *
writer_row(struct writer *w, struct tsvout *out, const char **col)
{
	const struct cat_stream *s = w->stream;
	const char *why = NULL;
	int k;

	for (k = 0; k < s->ncolumns; k++) {
		struct writer_slot *v = &w->slot[k];

		if ((why = v->bad) != NULL || (why = cat_check(&s->columns[k], v->p, v->n)) != NULL)
			break;
	}
	if (why) {
		*col = s->columns[k].name;
		writer_clear(w);
		return why;
	}
	for (k = 0; k < s->ncolumns; k++) {
		if (w->slot[k].n)
			tsv_field(out, w->slot[k].p, w->slot[k].n);
		else
			tsv_null(out);
		w->slot[k].n = 0;
	}
	tsv_end_row(out);
	return NULL;
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	free(w->slot);
	free(w->filled);
	free(w);
}
