#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "fixture.h"
#include "rows.h"

/* Records of the first member as "line:f1|f2;" plus ",folded=N" */
static const char *
records(const char *path, enum row_format fmt, char delim, int skip)
{
	static char out[8192];
	struct rowopts o = { .format = fmt, .delim = delim, .skip_lines = skip };
	struct input *in = input_open(path);
	struct rows *r;
	struct row row;
	size_t len = 0;
	int got;

	if (in == NULL || input_next(in) <= 0)
		return "open failed";
	r = rows_open(in, &o);
	while ((got = rows_next(r, &row)) > 0) {
		len += snprintf(out + len, sizeof out - len, "%ld:", row.line);
		for (size_t i = 0; i < row.nf; i++)
			len += snprintf(out + len, sizeof out - len, "%s%.*s", i ? "|" : "",
			    (int)row.f[i].n, row.f[i].p);
		out[len++] = ';';
	}
	len += snprintf(out + len, sizeof out - len, "folded=%ld", rows_folded(r));
	rows_close(r);
	input_close(in);
	return got < 0 ? "error" : out;
}

static const char *
csv(const char *text)
{
	return records(write_plain("t.csv", text, strlen(text)), ROWS_CSV, ',', 0);
}

/* What libcsv alone makes of one record, fields joined by '|', for the differential test. */
struct joined {
	char buf[512];
	size_t len;
	int fields;
};

static void
join_field(void *s, size_t n, void *ctx)
{
	struct joined *j = ctx;

	j->len += snprintf(j->buf + j->len, sizeof j->buf - j->len, "%s%.*s",
	    j->fields++ ? "|" : "", (int)n, (const char *)s);
}

static int
never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static const char *
libcsv_alone(const char *line)
{
	static struct joined j;
	struct csv_parser p;

	memset(&j, 0, sizeof j);
	csv_init(&p, 0);
	csv_set_space_func(&p, never_space);
	csv_parse(&p, line, strlen(line), join_field, NULL, &j);
	csv_fini(&p, join_field, NULL, &j);
	csv_free(&p);
	return j.buf;
}

/* The reader's fields for one line of CSV (after a header line), joined the same way. */
static const char *
reader_fields(const char *line)
{
	static char buf[600];
	const char *got;
	char text[512];

	snprintf(text, sizeof text, "h\n%s\n", line);
	got = csv(text);
	if (strchr(got, ';') == NULL)
		return got;
	snprintf(buf, sizeof buf, "%s", strchr(got, ';') + 3);	/* past "1:h;2:" */
	*strrchr(buf, ';') = '\0';
	return buf;
}

/*
 * A made-up CSV line: fields of 0 to 11 bytes, so that delimiters fall at
 * every place of an eight-byte word; plain fields, quoted ones (with commas
 * and doubled quotes), stray quotes, UTF-8.  Its length.
 */
static size_t
made_line(char *line, unsigned *seedp)
{
	static const char *const pieces[] = { "a", "b", " ", "\xc3\xa9", "7" };
	static const char *const quoted[] = { "a", ",", "\"\"", " ", "\xc3\xb1" };
	unsigned seed = *seedp;
	size_t len = 0;
	int fields = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 12;

	for (int f = 0; f < fields; f++) {
		int kind = (int)((seed = seed * 1103515245 + 12345) >> 16) % 6;
		int k = (int)((seed = seed * 1103515245 + 12345) >> 16) % 12;

		if (f > 0)
			line[len++] = ',';
		if (kind == 0)
			line[len++] = '"';
		for (int c = 0; c < k; c++) {
			const char *x = kind == 0 ? quoted[(seed = seed * 1103515245 + 12345) >> 16 & 3] :
			    pieces[((seed = seed * 1103515245 + 12345) >> 16) % 5];
			memcpy(line + len, x, strlen(x));
			len += strlen(x);
		}
		if (kind == 0)
			line[len++] = '"';
		else if (kind == 1 && k > 0)
			line[len++] = '"';	/* a stray quote after the first byte */
	}
	line[len] = '\0';
	*seedp = seed;
	return len;
}

