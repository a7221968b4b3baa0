#include "catalog.h"
#include "diag.h"
#include "header.h"
#include "reader.h"
#include "records.h"

#define RECORDS_MAX_COLUMNS 64

/* The first named value that does not fit its column, rejected; 1 when one was. */
static int
misfit(struct rejects *rj, struct rows *r, const struct row *row, const struct cat_column *const *cols,
    const char *const *names, const int *idx, int n)
{
	for (int i = 0; i < n; i++) {
		const char *why;

		if (cols[i] == NULL || idx[i] < 0)
			continue;
		if ((why = cat_check(cols[i], row->f[idx[i]].p, row->f[idx[i]].n)) != NULL) {
			reject_row(rj, r, row, why, "%s '%.*s'", names[i], (int)(row->f[idx[i]].n > 64 ? 64 :
			    row->f[idx[i]].n), row->f[idx[i]].p);
			return 1;
		}
	}
	return 0;
}

/* A read of records by name: the columns, and where the program wants them. */
struct by_name {
	const char *const *names;
	const unsigned char *required;
	int n;
	const struct cat_column *cols[RECORDS_MAX_COLUMNS];
	int idx[RECORDS_MAX_COLUMNS];
	struct rejects *rejects;
	record_fn fn;
	void *ctx;
};

static int
bind_names(void *ctx, struct rows *r, const struct row *hdr)
{
	struct by_name *b = ctx;

	return header_lookup(hdr, rows_label(r), b->names, b->required, b->n, b->idx);
}

static void
named_record(void *ctx, struct rows *r, const struct row *row)
{
	struct by_name *b = ctx;

	if (!row->valid_utf8)
		reject_row(b->rejects, r, row, "bad_utf8", "not valid UTF-8");
	else if (!misfit(b->rejects, r, row, b->cols, b->names, b->idx, b->n))
		b->fn(b->ctx, r, row, b->idx);
}

int
read_records(const char *path, enum row_format format, const char *stream, const char *const *names,
    const unsigned char *required, int n, struct rejects *rj, record_fn fn, void *ctx, long *count)
{
	struct by_name b = { .names = names, .required = required, .n = n, .rejects = rj, .fn = fn, .ctx = ctx };
	const struct reader rd = {
		.rowopts = { .format = format, .stream = format == ROWS_TSV },
		.no_header = "empty file: no header",
		.header = bind_names, .record = named_record, .rejects = rj, .rows_in = count,
	};

	if (n > RECORDS_MAX_COLUMNS)
		fatal(EXIT_DATA, "internal error: more than %d named columns", RECORDS_MAX_COLUMNS);
	if (stream) {
		const struct cat_stream *s = catalog_stream(catalog(), stream);

		if (s == NULL)
			fatal(EXIT_USAGE, "%s: no stream %s", catalog()->path, stream);
		for (int i = 0; i < n; i++)
			if (cat_column(s, names[i]) >= 0)
				b.cols[i] = &s->columns[cat_column(s, names[i])];
	}
	return read_input(path, &rd, &b);
}
