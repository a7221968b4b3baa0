/*
 * The identities an export has given so far, for a stream whose identity
 * is `once` (catalog/streams.txt): each integer with the input and line it
 * came from, so that a repeat names the row it repeats.  An open-addressing
 * table of 16-byte slots that doubles when half full: two to four slots a
 * row (32 MB for a million rows, 48 while it doubles), no allocation a row.
 */
#ifndef ONCE_H
#define ONCE_H

#include <stddef.h>
#include <stdint.h>

/* Where an identity was first given: the run's input (from 0) and its line (from 1). */
struct once_where {
	uint32_t input, line;
};

struct once {
	struct once_slot { int64_t id; struct once_where at; } *slots;	/* line 0: empty */
	size_t mask, used;
};

/* 0 when id is new (kept, as given at *at); else 1, and *at is where it was given first. */
int once_seen(struct once *o, int64_t id, struct once_where *at);
void once_free(struct once *o);

#endif
