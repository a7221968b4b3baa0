/* Diagnostics on stderr, always "prog: file:line: message". */
#ifndef DIAG_H
#define DIAG_H

#include <stddef.h>
#include <stdnoreturn.h>

#define EXIT_USAGE 2	/* bad options or arguments */
#define EXIT_DATA 1	/* lost data, unreadable input, failed output */
#define EXIT_REJECTS 3	/* more rejected rows than --max-rejects allows */

extern const char *progname;

void diag_init(const char *argv0);
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_at(const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
noreturn void fatal(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
noreturn void usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a string of its own length (free it). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
