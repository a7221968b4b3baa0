/* Money is int64 cents inside every program, never floating point. */
#ifndef MONEY_H
#define MONEY_H

#include <stddef.h>
#include <stdint.h>

#define MONEY_BUFSZ 32

/*
 * "12.50", "-3", "95.5", "$1,234.50", "-$5.00", "($95.00)", "+7": to cents.
 * Thousands commas must group by three; more than two decimals are
 * accepted only when the extra digits are zeros (exact to the cent, or an
 * error).  Surrounding spaces are allowed.  0, or -1 for anything else.
 */
int money_parse(const char *s, size_t n, int64_t *cents);
/* *sum += cents, or exit 1 (diagnosed) when the total leaves int64: never a wrong total. */
void money_add(int64_t *sum, int64_t cents);
/* "-123.45": always two decimals; returns the length (no NUL counted). */
size_t money_format(int64_t cents, char buf[MONEY_BUFSZ]);

#endif
