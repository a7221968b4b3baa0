#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lines.h"
#include "number.h"
#include "rows.h"
#include "tsvout.h"
#include "utf8.h"

#define RECORD_MAX (4 * 1024 * 1024)	/* an unbalanced quote, not a real record */

struct span {
	size_t off, n;
};

struct pending_row {
	size_t first, nf;
	long line;
	int valid_utf8;
};

struct rows {
	struct lines lines;
	struct rowopts o;
	int ended;		/* a stream's end line was read */
	struct field *out;
	size_t out_cap;
	long folded;

	/* The last record was one line, split in place: its raw text is the line. */
	const char *line_p;
	size_t line_n;
	int raw_is_line;

	/* CSV through libcsv: fields land in an arena by offset, rows in a queue. */
	struct csv_parser csv;
	int in_record;
	int done;		/* csv_fini has run */
	int record_utf8;
	long record_line;
	char *arena;
	size_t arena_len, arena_cap;
	struct span *spans;
	size_t nspans, spans_cap;
	size_t record_first;	/* first span of the record being parsed */
	struct pending_row *queue;
	size_t nqueue, queue_cap, queue_pos;
	char *raw;
	size_t raw_len, raw_cap;
};

static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void
grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t ncap = *cap ? *cap : 64;
	while (ncap < need)
		ncap *= 2;
	*p = xrealloc(*p, ncap * elem);
	*cap = ncap;
}

struct rows *
rows_open(struct input *in, const struct rowopts *o)
{
	struct rows *r = xmalloc(sizeof *r);

	memset(r, 0, sizeof *r);
	r->o = *o;
	if (r->o.delim == 0)
		r->o.delim = r->o.format == ROWS_TSV ? '\t' : ',';
	lines_init(&r->lines, in);
	if (o->format == ROWS_CSV) {
		if (csv_init(&r->csv, 0) != 0)
			fatal(EXIT_DATA, "libcsv initialisation failed");
		csv_set_delim(&r->csv, (unsigned char)r->o.delim);
		csv_set_space_func(&r->csv, never_space);
	}
	return r;
}

#define ONES 0x0101010101010101ULL
#define LOW7 0x7f7f7f7f7f7f7f7fULL

/* The high bit of each byte of x that is zero, and of no other byte. */
static inline uint64_t
zero_bytes(uint64_t x)
{
	return ~(((x & LOW7) + LOW7) | x | LOW7);
}

/* Which byte of a word a bit of zero_bytes() stands for, in memory order. */
static inline size_t
byte_at(uint64_t bits)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(bits) / 8;
#else
	return (size_t)__builtin_clzll(bits) / 8;
#endif
}

/* The record is the line p[0..n), split into r->out[0..nf): its raw text is the line. */
static int
line_record(struct rows *r, const char *p, size_t n, size_t nf, int valid_utf8, struct row *row)
{
	r->line_p = p;
	r->line_n = n;
	r->raw_is_line = 1;
	row->line = r->lines.lineno;
	row->valid_utf8 = valid_utf8;
	row->f = r->out;
	row->nf = nf;
	return 1;
}

/*
 * Split one line at every delimiter, in place.  One pass, eight bytes a
 * step: the delimiters, any byte above ASCII (only then is UTF-8 checked),
 * and, for CSV, what makes a line need libcsv (a quote, a TAB, a CR).  With
 * csv set and such a byte in the line, nothing is split and 0 is returned.
 */
static int
split_line(struct rows *r, const char *p, size_t n, struct row *row, int csv)
{
	uint64_t delim = ONES * (unsigned char)r->o.delim, high = 0, w, at;
	size_t nf = 0, start = 0;

	row->nf = 0;
	row->f = r->out;
	for (size_t i = 0; i < n; i += 8) {
		/* The last word is padded with NUL, which is none of the bytes looked for. */
		if (n - i >= 8)
			memcpy(&w, p + i, 8);
		else {
			w = 0;
			memcpy(&w, p + i, n - i);
		}
		high |= w;
		if (csv && (zero_bytes(w ^ ONES * '"') | zero_bytes(w ^ ONES * '\r') |
		    (r->o.delim != '\t' ? zero_bytes(w ^ ONES * '\t') : 0)))
			return 0;
		grow((void **)&r->out, &r->out_cap, nf + 9, sizeof *r->out);
		for (at = zero_bytes(w ^ delim); at; at &= at - 1) {
			size_t end = i + byte_at(at);

			r->out[nf++] = (struct field){ p + start, end - start };
			start = end + 1;
		}
	}
	grow((void **)&r->out, &r->out_cap, nf + 1, sizeof *r->out);
	if (n > 0)
		r->out[nf++] = (struct field){ p + start, n - start };
	return line_record(r, p, n, nf, (high & ONES * 0x80) == 0 || utf8_valid(p, n), row);
}

