#include <string.h>

#include "hash.h"

#define K1 0x9e3779b97f4a7c15ULL
#define K2 0xbf58476d1ce4e5b9ULL
#define K3 0x94d049bb133111ebULL

/* splitmix64's finalizer: every input bit reaches every output bit. */
static inline uint64_t
mix(uint64_t h)
{
	h ^= h >> 30;
	h *= K2;
	h ^= h >> 27;
	h *= K3;
	return h ^ (h >> 31);
}

uint64_t
hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (n * K1), w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * K1;
		h ^= h >> 32;
	}
	/* The last 1..7 bytes, zero-padded; the length above keeps "a" and "a\0" apart. */
	w = 0;
	if (n > 0)
		memcpy(&w, s, n);
	return mix(h ^ w ^ (uint64_t)n << 56);
}
