/*
 * lac-catalog's SQL: the unit tables as the catalog says, for an empty
 * database or as the changes that bring an older one to it, and the views
 * the catalog implies (the newest rows of each stream's tables).
 */
#ifndef LAC_CATALOG_SCHEMA_H
#define LAC_CATALOG_SCHEMA_H

#include <stdarg.h>
#include <stddef.h>

#include "lib/catalog.h"
#include "lib/pgdb.h"

/* A growing string. */
struct text {
	char *s;
	size_t len, cap;
};

void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void text_free(struct text *t);

struct schema_options {
	int redshift;
	int bulk;		/* --bulk: PostgreSQL's read indexes dropped, for a large load */
	char **drop;		/* --drop SCHEMA.TABLE[.COLUMN]: data db-init may drop */
	int ndrop;
};

/*
 * The SQL that makes the unit tables what the catalog says, into sql; a
 * one-line account of each change into changes.  conn NULL: an empty
 * database.  0, or -1 (diagnosed, nothing to run) when the database holds
 * what cannot be brought to the catalog without losing data or meaning.
 */
int schema_tables(const struct catalog *c, PGconn *conn, const struct schema_options *o, struct text *sql,
    struct text *changes);
/* The catalog's own views: newest.STREAM for each stream with tables. */
void schema_views(const struct catalog *c, int redshift, struct text *sql, char ***names, int *n);
/* A file of CREATE VIEW statements, rendered late-binding for Redshift; the views it makes into names. */
int schema_view_file(const char *path, int redshift, struct text *sql, char ***names, int *n);

#endif