/*
 * A CSV line whose quotes all stand around whole fields ("...", between
 * delimiters; "" inside is one quote), with no TAB or CR: split at once,
 * which is what libcsv makes of it.  A quoted field points into the line,
 * or into the arena when it held a doubled quote.  0 for any other line (a
 * quote inside an unquoted field, text after a closing quote, a field that
 * goes on to the next line): those are libcsv's.
 */
static int
split_quoted(struct rows *r, const char *p, size_t n, struct row *row)
{
	const char *end = p + n, *f = p, *stop, *q, *quote;
	size_t nf = 0;
	char delim = r->o.delim, *dst;

	if ((delim != '\t' && memchr(p, '\t', n) != NULL) || memchr(p, '\r', n) != NULL)
		return 0;
	/* Unquoted fields never outgrow the line: the arena will not move under the row. */
	grow((void **)&r->arena, &r->arena_cap, r->arena_len + n, 1);
	dst = r->arena + r->arena_len;
	if ((quote = memchr(p, '"', n)) == NULL)
		quote = end;
	for (;; f = stop + 1) {
		grow((void **)&r->out, &r->out_cap, nf + 1, sizeof *r->out);
		if (f < end && *f == '"') {
			if ((q = memchr(f + 1, '"', end - f - 1)) == NULL)
				return 0;
			r->out[nf] = (struct field){ f + 1, q - f - 1 };
			if (q + 1 < end && q[1] == '"') {
				/* Doubled quotes: the field is copied out with one of each pair. */
				r->out[nf].p = dst;
				for (const char *s = f + 1;; s = q + 2) {
					if ((q = memchr(s, '"', end - s)) == NULL)
						return 0;
					memcpy(dst, s, q - s);
					dst += q - s;
					if (q + 1 == end || q[1] != '"')
						break;
					*dst++ = '"';
				}
				r->out[nf].n = dst - r->out[nf].p;
			}
			if (q + 1 < end && q[1] != delim)
				return 0;
			nf++;
			stop = q + 1;
			if ((quote = memchr(stop, '"', end - stop)) == NULL)
				quote = end;
		} else {
			if ((stop = memchr(f, delim, end - f)) == NULL)
				stop = end;
			if (quote < stop)
				return 0;	/* a quote inside an unquoted field */
			r->out[nf++] = (struct field){ f, stop - f };
		}
		if (stop == end)
			break;
	}
	return line_record(r, p, n, nf, utf8_valid(p, n), row);
}

/* Copy a field into the arena; CR LF, CR, LF and TAB each become one space. */
static void
on_field(void *s, size_t n, void *ctx)
{
	struct rows *r = ctx;
	const char *src = s;
	char *dst;
	size_t i = 0, k;

	grow((void **)&r->arena, &r->arena_cap, r->arena_len + n, 1);
	grow((void **)&r->spans, &r->spans_cap, r->nspans + 1, sizeof *r->spans);
	dst = r->arena + r->arena_len;
	while (i < n && (unsigned char)src[i] > '\r')
		i++;
	if (i > 0)
		memcpy(dst, src, i);
	for (k = i; i < n; i++) {
		char c = src[i];

		if (c == '\r' || c == '\n' || c == '\t') {
			if (c == '\r' && i + 1 < n && src[i + 1] == '\n')
				i++;
			c = ' ';
			r->folded++;
		}
		dst[k++] = c;
	}
	r->spans[r->nspans].off = r->arena_len;
	r->spans[r->nspans].n = k;
	r->nspans++;
	r->arena_len += k;
}

static void
queue_row(struct rows *r, size_t first, size_t nf, long line, int valid_utf8)
{
	grow((void **)&r->queue, &r->queue_cap, r->nqueue + 1, sizeof *r->queue);
	r->queue[r->nqueue].first = first;
	r->queue[r->nqueue].nf = nf;
	r->queue[r->nqueue].line = line;
	r->queue[r->nqueue].valid_utf8 = valid_utf8;
	r->nqueue++;
}

