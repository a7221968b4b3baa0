#include <string.h>

#include "diag.h"
#include "money.h"

#define MONEY_MAX_INT_DIGITS 15	/* a trillion dollars is a parse error, not revenue */

int
money_parse(const char *s, size_t n, int64_t *cents)
{
	const char *p = s, *end = s + n;
	int neg = 0, paren = 0, signs = 0, digits = 0, group = -1;
	int64_t whole = 0, frac = 0;

	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	if (p < end && *p == '(') {
		if (end[-1] != ')')
			return -1;
		paren = 1;
		p++, end--;
	}
	/* A sign may stand before or after the dollar sign, never inside parentheses. */
	if (p < end && (*p == '-' || *p == '+'))
		signs++, neg = *p++ == '-';
	if (p < end && *p == '$')
		p++;
	if (signs == 0 && p < end && (*p == '-' || *p == '+'))
		signs++, neg = *p++ == '-';
	if (paren && signs)
		return -1;
	if (paren)
		neg = 1;

	/* Whole part: "1,234" groups are checked as they are read. */
	for (; p < end && *p != '.'; p++) {
		if (*p == ',') {
			if (digits == 0 || (group >= 0 && group != 3) || (group < 0 && digits > 3))
				return -1;
			group = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return -1;
		if (++digits > MONEY_MAX_INT_DIGITS)
			return -1;
		if (group >= 0)
			group++;
		whole = whole * 10 + (*p - '0');
	}
	if (group >= 0 && group != 3)
		return -1;
	if (p < end) {		/* '.' */
		int fd = 0;

		for (p++; p < end; p++, fd++) {
			if (*p < '0' || *p > '9')
				return -1;
			if (fd < 2)
				frac = frac * 10 + (*p - '0');
			else if (*p != '0')
				return -1;	/* fractions of a cent */
			digits++;
		}
		if (fd == 1)
			frac *= 10;
	}
	if (digits == 0)
		return -1;
	*cents = whole * 100 + frac;
	if (neg)
		*cents = -*cents;
	return 0;
}

size_t
money_format(int64_t cents, char buf[MONEY_BUFSZ])
{
	char tmp[MONEY_BUFSZ], *p = tmp + sizeof tmp;
	uint64_t u = cents < 0 ? -(uint64_t)cents : (uint64_t)cents;
	size_t len;

	*--p = '0' + u % 10;
	u /= 10;
	*--p = '0' + u % 10;
	u /= 10;
	*--p = '.';
	do
		*--p = '0' + u % 10;
	while (u /= 10);
	if (cents < 0)
		*--p = '-';
	len = tmp + sizeof tmp - p;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return len;
}

void
money_add(int64_t *sum, int64_t cents)
{
	if (__builtin_add_overflow(*sum, cents, sum))
		fatal(EXIT_DATA, "a total of money passes %s: too large to count exactly", "92233720368547758.07");
}
