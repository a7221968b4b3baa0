/*
 * The SQL of the catalog.  Written once for PostgreSQL and Redshift: what
 * only Redshift has (DISTKEY, SORTKEY, ENCODE, late-binding views) is added
 * when --redshift asks for it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "schema.h"

void
text_add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (t->len + n + 1 > t->cap)
		t->s = xrealloc(t->s, t->cap = 2 * (t->len + n + 1));
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += n;
}

void
text_free(struct text *t)
{
	free(t->s);
	*t = (struct text){ NULL, 0, 0 };
}

/* "name TYPE [NOT NULL] [ENCODE zstd]" */
static void
column_def(struct text *t, const struct cat_column *c, int redshift, int new_column)
{
	char type[32];

	text_add(t, "%s %s", c->name, cat_type_sql(c, type, sizeof type));
	/* A column added to a table that has rows cannot be NOT NULL: the old rows have no value. */
	if (c->not_null && !new_column)
		text_add(t, " NOT NULL");
	if (redshift && c->zstd && !new_column)
		text_add(t, " ENCODE zstd");
}

/*
 * A local day's SQL: the calendar day of a UTC TIMESTAMP column in its zone
 * (PREFIX names the relation).  Both engines read it; PostgreSQL marks
 * every step immutable, so an index can hold it.
 */
static void
local_day_sql(struct text *sql, const struct cat_stream *s, const struct cat_local_day *d, const char *prefix)
{
	text_add(sql, "CAST((%s%s AT TIME ZONE 'UTC') AT TIME ZONE '%s' AS DATE)", prefix, s->columns[d->column].name,
	    d->zone);
}

/* A part of an index (catalog.h's encoding): the local day it is, or NULL for a column. */
static const struct cat_local_day *
part_local_day(const struct cat_stream *s, int which)
{
	return which < 0 ? &s->local_days[-1 - which] : NULL;
}

/* A part of an index in SQL: a column's name or a local day's expression. */
static void
index_part(struct text *sql, const struct cat_stream *s, int which)
{
	const struct cat_local_day *d = part_local_day(s, which);

	if (d == NULL)
		text_add(sql, "%s", s->columns[which].name);
	else {
		text_add(sql, "(");
		local_day_sql(sql, s, d, "");
		text_add(sql, ")");
	}
}

/*
 * One index, named TABLE_COLUMN_COLUMN... in the table's schema: created
 * (IF NOT EXISTS: db-init runs again), or dropped for a bulk load.  A
 * unique one is TABLE_COLUMN_once, and the plain index of the same columns
 * (the newest rule's, before the identity was `once`) is dropped.  A bulk
 * load drops the unique one too (kept up row by row it cost a reprocess a
 * third more): db-init builds it after the load, and fails, naming the
 * identity, if the load put one in twice.
 */
static void
postgres_index(struct text *sql, const char *table, const struct cat_stream *s, const int *which, int n, int unique,
    int bulk)
{
	const char *dot = strchr(table, '.');
	char name[256];
	int len = snprintf(name, sizeof name, "%s", dot + 1);

	for (int i = 0; i < n && len < (int)sizeof name; i++) {
		const struct cat_local_day *d = part_local_day(s, which[i]);

		len += snprintf(name + len, sizeof name - len, "_%s", d ? d->name : s->columns[which[i]].name);
	}
	if (unique) {
		text_add(sql, "DROP INDEX IF EXISTS %.*s.%s;\n", (int)(dot - table), table, name);
		if (len < (int)sizeof name)
			snprintf(name + len, sizeof name - len, "_once");
	}
	if (bulk) {
		text_add(sql, "DROP INDEX IF EXISTS %.*s.%s;\n", (int)(dot - table), table, name);
		return;
	}
	text_add(sql, "CREATE %sINDEX IF NOT EXISTS %s ON %s (", unique ? "UNIQUE " : "", name, table);
	for (int i = 0; i < n; i++) {
		text_add(sql, "%s", i ? ", " : "");
		index_part(sql, s, which[i]);
	}
	text_add(sql, ");\n");
}

/*
 * PostgreSQL's access paths (Redshift has sort keys instead): batch_id for
 * rs-copy's replacing of a batch, and the views' read indexes: the identity
 * for the newest views (a row of one day is checked against the copies of
 * its identity, not against every row; an identity `once` has a unique
 * index instead, which fails a load that would hold a second row of it in
 * a table) and the stream's `postgres index` lines (a local day's by its
 * expression, which a filter on the view's column becomes).  For a bulk
 * load the read indexes are dropped: a load of more days than the database
 * holds is faster without them, and db-init builds each again after it in
 * one pass.
 */
