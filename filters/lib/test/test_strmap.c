#include <stdio.h>

#include "check.h"
#include "strmap.h"

int
main(void)
{
	struct strmap m;
	char key[32];
	int ok = 1;

	strmap_init(&m);
	CHECK(strmap_get(&m, "x", 1) == -1);
	strmap_put(&m, "+15125550199\037MED-IPR-TX", 23, 7);
	CHECK(strmap_get(&m, "+15125550199\037MED-IPR-TX", 23) == 7);
	CHECK(strmap_get(&m, "+15125550199\037MED-IPR-T", 22) == -1);
	strmap_put(&m, "+15125550199\037MED-IPR-TX", 23, 9);	/* replaces */
	CHECK(strmap_get(&m, "+15125550199\037MED-IPR-TX", 23) == 9 && m.n == 1);
	/* Through many growths, every key keeps its value. */
	for (int i = 0; i < 200000; i++) {
		int n = snprintf(key, sizeof key, "call-%d", i);
		strmap_put(&m, key, n, i);
	}
	for (int i = 0; i < 200000; i++) {
		int n = snprintf(key, sizeof key, "call-%d", i);
		ok &= strmap_get(&m, key, n) == i;
	}
	CHECK(ok);
	CHECK(m.n == 200001);
	CHECK(strmap_get(&m, "", 0) == -1);
	strmap_put(&m, "", 0, 3);
	CHECK(strmap_get(&m, "", 0) == 3);
	CHECK(strmap_bytes(&m) > 200000 * 16);
	strmap_free(&m);
	return check_done();
}
