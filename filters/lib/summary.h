/* The one-line summary every program prints on stderr as it ends. */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stddef.h>

struct summary {
	char buf[2048];
	size_t len;
};

void summary_add(struct summary *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void summary_print(const struct summary *s);

#endif
