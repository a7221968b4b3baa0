/*
 * Calendar dates and times of day without a zone ("civil" time), the
 * formats they arrive in, and the one UTC text form every stream uses.
 */
#ifndef CIVIL_H
#define CIVIL_H

#include <stddef.h>
#include <stdint.h>

struct civil {
	int y, mo, d, h, mi, s;
	int has_time;		/* the format had a time of day */
	int has_offset;		/* the format had %z: offset is valid */
	int offset;		/* seconds east of UTC */
};

int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t days, int *y, int *m, int *d);
/* Seconds since 1970-01-01 00:00:00 of a civil time read as if it were UTC. */
int64_t civil_seconds(const struct civil *c);
void civil_from_seconds(int64_t t, struct civil *c);

/*
 * Parse s[0..n) with a strptime-like format that must match it whole:
 *   %Y year (4 digits)   %m month   %d day   %H hour 0-23   %I hour 1-12
 *   %M minute   %S second   %p AM/PM   %b month name (Nov, November)
 *   %z offset (+05:00, -0500, Z)   %% a percent sign
 * A space matches one or more spaces; anything else matches itself.  Whole
 * formats: "excel" (serial days, 46350 = 2026-11-24, a fraction is the time
 * of day), "epoch" and "epoch_ms" (UTC instants).  Fields missing from the
 * format are 1 (month, day) or 0 (time).  0, or -1 with nothing parsed.
 */
int civil_parse(const char *fmt, const char *s, size_t n, struct civil *out);
/* 0 when the format string itself is usable, -1 otherwise. */
int civil_format_valid(const char *fmt);

/* Epoch milliseconds ("1795529702000") to seconds, floored; 0, or -1. */
int parse_epoch_ms(const char *s, size_t n, int64_t *seconds);

#define UTC_BUFSZ 20
/* A stream's time, "YYYY-MM-DD HH:MM:SS" in UTC (as format_utc writes it), to seconds: 0, or -1. */
int parse_utc(const char *s, size_t n, int64_t *t);
/* "YYYY-MM-DD HH:MM:SS"; returns 19. */
size_t format_utc(int64_t t, char buf[UTC_BUFSZ]);
/* "YYYY-MM-DD"; returns 10. */
size_t format_date(int64_t t, char buf[UTC_BUFSZ]);

#endif
