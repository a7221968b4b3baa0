/*
 * String keys to int values, for the build side of a join: open addressing,
 * keys copied into one growing arena, no allocation per entry.
 */
#ifndef STRMAP_H
#define STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap {
	struct slot {
		uint64_t hash;
		size_t key;	/* offset in arena, of len bytes */
		uint32_t len;
		int value;	/* -1: empty slot */
	} *slots;
	size_t cap, n;
	char *arena;
	size_t arena_len, arena_cap;
};

void strmap_init(struct strmap *m);
/* The value of key, or -1. */
int strmap_get(const struct strmap *m, const char *key, size_t len);
/* Set key to value (value >= 0), adding it when new. */
void strmap_put(struct strmap *m, const char *key, size_t len, int value);
/* Bytes the map holds, for the benchmarks' bytes-per-row. */
size_t strmap_bytes(const struct strmap *m);
void strmap_free(struct strmap *m);

#endif
