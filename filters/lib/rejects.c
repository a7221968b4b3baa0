#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "number.h"
#include "rejects.h"
#include "tally.h"
#include "utf8.h"
#include "writer.h"

#define REJECTS_SHOWN 10	/* on stderr; the file has them all */

enum { RJ_FILE, RJ_LINE, RJ_PROGRAM, RJ_REASON, RJ_MESSAGE, RJ_RECORD };
static const char *const reject_columns[] = { "src_file", "src_line", "program", "reason", "message", "record" };

int
rejects_open(struct rejects *rj, const char *path)
{
	memset(rj, 0, sizeof *rj);
	rj->limit = -1;
	if (path == NULL)
		return 0;
	int fd = strcmp(path, "-") == 0 ? dup(STDOUT_FILENO) :
	    open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0) {
		diag("%s: %s", path, strerror(errno));
		return -1;
	}
	rj->w = tsv_open_fd(fd, path);
	rj->row = writer_open("rejects");
	for (int i = 0; i < 6; i++)
		rj->col[i] = writer_col(rj->row, reject_columns[i]);
	writer_complete(rj->row);
	writer_header(rj->row, rj->w);
	return 0;
}

int
rejects_set_limit(struct rejects *rj, const char *arg)
{
	size_t n = strlen(arg);
	int pct = n > 0 && arg[n - 1] == '%';
	long long v;

	if (number_parse(arg, n - pct, 0, pct ? 100 : LONG_MAX, &v) < 0)
		return -1;
	rj->limit_pct = pct;
	rj->limit = (long)v;
	return 0;
}

static void
count(struct rejects *rj, const char *code)
{
	size_t i;

	rj->total++;
	for (i = 0; i < rj->nreasons; i++)
		if (strcmp(rj->reasons[i].code, code) == 0) {
			rj->reasons[i].n++;
			return;
		}
	if (i == REJECT_REASONS_MAX)
		fatal(EXIT_DATA, "internal error: more than %d reject reasons", REJECT_REASONS_MAX);
	rj->reasons[i].code = code;
	rj->reasons[i].n = 1;
	rj->nreasons++;
}

/* A text value cut to what its column holds, at a character's start. */
static size_t
fit(const struct writer *w, int k, const char *p, size_t n)
{
	size_t max = k >= 0 && w->stream->columns[k].type == COL_VARCHAR ? (size_t)w->stream->columns[k].length : n;

	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)p[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static void
write_reject(struct rejects *rj, const char *file, long line, const char *code, const char *msg,
    const char *raw, size_t rawlen)
{
	struct writer *w = rj->row;
	char *repaired = NULL;
	const char *why, *col;

	/* The record as text a table takes: invalid UTF-8 and NUL bytes shown as U+FFFD. */
	if (!utf8_valid(raw, rawlen) || memchr(raw, '\0', rawlen) != NULL) {
		repaired = xmalloc(3 * rawlen + 1);
		rawlen = utf8_repair(raw, rawlen, repaired);
		raw = repaired;
	}
	w_text(w, rj->col[RJ_FILE], file, fit(w, rj->col[RJ_FILE], file, strlen(file)));
	w_int(w, rj->col[RJ_LINE], line);
	w_str(w, rj->col[RJ_PROGRAM], progname);
	w_str(w, rj->col[RJ_REASON], code);
	w_text(w, rj->col[RJ_MESSAGE], msg, fit(w, rj->col[RJ_MESSAGE], msg, strlen(msg)));
	w_text(w, rj->col[RJ_RECORD], raw, fit(w, rj->col[RJ_RECORD], raw, rawlen));
	if ((why = writer_row(w, rj->w, &col)) != NULL)
		fatal(EXIT_DATA, "%s:%ld: a reject cannot be written (%s: %s)", file, line, col, why);
	free(repaired);
}

static void
vreject(struct rejects *rj, const char *file, long line, const char *raw, size_t rawlen,
    const char *code, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof msg, fmt, ap);
	count(rj, code);
	if (rj->total <= REJECTS_SHOWN)
		diag_at(file, line, "%s: %s", code, msg);
	else if (rj->total == REJECTS_SHOWN + 1)
		diag("further rejects are not shown here%s",
		    rj->w ? "; the rejects file has them all" : "");
	if (rj->w == NULL)
		return;
	write_reject(rj, file, line, code, msg, raw, rawlen);
}

void
reject(struct rejects *rj, const char *file, long line, const char *raw, size_t rawlen,
    const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreject(rj, file, line, raw, rawlen, code, fmt, ap);
	va_end(ap);
}

void
reject_row(struct rejects *rj, struct rows *r, const struct row *row, const char *code,
    const char *fmt, ...)
{
	va_list ap;
	size_t n;
	const char *raw = rows_raw(r, &n);

	va_start(ap, fmt);
	vreject(rj, rows_label(r), row->line, raw, n, code, fmt, ap);
	va_end(ap);
}

void
rejects_tally(struct rejects *rj, struct tally *t, const char *input)
{
	for (size_t i = 0; i < rj->nreasons; i++) {
		tally_add(t, input, NULL, "rejected", rj->reasons[i].code, rj->reasons[i].n - rj->reasons[i].tallied);
		rj->reasons[i].tallied = rj->reasons[i].n;
	}
}

void
rejects_summarize(const struct rejects *rj, struct summary *s)
{
	summary_add(s, ", rejected %ld", rj->total);
	for (size_t i = 0; i < rj->nreasons; i++)
		summary_add(s, "%s%s=%ld", i ? " " : " (", rj->reasons[i].code, rj->reasons[i].n);
	if (rj->nreasons)
		summary_add(s, ")");
}

int
rejects_status(const struct rejects *rj, long rows_in)
{
	if (rj->limit >= 0) {
		long allowed = rj->limit_pct ? (long)((rows_in * (long long)rj->limit) / 100) : rj->limit;

		if (rj->total > allowed) {
			diag("%ld rows rejected, more than --max-rejects %ld%s allows",
			    rj->total, rj->limit, rj->limit_pct ? "%" : "");
			return EXIT_REJECTS;
		}
	}
	return rj->w == NULL && rj->total > 0 ? EXIT_DATA : 0;	/* only a few of them reached stderr */
}

int
rejects_finish(struct rejects *rj, int complete)
{
	int rc = 0;

	if (rj->w && tsv_finish(rj->w, complete) < 0)
		rc = -1;
	rj->w = NULL;
	writer_free(rj->row);
	rj->row = NULL;
	return rc;
}
