#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>

/* 1 when p[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int utf8_valid(const char *p, size_t n);

/*
 * Text any table takes: a copy with each byte of an ill-formed sequence,
 * and each NUL byte, as U+FFFD; out holds 3 * n bytes.
 */
size_t utf8_repair(const char *p, size_t n, char *out);

/* ISO-8859-1 bytes as UTF-8; out holds 2 * n bytes. */
size_t latin1_to_utf8(const char *p, size_t n, char *out);

#endif
