/*
 * Records of one input member: CSV through libcsv (byte-exact fields, no
 * trimming, quoted line breaks and TABs folded to one space and counted) or
 * TSV through the line reader (never libcsv).  Every record knows the
 * physical line it starts on, whether it is valid UTF-8, and its original
 * text, for lineage and rejects.
 *
 * A CSV line with no quote, no TAB and no CR before its end has exactly the
 * fields a split at each delimiter gives, so such lines are split with
 * memchr, like TSV; every other line, and every line of a record that spans
 * lines, goes through libcsv.  (libcsv costs a function call a byte with
 * trimming off; most lines of an export hold no quote.)
 */
#ifndef ROWS_H
#define ROWS_H

#include <stddef.h>

#include "input.h"

struct field {
	const char *p;
	size_t n;
};

struct row {
	const struct field *f;
	size_t nf;		/* 0 for a blank line */
	long line;		/* physical line where the record starts */
	int valid_utf8;		/* the record's bytes are well-formed UTF-8 */
};

enum row_format { ROWS_CSV, ROWS_TSV };

struct rowopts {
	enum row_format format;
	char delim;		/* CSV only; ',' when 0 */
	int skip_lines;		/* title lines above the header */
	int stream;		/* a stream of this project: its end line ("#end N") is checked, not a row */
};

struct rows;

struct rows *rows_open(struct input *in, const struct rowopts *o);
/* 1: a record (valid until the next call); 0: end of member; -1: error (diagnosed). */
int rows_next(struct rows *r, struct row *row);
/* Original text of the last record, TAB, CR and LF shown as spaces. */
const char *rows_raw(struct rows *r, size_t *n);
long rows_folded(const struct rows *r);
/* The member was a stream of this project that ended with its end line. */
int rows_ended(const struct rows *r);
const char *rows_label(const struct rows *r);
void rows_close(struct rows *r);

/* Reason code when a record does not have the header's width, else NULL. */
const char *row_width_error(const struct row *row, size_t width);
int field_eq(const struct field *f, const char *s);
/* The field without the spaces around it. */
struct field field_trim(struct field f);
/* A field of 1 to 18 decimal digits (no sign, no spaces) as a number: 0, or -1. */
int field_long(struct field f, long *v);

#endif
