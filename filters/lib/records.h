/*
 * The reading loop of a program that addresses columns by name: every
 * member of an input, its header looked up, each record of the wrong width
 * or not valid UTF-8 rejected, every other one handed to fn with the
 * column indexes.
 */
#ifndef RECORDS_H
#define RECORDS_H

#include "rejects.h"
#include "rows.h"

typedef void (*record_fn)(void *ctx, struct rows *r, const struct row *row, const int *idx);

/*
 * required NULL: every name is required.  stream: a catalog stream whose
 * columns these are: each value is checked against its column's type and
 * a row with one that does not fit is rejected (NULL: no checks).  *count
 * counts the records.  0, or -1 (diagnosed).
 */
int read_records(const char *path, enum row_format format, const char *stream, const char *const *names,
    const unsigned char *required, int n, struct rejects *rj, record_fn fn, void *ctx, long *count);

#endif
