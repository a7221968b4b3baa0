/* Strings kept for the life of a run, by offset into one growing buffer. */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

struct arena {
	char *buf;
	size_t len, cap;
};

/* A NUL-terminated copy of p[0..n); its offset (stable when the buffer moves). */
size_t arena_keep(struct arena *a, const char *p, size_t n);
#define ARENA_STR(a, off) ((a)->buf + (off))
void arena_free(struct arena *a);

#endif
