/* The catalog's language (catalog/streams.txt): its lines parsed and checked whole. */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "diag.h"
#include "tz.h"

#ifndef LAC_PROGRAMS
#define LAC_PROGRAMS ""
#endif

#define WORDS_MAX 64

struct line {
	char *w[WORDS_MAX];
	int n;
	long no;
};

struct parser {
	struct catalog *c;
	const char *label;
	struct cat_stream *stream;	/* the stream being read */
	int errors;
};

static void
error(struct parser *p, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
error(struct parser *p, long line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	diag_at(p->label, line, "%s", msg);
	p->errors++;
}

/* Words of a line, in place: spaces and tabs between, "..." quotes a word, # a comment. */
static int
split_words(struct parser *p, char *s, struct line *l)
{
	l->n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (l->n == WORDS_MAX) {
			error(p, l->no, "more than %d words", WORDS_MAX);
			return -1;
		}
		if (*s == '"') {
			char *end = strchr(s + 1, '"');

			if (end == NULL) {
				error(p, l->no, "unterminated quote");
				return -1;
			}
			*end = '\0';
			l->w[l->n++] = s + 1;
			s = end + 1;
			continue;
		}
		l->w[l->n++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '#')
			s++;
		if (*s == '#') {
			*s = '\0';
			return 0;
		}
		if (*s)
			*s++ = '\0';
	}
}