static void
postgres_indexes(struct text *sql, const struct cat_stream *s, const char *table, int bulk)
{
	text_add(sql, "CREATE INDEX IF NOT EXISTS %s_batch_id ON %s (batch_id);\n", strchr(table, '.') + 1, table);
	if (s->nidentity)
		postgres_index(sql, table, s, s->identity, s->nidentity, s->identity_once, bulk);
	for (int i = 0; i < s->nindexes; i++)
		postgres_index(sql, table, s, s->indexes[i].columns, s->indexes[i].ncolumns, 0, bulk);
}

static void
create_table(struct text *sql, const struct catalog *c, const struct cat_stream *s, const char *table, int redshift)
{
	text_add(sql, "CREATE TABLE IF NOT EXISTS %s (\n", table);
	for (int i = 0; i < s->ncolumns + c->nloaded; i++) {
		text_add(sql, "\t");
		column_def(sql, i < s->ncolumns ? &s->columns[i] : &c->loaded[i - s->ncolumns], redshift, 0);
		text_add(sql, "%s\n", i + 1 < s->ncolumns + c->nloaded ? "," : "");
	}
	text_add(sql, ")");
	if (redshift && s->distkey >= 0)
		text_add(sql, "\nDISTSTYLE KEY DISTKEY (%s)", s->columns[s->distkey].name);
	else if (redshift && s->distkey == -1)
		text_add(sql, "\nDISTSTYLE EVEN");
	for (int i = 0; redshift && i < s->nsortkey; i++)
		text_add(sql, "%s%s", i ? ", " : "\nCOMPOUND SORTKEY (", s->columns[s->sortkey[i]].name);
	text_add(sql, "%s;\n", redshift && s->nsortkey ? ")" : "");
}

static int
asked_to_drop(const struct schema_options *o, const char *what)
{
	for (int i = 0; i < o->ndrop; i++)
		if (strcmp(o->drop[i], what) == 0)
			return 1;
	return 0;
}

static const struct cat_column *
catalog_column(const struct catalog *c, const struct cat_stream *s, const char *name)
{
	int k = cat_column(s, name);

	if (k >= 0)
		return &s->columns[k];
	for (int i = 0; i < c->nloaded; i++)
		if (strcmp(c->loaded[i].name, name) == 0)
			return &c->loaded[i];
	return NULL;
}

/* An existing table brought to its stream's columns; -1 (diagnosed) when it cannot be without loss. */
static int
alter_table(const struct catalog *c, const struct cat_stream *s, const char *table, PGconn *conn,
    const struct schema_options *o, struct text *sql, struct text *changes)
{
	struct table_columns db;
	char type[32], what[512], schema[256];
	const char *dot = strchr(table, '.');
	int ok = 1;

	snprintf(schema, sizeof schema, "%.*s", (int)(dot - table), table);
	if (pgdb_table_columns(conn, schema, dot + 1, &db) < 0)
		return -1;
	for (int i = 0; i < s->ncolumns + c->nloaded; i++) {
		const struct cat_column *col = i < s->ncolumns ? &s->columns[i] : &c->loaded[i - s->ncolumns];
		int k = 0;

		while (k < db.n && strcmp(db.col[k].name, col->name) != 0)
			k++;
		if (k == db.n) {
			text_add(sql, "ALTER TABLE %s ADD COLUMN ", table);
			column_def(sql, col, o->redshift, 1);
			text_add(sql, ";\n");
			/* Redshift takes ENCODE in ADD COLUMN too, but as its own statement every SQL parser reads it. */
			if (o->redshift && col->zstd)
				text_add(sql, "ALTER TABLE %s ALTER COLUMN %s ENCODE zstd;\n", table, col->name);
			text_add(changes, "%sadd %s.%s", changes->len ? "; " : "", table, col->name);
			continue;
		}
		cat_type_sql(col, type, sizeof type);
		if (strcmp(db.col[k].type, type) != 0) {
			diag("%s.%s is %s in the database and %s in the catalog (%s:%ld): nothing was changed",
			    table, col->name, db.col[k].type, type, c->path, col->line);
			ok = 0;
		} else if (db.col[k].not_null && !col->not_null) {
			if (o->redshift) {
				diag("%s.%s is NOT NULL in the database, not in the catalog (%s:%ld), and Redshift "
				    "cannot drop NOT NULL: nothing was changed", table, col->name, c->path, col->line);
				ok = 0;
			} else {
				text_add(sql, "ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL;\n", table, col->name);
				text_add(changes, "%s%s.%s may be NULL", changes->len ? "; " : "", table, col->name);
			}
		}
	}
	for (int k = 0; k < db.n; k++) {
		if (catalog_column(c, s, db.col[k].name))
			continue;
		snprintf(what, sizeof what, "%s.%s", table, db.col[k].name);
		if (asked_to_drop(o, what)) {
			text_add(sql, "ALTER TABLE %s DROP COLUMN %s;\n", table, db.col[k].name);
			text_add(changes, "%sdrop %s", changes->len ? "; " : "", what);
		} else {
			diag("%s has a column %s that the catalog does not (%s): its data stays; to drop it, "
			    "give --drop %s; nothing was changed", table, db.col[k].name, c->path, what);
			ok = 0;
		}
	}
	pgdb_table_columns_free(&db);
	return ok ? 0 : -1;
}

