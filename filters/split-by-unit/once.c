#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/hash.h"
#include "split-by-unit/once.h"

static void
grow(struct once *o)
{
	size_t n = o->slots ? (o->mask + 1) * 2 : 1024;
	struct once_slot *old = o->slots;
	size_t oldn = old ? o->mask + 1 : 0;

	o->slots = xmalloc(n * sizeof *o->slots);
	memset(o->slots, 0, n * sizeof *o->slots);
	o->mask = n - 1;
	for (size_t i = 0; i < oldn; i++) {
		if (old[i].line == 0)
			continue;
		size_t k = hash_bytes(&old[i].id, sizeof old[i].id, 0) & o->mask;
		while (o->slots[k].line != 0)
			k = (k + 1) & o->mask;
		o->slots[k] = old[i];
	}
	free(old);
}

long
once_seen(struct once *o, int64_t id, long line)
{
	if (o->slots == NULL || 2 * (o->used + 1) > o->mask + 1)
		grow(o);
	size_t k = hash_bytes(&id, sizeof id, 0) & o->mask;
	while (o->slots[k].line != 0) {
		if (o->slots[k].id == id)
			return o->slots[k].line;
		k = (k + 1) & o->mask;
	}
	o->slots[k].id = id;
	o->slots[k].line = line;
	o->used++;
	return 0;
}

void
once_free(struct once *o)
{
	free(o->slots);
	o->slots = NULL;
	o->mask = o->used = 0;
}
