#include "number.h"

int
number_parse(const char *s, size_t n, long long min, long long max, long long *out)
{
	int negative = n > 0 && s[0] == '-' && min < 0;
	/* The largest magnitude the sign allows: never more than an unsigned long long holds. */
	unsigned long long v = 0, limit = negative ? 0ULL - (unsigned long long)min : max < 0 ? 0 : (unsigned long long)max;
	long long value;

	s += negative, n -= negative;
	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || v > limit / 10 || d > limit - v * 10)
			return -1;
		v = v * 10 + d;
	}
	value = !negative ? (long long)v : v == 0 ? 0 : -(long long)(v - 1) - 1;
	if (value < min || value > max)
		return -1;
	*out = value;
	return 0;
}
