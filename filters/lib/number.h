/*
 * Whole numbers from text, one convention for every program (OpenBSD's
 * strtonum, over a field rather than a C string): digits only, all of the
 * text, a leading '-' only where negative numbers are allowed, no sign,
 * space or anything else; in [min, max].
 */
#ifndef NUMBER_H
#define NUMBER_H

#include <stddef.h>

/* The number s[0..n) says, in *out: 0; -1 when it is not one or is out of [min, max]. */
int number_parse(const char *s, size_t n, long long min, long long max, long long *out);

#endif
