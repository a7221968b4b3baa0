#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lac-catalog/summaries.h"
#include "lib/diag.h"
#include "lib/input.h"
#include "lib/lines.h"
#include "lib/summary.h"
#include "lib/tsvout.h"

int
summary_rows(const char *path, void (*fn)(void *ctx, char *const *f), void *ctx)
{
	struct input *in = input_open(path);
	struct lines l;
	const char *p;
	size_t n;
	int got, first = 1;

	if (in == NULL || input_next(in) <= 0) {
		input_close(in);
		return -1;
	}
	lines_init(&l, in);
	while ((got = lines_next(&l, &p, &n)) > 0) {
		char *line, *f[SUM_N];
		int k = 0;
		long said;

		if (first || tsv_end_line(p, n, &said)) {	/* the header, the end line */
			first = 0;
			continue;
		}
		line = xstrndup(p, n);
		for (char *s = line, *tab; k < SUM_N; s = tab + 1) {
			f[k++] = s;
			if ((tab = strchr(s, '\t')) == NULL)
				break;
			*tab = '\0';
		}
		if (k == SUM_N)
			fn(ctx, f);
		free(line);
	}
	lines_free(&l);
	input_close(in);
	return got < 0 ? -1 : 0;
}

/* Names and their sums, in the order first seen (a run has a few dozen). */
struct sums {
	char **name;
	long *n;
	int count;
};

static void
sums_add(struct sums *s, const char *name, long n)
{
	int i = 0;

	while (i < s->count && strcmp(s->name[i], name) != 0)
		i++;
	if (i == s->count) {
		s->name = xrealloc(s->name, (s->count + 1) * sizeof *s->name);
		s->n = xrealloc(s->n, (s->count + 1) * sizeof *s->n);
		s->name[i] = xstrdup(name);
		s->n[s->count++] = 0;
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
}

struct account {
	struct sums read, loaded, rejected, unmapped, not_loaded;
};

static void
account_row(void *ctx, char *const *f)
{
	struct account *a = ctx;
	long n = atol(f[SUM_COUNT]);
	const char *m = f[SUM_MEASURE];

	if (strcmp(m, "rows_in") == 0)
		sums_add(&a->read, f[SUM_PROGRAM], n);
	else if (strcmp(m, "loaded") == 0)
		sums_add(&a->loaded, f[SUM_OUTPUT], n);
	else if (strcmp(m, "rejected") == 0)
		sums_add(&a->rejected, f[SUM_DETAIL], n);
	else if (strcmp(m, "unmapped") == 0)
		sums_add(&a->unmapped, "", n);
	else if (strcmp(m, "not_loaded") == 0)
		sums_add(&a->not_loaded, f[SUM_DETAIL], 0);
}

static int
by_text(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The lines in byte order: the programs and tables first (indented), then the totals. */
static char **
account_lines(const struct account *a, int *n)
{
	char **line = xmalloc((a->read.count + a->loaded.count + 3) * sizeof *line);
	struct summary s;
	long total = 0;

	*n = 0;
	for (int i = 0; i < a->read.count; i++) {
		s.len = 0;
		summary_add(&s, "  %s: %ld rows read", a->read.name[i], a->read.n[i]);
		line[(*n)++] = xstrdup(s.buf);
	}
	for (int i = 0; i < a->loaded.count; i++) {
		s.len = 0;
		summary_add(&s, "  %s: %ld rows loaded", a->loaded.name[i], a->loaded.n[i]);
		line[(*n)++] = xstrdup(s.buf);
	}
	char **reason = xmalloc((a->rejected.count + 1) * sizeof *reason);
	for (int i = 0; i < a->rejected.count; i++) {
		total += a->rejected.n[i];
		reason[i] = a->rejected.name[i];
	}
	qsort(reason, a->rejected.count, sizeof *reason, by_text);
	s.len = 0;
	summary_add(&s, "Rejected rows: %ld", total);
	for (int i = 0; i < a->rejected.count; i++)
		for (int k = 0; k < a->rejected.count; k++)
			if (a->rejected.name[k] == reason[i])
				summary_add(&s, " %s=%ld", reason[i], a->rejected.n[k]);
	line[(*n)++] = xstrdup(s.buf);
	free(reason);
	s.len = 0;
	summary_add(&s, "Unmapped dispositions: %ld rows", a->unmapped.count ? a->unmapped.n[0] : 0);
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
	sums_free(&a.unmapped);
	sums_free(&a.not_loaded);
	return ok ? 0 : 1;
}
