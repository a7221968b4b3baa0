#include <stdint.h>

#include "call-lead-join/chan.h"
#include "check.h"

#define ITEMS 100000

static struct chan work, done;

/* Doubles every number it is handed and passes it on; stops when work closes. */
static void *
doubler(void *arg)
{
	void *p;

	(void)arg;
	while ((p = chan_get(&work)) != NULL)
		chan_put(&done, (void *)(2 * (uintptr_t)p));
	chan_close(&done);
	return NULL;
}

static void *
producer(void *arg)
{
	(void)arg;
	for (uintptr_t i = 1; i <= ITEMS; i++)
		chan_put(&work, (void *)i);
	chan_close(&work);
	return NULL;
}

int
main(void)
{
	pthread_t a, b;
	uintptr_t want = 2, got;
	int in_order = 1;
	void *p;

	/* A queue of 3 between three threads: every item arrives, once, in order. */
	chan_init(&work, 3);
	chan_init(&done, 3);
	pthread_create(&a, NULL, producer, NULL);
	pthread_create(&b, NULL, doubler, NULL);
	size_t n = 0;
	while ((p = chan_get(&done)) != NULL) {
		got = (uintptr_t)p;
		in_order &= got == want;
		want += 2;
		n++;
	}
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK(in_order);
	CHECK(n == ITEMS);
	/* Closed and empty: NULL at once, however often asked. */
	CHECK(chan_get(&done) == NULL && chan_get(&done) == NULL);
	/* Items put before the close are still handed out after it. */
	chan_free(&work);
	chan_init(&work, 2);
	chan_put(&work, (void *)7);
	chan_close(&work);
	CHECK(chan_get(&work) == (void *)7 && chan_get(&work) == NULL);
	chan_free(&work);
	chan_free(&done);
	return check_done();
}
