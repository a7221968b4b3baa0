#include "diag.h"
#include "header.h"
#include "input.h"
#include "records.h"

#define RECORDS_MAX_COLUMNS 64

int
read_records(const char *path, enum row_format format, const char *const *names,
    const unsigned char *required, int n, struct rejects *rj, record_fn fn, void *ctx, long *count)
{
	struct input *in = input_open(path);
	struct rowopts o = { .format = format };
	int more = 0, ok = 1;

	if (in == NULL)
		return -1;
	if (n > RECORDS_MAX_COLUMNS)
		fatal(EXIT_DATA, "internal error: more than %d named columns", RECORDS_MAX_COLUMNS);
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
			else
				fn(ctx, r, &row, idx);
		}
		ok = got == 0;
		rows_close(r);
	}
	input_close(in);
	return ok && more >= 0 ? 0 : -1;
}
