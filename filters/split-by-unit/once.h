/*
 * The identities an export has given so far, for a stream whose identity
 * is `once` (catalog/streams.txt): each integer with the line it came
 * from, so that a repeat names the line it repeats.  An open-addressing
 * table that doubles when half full: 16 bytes a row at most twice over
 * (32 MB for a million rows), no allocation a row.
 */
#ifndef ONCE_H
#define ONCE_H

#include <stddef.h>
#include <stdint.h>

struct once {
	struct once_slot { int64_t id; long line; } *slots;	/* line 0: empty */
	size_t mask, used;
};

/* 0 when id is new (kept, with line); else the line that gave it first. */
long once_seen(struct once *o, int64_t id, long line);
void once_free(struct once *o);

#endif
