#include "check.h"
#include "civil.h"

static const char *
parsed(const char *fmt, const char *s)
{
	static char buf[64];
	struct civil c;

	if (civil_parse(fmt, s, strlen(s), &c) < 0)
		return "error";
	snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d%s", c.y, c.mo, c.d, c.h, c.mi, c.s,
	    c.has_time ? "" : " (date)");
	return buf;
}

int
main(void)
{
	char buf[UTC_BUFSZ];
	int y, m, d;

	CHECK(days_from_civil(1970, 1, 1) == 0);
	CHECK(days_from_civil(2000, 3, 1) == 11017);
	civil_from_days(20781, &y, &m, &d);
	CHECK(y == 2026 && m == 11 && d == 24);
	/* Every 997th day over 4,000 years each way: each mismatch is a failure of its own. */
	long rounds = 0;
	for (int64_t day = -800000; day < 800000; day += 997, rounds++) {
		civil_from_days(day, &y, &m, &d);
		if (days_from_civil(y, m, d) != day || m < 1 || m > 12 || d < 1 || d > 31) {
			fprintf(stderr, "day %lld -> %d-%d-%d -> %lld\n", (long long)day, y, m, d,
			    (long long)days_from_civil(y, m, d));
			CHECK(!"round trip");
		}
	}
	CHECK(rounds == 1605);

	CHECK_STR(parsed("%Y-%m-%d %H:%M:%S", "2026-11-24 13:05:22"), "2026-11-24 13:05:22");
	CHECK_STR(parsed("%m/%d/%Y", "11/24/2026"), "2026-11-24 00:00:00 (date)");
	CHECK_STR(parsed("%m/%d/%Y", "1/2/2026"), "2026-01-02 00:00:00 (date)");
	CHECK_STR(parsed("%b %d, %Y", "Nov 24, 2026"), "2026-11-24 00:00:00 (date)");
	CHECK_STR(parsed("%b %d, %Y", "November 4, 2026"), "2026-11-04 00:00:00 (date)");
	CHECK_STR(parsed("%b %d, %Y", "nov  24, 2026"), "2026-11-24 00:00:00 (date)");
	CHECK_STR(parsed("%m/%d/%Y %I:%M %p", "11/24/2026 1:07 PM"), "2026-11-24 13:07:00");
	CHECK_STR(parsed("%m/%d/%Y %I:%M %p", "11/24/2026 12:07 am"), "2026-11-24 00:07:00");
	CHECK_STR(parsed("%m/%d/%Y %I:%M %p", "11/24/2026 12:07 PM"), "2026-11-24 12:07:00");
	CHECK_STR(parsed("%Y-%m-%d %H:%M", "2026-11-24 13:07"), "2026-11-24 13:07:00");
	CHECK_STR(parsed("excel", "46350"), "2026-11-24 00:00:00 (date)");
	CHECK_STR(parsed("excel", "46350.5"), "2026-11-24 12:00:00");
	CHECK_STR(parsed("excel", "1"), "1900-01-01 00:00:00 (date)");
	CHECK_STR(parsed("excel", "61"), "1900-03-01 00:00:00 (date)");
	CHECK_STR(parsed("epoch_ms", "1795529702000"), "2026-11-24 14:15:02");
	CHECK_STR(parsed("epoch", "0"), "1970-01-01 00:00:00");
	CHECK_STR(parsed("epoch_ms", "-1"), "1969-12-31 23:59:59");

	struct civil c;
	CHECK(civil_parse("%Y-%m-%d %H:%M:%S %z", "2026-11-24 09:15:02 -05:00", 26, &c) == 0);
	CHECK(c.has_offset && c.offset == -5 * 3600 && c.h == 9);

	CHECK_STR(parsed("%m/%d/%Y", "02/30/2026"), "error");
	CHECK_STR(parsed("%m/%d/%Y", "02/29/2028"), "2028-02-29 00:00:00 (date)");
	CHECK_STR(parsed("%m/%d/%Y", "02/29/2026"), "error");
	CHECK_STR(parsed("%m/%d/%Y", "13/01/2026"), "error");
	CHECK_STR(parsed("%m/%d/%Y", "11/24/2026 "), "error");
	CHECK_STR(parsed("%Y-%m-%d %H:%M:%S", "2026-11-24 24:00:00"), "error");
	CHECK_STR(parsed("%Y-%m-%d %H:%M:%S", "2026-11-24"), "error");
	CHECK_STR(parsed("%Y-%m-%d %H:%M:%S", "26-11-24 10:00:00"), "error");
	CHECK_STR(parsed("%I:%M %p", "13:07 PM"), "error");
	CHECK_STR(parsed("%b %d, %Y", "Foo 24, 2026"), "error");
	CHECK_STR(parsed("excel", "60"), "error");	/* Lotus's 1900-02-29 */
	CHECK_STR(parsed("excel", "46350x"), "error");
	CHECK_STR(parsed("excel", ""), "error");

	CHECK(civil_format_valid("%m/%d/%Y") == 0);
	CHECK(civil_format_valid("excel") == 0);
	CHECK(civil_format_valid("%m/%d/%Y %I:%M") < 0);	/* %I needs %p */
	CHECK(civil_format_valid("%q") < 0);
	CHECK(civil_format_valid("%m/%d") < 0);		/* no year */

	CHECK(format_utc(1795529702, buf) == 19);
	CHECK_STR(buf, "2026-11-24 14:15:02");
	format_utc(-1, buf);
	CHECK_STR(buf, "1969-12-31 23:59:59");
	format_date(1795529702, buf);
	CHECK_STR(buf, "2026-11-24");
	/* A stream's time back to seconds: what format_utc wrote, and nothing else. */
	int64_t t = 0;
	CHECK(parse_utc("2026-11-24 14:15:02", 19, &t) == 0 && t == 1795529702);
	CHECK(parse_utc("1969-12-31 23:59:59", 19, &t) == 0 && t == -1);
	CHECK(parse_utc("2026-11-24", 10, &t) == -1);
	CHECK(parse_utc("2026-11-24 14:15:02Z", 20, &t) == -1);
	return check_done();
}