static int
snake_case(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int
keyword(const char *s)
{
	static const char *const words[] = { "stream", "table", "identity", "redshift", "postgres", "loaded", "newest",
	    "local_day", "zone", "once", NULL };

	for (int i = 0; words[i]; i++)
		if (strcmp(s, words[i]) == 0)
			return 1;
	return 0;
}

/* "VARCHAR(16)", "NUMERIC(14,2)", "BIGINT"...: 0, or -1 when it is no type the catalog knows. */
static int
parse_type(const char *s, struct cat_column *c)
{
	static const struct { const char *name; enum col_type type; } plain[] = {
		{ "BIGINT", COL_BIGINT }, { "INTEGER", COL_INTEGER }, { "SMALLINT", COL_SMALLINT },
		{ "TIMESTAMP", COL_TIMESTAMP }, { "DATE", COL_DATE },
	};
	char tail;

	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (strcasecmp(s, plain[i].name) == 0) {
			c->type = plain[i].type;
			return 0;
		}
	if (strncasecmp(s, "VARCHAR(", 8) == 0 && sscanf(s + 8, "%d%c", &c->length, &tail) == 2 &&
	    tail == ')' && strchr(s, ')')[1] == '\0' && c->length >= 1 && c->length <= 65535) {
		c->type = COL_VARCHAR;
		return 0;
	}
	if (strncasecmp(s, "NUMERIC(", 8) == 0 && sscanf(s + 8, "%d,%d%c", &c->precision, &c->scale, &tail) == 3 &&
	    tail == ')' && strchr(s, ')')[1] == '\0' && c->precision >= 1 && c->precision <= 18 &&
	    c->scale >= 0 && c->scale <= c->precision) {
		c->type = COL_NUMERIC;
		return 0;
	}
	return -1;
}

static const char *const read_names[] = {
	"text", "integer", "money", "local_time", "phone", "transaction_type", "flag", NULL
};

/* The reading a type implies, and whether a reading suits a type. */
static enum col_read
default_read(enum col_type t)
{
	switch (t) {
	case COL_BIGINT: case COL_INTEGER: case COL_SMALLINT: return READ_INTEGER;
	case COL_NUMERIC: return READ_MONEY;
	case COL_TIMESTAMP: return READ_LOCAL_TIME;
	default: return READ_TEXT;
	}
}

static int
read_suits(enum col_read r, enum col_type t)
{
	switch (r) {
	case READ_TEXT: case READ_PHONE: case READ_TRANSACTION_TYPE: return t == COL_VARCHAR;
	case READ_FLAG: return t == COL_SMALLINT || t == COL_INTEGER || t == COL_BIGINT;
	default: return default_read(t) == r;
	}
}

/* NAME TYPE [not null] [from SOURCE] [as READING] [optional] [zstd] */
static int
parse_column(struct parser *p, const struct line *l, int first, struct cat_column *c)
{
	memset(c, 0, sizeof *c);
	c->line = l->no;
	if (l->n - first < 2) {
		error(p, l->no, "a column needs a name and a type");
		return -1;
	}
	if (!snake_case(l->w[first]) || keyword(l->w[first])) {
		error(p, l->no, "'%s' is not a column name (snake_case, not a keyword)", l->w[first]);
		return -1;
	}
	if (parse_type(l->w[first + 1], c) < 0) {
		error(p, l->no, "unknown type '%s' (BIGINT, INTEGER, SMALLINT, NUMERIC(P,S), VARCHAR(N), TIMESTAMP, DATE)",
		    l->w[first + 1]);
		return -1;
	}
	c->read = default_read(c->type);
	int has_read = 0;
	for (int i = first + 2; i < l->n; i++) {
		const char *w = l->w[i];

		if (strcmp(w, "not") == 0 && i + 1 < l->n && strcmp(l->w[i + 1], "null") == 0) {
			c->not_null = 1;
			i++;
		} else if (strcmp(w, "optional") == 0)
			c->optional = 1;
		else if (strcmp(w, "zstd") == 0)
			c->zstd = 1;
		else if (strcmp(w, "from") == 0 && i + 1 < l->n && !c->from)
			c->from = xstrdup(l->w[++i]);
		else if (strcmp(w, "as") == 0 && i + 1 < l->n) {
			int k;

			for (k = 0; read_names[k] && strcmp(read_names[k], l->w[i + 1]) != 0; k++)
				;
			if (read_names[k] == NULL) {
				error(p, l->no, "unknown reading '%s' (text, integer, money, local_time, phone, transaction_type, flag)",
				    l->w[i + 1]);
				goto fail;
			}
			c->read = (enum col_read)k;
			has_read = 1;
			i++;
		} else {
			error(p, l->no, "unexpected '%s' (not null, from SOURCE, as READING, optional, zstd)", w);
			goto fail;
		}
	}
	if (has_read && !c->from) {
		error(p, l->no, "'as' says how a column is read 'from' its source: give one");
		goto fail;
	}
	if (c->from && !read_suits(c->read, c->type)) {
		error(p, l->no, "column %s: reading '%s' does not suit type %s", l->w[first], read_names[c->read],
		    l->w[first + 1]);
		goto fail;
	}
	c->name = xstrdup(l->w[first]);
	return 0;
fail:
	free(c->from);
	c->from = NULL;
	return -1;
}

static void
add_column(struct parser *p, struct cat_column **cols, int *n, const struct cat_column *c, const char *where)
{
	int at = cat_find(*cols, *n, c->name);

	if (at >= 0) {
		error(p, c->line, "column %s appears twice in %s (line %ld)", c->name, where, (*cols)[at].line);
		free(c->name);
		free(c->from);
		return;
	}
	*cols = xrealloc(*cols, (*n + 1) * sizeof **cols);
	(*cols)[(*n)++] = *c;
}

static int
program_known(const char *name)
{
	const char *all = LAC_PROGRAMS;
	size_t n = strlen(name);

	for (const char *s = all; (s = strstr(s, name)) != NULL; s += n)
		if ((s == all || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return 1;
	return 0;
}

static void
start_stream(struct parser *p, const struct line *l)
{
	struct catalog *c = p->c;
	struct cat_stream *s;

	p->stream = NULL;
	if (l->n < 4 || strcmp(l->w[2], "by") != 0) {
		struct cat_column probe;

		if (l->n >= 2 && parse_type(l->w[1], &probe) == 0)
			error(p, l->no, "'%s' is a keyword, not a column name", l->w[0]);
		else
			error(p, l->no, "expected 'stream NAME by PROGRAM ...'");
		return;
	}
	if (!snake_case(l->w[1])) {
		error(p, l->no, "'%s' is not a stream name (snake_case)", l->w[1]);
		return;
	}
	if (catalog_stream(c, l->w[1])) {
		error(p, l->no, "stream %s appears twice (line %ld)", l->w[1], catalog_stream(c, l->w[1])->line);
		return;
	}
	c->streams = xrealloc(c->streams, (c->nstreams + 1) * sizeof *c->streams);
	s = &c->streams[c->nstreams++];
	memset(s, 0, sizeof *s);
	s->name = xstrdup(l->w[1]);
	s->line = l->no;
	s->distkey = -2;
	for (int i = 3; i < l->n; i++) {
		if (!program_known(l->w[i]))
			error(p, l->no, "stream %s: no program %s writes it (the programs: %s)", s->name, l->w[i], LAC_PROGRAMS);
		s->writers = xrealloc(s->writers, (s->nwriters + 1) * sizeof *s->writers);
		s->writers[s->nwriters++] = xstrdup(l->w[i]);
	}
	p->stream = s;
}

/* Column names into indexes of s; -1 (reported) when one is not a column of it. */
static int
column_list(struct parser *p, const struct line *l, int first, int last, int **out, int *n)
{
	struct cat_stream *s = p->stream;

	for (int i = first; i < last; i++) {
		int k = cat_find(s->columns, s->ncolumns, l->w[i]);

		if (k < 0) {
			error(p, l->no, "stream %s has no column %s", s->name, l->w[i]);
			return -1;
		}
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = k;
	}
	return 0;
}

static void
add_table(struct parser *p, const struct line *l)
{
	struct cat_stream *s = p->stream;
	const char *dot = strchr(l->w[1], '.');
	const struct cat_stream *other;

	if (l->n != 2 && !(l->n == 4 && strcmp(l->w[2], "unit") == 0)) {
		error(p, l->no, "expected 'table SCHEMA.NAME [unit UNIT]'");
		return;
	}
	if (dot == NULL || strchr(dot + 1, '.') || !snake_case(dot + 1) || dot == l->w[1]) {
		error(p, l->no, "'%s' is not SCHEMA.NAME", l->w[1]);
		return;
	}
	if (catalog_table(p->c, l->w[1], &other)) {
		error(p, l->no, "table %s appears twice", l->w[1]);
		return;
	}
	if (l->n == 4) {
		if (!snake_case(l->w[3]) || strcmp(l->w[3], "exclude") == 0) {
			error(p, l->no, "'%s' is not a unit name (snake_case; exclude is the rules' own)", l->w[3]);
			return;
		}
		for (int i = 0; i < p->c->nstreams; i++)
			for (int t = 0; t < p->c->streams[i].ntables; t++)
				if (p->c->streams[i].tables[t].unit && strcmp(p->c->streams[i].tables[t].unit, l->w[3]) == 0) {
					error(p, l->no, "unit %s appears twice", l->w[3]);
					return;
				}
	}
	s->tables = xrealloc(s->tables, (s->ntables + 1) * sizeof *s->tables);
	s->tables[s->ntables++] = (struct cat_table){
		.name = xstrdup(l->w[1]), .unit = l->n == 4 ? xstrdup(l->w[3]) : NULL, .line = l->no
	};
}

static void
set_redshift(struct parser *p, const struct line *l)
{
	struct cat_stream *s = p->stream;
	int i = 1;

	if (i + 1 < l->n && strcmp(l->w[i], "distkey") == 0) {
		if (strcmp(l->w[i + 1], "even") == 0)
			s->distkey = -1;
		else if ((s->distkey = cat_find(s->columns, s->ncolumns, l->w[i + 1])) < 0) {
			error(p, l->no, "stream %s has no column %s", s->name, l->w[i + 1]);
			return;
		}
		i += 2;
	}
	if (i < l->n && strcmp(l->w[i], "sortkey") == 0 && i + 1 < l->n)
		column_list(p, l, i + 1, l->n, &s->sortkey, &s->nsortkey);
	else if (i < l->n || i == 1)
		error(p, l->no, "expected 'redshift distkey COLUMN|even [sortkey COLUMN ...]'");
}

static int
local_day_find(const struct cat_stream *s, const char *name)
{
	for (int k = 0; k < s->nlocal_days; k++)
		if (strcmp(s->local_days[k].name, name) == 0)
			return k;
	return -1;
}

/* A zone of the tz database; it is written into SQL as a literal, so nothing a quote could end. */
static int
zone_known(struct parser *p, long line, const char *name)
{
	struct tz *z;

	if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != strlen(name) ||
	    (z = tz_open(name)) == NULL) {
		error(p, line, "'%s' is no zone of the tz database", name);
		return 0;
	}
	tz_close(z);
	return 1;
}

/* zone ZONE */
static void
set_zone(struct parser *p, const struct line *l)
{
	struct cat_stream *s = p->stream;

	if (l->n != 2)
		error(p, l->no, "expected 'zone ZONE'");
	else if (s->zone)
		error(p, l->no, "stream %s has two zone lines", s->name);
	else if (zone_known(p, l->no, l->w[1]))
		s->zone = xstrdup(l->w[1]);
}

/* local_day NAME of COLUMN [in ZONE]: the stream's zone unless one is given */
static void
add_local_day(struct parser *p, const struct line *l)
{
	struct cat_stream *s = p->stream;
	const char *zone = l->n == 6 ? l->w[5] : s->zone;
	int col;

	if ((l->n != 4 && l->n != 6) || strcmp(l->w[2], "of") != 0 || (l->n == 6 && strcmp(l->w[4], "in") != 0)) {
		error(p, l->no, "expected 'local_day NAME of COLUMN [in ZONE]'");
		return;
	}
	if (!snake_case(l->w[1]) || keyword(l->w[1])) {
		error(p, l->no, "'%s' is not a column name (snake_case, not a keyword)", l->w[1]);
		return;
	}
	/* A column of the same name, declared before or after, is check_whole's to find. */
	if (local_day_find(s, l->w[1]) >= 0) {
		error(p, l->no, "stream %s already has a column %s", s->name, l->w[1]);
		return;
	}
	if ((col = cat_find(s->columns, s->ncolumns, l->w[3])) < 0 || s->columns[col].type != COL_TIMESTAMP) {
		error(p, l->no, "stream %s has no TIMESTAMP column %s", s->name, l->w[3]);
		return;
	}
	if (zone == NULL) {
		error(p, l->no, "a local day needs a zone: 'in ZONE', or a 'zone' line of the stream before it");
		return;
	}
	if (!zone_known(p, l->no, zone))
		return;
	s->local_days = xrealloc(s->local_days, (s->nlocal_days + 1) * sizeof *s->local_days);
	s->local_days[s->nlocal_days++] = (struct cat_local_day){
		.name = xstrdup(l->w[1]), .column = col, .zone = xstrdup(zone), .line = l->no
	};
}

static void
add_postgres_index(struct parser *p, const struct line *l)
{
	struct cat_stream *s = p->stream;
	struct cat_index ix = { 0 };

	if (l->n < 3 || strcmp(l->w[1], "index") != 0) {
		error(p, l->no, "expected 'postgres index COLUMN [COLUMN ...]'");
		return;
	}
	/* A local day is indexed by its expression. */
	int day = l->n == 3 ? local_day_find(s, l->w[2]) : -1;

	if (day >= 0) {
		ix.columns = xmalloc(sizeof *ix.columns);
		ix.columns[ix.ncolumns++] = -1 - day;
	} else if (column_list(p, l, 2, l->n, &ix.columns, &ix.ncolumns) < 0) {
		free(ix.columns);
		return;
	}
	s->indexes = xrealloc(s->indexes, (s->nindexes + 1) * sizeof *s->indexes);
	s->indexes[s->nindexes++] = ix;
}

static void
parse_line(struct parser *p, struct line *l)
{
	struct catalog *c = p->c;
	const char *w = l->w[0];

	if (strcmp(w, "stream") == 0)
		start_stream(p, l);
	else if (strcmp(w, "loaded") == 0) {
		struct cat_column col;

		p->stream = NULL;
		if (parse_column(p, l, 1, &col) == 0)
			add_column(p, &c->loaded, &c->nloaded, &col, "the loaded columns");
	} else if (strcmp(w, "newest") == 0) {
		p->stream = NULL;
		if (l->n < 2 || c->nnewest)
			error(p, l->no, c->nnewest ? "newest appears twice" : "newest names the columns that order rows");
		for (int i = 1; i < l->n; i++) {
			c->newest = xrealloc(c->newest, (c->nnewest + 1) * sizeof *c->newest);
			c->newest[c->nnewest++] = xstrdup(l->w[i]);
		}
	} else if (p->stream == NULL)
		error(p, l->no, "'%s' outside a stream (expected stream, loaded or newest)", w);
	else if (strcmp(w, "identity") == 0) {
		p->stream->identity_once = strcmp(l->w[l->n - 1], "once") == 0;
		if (p->stream->nidentity)
			error(p, l->no, "stream %s has two identity lines", p->stream->name);
		else if (l->n < 2 + p->stream->identity_once)
			error(p, l->no, "identity names the columns that identify a row");
		else
			column_list(p, l, 1, l->n - p->stream->identity_once, &p->stream->identity, &p->stream->nidentity);
	} else if (strcmp(w, "table") == 0)
		add_table(p, l);
	else if (strcmp(w, "redshift") == 0)
		set_redshift(p, l);
	else if (strcmp(w, "postgres") == 0)
		add_postgres_index(p, l);
	else if (strcmp(w, "local_day") == 0)
		add_local_day(p, l);
	else if (strcmp(w, "zone") == 0)
		set_zone(p, l);
	else {
		struct cat_column col;

		if (parse_column(p, l, 0, &col) == 0) {
			char where[256];

			snprintf(where, sizeof where, "stream %s", p->stream->name);
			add_column(p, &p->stream->columns, &p->stream->ncolumns, &col, where);
		}
	}
}

/* What holds across lines: every tabled stream can be ordered and identified. */
static void
check_whole(struct parser *p)
{
	struct catalog *c = p->c;

	if (c->nstreams == 0)
		error(p, 1, "no streams");
	if (c->nnewest == 0)
		error(p, 1, "no 'newest' line: which of two rows of one identity is newer?");
	for (int i = 0; i < c->nstreams; i++) {
		struct cat_stream *s = &c->streams[i];

		if (s->ncolumns == 0)
			error(p, s->line, "stream %s has no columns", s->name);
		for (int k = 0; k < c->nloaded; k++)
			if (cat_find(s->columns, s->ncolumns, c->loaded[k].name) >= 0)
				error(p, s->line, "stream %s has column %s, which rs-copy adds at load", s->name, c->loaded[k].name);
		for (int k = 0; k < s->nlocal_days; k++)
			if (cat_find(s->columns, s->ncolumns, s->local_days[k].name) >= 0 ||
			    cat_find(c->loaded, c->nloaded, s->local_days[k].name) >= 0)
				error(p, s->local_days[k].line, "stream %s already has a column %s", s->name, s->local_days[k].name);
		if (s->ntables == 0)
			continue;
		if (s->nidentity == 0)
			error(p, s->line, "stream %s is loaded into tables but has no identity line", s->name);
		if (s->identity_once && (s->nidentity != 1 || s->columns[s->identity[0]].type != COL_BIGINT ||
		    !s->columns[s->identity[0]].not_null || s->nlocal_days == 0))
			error(p, s->line, "stream %s: an identity 'once' is one BIGINT column, not null, and the stream has a local_day (its batches' day)", s->name);
		for (int k = 0; k < c->nnewest; k++)
			if (cat_find(s->columns, s->ncolumns, c->newest[k]) < 0 &&
			    cat_find(c->loaded, c->nloaded, c->newest[k]) < 0)
				error(p, s->line, "stream %s has no column %s, which 'newest' orders by", s->name, c->newest[k]);
		int units = 0;
		for (int t = 0; t < s->ntables; t++)
			units += s->tables[t].unit != NULL;
		if (units != 0 && units != s->ntables)
			error(p, s->line, "stream %s: either every table is a unit or none is", s->name);
	}
}

struct catalog *
catalog_parse(const char *text, size_t n, const char *label)
{
	struct catalog *c = xmalloc(sizeof *c);
	struct parser p = { .c = c, .label = label };
	char *copy = xmalloc(n + 1), *s = copy, *nl;
	struct line l = { .no = 0 };

	memset(c, 0, sizeof *c);
	c->path = xstrdup(label);
	memcpy(copy, text, n);
	copy[n] = '\0';
	if (memchr(text, '\0', n))
		error(&p, 1, "a NUL byte: not a text file");
	for (; p.errors == 0 && s < copy + n; s = nl + 1) {
		if ((nl = strchr(s, '\n')) == NULL)
			nl = s + strlen(s);
		*nl = '\0';
		l.no++;
		if (split_words(&p, s, &l) == 0 && l.n > 0)
			parse_line(&p, &l);
	}
	if (p.errors == 0)
		check_whole(&p);
	free(copy);
	if (p.errors) {
		catalog_free(c);
		return NULL;
	}
	return c;
}
