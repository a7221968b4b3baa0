#include "diag.h"
#include "input.h"
#include "reader.h"

/* One member: 0, or -1 when it has no header, the program refused it, or it could not be read. */
static int
read_member(struct input *in, const struct reader *rd, void *ctx)
{
	struct rows *r = rows_open(in, &rd->rowopts);
	struct row row;
	const char *why;
	size_t width;
	int got;

	if ((got = rows_next(r, &row)) <= 0 || rd->header(ctx, r, &row) < 0) {
		if (got == 0)
			diag_at(rows_label(r), rd->rowopts.skip_lines + 1, "%s", rd->no_header);
		rows_close(r);
		return -1;
	}
	width = row.nf;
	while ((got = rows_next(r, &row)) > 0) {
		(*rd->rows_in)++;
		if ((why = row_width_error(&row, width)) != NULL)
			reject_row(rd->rejects, r, &row, why, "%zu fields, the header has %zu", row.nf, width);
		else
			rd->record(ctx, r, &row);
	}
	if (rd->member_done)
		rd->member_done(ctx, r);
	rows_close(r);
	return got < 0 ? -1 : 0;
}

int
read_input(const char *path, const struct reader *rd, void *ctx)
{
	struct input *in = input_open(path);
	int more = 0, ok = 1;

	if (in == NULL)
		return -1;
	input_set_entry_glob(in, rd->entry_glob);
	while (ok && (more = input_next(in)) > 0)
		ok = read_member(in, rd, ctx) == 0;
	input_close(in);
	return ok && more >= 0 ? 0 : -1;
}