static void
split_agrees_with_libcsv(void)
{
	/* The plain split and libcsv agree on every line, quoted or not. */
	static const char *const lines[] = {
		"a,b,c", " a , b ,", ",,", "a,\"b,c\",d", " x ,\"y\"", "ab\"c,d",
		"a,b\"c\",d", "\"\",x", "a, \"b\" ,c", "1,2,\"3\"\"4\"",
		"x,y,\"\"\"quoted\"\"\",z", "José,Núñez,\"O'Brien, Jr.\"", "a,,\"\",,b",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		char want[600];

		snprintf(want, sizeof want, "%s", libcsv_alone(lines[i]));
		CHECK_STR(reader_fields(lines[i]), want);
	}
	/*
	 * And on thousands of made-up lines, all in one file (a header, then a
	 * line each) read once: a file a line was most of the run's time.
	 */
	enum { MADE = 3000 };
	static char made[MADE][400];
	char *text = malloc(MADE * 401 + 3);
	size_t tlen = 2;
	unsigned seed = 12345;
	int agree = 1;

	memcpy(text, "h\n", 2);
	for (int t = 0; t < MADE; t++) {
		size_t len = made_line(made[t], &seed);

		memcpy(text + tlen, made[t], len);
		tlen += len;
		text[tlen++] = '\n';
	}
	struct input *in = input_open(write_plain("made.csv", text, tlen));
	struct rowopts o = { .format = ROWS_CSV };
	struct rows *r;
	struct row row;
	int t = 0;

	input_next(in);
	r = rows_open(in, &o);
	rows_next(r, &row);	/* the header */
	while (agree && rows_next(r, &row) > 0 && t < MADE) {
		char got[600], want[600];
		size_t len = 0;

		for (size_t i = 0; i < row.nf; i++)
			len += snprintf(got + len, sizeof got - len, "%s%.*s", i ? "|" : "", (int)row.f[i].n, row.f[i].p);
		got[len] = '\0';
		snprintf(want, sizeof want, "%s", libcsv_alone(made[t]));
		agree = strcmp(got, want) == 0 && row.line == t + 2;
		if (!agree)
			fprintf(stderr, "differs: %s (line %ld)\n", made[t], row.line);
		t++;
	}
	agree = agree && t == MADE && rows_next(r, &row) == 0;
	rows_close(r);
	input_close(in);
	free(text);
	CHECK(agree);
}

static void
numbers_in_fields(void)
{
	/* Numbers in fields: digits only, never past the field. */
	long v = 7;
	CHECK(field_long((struct field){ "12345", 3 }, &v) == 0 && v == 123);
	CHECK(field_long((struct field){ "999999999999999999", 18 }, &v) == 0 && v == 999999999999999999L);
	CHECK(field_long((struct field){ "", 0 }, &v) == -1);
	CHECK(field_long((struct field){ "-4", 2 }, &v) == -1);
	CHECK(field_long((struct field){ " 4", 2 }, &v) == -1);
	CHECK(field_long((struct field){ "4x", 2 }, &v) == -1);
	CHECK(field_long((struct field){ "1234567890123456789", 19 }, &v) == -1);
	/* Text after a closing quote reopens it, for libcsv: the file ends inside quotes. */
	CHECK_STR(reader_fields("\"a\"b,c"), "error");
}