/* The schemas of the catalog's tables, each once, with the tables the database has in it. */
struct schemas {
	char *name[16];
	char **have[16];	/* NULL-terminated; NULL without a database */
	int n;
};

static void
schemas_free(struct schemas *sc)
{
	for (int i = 0; i < sc->n; i++) {
		for (int k = 0; sc->have[i] && sc->have[i][k]; k++)
			free(sc->have[i][k]);
		free(sc->have[i]);
		free(sc->name[i]);
	}
}

static int
schemas_of(const struct catalog *c, PGconn *conn, struct schemas *sc)
{
	sc->n = 0;
	for (int i = 0; i < c->nstreams; i++)
		for (int t = 0; t < c->streams[i].ntables; t++) {
			const char *name = c->streams[i].tables[t].name;
			int len = (int)(strchr(name, '.') - name), k = 0;

			while (k < sc->n && !(strncmp(sc->name[k], name, len) == 0 && sc->name[k][len] == '\0'))
				k++;
			if (k < sc->n)
				continue;
			if (sc->n == 16)
				fatal(EXIT_USAGE, "%s: tables in more than 16 schemas", c->path);
			sc->name[k] = xmalloc(len + 1);
			snprintf(sc->name[k], len + 1, "%s", name);
			sc->have[k] = NULL;
			sc->n++;
			if (conn && (sc->have[k] = pgdb_schema_tables(conn, sc->name[k])) == NULL)
				return -1;
		}
	return 0;
}

/*
 * The pipeline's own tables: the versions db-init applied, and every load
 * rs-copy made (with its run).  Not streams: db-init and rs-copy write them.
 */
static const char pipeline_tables[] =
    "CREATE TABLE IF NOT EXISTS lac.schema_version (\n\tversion INTEGER NOT NULL,\n"
    "\tdigest VARCHAR(32) NOT NULL,\n\tapplied_at TIMESTAMP NOT NULL,\n\tchanges VARCHAR(65535)\n);\n"
    "CREATE TABLE IF NOT EXISTS lac.loads (\n\ttable_name VARCHAR(256) NOT NULL,\n"
    "\tbatch_id VARCHAR(128) NOT NULL,\n\trun_id VARCHAR(128) NOT NULL,\n\trow_count BIGINT NOT NULL,\n"
    "\treplaced BIGINT NOT NULL,\n\tloaded_at TIMESTAMP NOT NULL\n);\n";

static int
pipeline_table(const char *schema, const char *table)
{
	return strcmp(schema, "lac") == 0 && (strcmp(table, "schema_version") == 0 || strcmp(table, "loads") == 0);
}

/* Does the database have this table? */
static int
exists(const struct schemas *sc, const char *table)
{
	const char *dot = strchr(table, '.');

	for (int i = 0; i < sc->n; i++)
		if (strncmp(sc->name[i], table, dot - table) == 0 && sc->name[i][dot - table] == '\0')
			for (int k = 0; sc->have[i] && sc->have[i][k]; k++)
				if (strcmp(sc->have[i][k], dot + 1) == 0)
					return 1;
	return 0;
}

int
schema_tables(const struct catalog *c, PGconn *conn, const struct schema_options *o, struct text *sql,
    struct text *changes)
{
	struct schemas sc;
	char what[512];
	int ok = 1;