static void
on_row(int c, void *ctx)
{
	struct rows *r = ctx;

	(void)c;
	queue_row(r, r->record_first, r->nspans - r->record_first, r->record_line, r->record_utf8);
	r->record_first = r->nspans;
}

static void
raw_append(struct rows *r, const char *p, size_t n)
{
	if (n > 0 && p[n - 1] == '\r')
		n--;
	grow((void **)&r->raw, &r->raw_cap, r->raw_len + n + 1, 1);
	if (r->raw_len > 0)
		r->raw[r->raw_len++] = ' ';
	memcpy(r->raw + r->raw_len, p, n);
	r->raw_len += n;
}

/* Drop the served rows, keeping the fields of the record in progress. */
static void
csv_compact(struct rows *r)
{
	size_t keep = r->nspans - r->record_first;
	size_t base = keep ? r->spans[r->record_first].off : r->arena_len;

	if (base > 0) {
		memmove(r->arena, r->arena + base, r->arena_len - base);
		r->arena_len -= base;
	}
	for (size_t i = 0; i < keep; i++) {
		r->spans[i] = r->spans[r->record_first + i];
		r->spans[i].off -= base;
	}
	r->nspans = keep;
	r->record_first = 0;
	r->nqueue = r->queue_pos = 0;
}

/*
 * How much of a line libcsv would split exactly at its delimiters: all of
 * it (n) when it holds no quote, else up to the field that holds the first
 * quote; 0 when a TAB or a CR inside it needs libcsv's folding.
 */
static size_t
plain_prefix(const struct rows *r, const char *p, size_t n)
{
	const char *cr, *quote, *delim;

	if (r->o.delim != '\t' && memchr(p, '\t', n) != NULL)
		return 0;
	cr = memchr(p, '\r', n);
	if (cr != NULL && cr != p + n - 1)
		return 0;
	if ((quote = memchr(p, '"', n)) == NULL)
		return n;
	delim = memrchr(p, r->o.delim, quote - p);
	return delim ? (size_t)(delim - p + 1) : 0;
}

/* Feed lines to libcsv until a record is queued: 1, 0 at the end, -1 on error. */
static int
csv_feed(struct rows *r, struct row *row)
{
	const char *p;
	size_t n, plain;
	int got;

	while (r->nqueue == 0) {
		plain = 0;
		if ((got = lines_next(&r->lines, &p, &n)) < 0)
			return -1;
		if (got == 0) {
			if (r->done || !r->in_record)
				return 0;
			r->done = 1;
			/*
			 * libcsv reports an open quote at the end only in strict
			 * mode, which would also refuse the stray quotes of real
			 * exports: look at its state instead (2 is FIELD_BEGUN).
			 */
			if ((r->csv.pstate == 2 && r->csv.quoted) ||
			    csv_fini(&r->csv, on_field, on_row, r) != 0) {
				diag_at(input_label(r->lines.in), r->record_line,
				    "unterminated quoted field (file ends inside quotes)");
				return -1;
			}
			return r->nqueue > 0;
		}
		if (!r->in_record) {
			/* A blank line is a record of no fields: rejected, never skipped. */
			if (n == 0 || (n == 1 && p[0] == '\r')) {
				split_line(r, p, 0, row, 0);
				return 2;
			}
			size_t content = p[n - 1] == '\r' ? n - 1 : n;

			/* A line with a quote goes straight to the quote-aware split. */
			if (memchr(p, '"', content) == NULL ? split_line(r, p, content, row, 1) :
			    split_quoted(r, p, content, row))
				return 2;
			plain = plain_prefix(r, p, n);
			r->raw_len = 0;
			r->record_line = r->lines.lineno;
			r->record_utf8 = 1;
		}
		raw_append(r, p, n);
		r->record_utf8 &= utf8_valid(p, n);
		/* The fields before the first quote, then libcsv from the field that holds it. */
		for (const char *f = p, *d; plain > 0 && f < p + plain; f = d + 1) {
			d = memchr(f, r->o.delim, p + plain - f);
			on_field((void *)f, d - f, r);
		}
		if (csv_parse(&r->csv, p + plain, n - plain, on_field, on_row, r) != n - plain ||
		    (r->lines.last_had_lf &&
		    csv_parse(&r->csv, "\n", 1, on_field, on_row, r) != 1)) {
			diag_at(input_label(r->lines.in), r->lines.lineno, "CSV: %s",
			    csv_strerror(csv_error(&r->csv)));
			return -1;
		}
		r->in_record = r->csv.pstate != 0;
		if (r->raw_len > RECORD_MAX) {
			diag_at(input_label(r->lines.in), r->record_line,
			    "record longer than %d MiB: unbalanced quote?", RECORD_MAX >> 20);
			return -1;
		}
	}
	return 1;
}

