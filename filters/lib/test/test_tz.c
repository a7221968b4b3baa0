#include "check.h"
#include "tz.h"

static const char *
utc_of(struct tz *z, const char *local, int *kind)
{
	static char buf[UTC_BUFSZ];
	struct civil c;
	int64_t t;

	if (civil_parse("%Y-%m-%d %H:%M:%S", local, strlen(local), &c) < 0)
		return "parse error";
	*kind = tz_to_utc(z, &c, &t);
	format_utc(t, buf);
	return buf;
}

int
main(void)
{
	struct tz *ny = tz_open("America/New_York"), *chi = tz_open("America/Chicago");
	int kind;

	CHECK(ny != NULL && chi != NULL);
	CHECK(tz_open("America/Atlantis") == NULL);
	CHECK(tz_open("../etc/passwd") == NULL);
	CHECK(tz_open("") == NULL);

	CHECK_STR(utc_of(ny, "2026-11-24 13:05:22", &kind), "2026-11-24 18:05:22");
	CHECK(kind == TZ_UNIQUE);
	CHECK_STR(utc_of(ny, "2026-07-04 12:00:00", &kind), "2026-07-04 16:00:00");
	CHECK_STR(utc_of(chi, "2026-11-24 13:07:00", &kind), "2026-11-24 19:07:00");

	/* DST ends 2026-11-01 02:00 EDT: 01:00-01:59 happens twice; the second (EST) wins. */
	CHECK_STR(utc_of(ny, "2026-11-01 00:59:59", &kind), "2026-11-01 04:59:59");
	CHECK(kind == TZ_UNIQUE);
	CHECK_STR(utc_of(ny, "2026-11-01 01:30:00", &kind), "2026-11-01 06:30:00");
	CHECK(kind == TZ_REPEATED);
	CHECK_STR(utc_of(ny, "2026-11-01 01:00:00", &kind), "2026-11-01 06:00:00");
	CHECK(kind == TZ_REPEATED);
	CHECK_STR(utc_of(ny, "2026-11-01 02:00:00", &kind), "2026-11-01 07:00:00");
	CHECK(kind == TZ_UNIQUE);

	/* DST begins 2026-03-08 02:00 EST: 02:00-02:59 never happens; the EST offset applies. */
	CHECK_STR(utc_of(ny, "2026-03-08 01:59:59", &kind), "2026-03-08 06:59:59");
	CHECK_STR(utc_of(ny, "2026-03-08 02:30:00", &kind), "2026-03-08 07:30:00");
	CHECK(kind == TZ_SKIPPED);
	CHECK_STR(utc_of(ny, "2026-03-08 03:00:00", &kind), "2026-03-08 07:00:00");
	CHECK(kind == TZ_UNIQUE);

	/* The hour cache must agree with a fresh zone, second by second, over the change. */
	struct tz *fresh = tz_open("America/New_York");
	int same = 1;
	for (int64_t s = 0; s < 4 * 3600; s += 7) {
		struct civil c;
		int64_t a, b;

		civil_from_seconds(days_from_civil(2026, 11, 1) * 86400 + s, &c);
		tz_to_utc(ny, &c, &a);
		for (int i = 0; i < 256; i++) {	/* evict the cache */
			struct civil far = c;
			int64_t x;
			far.y = 1990 + i % 30;
			far.h = i % 24;
			tz_to_utc(fresh, &far, &x);
		}
		tz_to_utc(fresh, &c, &b);
		same &= a == b;
	}
	CHECK(same);
	CHECK_STR(tz_name(ny), "America/New_York");

	/* 06:30Z is 01:30 EST; 05:30Z was 01:30 EDT: the same wall time, the other reading. */
	int64_t other, at = days_from_civil(2026, 11, 1) * 86400 + 6 * 3600 + 1800;
	CHECK(tz_other_reading(ny, at, &other) == 1 && other == at - 3600);
	CHECK(tz_other_reading(ny, at - 3600, &other) == 0);	/* the first pass has no earlier twin */
	CHECK(tz_other_reading(ny, at + 3600, &other) == 0);	/* 02:30 EST is not ambiguous */
	CHECK(tz_other_reading(ny, days_from_civil(2026, 7, 1) * 86400, &other) == 0);
	CHECK(tz_offset_at(ny, at) == -5 * 3600 && tz_offset_at(ny, at - 3600) == -4 * 3600);
	tz_close(fresh);
	tz_close(ny);
	tz_close(chi);
	/* What is no zone is refused, never taken as UTC: a folder, a file that is not one. */
	CHECK(tz_open("America") == NULL);
	CHECK(tz_open("US") == NULL);
	CHECK(tz_open("zone.tab") == NULL);
	CHECK(tz_open("../../etc/passwd") == NULL);
	CHECK(tz_open("") == NULL);
	return check_done();
}