static void
csv_and_tsv_records(void)
{
	/* Byte-exact fields: spaces kept, quotes undone, "" inside quotes. */
	CHECK_STR(csv("a,b\r\n x ,\"y, \"\"z\"\"\"\r\n"), "1:a|b;2: x |y, \"z\";folded=0");
	/* UTF-8 BOM removed; a missing final newline is fine. */
	CHECK_STR(csv("\357\273\277Lead ID,Amt\r\n1,2"), "1:Lead ID|Amt;2:1|2;folded=0");
	/* A quoted line break is one space and counted; the record keeps its first line. */
	CHECK_STR(csv("n,m\r\n\"Mary\r\nAnn\",x\r\n3,4\r\n"), "1:n|m;2:Mary Ann|x;4:3|4;folded=1");
	CHECK_STR(csv("n\n\"a\tb\"\n"), "1:n;2:a b;folded=1");
	/* Blank lines are records of no fields, never skipped. */
	CHECK_STR(csv("a,b\r\n\r\n1,2\r\n\n"), "1:a|b;2:;3:1|2;4:;folded=0");
	/* Empty fields stay fields. */
	CHECK_STR(csv("a,b,c\n,,\n"), "1:a|b|c;2:||;folded=0");
	/* A quote opened and never closed is an error, not a giant field. */
	CHECK_STR(csv("a,b\n\"x,y\n"), "error");
	/* Other delimiters. */
	CHECK_STR(records(write_plain("s.csv", "A;B\n1;\"2;3\"\n", 12), ROWS_CSV, ';', 0),
	    "1:A|B;2:1|2;3;folded=0");
	/* Title lines above the header. */
	CHECK_STR(records(write_plain("t.txt", "Title\nGenerated\nx\ty\n1\t2\n", 24), ROWS_TSV, '\t', 2),
	    "3:x|y;4:1|2;folded=0");

	/* TSV: no quoting, a backslash is a backslash, CRLF accepted, empty = NULL field. */
	CHECK_STR(records(write_plain("a.tsv", "a\tb\r\n\\n\t\"q\"\r\n\t\n", 15), ROWS_TSV, 0, 0),
	    "1:a|b;2:\\n|\"q\";3:|;folded=0");
}

static void
long_lines_and_raw_text(void)
{
	/* Lines longer than one read block, through gzip. */
	size_t big = 3 * 1024 * 1024;
	char *text = malloc(big + 16);
	memcpy(text, "h\n", 2);
	memset(text + 2, 'x', big);
	memcpy(text + 2 + big, "\nlast\n", 6);
	const char *gz = write_gzip("big.csv.gz", text, big + 8);
	struct input *in = input_open(gz);
	struct rowopts o = { .format = ROWS_CSV };
	struct rows *r;
	struct row row;
	input_next(in);
	r = rows_open(in, &o);
	CHECK(rows_next(r, &row) == 1 && row.nf == 1 && row.line == 1);
	CHECK(rows_next(r, &row) == 1 && row.f[0].n == big && row.line == 2);
	CHECK(rows_next(r, &row) == 1 && row.line == 3 && field_eq(&row.f[0], "last"));
	CHECK(rows_next(r, &row) == 0);
	rows_close(r);
	input_close(in);
	free(text);

	/* The original text for rejects: lines joined, TAB and CR shown as spaces. */
	const char *p = write_plain("raw.csv", "a,b\r\n\"x\r\ny\",\"t\tz\"\r\n", 20);
	in = input_open(p);
	input_next(in);
	r = rows_open(in, &o);
	rows_next(r, &row);
	rows_next(r, &row);
	size_t n;
	const char *raw = rows_raw(r, &n);
	CHECK(n == 11 && memcmp(raw, "\"x y\",\"t z\"", 11) == 0);
	CHECK_STR(rows_label(r), "raw.csv");
	rows_close(r);
	input_close(in);

	struct row w = { .nf = 0 };
	CHECK_STR(row_width_error(&w, 3), "blank_line");
	w.nf = 2;
	CHECK_STR(row_width_error(&w, 3), "field_count");
	w.nf = 3;
	CHECK(row_width_error(&w, 3) == NULL);
}

int
main(void)
{
	split_agrees_with_libcsv();
	numbers_in_fields();
	csv_and_tsv_records();
	long_lines_and_raw_text();
	fixture_cleanup();
	return check_done();
}

