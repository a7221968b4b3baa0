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
struct sum {
	char *name;
	long n;
};

struct sums {
	struct strmap index;
	struct sum *v;
	int count;
};

/* The index of NAME's sum, added (at 0) when it is new. */
static int
sums_slot(struct sums *s, const char *name, size_t n)
{
	int i = strmap_get(&s->index, name, n);

	if (i < 0) {
		s->v = xrealloc(s->v, (s->count + 1) * sizeof *s->v);
		i = s->count++;
		s->v[i] = (struct sum){ xstrndup(name, n), 0 };
		strmap_put(&s->index, s->v[i].name, n, i);
	}
	return i;
}

static void
sums_add(struct sums *s, struct field name, long n)
{
	int i = sums_slot(s, name.p, name.n);	/* first: it may move s->v */

	s->v[i].n += n;
}

static void
sums_free(struct sums *s)
{
	for (int i = 0; i < s->count; i++)
		free(s->v[i].name);
	free(s->v);
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

static int
by_name(const void *x, const void *y)
{
	return strcmp(((const struct sum *)x)->name, ((const struct sum *)y)->name);
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
account_lines(struct account *a, int *n)
{
	char **line = xmalloc((a->read.count + a->loaded.count + 3) * sizeof *line);
	struct summary s = { .len = 0 };
	long total = 0;

	*n = 0;
	for (int i = 0; i < a->read.count; i++)
		line[(*n)++] = line_of("  %s: %ld rows read", a->read.v[i].name, a->read.v[i].n);
	for (int i = 0; i < a->loaded.count; i++)
		line[(*n)++] = line_of("  %s: %ld rows loaded", a->loaded.v[i].name, a->loaded.v[i].n);
	if (a->rejected.count > 1)	/* the reasons in name order (the index is not read again) */
		qsort(a->rejected.v, a->rejected.count, sizeof *a->rejected.v, by_name);
	for (int i = 0; i < a->rejected.count; i++)
		total += a->rejected.v[i].n;
	summary_add(&s, "Rejected rows: %ld", total);
	for (int i = 0; i < a->rejected.count; i++)
		summary_add(&s, " %s=%ld", a->rejected.v[i].name, a->rejected.v[i].n);
	line[(*n)++] = xstrdup(s.buf);
	s.len = 0;
	summary_add(&s, "Unmapped dispositions: %ld rows", a->unmapped);
	line[(*n)++] = xstrdup(s.buf);
	if (a->not_loaded.count) {
		s.len = 0;
		summary_add(&s, "Columns in the export that are not loaded: ");
		for (int i = 0; i < a->not_loaded.count; i++)
			summary_add(&s, "%s%s", i ? ", " : "", a->not_loaded.v[i].name);
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

/*
 * lac-catalog balance: does each input of each summary add up?  A program
 * that loses nothing accounts for every row it read: rows in = rows out +
 * excluded + rejected, for each program and input (a row counted on no input
 * is accounted for on none).
 */
enum fate { ROWS_IN, ROWS_OUT, EXCLUDED, REJECTED, FATES };

static const char *const fate_names[FATES] = { "rows_in", "rows_out", "excluded", "rejected" };

struct balance {
	struct sums inputs;		/* "PROGRAM<TAB>INPUT" (their sums unused), in the order first seen */
	long (*n)[FATES];		/* each input's rows by fate */
	char *key;			/* the row's key, a buffer kept between rows */
	size_t keycap;
};

static void
balance_row(void *ctx, const struct field *f, long n)
{
	struct balance *b = ctx;
	const struct field *program = &f[SUM_PROGRAM], *input = &f[SUM_INPUT];
	size_t len = program->n + 1 + input->n;
	int i, k = 0, known = b->inputs.count;

	while (k < FATES && !field_eq(&f[SUM_MEASURE], fate_names[k]))
		k++;
	if (k == FATES)
		return;		/* not a row's fate: loaded, unmapped, ... */
	if (len > b->keycap)
		b->key = xrealloc(b->key, b->keycap = 2 * len);
	memcpy(b->key, program->p, program->n);
	b->key[program->n] = '\t';
	memcpy(b->key + program->n + 1, input->p, input->n);
	if ((i = sums_slot(&b->inputs, b->key, len)) == known) {	/* a new input: its counts at 0 */
		b->n = xrealloc(b->n, b->inputs.count * sizeof *b->n);
		memset(b->n[i], 0, sizeof b->n[i]);
	}
	b->n[i][k] += n;
}

/* 0: every input of the summary adds up; 1: one does not (said); -1: unreadable. */
static int
balance_of(const char *path)
{
	struct balance b = { .n = NULL };
	int rc;

	strmap_init(&b.inputs.index);
	rc = summary_rows(path, balance_row, &b);
	for (int i = 0; i < b.inputs.count && rc >= 0; i++) {
		const long *n = b.n[i];
		long accounted = n[ROWS_OUT] + n[EXCLUDED] + n[REJECTED];
		const char *key = b.inputs.v[i].name, *tab = strchr(key, '\t');

		if (n[ROWS_IN] != accounted) {
			diag("%s: %.*s, input '%s': %ld rows in, %ld accounted for (out %ld, excluded %ld, rejected %ld)",
			    path, (int)(tab - key), key, tab + 1, n[ROWS_IN], accounted, n[ROWS_OUT], n[EXCLUDED], n[REJECTED]);
			rc = 1;
		}
	}
	sums_free(&b.inputs);
	free(b.n);
	free(b.key);
	return rc;
}

int
balance_run(char **paths, int n)
{
	int status = 0, rc;

	for (int i = 0; i < n; i++)
		if ((rc = balance_of(paths[i])) != 0) {
			if (rc == 1)
				puts(paths[i]);
			status = EXIT_DATA;
		}
	return status;
}
