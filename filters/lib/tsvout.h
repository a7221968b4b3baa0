/*
 * The one buffered TSV writer.  Fields never hold TAB, CR or LF (any that
 * reach here become spaces and are counted); an empty field is NULL.  A
 * write or close error is diagnosed and makes tsv_close() fail; a reader
 * that goes away (EPIPE, as with `| head`) ends the program quietly.
 */
#ifndef TSVOUT_H
#define TSVOUT_H

#include <stddef.h>
#include <stdint.h>

struct tsvout {
	int fd;
	char *label;
	char *buf;
	size_t len, cap;
	size_t col;		/* fields written in the current row */
	int failed;
	long sanitized;
	long rows;		/* lines ended, the header included */
};

/*
 * The end line: a stream a program wrote completely ends with "#end N", N
 * its data rows.  It has no TAB, so no data row is ever one (every stream
 * has two columns or more); `cut -s` and `awk -F'\t' 'NF > 1'` pass it by.
 * rs-copy loads a stream only when its end line is there and right: a
 * producer that failed or was killed leaves none.
 */
#define TSV_END "#end "

struct tsvout *tsv_open_fd(int fd, const char *label);
void tsv_field(struct tsvout *w, const char *p, size_t n);
void tsv_str(struct tsvout *w, const char *s);
void tsv_null(struct tsvout *w);
void tsv_int(struct tsvout *w, int64_t v);
void tsv_cents(struct tsvout *w, int64_t cents);
void tsv_end_row(struct tsvout *w);
/* The header from a NULL-terminated list of names. */
void tsv_header(struct tsvout *w, const char *const *names);
int tsv_flush(struct tsvout *w);
/* Flush, close the descriptor, free; 0 or -1 (diagnosed).  No end line: the stream is not complete. */
int tsv_close(struct tsvout *w);
/* The end line (the stream is complete), then tsv_close. */
int tsv_end(struct tsvout *w);
/* tsv_end when the stream is complete, else tsv_close. */
int tsv_finish(struct tsvout *w, int complete);
/* Is p[0..n) an end line?  Then 1 and its row count; 0 for any other line. */
int tsv_end_line(const char *p, size_t n, long *rows);

#endif
