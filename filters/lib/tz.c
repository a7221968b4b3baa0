#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "diag.h"
#include "tz.h"

#define TZ_CACHE 256

struct hour_offset {
	int64_t hour;		/* naive seconds / 3600, or INT64_MIN when empty */
	int offset;
};

struct tz {
	char *name;
	struct hour_offset cache[TZ_CACHE];
};

/* localtime_r reads the process's TZ: switch it only when the zone changes. */
static const struct tz *active;

static void
activate(const struct tz *z)
{
	if (active == z)
		return;
	setenv("TZ", z->name, 1);
	tzset();
	active = z;
}

static int
is_zone_file(const char *path)
{
	char magic[4];
	struct stat st;
	int fd = open(path, O_RDONLY), ok;

	if (fd < 0)
		return 0;
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

struct tz *
tz_open(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[1024];
	struct tz *z;

	/*
	 * glibc quietly falls back to UTC for an unknown zone, a folder
	 * ("America") or a file that is not a zone: look first, for a regular
	 * file of the tz database that starts as one does.
	 */
	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL)
		return NULL;
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	if (!is_zone_file(path))
		return NULL;
	z = xmalloc(sizeof *z);
	z->name = xstrdup(name);
	for (int i = 0; i < TZ_CACHE; i++)
		z->cache[i].hour = INT64_MIN;
	return z;
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

static int
offset_at(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return (int)tm.tm_gmtoff;
}

/* The offset of a naive local time under the documented rule. */
static int
resolve(int64_t naive, int *kind)
{
	/* Offsets in force a day before and a day after bracket any change. */
	int before = offset_at(naive - 86400), after = offset_at(naive + 86400);
	int before_ok = offset_at(naive - before) == before;
	int after_ok = offset_at(naive - after) == after;

	if (before == after || before_ok != after_ok) {
		*kind = TZ_UNIQUE;
		return before_ok ? before : after;
	}
	*kind = before_ok ? TZ_REPEATED : TZ_SKIPPED;
	return before_ok ? after : before;
}

int
tz_to_utc(struct tz *z, const struct civil *local, int64_t *utc)
{
	int64_t naive = civil_seconds(local);
	int64_t hour = naive >= 0 ? naive / 3600 : -((-naive + 3599) / 3600);
	struct hour_offset *slot = &z->cache[(uint64_t)hour % TZ_CACHE];
	int kind, k2, offset;

	if (slot->hour == hour) {
		*utc = naive - slot->offset;
		return TZ_UNIQUE;
	}
	activate(z);
	offset = resolve(naive, &kind);
	/* Cache the hour only when all of it maps by one offset. */
	if (kind == TZ_UNIQUE && resolve(hour * 3600, &k2) == offset && k2 == TZ_UNIQUE &&
	    resolve(hour * 3600 + 3599, &k2) == offset && k2 == TZ_UNIQUE) {
		slot->hour = hour;
		slot->offset = offset;
	}
	*utc = naive - offset;
	return kind;
}

int
tz_offset_at(struct tz *z, int64_t utc)
{
	activate(z);
	return offset_at(utc);
}

int
tz_other_reading(struct tz *z, int64_t utc, int64_t *other)
{
	activate(z);
	int64_t earlier = utc - 3600;

	/* Both instants show the same wall-clock time: the local time was ambiguous. */
	if (utc + offset_at(utc) != earlier + offset_at(earlier))
		return 0;
	*other = earlier;
	return 1;
}

void
tz_close(struct tz *z)
{
	if (z == NULL)
		return;
	if (active == z)
		active = NULL;
	free(z->name);
	free(z);
}
