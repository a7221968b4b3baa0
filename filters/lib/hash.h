/*
 * One 64-bit hash of bytes for the join tables: eight bytes a step, then a
 * full avalanche, so that both the low bits (a slot mask) and the high bits
 * (a slot by prefix, a sort by hash) are usable.  Not for anything an
 * attacker could choose to collide: the tables still compare keys.
 */
#ifndef HASH_H
#define HASH_H

#include <stddef.h>
#include <stdint.h>

/* The hash of p[0..n); seed chains fields: hash_bytes(b, nb, hash_bytes(a, na, 0)). */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);

#endif
