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
};

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
/* Flush, close the descriptor, free; 0 or -1 (diagnosed). */
int tsv_close(struct tsvout *w);

#endif
