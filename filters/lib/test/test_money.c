#include <stdint.h>

#include "check.h"
#include "money.h"

static int64_t
cents(const char *s, int *ok)
{
	int64_t c = -999999;

	*ok = money_parse(s, strlen(s), &c) == 0;
	return c;
}

static void
good(const char *s, int64_t want)
{
	int ok;
	int64_t got = cents(s, &ok);

	if (!ok || got != want)
		fprintf(stderr, "money_parse(\"%s\") = %lld ok=%d, want %lld\n", s,
		    (long long)got, ok, (long long)want);
	CHECK(ok && got == want);
}

static void
bad(const char *s)
{
	int ok;

	cents(s, &ok);
	if (ok)
		fprintf(stderr, "money_parse(\"%s\") accepted\n", s);
	CHECK(!ok);
}

int
main(void)
{
	char buf[MONEY_BUFSZ];

	good("12.50", 1250);
	good("-3", -300);
	good("$1,234.50", 123450);
	good("(95.00)", -9500);
	good("($95.00)", -9500);
	good("95.5", 9550);
	good("0.01", 1);
	good("-0.01", -1);
	good(".5", 50);
	good("7.", 700);
	good("+7", 700);
	good("-$5.00", -500);
	good("$-5.00", -500);
	good(" 35.00 ", 3500);
	good("1,234,567.89", 123456789);
	good("12.500", 1250);	/* trailing zeros are still exact */
	good("0", 0);
	good("999999999999999.99", 99999999999999999LL);

	bad("");
	bad(" ");
	bad("$");
	bad("12.5.0");
	bad("12.345");		/* a fraction of a cent */
	bad("1,23.00");
	bad("1234,567");
	bad(",123");
	bad("12,34");
	bad("(-5)");
	bad("(5");
	bad("abc");
	bad("1e3");
	bad("--5");
	bad("5-");
	bad("1 000");
	bad("1000000000000000");	/* 16 digits: not revenue */

	CHECK(money_format(1250, buf) == 5);
	CHECK_STR(buf, "12.50");
	money_format(-1, buf);
	CHECK_STR(buf, "-0.01");
	money_format(0, buf);
	CHECK_STR(buf, "0.00");
	money_format(-123450, buf);
	CHECK_STR(buf, "-1234.50");
	money_format(INT64_MIN, buf);
	CHECK_STR(buf, "-92233720368547758.08");
	money_format(7, buf);
	CHECK_STR(buf, "0.07");
	return check_done();
}
