/*
 * A zone of the tz database read from its file once (RFC 8536: TZif
 * versions 1 to 4, and the POSIX TZ rule of its footer for the times after
 * its last transition), so that converting a time needs neither the
 * process's TZ nor glibc's localtime.
 */
#ifndef TZFILE_H
#define TZFILE_H

#include <stdint.h>

struct tzfile;

/* The zone in a file; NULL when the file cannot be read or is not a zone file. */
struct tzfile *tzfile_read(const char *path);
/* Seconds east of UTC in force at a UTC instant. */
int tzfile_offset(const struct tzfile *z, int64_t utc);
void tzfile_free(struct tzfile *z);

#endif