static int
csv_next(struct rows *r, struct row *row)
{
	if (r->queue_pos == r->nqueue) {
		int got;

		csv_compact(r);
		got = csv_feed(r, row);
		if (got == 2)
			return 1;	/* a line split in place */
		if (got <= 0)
			return got;
	}
	struct pending_row *q = &r->queue[r->queue_pos++];
	grow((void **)&r->out, &r->out_cap, q->nf + 1, sizeof *r->out);
	for (size_t i = 0; i < q->nf; i++) {
		r->out[i].p = r->arena + r->spans[q->first + i].off;
		r->out[i].n = r->spans[q->first + i].n;
	}
	r->raw_is_line = 0;
	row->f = r->out;
	row->nf = q->nf;
	row->line = q->line;
	row->valid_utf8 = q->valid_utf8;
	return 1;
}

/* A stream's end line: its count must be the rows read, and nothing may follow it. */
static int
stream_end(struct rows *r, long said)
{
	const char *p;
	size_t n;
	long read = r->lines.lineno - 2;	/* the header and the end line are no rows */

	if (said != read) {
		diag_at(rows_label(r), r->lines.lineno, "the end line says %ld rows; the stream has %ld", said, read);
		return -1;
	}
	if (lines_next(&r->lines, &p, &n) != 0) {
		diag_at(rows_label(r), r->lines.lineno, "a line after the end line");
		return -1;
	}
	r->ended = 1;
	return 0;
}

static int
tsv_next(struct rows *r, struct row *row)
{
	const char *p;
	size_t n;
	long said;
	int got;

	if ((got = lines_next(&r->lines, &p, &n)) <= 0)
		return got;
	if (r->o.stream && r->lines.lineno > 1 && tsv_end_line(p, n, &said))
		return stream_end(r, said);
	split_line(r, p, n > 0 && p[n - 1] == '\r' ? n - 1 : n, row, 0);
	return 1;
}

int
rows_next(struct rows *r, struct row *row)
{
	while (r->lines.lineno < r->o.skip_lines) {
		const char *p;
		size_t n;
		int got = lines_next(&r->lines, &p, &n);

		if (got <= 0)
			return got;
	}
	return r->o.format == ROWS_CSV ? csv_next(r, row) : tsv_next(r, row);
}

int
rows_ended(const struct rows *r)
{
	return r->ended;
}

const char *
rows_raw(struct rows *r, size_t *n)
{
	if (r->raw_is_line) {
		grow((void **)&r->raw, &r->raw_cap, r->line_n + 1, 1);
		memcpy(r->raw, r->line_p, r->line_n);
		r->raw_len = r->line_n;
	}
	for (size_t i = 0; i < r->raw_len; i++)
		if (r->raw[i] == '\t' || r->raw[i] == '\r' || r->raw[i] == '\n')
			r->raw[i] = ' ';
	*n = r->raw_len;
	return r->raw ? r->raw : "";
}

long
rows_folded(const struct rows *r)
{
	return r->folded;
}

const char *
rows_label(const struct rows *r)
{
	return input_label(r->lines.in);
}

void
rows_close(struct rows *r)
{
	if (r == NULL)
		return;
	if (r->o.format == ROWS_CSV)
		csv_free(&r->csv);
	lines_free(&r->lines);
	free(r->arena);
	free(r->spans);
	free(r->queue);
	free(r->out);
	free(r->raw);
	free(r);
}

const char *
row_width_error(const struct row *row, size_t width)
{
	if (row->nf == 0)
		return "blank_line";
	if (row->nf != width)
		return "field_count";
	return NULL;
}

int
field_eq(const struct field *f, const char *s)
{
	size_t n = strlen(s);

	return f->n == n && memcmp(f->p, s, n) == 0;
}

struct field
field_trim(struct field f)
{
	while (f.n > 0 && f.p[0] == ' ')
		f.p++, f.n--;
	while (f.n > 0 && f.p[f.n - 1] == ' ')
		f.n--;
	return f;
}

int
field_long(struct field f, long *v)
{
	long long n;

	if (number_parse(f.p, f.n, 0, 999999999999999999LL, &n) < 0)
		return -1;
	*v = (long)n;
	return 0;
}
