/*
 * Local time in a named zone of the tz database to UTC.
 *
 * The rule for the hours that DST makes odd is PostgreSQL's, so that a time
 * converted here and one converted in SQL agree:
 *   - a repeated local time (the hour when DST ends, e.g. 01:30 on
 *     2026-11-01 in America/New_York) takes the offset in force just after
 *     the change: the second, standard-time occurrence (01:30 EST = 06:30 UTC);
 *   - a local time that never happened (the hour skipped when DST begins,
 *     e.g. 02:30 on 2026-03-08) takes the offset in force just before the
 *     change (02:30 EST = 07:30 UTC).
 */
#ifndef TZ_H
#define TZ_H

#include <stdint.h>

#include "civil.h"

#define TZ_UNIQUE 0
#define TZ_REPEATED 1
#define TZ_SKIPPED 2

struct tz;

/* NULL when the tz database has no such zone. */
struct tz *tz_open(const char *name);
const char *tz_name(const struct tz *z);
/* UTC seconds of a local civil time; returns TZ_UNIQUE, TZ_REPEATED or TZ_SKIPPED. */
int tz_to_utc(struct tz *z, const struct civil *local, int64_t *utc);
/* Seconds east of UTC in force at a UTC instant. */
int tz_offset_at(struct tz *z, int64_t utc);
/*
 * When a UTC instant came from a local time of the repeated hour read as
 * standard time (the rule above), the instant of the other reading, an hour
 * earlier (*other), and 1; else 0.
 */
int tz_other_reading(struct tz *z, int64_t utc, int64_t *other);
void tz_close(struct tz *z);

#endif
