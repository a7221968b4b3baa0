/*
 * The streams rs-copy loads: their header, and their data lines with the
 * batch and the load time appended, as COPY reads them.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/input.h"
#include "lib/lines.h"
#include "lib/tsvout.h"
#include "load.h"

#define COPY_BUF (1024 * 1024)

/*
 * A stream opened on its header line (in *lines).  Standard input cannot
 * be opened twice: it is held open from the header to the rows; a file is
 * opened again for them (a run may load thousands of files).  NULL
 * (diagnosed) when it cannot be read or is empty.
 */
static struct input *
open_stream(struct load *ld, struct lines *lines, const char **p, size_t *n)
{
	struct input *in;
	int got;

	if (ld->held) {
		in = ld->held;
		*lines = ld->held_lines;
		ld->held = NULL;
		return in;
	}
	if ((in = input_open(ld->path)) == NULL)
		return NULL;
	if (input_next(in) <= 0) {
		input_close(in);
		return NULL;
	}
	if (ld->label == NULL)
		ld->label = xstrdup(input_label(in));
	lines_init(lines, in);
	if ((got = lines_next(lines, p, n)) <= 0) {
		if (got == 0)
			diag_at(ld->label, 1, "empty stream: no header");
		lines_free(lines);
		input_close(in);
		return NULL;
	}
	return in;
}

int
stream_header(struct load *ld)
{
	struct lines lines;
	const char *p, *end, *tab;
	size_t n;
	struct input *in = open_stream(ld, &lines, &p, &n);
	int rc = 0;

	if (in == NULL)
		return -1;
	if (n == 0 || memchr(p, '\r', n)) {
		diag_at(ld->label, 1, "not a TSV stream header (empty, or CR line ends)");
		rc = -1;
	}
	for (end = p + n; rc == 0; p = tab + 1) {
		tab = memchr(p, '\t', end - p);
		size_t len = (tab ? tab : end) - p;
		char *name = xstrndup(p, len);

		ld->columns = xrealloc(ld->columns, (ld->ncolumns + 1) * sizeof *ld->columns);
		ld->columns[ld->ncolumns++] = name;
		if (len == 0 || !strcmp(name, "batch_id") || !strcmp(name, "loaded_at")) {
			diag_at(ld->label, 1, len ? "the stream has %s: rs-copy sets it" : "an empty column name%s",
			    len ? name : "");
			rc = -1;
		}
		for (int i = 0; rc == 0 && i + 1 < ld->ncolumns; i++)
			if (strcmp(ld->columns[i], name) == 0) {
				diag_at(ld->label, 1, "column %s appears twice", name);
				rc = -1;
			}
		if (tab == NULL)
			break;
	}
	if (rc == 0 && strcmp(ld->path, "-") == 0) {
		ld->held = in;
		ld->held_lines = lines;
		return 0;
	}
	lines_free(&lines);
	input_close(in);
	return rc;
}

/* One data line, batch_id and loaded_at appended, into out (2 * n + 300 bytes); -1 for the wrong width. */
static long
convert_line(const struct load *ld, const char *suffix, size_t suffix_len, const char *p, size_t n, int escape,
    char *out)
{
	const char *end = p + n, *q = p;
	int tabs = 0;
	char *o = out;

	while ((q = memchr(q, '\t', end - q)) != NULL)
		tabs++, q++;
	if (tabs != ld->ncolumns - 1 || memchr(p, '\r', n) != NULL)
		return -1;
	if (escape) {
		for (const char *bs; (bs = memchr(p, '\\', end - p)) != NULL; p = bs + 1) {
			memcpy(o, p, bs - p + 1);
			o += bs - p + 1;
			*o++ = '\\';
		}
	}
	memcpy(o, p, end - p);
	o += end - p;
	memcpy(o, suffix, suffix_len);
	return o + suffix_len - out;
}

static void
bad_line(const struct load *ld, long line, const char *p, size_t n)
{
	const char *q = p, *end = p + n;
	int fields = 1;

	while ((q = memchr(q, '\t', end - q)) != NULL)
		fields++, q++;
	if (memchr(p, '\r', n))
		diag_at(ld->label, line, "a CR in the line: not a TSV stream");
	else
		diag_at(ld->label, line, "%d fields, the header has %d", fields, ld->ncolumns);
}

int
stream_rows(const struct run *r, struct load *ld, int escape, block_sink sink, void *ctx)
{
	struct lines lines;
	const char *p;
	size_t n;
	struct input *in = open_stream(ld, &lines, &p, &n);
	char suffix[300];
	size_t suffix_len, len = 0, cap = COPY_BUF;
	char *buf;
	int got, rc = 0;

	if (in == NULL)
		return -1;
	suffix_len = snprintf(suffix, sizeof suffix, "\t%s\t%s\n", ld->batch, r->loaded_at);
	buf = xmalloc(cap);
	ld->rows = 0;
	ld->ended = 0;
	while ((got = lines_next(&lines, &p, &n)) > 0) {
		long said;

		if (ld->ended) {
			diag_at(ld->label, lines.lineno, "a line after the end line");
			rc = -1;
			break;
		}
		if (tsv_end_line(p, n, &said)) {
			if (said != ld->rows) {
				diag_at(ld->label, lines.lineno, "the end line says %ld rows; the stream has %ld",
				    said, ld->rows);
				rc = -1;
				break;
			}
			ld->ended = 1;
			continue;
		}
		if (len + 2 * n + 300 > cap) {
			if (sink(ctx, buf, len) < 0) {
				rc = -1;
				break;
			}
			len = 0;
			if (2 * n + 300 > cap)
				buf = xrealloc(buf, cap = 2 * n + 300);
		}
		long w = convert_line(ld, suffix, suffix_len, p, n, escape, buf + len);
		if (w < 0) {
			bad_line(ld, lines.lineno, p, n);
			rc = -1;
			break;
		}
		len += w;
		ld->rows++;
	}
	if (got < 0)
		rc = -1;
	/* No end line: what wrote the stream stopped before it finished (or died); its rows are not all here. */
	if (rc == 0 && !ld->ended && !r->no_end_line) {
		diag_at(ld->label, lines.lineno + 1, "the stream ends without its end line: what wrote it did not "
		    "finish; nothing is loaded (a stream made by hand: --no-end-line)");
		rc = -1;
	}
	if (rc == 0 && len > 0 && sink(ctx, buf, len) < 0)
		rc = -1;
	free(buf);
	lines_free(&lines);
	input_close(in);
	return rc;
}
