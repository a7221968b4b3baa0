#include "check.h"
#include "diag.h"
#include "split-by-unit/once.h"

int
main(void)
{
	struct once o = { 0 };

	diag_init("test_once");
	/* New ids are kept with their line; a repeat names the first line, and is not kept again. */
	CHECK(once_seen(&o, 88120331, 2) == 0);
	CHECK(once_seen(&o, 88120332, 3) == 0);
	CHECK(once_seen(&o, 88120331, 9) == 2);
	CHECK(once_seen(&o, 88120331, 12) == 2);
	CHECK(once_seen(&o, -1, 13) == 0 && once_seen(&o, 0, 14) == 0);
	CHECK(once_seen(&o, 0, 15) == 14 && once_seen(&o, -1, 16) == 13);
	CHECK(o.used == 4);
	/* Through many doublings every id is still found, with its own line. */
	long wrong = 0;
	for (long i = 0; i < 100000; i++)
		wrong += once_seen(&o, 1000000000000LL + i * 7919, i + 100) != 0;
	CHECK(wrong == 0);
	for (long i = 0; i < 100000; i++)
		wrong += once_seen(&o, 1000000000000LL + i * 7919, 1) != i + 100;
	CHECK(wrong == 0);
	CHECK(o.used == 100004 && o.mask + 1 == 262144);
	once_free(&o);
	CHECK(o.slots == NULL);
	return check_done();
}
