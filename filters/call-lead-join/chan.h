/*
 * A bounded first-in first-out queue of pointers between threads, closed by
 * its producer: how a filter hands batches from its reading thread to its
 * writing one and back.  Blocking, in order, no allocation per item.
 */
#ifndef CHAN_H
#define CHAN_H

#include <pthread.h>
#include <stddef.h>

struct chan {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	void **items;
	size_t cap, head, n;
	int closed;
};

void chan_init(struct chan *c, size_t cap);
/* Wait for room, then add p (not NULL). */
void chan_put(struct chan *c, void *p);
/* Wait for an item: the oldest, or NULL once the queue is closed and empty. */
void *chan_get(struct chan *c);
/* No more puts: chan_get returns NULL once the queue is empty. */
void chan_close(struct chan *c);
void chan_free(struct chan *c);

#endif
