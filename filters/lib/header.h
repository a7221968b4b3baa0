/* Columns are found by header name: column order is never a promise. */
#ifndef HEADER_H
#define HEADER_H

#include "rows.h"

/* The column of a name: its index, -1 when absent, HEADER_TWICE when two columns bear it. */
#define HEADER_TWICE (-2)
int header_find(const struct row *hdr, const char *name);
/* Say that a name a program reads is in the header twice (which one is meant cannot be known). */
void header_twice(const struct row *hdr, const char *label, const char *name);
/*
 * idx[i] = column of names[i], or -1.  Names flagged in required[] (all when
 * required is NULL) must be there; what is missing is one diagnostic that
 * lists it and the header.  0 on success, -1 when something is missing.
 */
int header_lookup(const struct row *hdr, const char *label, const char *const *names,
    const unsigned char *required, size_t n, int *idx);

#endif
