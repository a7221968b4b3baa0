/* Sorting by a 64-bit key in linear time, for the build side of a join. */
#ifndef RADIX_H
#define RADIX_H

#include <stddef.h>
#include <stdint.h>

struct keyed {
	uint64_t key;
	uint32_t index;		/* where the element is in the caller's array */
};

/* Sort a[0..n) by key, stable (equal keys keep their order). */
void radix_sort(struct keyed *a, size_t n);

#endif