	if (schemas_of(c, conn, &sc) < 0) {
		schemas_free(&sc);
		return -1;
	}
	text_add(sql, "CREATE SCHEMA IF NOT EXISTS reporting;\nCREATE SCHEMA IF NOT EXISTS newest;\n"
	    "CREATE SCHEMA IF NOT EXISTS lac;\n");
	for (int i = 0; i < sc.n; i++)
		text_add(sql, "CREATE SCHEMA IF NOT EXISTS %s;\n", sc.name[i]);
	text_add(sql, "%s", pipeline_tables);
	for (int i = 0; i < c->nstreams; i++)
		for (int t = 0; t < c->streams[i].ntables; t++) {
			const char *name = c->streams[i].tables[t].name;

			if (!exists(&sc, name)) {
				create_table(sql, c, &c->streams[i], name, o->redshift);
				text_add(changes, "%screate %s", changes->len ? "; " : "", name);
			} else if (alter_table(c, &c->streams[i], name, conn, o, sql, changes) < 0)
				ok = 0;
			if (!o->redshift)
				postgres_indexes(sql, &c->streams[i], name, o->bulk);
		}
	/* A table of those schemas that the catalog does not have holds data: never dropped unasked. */
	for (int i = 0; i < sc.n; i++)
		for (int k = 0; sc.have[i] && sc.have[i][k]; k++) {
			snprintf(what, sizeof what, "%s.%s", sc.name[i], sc.have[i][k]);
			if (catalog_table(c, what, NULL) || pipeline_table(sc.name[i], sc.have[i][k]))
				continue;
			if (asked_to_drop(o, what)) {
				text_add(sql, "DROP TABLE %s;\n", what);
				text_add(changes, "%sdrop %s", changes->len ? "; " : "", what);
			} else {
				diag("%s is in the database but not in the catalog (%s): its data stays; to drop it, "
				    "give --drop %s; nothing was changed", what, c->path, what);
				ok = 0;
			}
		}
	schemas_free(&sc);
	return ok ? 0 : -1;
}

static void
add_name(char ***names, int *n, const char *name)
{
	*names = xrealloc(*names, (*n + 1) * sizeof **names);
	(*names)[(*n)++] = xstrdup(name);
}

/* The columns a stream's tables share, the loaded ones last: "p.a, p.b, ..." */
static void
column_list(struct text *sql, const struct catalog *c, const struct cat_stream *s, const char *prefix)
{
	for (int i = 0; i < s->ncolumns + c->nloaded; i++)
		text_add(sql, "%s%s%s", i ? ", " : "", prefix,
		    i < s->ncolumns ? s->columns[i].name : c->loaded[i - s->ncolumns].name);
}

/* The longest unit name, for the unit column's type. */
static int
unit_width(const struct cat_stream *s)
{
	int w = 1;

	for (int t = 0; t < s->ntables; t++)
		if (s->tables[t].unit && (int)strlen(s->tables[t].unit) > w)
			w = (int)strlen(s->tables[t].unit);
	return w;
}

/* n and u are one identity: NULL equal to NULL, as PARTITION BY has it. */
static void
same_identity(struct text *sql, const struct cat_stream *s)
{
	for (int i = 0; i < s->nidentity; i++) {
		const struct cat_column *col = &s->columns[s->identity[i]];
		const char *and = i ? "\n\t  AND " : "";

		if (col->not_null)
			text_add(sql, "%sn.%s = u.%s", and, col->name, col->name);
		else if (col->type == COL_VARCHAR)	/* an empty field loads as NULL: '' never occurs */
			text_add(sql, "%sCOALESCE(n.%s, '') = COALESCE(u.%s, '')", and, col->name, col->name);
		else
			text_add(sql, "%s(n.%s = u.%s OR (n.%s IS NULL AND u.%s IS NULL))", and, col->name, col->name,
			    col->name, col->name);
	}
}

/* n is newer than u by the catalog's `newest` columns, from the i-th on. */
static void
newer(struct text *sql, const struct catalog *c, int i)
{
	const char *k = c->newest[i];

	if (i + 1 == c->nnewest) {
		text_add(sql, "n.%s > u.%s", k, k);
		return;
	}
	text_add(sql, "n.%s > u.%s OR (n.%s = u.%s AND (", k, k, k, k);
	newer(sql, c, i + 1);
	text_add(sql, "))");
}

/* The stream's tables as one relation ALIAS: whole (with the unit), or only the columns that say which row is newest. */
static void
tables_as(struct text *sql, const struct catalog *c, const struct cat_stream *s, const char *alias, int whole,
    const char *indent)
{
	int units = s->tables[0].unit != NULL;

	if (s->ntables == 1 && (!whole || !units)) {
		text_add(sql, "%s %s", s->tables[0].name, alias);
		return;
	}
	text_add(sql, "(\n");
	for (int t = 0; t < s->ntables; t++) {
		if (t)
			text_add(sql, "%s\tUNION ALL\n", indent);
		text_add(sql, "%s\tSELECT ", indent);
		if (whole) {
			if (units)
				text_add(sql, "CAST('%s' AS VARCHAR(%d)) AS unit, ", s->tables[t].unit, unit_width(s));
			column_list(sql, c, s, "");
		} else {
			for (int i = 0; i < s->nidentity; i++)
				text_add(sql, "%s%s", i ? ", " : "", s->columns[s->identity[i]].name);
			for (int i = 0; i < c->nnewest; i++) {
				int dup = 0;

				for (int k = 0; k < s->nidentity; k++)
					dup |= !strcmp(c->newest[i], s->columns[s->identity[k]].name);
				if (!dup)
					text_add(sql, ", %s", c->newest[i]);
			}
		}
		text_add(sql, " FROM %s\n", s->tables[t].name);
	}
	text_add(sql, "%s) %s", indent, alias);
}

