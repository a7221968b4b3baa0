#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "pgdb.h"

PGconn *
pgdb_connect(const char *dsn)
{
	PQconninfoOption *opts;
	PGconn *c;

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

int
pgdb_table_columns(PGconn *c, const char *schema, const char *table, struct table_columns *out)
{
	const char *params[2] = { schema, table };
	PGresult *r = PQexecParams(c,
	    "SELECT column_name, is_nullable FROM information_schema.columns "
	    "WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
	    2, NULL, params, NULL, NULL, 0);

	memset(out, 0, sizeof *out);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		diag("reading the columns of %s.%s: %s", schema, table, pgdb_message(r, c));
		PQclear(r);
		return -1;
	}
	if (PQntuples(r) == 0) {
		diag("no table %s.%s in the database (did sql/tables.sql run?)", schema, table);
		PQclear(r);
		return -1;
	}
	out->n = PQntuples(r);
	out->col = xmalloc(out->n * sizeof *out->col);
	for (int i = 0; i < out->n; i++) {
		out->col[i].name = xstrdup(PQgetvalue(r, i, 0));
		out->col[i].not_null = strcmp(PQgetvalue(r, i, 1), "NO") == 0;
	}
	PQclear(r);
	return 0;
}

void
pgdb_table_columns_free(struct table_columns *tc)
{
	for (int i = 0; i < tc->n; i++)
		free(tc->col[i].name);
	free(tc->col);
	tc->col = NULL;
	tc->n = 0;
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
