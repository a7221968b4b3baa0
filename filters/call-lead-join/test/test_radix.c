#include <stdlib.h>

#include "check.h"
#include "call-lead-join/radix.h"

int
main(void)
{
	size_t n = 300000;
	struct keyed *a = malloc(n * sizeof *a);
	uint64_t x = 88172645463325252ULL;
	int sorted = 1, stable = 1, whole = 1;
	unsigned char *seen = calloc(n, 1);

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		/* Few distinct high parts and many ties: what (group, start) keys look like. */
		a[i].key = (x % 50) << 32 | (x >> 40) % 1000;
		a[i].index = (uint32_t)i;
	}
	radix_sort(a, n);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && a[i - 1].key > a[i].key)
			sorted = 0;
		if (i > 0 && a[i - 1].key == a[i].key && a[i - 1].index > a[i].index)
			stable = 0;
		whole &= !seen[a[i].index];
		seen[a[i].index] = 1;
	}
	CHECK(sorted);
	CHECK(stable);
	CHECK(whole);
	struct keyed one = { 5, 0 }, two[] = { { 9, 0 }, { 1, 1 } };
	radix_sort(&one, 1);
	radix_sort(two, 2);
	CHECK(two[0].key == 1 && two[1].key == 9 && two[0].index == 1);
	struct keyed same[] = { { 7, 0 }, { 7, 1 }, { 7, 2 } };
	radix_sort(same, 3);	/* every digit the same: nothing moves */
	CHECK(same[0].index == 0 && same[2].index == 2);
	free(a);
	free(seen);
	return check_done();
}
