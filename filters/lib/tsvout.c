#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "money.h"
#include "tsvout.h"

#define TSVOUT_BUF (256 * 1024)

struct tsvout *
tsv_open_fd(int fd, const char *label)
{
	struct tsvout *w = xmalloc(sizeof *w);

	memset(w, 0, sizeof *w);
	w->fd = fd;
	w->label = xstrdup(label);
	w->cap = TSVOUT_BUF;
	w->buf = xmalloc(w->cap);
	return w;
}

int
tsv_flush(struct tsvout *w)
{
	size_t off = 0;

	while (off < w->len && !w->failed) {
		ssize_t r = write(w->fd, w->buf + off, w->len - off);

		if (r < 0 && errno == EINTR)
			continue;
		/* The reader of the main stream has all it wanted (`| head`): end quietly.
		 * A reader of any other output going away is a lost output. */
		if (r < 0 && errno == EPIPE && w->fd == STDOUT_FILENO)
			exit(0);
		if (r < 0) {
			diag("%s: write error: %s", w->label, strerror(errno));
			w->failed = 1;
			break;
		}
		off += r;
	}
	w->len = 0;
	return w->failed ? -1 : 0;
}

static inline void
reserve(struct tsvout *w, size_t n)
{
	if (w->len + n > w->cap) {
		tsv_flush(w);
		if (n > w->cap) {
			w->cap = n;
			w->buf = xrealloc(w->buf, w->cap);
		}
	}
}

static inline void
separator(struct tsvout *w)
{
	if (w->col++ > 0)
		w->buf[w->len++] = '\t';
}

/* Any byte below 0x0e in these eight?  (TAB, LF and CR are 9, 10 and 13.) */
static inline int
maybe_control(uint64_t x)
{
	return ((x - 0x0e0e0e0e0e0e0e0eULL) & ~x & 0x8080808080808080ULL) != 0;
}

void
tsv_field(struct tsvout *w, const char *p, size_t n)
{
	char *dst;
	size_t i = 0;
	uint64_t x;

	/* Eight bytes of room past the field: its last word is read whole. */
	reserve(w, n + 1 + 8);
	separator(w);
	dst = w->buf + w->len;
	memcpy(dst, p, n);
	w->len += n;
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, dst + i, 8);
		if (maybe_control(x))
			goto sanitize;
	}
	if (i < n) {
		/* The bytes past the field count as spaces (whatever the buffer holds there). */
		uint64_t keep = ~(uint64_t)0 >> (8 * (8 - (n - i)));

		memcpy(&x, dst + i, 8);
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
		keep = ~(~(uint64_t)0 >> (8 * (n - i)));
#endif
		if (maybe_control((x & keep) | (0x2020202020202020ULL & ~keep)))
			goto sanitize;
	}
	return;
sanitize:
	for (; i < n; i++)
		if ((unsigned char)dst[i] <= '\r' &&
		    (dst[i] == '\t' || dst[i] == '\n' || dst[i] == '\r')) {
			dst[i] = ' ';
			w->sanitized++;
		}
}

void
tsv_str(struct tsvout *w, const char *s)
{
	tsv_field(w, s, strlen(s));
}

void
tsv_null(struct tsvout *w)
{
	reserve(w, 1);
	separator(w);
}

/* Digits and money hold no TAB, CR or LF: they go straight into the buffer. */
void
tsv_int(struct tsvout *w, int64_t v)
{
	char tmp[24], *p = tmp + sizeof tmp;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	size_t n;

	do
		*--p = '0' + u % 10;
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	n = tmp + sizeof tmp - p;
	reserve(w, n + 1);
	separator(w);
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

void
tsv_cents(struct tsvout *w, int64_t cents)
{
	reserve(w, MONEY_BUFSZ + 1);
	separator(w);
	w->len += money_format(cents, w->buf + w->len);
}

void
tsv_end_row(struct tsvout *w)
{
	reserve(w, 1);
	w->buf[w->len++] = '\n';
	w->col = 0;
	w->rows++;
}

int
tsv_end(struct tsvout *w)
{
	char line[48];
	int n = snprintf(line, sizeof line, TSV_END "%ld\n", w->rows > 0 ? w->rows - 1 : 0);

	reserve(w, (size_t)n);
	memcpy(w->buf + w->len, line, n);
	w->len += n;
	return tsv_close(w);
}

int
tsv_finish(struct tsvout *w, int complete)
{
	return complete ? tsv_end(w) : tsv_close(w);
}

int
tsv_end_line(const char *p, size_t n, long *rows)
{
	size_t k = sizeof TSV_END - 1;
	long v = 0;

	if (n <= k || n > k + 18 || memcmp(p, TSV_END, k) != 0)
		return 0;
	for (size_t i = k; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	*rows = v;
	return 1;
}

void
tsv_header(struct tsvout *w, const char *const *names)
{
	for (; *names; names++)
		tsv_str(w, *names);
	tsv_end_row(w);
}

int
tsv_close(struct tsvout *w)
{
	int rc;

	if (w == NULL)
		return 0;
	rc = tsv_flush(w);
	if (close(w->fd) < 0 && rc == 0) {
		diag("%s: close error: %s", w->label, strerror(errno));
		rc = -1;
	}
	free(w->buf);
	free(w->label);
	free(w);
	return rc;
}
