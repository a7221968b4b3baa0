/*
 * The machine-readable summary (--summary FILE): counts by input, stream,
 * measure and detail, written as the catalog's `summary` stream when the
 * program ends.  The scripts add these up; the prose line on stderr is for
 * people.
 */
#ifndef TALLY_H
#define TALLY_H

struct tally;

/* path NULL: no file, every call a no-op.  Exit 1 (diagnosed) when the file cannot be created. */
struct tally *tally_open(const char *path);
/* Add n (0 records the row) to the count of these keys; NULL keys are empty fields. */
void tally_add(struct tally *t, const char *input, const char *stream, const char *measure, const char *detail,
    long n);
/* Write the rows (in the order first added), the end line when complete, and free; 0, or -1 (diagnosed) on a write error. */
int tally_close(struct tally *t, int complete);

#endif
