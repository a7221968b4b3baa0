#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "tz.h"
#include "tzfile.h"

#define TZ_CACHE 256

struct hour_offset {
	int64_t hour;		/* naive seconds / 3600, or INT64_MIN when empty */
	int offset;
};

struct tz {
	char *name;
	struct tzfile *file;
	struct hour_offset cache[TZ_CACHE];
};

struct tz *
tz_open(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[1024];
	struct tzfile *file;
	struct tz *z;

	/* A name of the database, never a path of its own; a folder ("America") or any other file is no zone. */
	if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL)
		return NULL;
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	if ((file = tzfile_read(path)) == NULL)
		return NULL;
	z = xmalloc(sizeof *z);
	z->name = xstrdup(name);
	z->file = file;
	for (int i = 0; i < TZ_CACHE; i++)
		z->cache[i].hour = INT64_MIN;
	return z;
}

const char *
tz_name(const struct tz *z)
{
	return z->name;
}


/* The offset of a naive local time under the documented rule. */
static int
resolve(const struct tz *z, int64_t naive, int *kind)
{
	/* Offsets in force a day before and a day after bracket any change. */
	int before = tzfile_offset(z->file, naive - 86400), after = tzfile_offset(z->file, naive + 86400);
	int before_ok = tzfile_offset(z->file, naive - before) == before;
	int after_ok = tzfile_offset(z->file, naive - after) == after;

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
	offset = resolve(z, naive, &kind);
	/* Cache the hour only when all of it maps by one offset. */
	if (kind == TZ_UNIQUE && resolve(z, hour * 3600, &k2) == offset && k2 == TZ_UNIQUE &&
	    resolve(z, hour * 3600 + 3599, &k2) == offset && k2 == TZ_UNIQUE) {
		slot->hour = hour;
		slot->offset = offset;
	}
	*utc = naive - offset;
	return kind;
}

int
tz_offset_at(struct tz *z, int64_t utc)
{
	return tzfile_offset(z->file, utc);
}

int
tz_other_reading(struct tz *z, int64_t utc, int64_t *other)
{
	int64_t earlier = utc - 3600;

	/* Both instants show the same wall-clock time: the local time was ambiguous. */
	if (utc + tzfile_offset(z->file, utc) != earlier + tzfile_offset(z->file, earlier))
		return 0;
	*other = earlier;
	return 1;
}

void
tz_close(struct tz *z)
{
	if (z == NULL)
		return;
	tzfile_free(z->file);
	free(z->name);
	free(z);
}
