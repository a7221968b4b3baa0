/*
 * The database side, through libpq: PostgreSQL and Redshift alike.  The
 * connection comes from the standard PG* environment, a service file, or a
 * DSN without a password (no credential on a command line or in a log).
 */
#ifndef PGDB_H
#define PGDB_H

#include <libpq-fe.h>

struct table_column {
	char *name;
	int not_null;
	char *type;		/* as the catalog writes it: "VARCHAR(16)", "NUMERIC(14,2)", "BIGINT" */
};

struct table_columns {
	struct table_column *col;
	int n;
};

/* NULL (diagnosed) on failure; refuses a DSN that carries a password. */
PGconn *pgdb_connect(const char *dsn);
/* Run SQL that returns no rows; 0, or -1 with the server's message diagnosed. */
int pgdb_exec(PGconn *c, const char *sql);
/* The columns of schema.table from the catalog; 0 tables found is an error. */
int pgdb_table_columns(PGconn *c, const char *schema, const char *table, struct table_columns *out);
void pgdb_table_columns_free(struct table_columns *tc);
/* The tables of a schema (base tables, not views), NULL-terminated; NULL (diagnosed) on error. */
char **pgdb_schema_tables(PGconn *c, const char *schema);
/* A quoted identifier or string literal, malloc'ed; literals never use E''. */
char *pgdb_ident(PGconn *c, const char *s);
char *pgdb_literal(PGconn *c, const char *s);
/* The server's primary message of a failed result, one line. */
const char *pgdb_message(const PGresult *r, PGconn *c);

#endif
