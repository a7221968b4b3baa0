#include "catalog.h"
#include "diag.h"
#include "header.h"
#include "input.h"
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

int
read_records(const char *path, enum row_format format, const char *stream, const char *const *names,
    const unsigned char *required, int n, struct rejects *rj, record_fn fn, void *ctx, long *count)
{
	struct input *in = input_open(path);
	struct rowopts o = { .format = format, .stream = format == ROWS_TSV };
	const struct cat_column *cols[RECORDS_MAX_COLUMNS] = { NULL };
	int more = 0, ok = 1;

	if (in == NULL)
		return -1;
	if (n > RECORDS_MAX_COLUMNS)
		fatal(EXIT_DATA, "internal error: more than %d named columns", RECORDS_MAX_COLUMNS);
	if (stream) {
		const struct cat_stream *s = catalog_stream(catalog(), stream);

		if (s == NULL)
			fatal(EXIT_USAGE, "%s: no stream %s", catalog()->path, stream);
		for (int i = 0; i < n; i++)
			if (cat_column(s, names[i]) >= 0)
				cols[i] = &s->columns[cat_column(s, names[i])];
	}
	while (ok && (more = input_next(in)) > 0) {
		struct rows *r = rows_open(in, &o);
		struct row row;
		int idx[RECORDS_MAX_COLUMNS], got;
		const char *why;

		if ((got = rows_next(r, &row)) <= 0 || header_lookup(&row, rows_label(r), names, required, n, idx) < 0) {
			if (got == 0)
				diag_at(rows_label(r), 1, "empty file: no header");
			rows_close(r);
			ok = 0;
			break;
		}
		size_t width = row.nf;
		while ((got = rows_next(r, &row)) > 0) {
			(*count)++;
			if ((why = row_width_error(&row, width)) != NULL)
				reject_row(rj, r, &row, why, "%zu fields, the header has %zu", row.nf, width);
			else if (!row.valid_utf8)
				reject_row(rj, r, &row, "bad_utf8", "not valid UTF-8");
			else if (!misfit(rj, r, &row, cols, names, idx, n))
				fn(ctx, r, &row, idx);
		}
		ok = got == 0;
		rows_close(r);
	}
	input_close(in);
	return ok && more >= 0 ? 0 : -1;
}