/*
 * newest.STREAM: the rows of the stream's tables (a unit column says which
 * table, when they are units; its local days last), each identity once: its newest row, by the
 * catalog's `newest` order.  Written as "no newer row of the same identity
 * exists" rather than a ROW_NUMBER() over all the rows: a filter on the view
 * (a day, a partner) then reaches the tables, and a read of the whole view is
 * a hash anti-join instead of a sort of every row.  A stream whose
 * identity is `once` has no newer row to look for: its rows as they are.
 */
static void
newest_view(struct text *sql, const struct catalog *c, const struct cat_stream *s)
{
	text_add(sql, "CREATE VIEW newest.%s AS\nSELECT %s", s->name, s->tables[0].unit ? "u.unit, " : "");
	column_list(sql, c, s, "u.");
	for (int k = 0; k < s->nlocal_days; k++) {
		text_add(sql, ",\n       ");
		local_day_sql(sql, s, &s->local_days[k], "u.");
		text_add(sql, " AS %s", s->local_days[k].name);
	}
	text_add(sql, "\nFROM ");
	tables_as(sql, c, s, "u", 1, "");
	if (s->identity_once)
		return;
	text_add(sql, "\nWHERE NOT EXISTS (\n\tSELECT 1 FROM ");
	tables_as(sql, c, s, "n", 0, "\t");
	text_add(sql, "\n\tWHERE ");
	same_identity(sql, s);
	text_add(sql, "\n\t  AND (");
	newer(sql, c, 0);
	text_add(sql, "))");
}

void
schema_views(const struct catalog *c, int redshift, struct text *sql, char ***names, int *n)
{
	const char *end = redshift ? "\nWITH NO SCHEMA BINDING;\n\n" : ";\n\n";

	char name[256];

	for (int i = 0; i < c->nstreams; i++) {
		if (c->streams[i].ntables == 0)
			continue;
		newest_view(sql, c, &c->streams[i]);
		text_add(sql, "%s", end);
		snprintf(name, sizeof name, "newest.%s", c->streams[i].name);
		add_name(names, n, name);
	}
}

/* The name after CREATE VIEW at the start of a statement, or NULL. */
static const char *
view_name(const char *stmt, char *buf, size_t size)
{
	size_t n;

	while (*stmt == ' ' || *stmt == '\t' || *stmt == '\n')
		stmt++;
	if (strncmp(stmt, "CREATE VIEW ", 12) != 0)
		return NULL;
	stmt += 12;
	n = strcspn(stmt, " \t\n(");
	snprintf(buf, size, "%.*s", (int)n, stmt);
	return buf;
}

int
schema_view_file(const char *path, int redshift, struct text *sql, char ***names, int *n)
{
	FILE *fp = fopen(path, "r");
	struct text stmt = { 0 };
	char *line = NULL, name[256];
	size_t cap = 0;

	if (fp == NULL) {
		diag("%s: %s", path, strerror(errno));
		return -1;
	}
	text_add(sql, "-- %s\n", path);
	/* Statements end with ';' at the end of a line; a comment line is kept as it is. */
	while (getline(&line, &cap, fp) > 0) {
		size_t len = strlen(line);

		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		if (stmt.len == 0 && (len == 0 || strncmp(line, "--", 2) == 0)) {
			text_add(sql, "%s\n", line);
			continue;
		}
		if (len > 0 && line[len - 1] == ';') {
			line[len - 1] = '\0';
			text_add(&stmt, "%s", line);
			if (view_name(stmt.s, name, sizeof name))
				add_name(names, n, name);
			text_add(sql, "%s%s;\n", stmt.s, redshift && view_name(stmt.s, name, sizeof name) ?
			    "\nWITH NO SCHEMA BINDING" : "");
			stmt.len = 0;
		} else
			text_add(&stmt, "%s\n", line);
	}
	free(line);
	fclose(fp);
	if (stmt.len > 0) {
		diag("%s: the last statement has no ';'", path);
		text_free(&stmt);
		return -1;
	}
	text_free(&stmt);
	return 0;
}
