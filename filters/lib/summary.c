#include <stdarg.h>
#include <stdio.h>

#include "diag.h"
#include "summary.h"

void
summary_add(struct summary *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->len >= sizeof s->buf - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->len, sizeof s->buf - s->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->len += (size_t)n < sizeof s->buf - s->len ? (size_t)n : sizeof s->buf - s->len - 1;
}

void
summary_print(const struct summary *s)
{
	diag("%s", s->buf);
}
