#include <limits.h>

#include "check.h"
#include "number.h"

/* The number a string says, or "-" when it is refused. */
static const char *
parse(const char *s, long long min, long long max)
{
	static char buf[32];
	long long v = 12345;

	if (number_parse(s, strlen(s), min, max, &v) < 0)
		return v == 12345 ? "-" : "changed on a refusal";
	snprintf(buf, sizeof buf, "%lld", v);
	return buf;
}

int
main(void)
{
	/* Digits, all of them, in range. */
	CHECK_STR(parse("0", 0, 10), "0");
	CHECK_STR(parse("10", 0, 10), "10");
	CHECK_STR(parse("007", 0, 10), "7");
	CHECK_STR(parse("11", 0, 10), "-");
	CHECK_STR(parse("7", 0, 5), "-");
	CHECK_STR(parse("60", 0, 59), "-");
	CHECK_STR(parse("1", 2, 10), "-");
	/* Nothing else: no sign, space, suffix, empty text. */
	CHECK_STR(parse("", 0, 10), "-");
	CHECK_STR(parse("+5", 0, 10), "-");
	CHECK_STR(parse(" 5", 0, 10), "-");
	CHECK_STR(parse("5 ", 0, 10), "-");
	CHECK_STR(parse("2x", 0, 10), "-");
	CHECK_STR(parse("0x10", 0, 100), "-");
	/* A minus only where negatives are allowed. */
	CHECK_STR(parse("-5", 0, 10), "-");
	CHECK_STR(parse("-5", -10, 10), "-5");
	CHECK_STR(parse("-11", -10, 10), "-");
	CHECK_STR(parse("-", -10, 10), "-");
	CHECK_STR(parse("--5", -10, 10), "-");
	CHECK_STR(parse("-0", -10, 10), "0");
	/* The ends of long long, and one past them, without overflow. */
	CHECK_STR(parse("9223372036854775807", 0, LLONG_MAX), "9223372036854775807");
	CHECK_STR(parse("9223372036854775808", 0, LLONG_MAX), "-");
	CHECK_STR(parse("99999999999999999999999", 0, LLONG_MAX), "-");
	CHECK_STR(parse("-9223372036854775808", LLONG_MIN, LLONG_MAX), "-9223372036854775808");
	CHECK_STR(parse("-9223372036854775809", LLONG_MIN, LLONG_MAX), "-");
	/* A field is its bytes, not up to a NUL: "12" of "123". */
	long long v = 0;
	CHECK(number_parse("123", 2, 0, 100, &v) == 0 && v == 12);
	CHECK(number_parse("1", 0, 0, 100, &v) == -1);
	/* A range wholly below zero. */
	CHECK_STR(parse("-3", -5, -2), "-3");
	CHECK_STR(parse("-1", -5, -2), "-");
	CHECK_STR(parse("3", -5, -2), "-");
	return check_done();
}
