#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "civil.h"
#include "diag.h"
#include "number.h"

/* The catalog a run uses, looked up; and whether a value fits its column. */

/* catalog/streams.txt as it was at build time (build/gen/catalog_text.c). */
extern const char catalog_builtin[];
extern const size_t catalog_builtin_len;

static const char *use_path;
static struct catalog *loaded_catalog;

void
catalog_use(const char *path)
{
	use_path = path;
}

static void
free_loaded(void)
{
	catalog_free(loaded_catalog);
	loaded_catalog = NULL;
}

/* A whole file, or NULL (diagnosed). */
static char *
slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, len = 0, got;

	if (fp == NULL) {
		diag("%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (len + 65536 > cap)
			buf = xrealloc(buf, cap = 2 * cap + 65536);
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
	} while (got > 0);
	if (ferror(fp)) {
		diag("%s: read error", path);
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	*n = len;
	return buf;
}

const struct catalog *
catalog(void)
{
	const char *path = use_path ? use_path : getenv("LAC_CATALOG");

	if (loaded_catalog)
		return loaded_catalog;
	if (path && *path) {
		size_t n;
		char *text = slurp(path, &n);

		if (text == NULL)
			exit(EXIT_USAGE);
		loaded_catalog = catalog_parse(text, n, path);
		free(text);
	} else
		loaded_catalog = catalog_parse(catalog_builtin, catalog_builtin_len, "catalog/streams.txt (built in)");
	if (loaded_catalog == NULL)
		exit(EXIT_USAGE);
	atexit(free_loaded);
	return loaded_catalog;
}

const struct cat_stream *
catalog_stream(const struct catalog *c, const char *name)
{
	for (int i = 0; i < c->nstreams; i++)
		if (strcmp(c->streams[i].name, name) == 0)
			return &c->streams[i];
	return NULL;
}

const char *
catalog_zone(const char *stream)
{
	const struct catalog *c = catalog();
	const struct cat_stream *s = catalog_stream(c, stream);

	if (s == NULL || s->zone == NULL) {
		diag("%s: the stream '%s' has no 'zone' line: give --tz", c->path, stream);
		exit(EXIT_USAGE);
	}
	return s->zone;
}

const struct cat_stream *
catalog_writes(const char *program, const char *stream)
{
	const struct catalog *c = catalog();
	const struct cat_stream *s = catalog_stream(c, stream);

	if (s == NULL) {
		diag("%s: no stream '%s' (%s writes it)", c->path, stream, program);
		exit(EXIT_USAGE);
	}
	for (int i = 0; i < s->nwriters; i++)
		if (strcmp(s->writers[i], program) == 0)
			return s;
	diag_at(c->path, s->line, "stream %s does not name %s as a writer", stream, program);
	exit(EXIT_USAGE);
}

int
cat_find(const struct cat_column *cols, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(cols[i].name, name) == 0)
			return i;
	return -1;
}

const char *
cat_table_file(const struct cat_table *t, char *buf, size_t size)
{
	snprintf(buf, size, "%s.tsv", strchr(t->name, '.') + 1);
	return buf;
}

int
cat_column(const struct cat_stream *s, const char *name)
{
	return cat_find(s->columns, s->ncolumns, name);
}

const struct cat_table *
catalog_table(const struct catalog *c, const char *name, const struct cat_stream **stream)
{
	for (int i = 0; i < c->nstreams; i++)
		for (int t = 0; t < c->streams[i].ntables; t++)
			if (strcmp(c->streams[i].tables[t].name, name) == 0) {
				if (stream)
					*stream = &c->streams[i];
				return &c->streams[i].tables[t];
			}
	return NULL;
}

static int
digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return 0;
	return n > 0;
}

/* p[0..n) is a real date (and time) of its column's width, from year 1 to 9999. */
static int
time_ok(const char *p, size_t n, const char *format, size_t width)
{
	struct civil c;

	return n == width && civil_parse(format, p, n, &c) == 0 && c.y >= 1;
}

