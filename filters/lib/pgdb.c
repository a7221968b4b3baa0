#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pgdb.h"
#include "pq_dl.h"

PGconn *
pgdb_connect(const char *dsn)
{
	PQconninfoOption *opts;
	PGconn *c;

	if (pq_load() < 0)
		return NULL;
	if (dsn && *dsn) {
		char *err = NULL;

		if ((opts = PQconninfoParse(dsn, &err)) == NULL) {
			diag("--dsn is not a connection string: %s", err ? err : "parse error");
			PQfreemem(err);
			return NULL;
		}
		for (PQconninfoOption *o = opts; o->keyword; o++)
			if (strcmp(o->keyword, "password") == 0 && o->val && *o->val) {
				diag("--dsn must not carry a password: use ~/.pgpass, PGPASSFILE or a service file");
				PQconninfoFree(opts);
				return NULL;
			}
		PQconninfoFree(opts);
	}
	c = PQconnectdb(dsn ? dsn : "");
	if (PQstatus(c) != CONNECTION_OK) {
		diag("cannot connect to the database: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

const char *
pgdb_message(const PGresult *r, PGconn *c)
{
	static char buf[1024];
	const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	size_t n;

	snprintf(buf, sizeof buf, "%s", m ? m : PQerrorMessage(c));
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return buf;
}

int
pgdb_exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		diag("%s", pgdb_message(r, c));
	PQclear(r);
	return ok ? 0 : -1;
}

/* information_schema's words for a type, as the catalog writes it. */
static char *
sql_type(const char *data_type, const char *length, const char *precision, const char *scale)
{
	static const struct { const char *is, *catalog; } plain[] = {
		{ "bigint", "BIGINT" }, { "integer", "INTEGER" }, { "smallint", "SMALLINT" },
		{ "timestamp without time zone", "TIMESTAMP" }, { "date", "DATE" },
	};
	char buf[128];

	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (strcmp(data_type, plain[i].is) == 0)
			return xstrdup(plain[i].catalog);
	if (strcmp(data_type, "character varying") == 0 && *length)
		snprintf(buf, sizeof buf, "VARCHAR(%s)", length);
	else if (strcmp(data_type, "numeric") == 0 && *precision)
		snprintf(buf, sizeof buf, "NUMERIC(%s,%s)", precision, *scale ? scale : "0");
	else
		snprintf(buf, sizeof buf, "%s", data_type);
	return xstrdup(buf);
}

int
pgdb_table_columns(PGconn *c, const char *schema, const char *table, struct table_columns *out)
{
	const char *params[2] = { schema, table };
	PGresult *r = PQexecParams(c,
	    "SELECT column_name, is_nullable, data_type, character_maximum_length, numeric_precision, "
	    "numeric_scale FROM information_schema.columns "
	    "WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
	    2, NULL, params, NULL, NULL, 0);

	memset(out, 0, sizeof *out);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		diag("reading the columns of %s.%s: %s", schema, table, pgdb_message(r, c));
		PQclear(r);
		return -1;
	}
	if (PQntuples(r) == 0) {
		diag("no table %s.%s in the database (did scripts/db-init run?)", schema, table);
		PQclear(r);
		return -1;
	}
	out->n = PQntuples(r);
	out->col = xmalloc(out->n * sizeof *out->col);
	for (int i = 0; i < out->n; i++) {
		out->col[i].name = xstrdup(PQgetvalue(r, i, 0));
		out->col[i].not_null = strcmp(PQgetvalue(r, i, 1), "NO") == 0;
		out->col[i].type = sql_type(PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4),
		    PQgetvalue(r, i, 5));
	}
	PQclear(r);
	return 0;
}

void
pgdb_table_columns_free(struct table_columns *tc)
{
	for (int i = 0; i < tc->n; i++) {
		free(tc->col[i].name);
		free(tc->col[i].type);
	}
	free(tc->col);
	tc->col = NULL;
	tc->n = 0;
}

char **
pgdb_schema_tables(PGconn *c, const char *schema)
{
	const char *params[1] = { schema };
	PGresult *r = PQexecParams(c,
	    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 "
	    "AND table_type = 'BASE TABLE' ORDER BY table_name", 1, NULL, params, NULL, NULL, 0);
	char **names;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		diag("reading the tables of %s: %s", schema, pgdb_message(r, c));
		PQclear(r);
		return NULL;
	}
	names = xmalloc((PQntuples(r) + 1) * sizeof *names);
	for (int i = 0; i < PQntuples(r); i++)
		names[i] = xstrdup(PQgetvalue(r, i, 0));
	names[PQntuples(r)] = NULL;
	PQclear(r);
	return names;
}

char *
pgdb_ident(PGconn *c, const char *s)
{
	char *q = PQescapeIdentifier(c, s, strlen(s)), *copy;

	if (q == NULL)
		fatal(EXIT_DATA, "cannot quote identifier: %s", PQerrorMessage(c));
	copy = xstrdup(q);
	PQfreemem(q);
	return copy;
}

char *
pgdb_literal(PGconn *c, const char *s)
{
	size_t n = strlen(s);
	char *q = xmalloc(2 * n + 3);
	int err = 0;

	/* With standard_conforming_strings on, as on Redshift: quotes doubled, no E''. */
	q[0] = '\'';
	n = PQescapeStringConn(c, q + 1, s, n, &err);
	if (err)
		fatal(EXIT_DATA, "cannot quote literal: %s", PQerrorMessage(c));
	q[n + 1] = '\'';
	q[n + 2] = '\0';
	return q;
}
