#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lac-catalog/summaries.h"
#include "lib/diag.h"
#include "lib/records.h"
#include "lib/rejects.h"
#include "lib/strmap.h"
#include "lib/summary.h"

static const char *const names[SUM_N] = { "program", "input", "output", "measure", "detail", "count" };

struct reading {
	summary_fn fn;
	void *ctx;
	struct rejects *rejects;
};

static void
summary_row(void *ctx, struct rows *r, const struct row *row, const int *idx)
{
	struct reading *rd = ctx;
	struct field f[SUM_N];
	long count;

	for (int i = 0; i < SUM_N; i++)
		f[i] = row->f[idx[i]];
	if (field_long(f[SUM_COUNT], &count) < 0) {
		reject_row(rd->rejects, r, row, "bad_integer", "count '%.*s'", (int)f[SUM_COUNT].n, f[SUM_COUNT].p);
		return;
	}
	rd->fn(rd->ctx, f, count);
}

int
summary_rows(const char *path, summary_fn fn, void *ctx)
{
	struct rejects rj;
	struct reading rd = { fn, ctx, &rj };
	long rows = 0;
	int rc;

	rejects_open(&rj, NULL);	/* a summary row that cannot be read is said, and fails the reading */
	rc = read_records(path, ROWS_TSV, "summary", names, NULL, SUM_N, &rj, summary_row, &rd, &rows);
	if (rj.total > 0)
		rc = -1;
	rejects_finish(&rj, 0);
	return rc;
}

/* Names and their sums, in the order first seen. */
struct sums {
	struct strmap index;
	char **name;
	long *n;
	int count;
};

static void
sums_add(struct sums *s, struct field name, long n)
{
	int i = strmap_get(&s->index, name.p, name.n);

	if (i < 0) {
		s->name = xrealloc(s->name, (s->count + 1) * sizeof *s->name);
		s->n = xrealloc(s->n, (s->count + 1) * sizeof *s->n);
		i = s->count++;
		s->name[i] = xstrndup(name.p, name.n);
		s->n[i] = 0;
		strmap_put(&s->index, name.p, name.n, i);
	}
	s->n[i] += n;
}

static void
sums_free(struct sums *s)
{
	for (int i = 0; i < s->count; i++)
		free(s->name[i]);
	free(s->name);
	free(s->n);
	strmap_free(&s->index);
}

struct account {
	struct sums read, loaded, rejected, not_loaded;
	long unmapped;
};

static void
account_row(void *ctx, const struct field *f, long n)
{
	struct account *a = ctx;
	const struct field *m = &f[SUM_MEASURE];

	if (field_eq(m, "rows_in"))
		sums_add(&a->read, f[SUM_PROGRAM], n);
	else if (field_eq(m, "loaded"))
		sums_add(&a->loaded, f[SUM_OUTPUT], n);
	else if (field_eq(m, "rejected"))
		sums_add(&a->rejected, f[SUM_DETAIL], n);
	else if (field_eq(m, "unmapped"))
		a->unmapped += n;
	else if (field_eq(m, "not_loaded"))
		sums_add(&a->not_loaded, f[SUM_DETAIL], 0);
}

static int
by_text(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static char *
line_of(const char *fmt, const char *name, long n)
{
	struct summary s = { .len = 0 };

	summary_add(&s, fmt, name, n);
	return xstrdup(s.buf);
}

/* The lines in byte order: the programs and tables first (indented), then the totals. */
static char **
account_lines(const struct account *a, int *n)
{
	char **line = xmalloc((a->read.count + a->loaded.count + 3) * sizeof *line);
	int *reason = xmalloc((a->rejected.count + 1) * sizeof *reason);
	struct summary s = { .len = 0 };
	long total = 0;

	*n = 0;
	for (int i = 0; i < a->read.count; i++)
		line[(*n)++] = line_of("  %s: %ld rows read", a->read.name[i], a->read.n[i]);
	for (int i = 0; i < a->loaded.count; i++)
		line[(*n)++] = line_of("  %s: %ld rows loaded", a->loaded.name[i], a->loaded.n[i]);
	/* The reasons in name order: insertion into reason[], by index. */
	for (int i = 0; i < a->rejected.count; i++) {
		int k = i;

		total += a->rejected.n[i];
		for (; k > 0 && strcmp(a->rejected.name[reason[k - 1]], a->rejected.name[i]) > 0; k--)
			reason[k] = reason[k - 1];
		reason[k] = i;
	}
	summary_add(&s, "Rejected rows: %ld", total);
	for (int i = 0; i < a->rejected.count; i++)
		summary_add(&s, " %s=%ld", a->rejected.name[reason[i]], a->rejected.n[reason[i]]);
	line[(*n)++] = xstrdup(s.buf);
	free(reason);
	s.len = 0;
	summary_add(&s, "Unmapped dispositions: %ld rows", a->unmapped);
	line[(*n)++] = xstrdup(s.buf);
	if (a->not_loaded.count) {
		s.len = 0;
		summary_add(&s, "Columns in the export that are not loaded: ");
		for (int i = 0; i < a->not_loaded.count; i++)
			summary_add(&s, "%s%s", i ? ", " : "", a->not_loaded.name[i]);
		summary_add(&s, " (add them to the catalog to load them)");
		line[(*n)++] = xstrdup(s.buf);
	}
	qsort(line, *n, sizeof *line, by_text);
	return line;
}

int
account_run(char **paths, int n)
{
	struct account a;
	int ok = 1, nlines;

	memset(&a, 0, sizeof a);
	strmap_init(&a.read.index);
	strmap_init(&a.loaded.index);
	strmap_init(&a.rejected.index);
	strmap_init(&a.not_loaded.index);
	for (int i = 0; i < n; i++)
		if (summary_rows(paths[i], account_row, &a) < 0)
			ok = 0;
	char **line = account_lines(&a, &nlines);
	for (int i = 0; i < nlines; i++) {
		if (ok)
			puts(line[i]);
		free(line[i]);
	}
	free(line);
	sums_free(&a.read);
	sums_free(&a.loaded);
	sums_free(&a.rejected);
	sums_free(&a.not_loaded);
	return ok ? 0 : 1;
}
