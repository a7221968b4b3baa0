#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "radix.h"

#define DIGIT_BITS 11
#define BUCKETS (1 << DIGIT_BITS)

void
radix_sort(struct keyed *a, size_t n)
{
	struct keyed *tmp, *from = a, *to;
	size_t *count;
	uint64_t all = 0, none = ~(uint64_t)0;

	if (n < 2)
		return;
	for (size_t i = 0; i < n; i++) {
		all |= a[i].key;
		none &= a[i].key;
	}
	tmp = xmalloc(n * sizeof *tmp);
	count = xmalloc(BUCKETS * sizeof *count);
	to = tmp;
	/* Least significant digit first; digits that are the same in every key are skipped. */
	for (int shift = 0; shift < 64; shift += DIGIT_BITS) {
		if ((((all ^ none) >> shift) & (BUCKETS - 1)) == 0)
			continue;
		memset(count, 0, BUCKETS * sizeof *count);
		for (size_t i = 0; i < n; i++)
			count[(from[i].key >> shift) & (BUCKETS - 1)]++;
		for (size_t b = 0, sum = 0; b < BUCKETS; b++) {
			size_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[(from[i].key >> shift) & (BUCKETS - 1)]++] = from[i];
		struct keyed *swap = from;
		from = to;
		to = swap;
	}
	if (from != a)
		memcpy(a, from, n * sizeof *a);
	free(tmp);
	free(count);
}
