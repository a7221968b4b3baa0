#include "check.h"
#include "utf8.h"

#define VALID(s) utf8_valid((s), sizeof(s) - 1)

int
main(void)
{
	char out[64];

	CHECK(VALID(""));
	CHECK(VALID("plain ascii, long enough for the 8-byte path"));
	CHECK(VALID("José Núñez Zoë"));
	CHECK(VALID("emoji \360\237\230\200 four bytes"));
	CHECK(!VALID("Jos\351"));		/* Latin-1 */
	CHECK(!VALID("\300\257"));		/* overlong '/' */
	CHECK(!VALID("\355\240\200"));		/* a surrogate */
	CHECK(!VALID("\364\220\200\200"));	/* past U+10FFFF */
	CHECK(!VALID("abc\342\202"));		/* truncated */
	CHECK(!VALID("12345678\377"));

	size_t n = utf8_repair("Jos\351!", 5, out);
	CHECK(n == 7 && memcmp(out, "Jos\357\277\275!", 7) == 0);
	n = utf8_repair("é", 2, out);
	CHECK(n == 2 && memcmp(out, "é", 2) == 0);
	n = utf8_repair("a\0b", 3, out);	/* a NUL byte: no table takes it */
	CHECK(n == 5 && memcmp(out, "a\357\277\275b", 5) == 0);
	return check_done();
}
