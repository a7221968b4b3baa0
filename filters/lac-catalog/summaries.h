/* The programs' --summary streams (the catalog's summary stream), read row by row. */
#ifndef LAC_CATALOG_SUMMARIES_H
#define LAC_CATALOG_SUMMARIES_H

enum { SUM_PROGRAM, SUM_INPUT, SUM_OUTPUT, SUM_MEASURE, SUM_DETAIL, SUM_COUNT, SUM_N };

/* Each data row of the summary at path, its six fields, to fn.  0, or -1 when it cannot be read (diagnosed). */
int summary_rows(const char *path, void (*fn)(void *ctx, char *const *f), void *ctx);

/* lac-catalog account SUMMARY...: the summaries of a run added up, a line a figure, in order. */
int account_run(char **paths, int n);

#endif
