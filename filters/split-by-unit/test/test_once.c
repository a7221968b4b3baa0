#include "check.h"
#include "diag.h"
#include "split-by-unit/once.h"

/* once_seen of id as given at input:line; what it answers is left in *at. */
static int
seen(struct once *o, int64_t id, uint32_t input, uint32_t line, struct once_where *at)
{
	at->input = input;
	at->line = line;
	return once_seen(o, id, at);
}

int
main(void)
{
	struct once o = { 0 };
	struct once_where at;

	diag_init("test_once");
	/* New ids are kept with their input and line; a repeat names the first, and is not kept again. */
	CHECK(seen(&o, 88120331, 0, 2, &at) == 0);
	CHECK(seen(&o, 88120332, 0, 3, &at) == 0);
	CHECK(seen(&o, 88120331, 1, 9, &at) == 1 && at.input == 0 && at.line == 2);
	CHECK(seen(&o, 88120331, 1, 12, &at) == 1 && at.input == 0 && at.line == 2);
	CHECK(seen(&o, -1, 1, 13, &at) == 0 && seen(&o, 0, 1, 14, &at) == 0);
	CHECK(seen(&o, 0, 2, 15, &at) == 1 && at.line == 14 && seen(&o, -1, 2, 16, &at) == 1 && at.line == 13);
	CHECK(o.used == 4);
	/* Through many doublings every id is still found, with its own line. */
	long wrong = 0;
	for (uint32_t i = 0; i < 100000; i++)
		wrong += seen(&o, 1000000000000LL + i * 7919LL, 3, i + 100, &at) != 0;
	CHECK(wrong == 0);
	for (uint32_t i = 0; i < 100000; i++)
		wrong += seen(&o, 1000000000000LL + i * 7919LL, 4, 1, &at) != 1 || at.input != 3 || at.line != i + 100;
	CHECK(wrong == 0);
	CHECK(o.used == 100004 && o.mask + 1 == 262144);
	once_free(&o);
	CHECK(o.slots == NULL);
	return check_done();
}
