#include <stdio.h>
#include <string.h>

#include "check.h"
#include "hash.h"

int
main(void)
{
	char a[64], b[80];
	int ok = 1;

	/* The same bytes hash the same wherever they lie in memory. */
	for (size_t n = 0; n <= 40; n++) {
		for (size_t i = 0; i < n; i++)
			a[i] = (char)('A' + i * 7 % 26);
		memcpy(b + 3, a, n);
		ok &= hash_bytes(a, n, 0) == hash_bytes(b + 3, n, 0);
	}
	CHECK(ok);
	/* A trailing NUL, a length, one bit, the seed: each changes the hash. */
	CHECK(hash_bytes("a", 1, 0) != hash_bytes("a\0", 2, 0));
	CHECK(hash_bytes("", 0, 0) != hash_bytes("\0", 1, 0));
	CHECK(hash_bytes("+15125550199", 12, 0) != hash_bytes("+15125550198", 12, 0));
	CHECK(hash_bytes("MED-IPR-TX", 10, 1) != hash_bytes("MED-IPR-TX", 10, 2));
	/* Chained fields: where one ends and the next starts is part of the key. */
	CHECK(hash_bytes("B", 1, hash_bytes("A", 1, 0)) != hash_bytes("", 0, hash_bytes("AB", 2, 0)));
	/* The high 16 bits of 65536 near-identical keys spread over most of their values. */
	static unsigned char seen[65536];
	int distinct = 0;
	for (int i = 0; i < 65536; i++) {
		int n = snprintf(a, sizeof a, "call-%08d", i);
		unsigned top = (unsigned)(hash_bytes(a, n, 0) >> 48);

		distinct += !seen[top];
		seen[top] = 1;
	}
	/* A uniform hash fills 1 - 1/e of them: 41427. */
	CHECK(distinct > 40500);
	printf("# %d of 65536 top-16-bit values used\n", distinct);
	return check_done();
}
