/* The programs' --summary streams (the catalog's summary stream), read row by row. */
#ifndef LAC_CATALOG_SUMMARIES_H
#define LAC_CATALOG_SUMMARIES_H

#include "lib/rows.h"

enum { SUM_PROGRAM, SUM_INPUT, SUM_OUTPUT, SUM_MEASURE, SUM_DETAIL, SUM_COUNT, SUM_N };

/* One row of a summary: its fields by SUM_ index, the count read. */
typedef void (*summary_fn)(void *ctx, const struct field *f, long count);

/*
 * Each row of the summary at path to fn, its columns found by name (lib's
 * read_records).  0, or -1 when it cannot be read or a row is not whole
 * (diagnosed).
 */
int summary_rows(const char *path, summary_fn fn, void *ctx);

/* lac-catalog account SUMMARY...: the summaries of a run added up, a line a figure, in order. */
int account_run(char **paths, int n);

/*
 * lac-catalog balance SUMMARY...: each summary whose rows do not add up
 * (rows in = out + excluded + rejected, by program and input) on stdout, why
 * on stderr.  0, or EXIT_DATA when one does not or cannot be read.
 */
int balance_run(char **paths, int n);

#endif
