#include <stdlib.h>

#include "chan.h"
#include "lib/diag.h"

void
chan_init(struct chan *c, size_t cap)
{
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->changed, NULL);
	c->items = xmalloc(cap * sizeof *c->items);
	c->cap = cap;
	c->head = c->n = 0;
	c->closed = 0;
}

/* One condition for both waits: two threads, so a broadcast wakes at most one other. */
void
chan_put(struct chan *c, void *p)
{
	pthread_mutex_lock(&c->lock);
	while (c->n == c->cap)
		pthread_cond_wait(&c->changed, &c->lock);
	c->items[(c->head + c->n++) % c->cap] = p;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}

void *
chan_get(struct chan *c)
{
	void *p = NULL;

	pthread_mutex_lock(&c->lock);
	while (c->n == 0 && !c->closed)
		pthread_cond_wait(&c->changed, &c->lock);
	if (c->n > 0) {
		p = c->items[c->head];
		c->head = (c->head + 1) % c->cap;
		c->n--;
		pthread_cond_broadcast(&c->changed);
	}
	pthread_mutex_unlock(&c->lock);
	return p;
}

void
chan_close(struct chan *c)
{
	pthread_mutex_lock(&c->lock);
	c->closed = 1;
	pthread_cond_broadcast(&c->changed);
	pthread_mutex_unlock(&c->lock);
}

void
chan_free(struct chan *c)
{
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->changed);
	free(c->items);
	c->items = NULL;
}
