#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/hash.h"
#include "split-by-unit/once.h"

/* The slot that holds id, or the empty one where it goes. */
static struct once_slot *
slot_of(const struct once *o, int64_t id)
{
	size_t k = hash_bytes(&id, sizeof id, 0) & o->mask;

	while (o->slots[k].at.line != 0 && o->slots[k].id != id)
		k = (k + 1) & o->mask;
	return &o->slots[k];
}

static void
grow(struct once *o)
{
	size_t n = o->slots ? (o->mask + 1) * 2 : 1024;
	struct once_slot *old = o->slots;
	size_t oldn = old ? o->mask + 1 : 0;

	o->slots = xmalloc(n * sizeof *o->slots);
	memset(o->slots, 0, n * sizeof *o->slots);
	o->mask = n - 1;
	for (size_t i = 0; i < oldn; i++)
		if (old[i].at.line != 0)
			*slot_of(o, old[i].id) = old[i];
	free(old);
}

int
once_seen(struct once *o, int64_t id, struct once_where *at)
{
	if (o->slots == NULL || 2 * (o->used + 1) > o->mask + 1)
		grow(o);
	struct once_slot *slot = slot_of(o, id);

	if (slot->at.line != 0) {
		*at = slot->at;
		return 1;
	}
	slot->id = id;
	slot->at = *at;
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
