#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "civil.h"
#include "tzfile.h"

/* glibc's offset, through the process's TZ: the reference (the library itself never touches TZ). */
static int
glibc_offset(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return (int)tm.tm_gmtoff;
}

/*
 * The zone's offset agrees with glibc's every day from 1900 to 2100, and on
 * both sides of every change glibc makes (found by halving the day it
 * falls in): the data's transitions and the footer's rule after them.
 */
static int
agrees(const char *zone, int *changes)
{
	char path[256];
	struct tzfile *z;
	int ok = 1;

	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
	if ((z = tzfile_read(path)) == NULL)
		return 0;
	setenv("TZ", zone, 1);
	tzset();
	int64_t from = days_from_civil(1900, 1, 1) * 86400, to = days_from_civil(2100, 1, 1) * 86400;
	int prev = glibc_offset(from);
	for (int64_t t = from; t < to && ok; t += 86400) {
		int now = glibc_offset(t);

		ok = tzfile_offset(z, t) == now;
		if (now != prev) {
			int64_t lo = t - 86400, hi = t;	/* prev at lo, now at hi */

			while (hi - lo > 1) {
				int64_t mid = lo + (hi - lo) / 2;

				*(glibc_offset(mid) == prev ? &lo : &hi) = mid;
			}
			ok = ok && tzfile_offset(z, lo) == prev && tzfile_offset(z, hi) == now;
			++*changes;
		}
		if (!ok)
			fprintf(stderr, "%s differs near %lld: %d, glibc %d\n", zone, (long long)t, tzfile_offset(z, t), now);
		prev = now;
	}
	tzfile_free(z);
	return ok;
}

int
main(void)
{
	/* The zones of the brokers and the odd ones: half hours, southern summers, negative DST, no DST. */
	static const char *const zones[] = {
		"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
		"America/Anchorage", "Pacific/Honolulu", "America/St_Johns", "Europe/London", "Europe/Dublin",
		"Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Chatham",
		"America/Santiago", "Africa/Casablanca", "Asia/Tehran", "UTC",
	};
	int changes = 0;

	for (size_t i = 0; i < sizeof zones / sizeof *zones; i++) {
		int ok = agrees(zones[i], &changes);

		CHECK(ok);
		if (!ok)
			fprintf(stderr, "differs: %s\n", zones[i]);
	}
	CHECK(changes > 4000);	/* the days walked did cross the changes */
	/* A file that is not a zone, a folder, no file. */
	CHECK(tzfile_read("/etc/hostname") == NULL);
	CHECK(tzfile_read("/usr/share/zoneinfo/America") == NULL);
	CHECK(tzfile_read("/nonexistent/zone") == NULL);
	return check_done();
}
