#include <stdio.h>

#include "arena.h"
#include "check.h"

int
main(void)
{
	struct arena a = { 0 };
	size_t first = arena_keep(&a, "complete_call_id", 16), off[5000];
	char buf[32];
	int ok = 1;

	CHECK_STR(ARENA_STR(&a, first), "complete_call_id");
	/* Offsets stay good while the buffer grows and moves. */
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof buf, "7F3A91C0-%08X", i);
		off[i] = arena_keep(&a, buf, n);
	}
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof buf, "7F3A91C0-%08X", i);
		ok &= strcmp(ARENA_STR(&a, off[i]), buf) == 0;
	}
	CHECK(ok);
	CHECK_STR(ARENA_STR(&a, first), "complete_call_id");
	CHECK(ARENA_STR(&a, arena_keep(&a, "", 0))[0] == '\0');
	CHECK_STR(ARENA_STR(&a, arena_keep(&a, "abc", 2)), "ab");	/* n bytes, then a NUL */
	arena_free(&a);
	CHECK(a.buf == NULL && a.len == 0);
	return check_done();
}
