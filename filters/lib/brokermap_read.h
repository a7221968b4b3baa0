/*
 * An input read the way its broker's map says (brokermap.h): archive
 * entries by the map's glob, title lines skipped, the header bound to the
 * mapped columns, values as the canonical columns, times in the broker's zone.
 */
#ifndef BROKERMAP_READ_H
#define BROKERMAP_READ_H

#include "brokermap.h"

/* Find every mapped column in this header; -1 (diagnosed with map, file and column) when one is missing. */
int brokermap_bind(struct brokermap *m, const struct row *hdr, const char *label);
/* The value of a canonical column in a row (sources joined by a space); valid until the next call. */
struct field brokermap_value(struct brokermap *m, const struct row *row, const char *canonical);
/*
 * A time in the map's date_format and zone, to UTC seconds.  A date without a
 * time of day is taken at 12:00 in the broker's zone, so its UTC date is the
 * same day.  0; 1 when the local time is in the hour DST's end repeats (read
 * as standard time; tz_other_reading gives the daylight reading); -1 when it
 * does not parse.
 */
int brokermap_time(struct brokermap *m, const char *s, size_t n, int64_t *utc);
/*
 * Every record of every input, read as the map says (archive entries by its
 * entry glob, title lines skipped, columns bound per file).  Records of the
 * wrong width or not valid UTF-8 (unless the map reads latin-1) are rejected
 * here; the rest go to fn.  *rows_in counts every record.  0, or -1 when an
 * input could not be read or lacks a mapped column (diagnosed).
 */
struct rejects;
typedef void (*brokermap_fn)(void *ctx, struct brokermap *m, struct rows *r, const struct row *row);
int brokermap_read(struct brokermap *m, char **inputs, int ninputs, struct rejects *rj,
    brokermap_fn fn, void *ctx, long *rows_in);
/* A text value as UTF-8: copied from latin-1 when the map says so; valid until the next call. */
struct field brokermap_text(struct brokermap *m, struct field f);

#endif