static const char *
check_integer(const struct cat_column *c, const char *p, size_t n)
{
	static const int64_t max[] = { [COL_BIGINT] = INT64_MAX, [COL_INTEGER] = INT32_MAX, [COL_SMALLINT] = INT16_MAX };
	int neg = n > 0 && *p == '-';
	long long v;

	if (!digits(p + neg, n - neg))
		return "bad_integer";
	return number_parse(p, n, -max[c->type] - 1, max[c->type], &v) < 0 ? "out_of_range" : NULL;
}

static const char *
check_numeric(const struct cat_column *c, const char *p, size_t n)
{
	const char *dot = memchr(p, '.', n), *end = p + n;
	int neg = *p == '-';
	const char *int_start = p + neg, *int_end = dot ? dot : end;

	if (!digits(int_start, int_end - int_start) || (dot && !digits(dot + 1, end - dot - 1)))
		return "bad_money";
	if (dot && end - dot - 1 > c->scale)
		return "out_of_range";
	while (int_end - int_start > 1 && *int_start == '0')
		int_start++;
	return int_end - int_start > c->precision - c->scale ? "out_of_range" : NULL;
}

const char *
cat_check(const struct cat_column *c, const char *p, size_t n)
{
	if (n == 0)
		return c->not_null ? "missing_value" : NULL;
	switch (c->type) {
	case COL_VARCHAR:
		if (n > (size_t)c->length)
			return "too_long";
		return memchr(p, '\0', n) ? "nul_byte" : NULL;
	case COL_BIGINT:
	case COL_INTEGER:
	case COL_SMALLINT:
		return check_integer(c, p, n);
	case COL_NUMERIC:
		return check_numeric(c, p, n);
	case COL_DATE:
		return time_ok(p, n, "%Y-%m-%d", 10) ? NULL : "bad_datetime";
	case COL_TIMESTAMP:
		return time_ok(p, n, "%Y-%m-%d %H:%M:%S", 19) ? NULL : "bad_datetime";
	}
	return NULL;
}

const char *
cat_type_sql(const struct cat_column *c, char *buf, size_t size)
{
	static const char *const names[] = {
		[COL_BIGINT] = "BIGINT", [COL_INTEGER] = "INTEGER", [COL_SMALLINT] = "SMALLINT",
		[COL_TIMESTAMP] = "TIMESTAMP", [COL_DATE] = "DATE",
	};

	if (c->type == COL_VARCHAR)
		snprintf(buf, size, "VARCHAR(%d)", c->length);
	else if (c->type == COL_NUMERIC)
		snprintf(buf, size, "NUMERIC(%d,%d)", c->precision, c->scale);
	else
		snprintf(buf, size, "%s", names[c->type]);
	return buf;
}

static void
free_columns(struct cat_column *cols, int n)
{
	for (int i = 0; i < n; i++) {
		free(cols[i].name);
		free(cols[i].from);
	}
	free(cols);
}

void
catalog_free(struct catalog *c)
{
	if (c == NULL)
		return;
	for (int i = 0; i < c->nstreams; i++) {
		struct cat_stream *s = &c->streams[i];

		free(s->name);
		for (int k = 0; k < s->nwriters; k++)
			free(s->writers[k]);
		free(s->writers);
		free_columns(s->columns, s->ncolumns);
		free(s->identity);
		for (int t = 0; t < s->ntables; t++) {
			free(s->tables[t].name);
			free(s->tables[t].unit);
		}
		free(s->tables);
		free(s->sortkey);
		for (int k = 0; k < s->nindexes; k++)
			free(s->indexes[k].columns);
		free(s->indexes);
		for (int k = 0; k < s->nlocal_days; k++) {
			free(s->local_days[k].name);
			free(s->local_days[k].zone);
		}
		free(s->local_days);
		free(s->zone);
	}
	free(c->streams);
	free_columns(c->loaded, c->nloaded);
	for (int i = 0; i < c->nnewest; i++)
		free(c->newest[i]);
	free(c->newest);
	free(c->path);
	free(c);
}
