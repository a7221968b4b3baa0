#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"

size_t
arena_keep(struct arena *a, const char *p, size_t n)
{
	size_t off = a->len;

	if (a->len + n + 1 > a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1 << 16;
		while (a->len + n + 1 > a->cap)
			a->cap *= 2;
		a->buf = xrealloc(a->buf, a->cap);
	}
	memcpy(a->buf + off, p, n);
	a->buf[off + n] = '\0';
	a->len += n + 1;
	return off;
}

void
arena_free(struct arena *a)
{
	free(a->buf);
	a->buf = NULL;
	a->len = a->cap = 0;
}
