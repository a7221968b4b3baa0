#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hash.h"
#include "strmap.h"

static uint64_t
hash(const char *p, size_t n)
{
	return hash_bytes(p, n, 0);
}

void
strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof *m);
	m->cap = 1024;
	m->slots = xmalloc(m->cap * sizeof *m->slots);
	for (size_t i = 0; i < m->cap; i++)
		m->slots[i].value = -1;
	/* Never NULL, even before the first key (an empty one is a key too). */
	m->arena_cap = 65536;
	m->arena = xmalloc(m->arena_cap);
}

static struct slot *
find(const struct strmap *m, const char *key, size_t len, uint64_t h)
{
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct slot *s = &m->slots[i];

		if (s->value < 0)
			return s;
		if (s->hash == h && s->len == len && memcmp(m->arena + s->key, key, len) == 0)
			return s;
	}
}

int
strmap_get(const struct strmap *m, const char *key, size_t len)
{
	return find(m, key, len, hash(key, len))->value;
}

static void
grow(struct strmap *m)
{
	struct slot *old = m->slots;
	size_t oldcap = m->cap;

	m->cap *= 2;
	m->slots = xmalloc(m->cap * sizeof *m->slots);
	for (size_t i = 0; i < m->cap; i++)
		m->slots[i].value = -1;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].value >= 0) {
			size_t j = old[i].hash & (m->cap - 1);

			while (m->slots[j].value >= 0)
				j = (j + 1) & (m->cap - 1);
			m->slots[j] = old[i];
		}
	free(old);
}

void
strmap_put(struct strmap *m, const char *key, size_t len, int value)
{
	uint64_t h = hash(key, len);
	struct slot *s = find(m, key, len, h);

	if (s->value >= 0) {
		s->value = value;
		return;
	}
	if (m->arena_len + len > m->arena_cap) {
		m->arena_cap *= 2;
		while (m->arena_len + len > m->arena_cap)
			m->arena_cap *= 2;
		m->arena = xrealloc(m->arena, m->arena_cap);
	}
	memcpy(m->arena + m->arena_len, key, len);
	s->hash = h;
	s->key = m->arena_len;
	s->len = (uint32_t)len;
	s->value = value;
	m->arena_len += len;
	if (++m->n * 4 > m->cap * 3)	/* at most 3/4 full */
		grow(m);
}

size_t
strmap_bytes(const struct strmap *m)
{
	return m->cap * sizeof *m->slots + m->arena_cap;
}

void
strmap_free(struct strmap *m)
{
	free(m->slots);
	free(m->arena);
	memset(m, 0, sizeof *m);
}
