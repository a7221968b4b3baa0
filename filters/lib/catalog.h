/*
 * The catalog of streams and unit tables (catalog/streams.txt): every
 * stream a program writes, its columns and their types, and the tables it
 * is loaded into.  The programs' headers and value checks, the tables' DDL
 * and the lists the scripts use all come from here.
 *
 * Which catalog: --catalog FILE, else $LAC_CATALOG, else the copy built
 * into the program (catalog/streams.txt as it was at build time).
 */
#ifndef CATALOG_H
#define CATALOG_H

#include <stddef.h>
#include <stdint.h>

enum col_type { COL_BIGINT, COL_INTEGER, COL_SMALLINT, COL_NUMERIC, COL_VARCHAR, COL_TIMESTAMP, COL_DATE };

/* How split-by-unit reads a column from the export ("as"). */
enum col_read { READ_TEXT, READ_INTEGER, READ_MONEY, READ_LOCAL_TIME, READ_PHONE, READ_TRANSACTION_TYPE,
	READ_FLAG };

struct cat_column {
	char *name;
	enum col_type type;
	int length;		/* VARCHAR: bytes */
	int precision, scale;	/* NUMERIC */
	int not_null, optional, zstd;
	char *from;		/* the input column it is read from, or NULL */
	enum col_read read;
	long line;
};

struct cat_table {
	char *name;		/* SCHEMA.NAME */
	char *unit;		/* or NULL */
	long line;
};

struct cat_index {
	int *columns;		/* column indexes; -1-k: the k-th local day */
	int ncolumns;
};

/* A column the views compute: the calendar day of a UTC TIMESTAMP column in a zone. */
struct cat_local_day {
	char *name;
	int column;		/* the TIMESTAMP column's index */
	char *zone;		/* a tz database name: letters, digits, '/', '_', '+', '-' */
	long line;
};

struct cat_stream {
	char *name;
	char **writers;
	int nwriters;
	struct cat_column *columns;
	int ncolumns;
	int *identity;		/* column indexes */
	int nidentity;
	int identity_once;	/* `identity ... once`: one row an identity, ever (no newest rule) */
	struct cat_table *tables;
	int ntables;
	int distkey;		/* column index, -1: DISTSTYLE EVEN, -2: none given */
	int *sortkey;
	int nsortkey;
	struct cat_index *indexes;	/* PostgreSQL's access paths beside the identity's */
	int nindexes;
	struct cat_local_day *local_days;	/* after the loaded columns in newest.STREAM */
	int nlocal_days;
	char *zone;		/* the zone its local times are in (`zone` line), or NULL */
	long line;
};

struct catalog {
	char *path;		/* the file, or "(built in)" */
	struct cat_stream *streams;
	int nstreams;
	struct cat_column *loaded;	/* added by rs-copy to every table */
	int nloaded;
	char **newest;
	int nnewest;
};

/* The catalog this run uses: loaded once, checked whole; exit 2 (diagnosed) when it is broken. */
const struct catalog *catalog(void);
/* Use this file rather than $LAC_CATALOG or the built-in copy (--catalog). */
void catalog_use(const char *path);
/* Parse a catalog's text; NULL (each error diagnosed as label:line) when it is broken. */
struct catalog *catalog_parse(const char *text, size_t n, const char *label);
void catalog_free(struct catalog *c);

/* The stream, or NULL. */
const struct cat_stream *catalog_stream(const struct catalog *c, const char *name);
/* The stream a program writes under this name: exit 2 (diagnosed) when the catalog lacks it or names another writer. */
const struct cat_stream *catalog_writes(const char *program, const char *stream);
/*
 * The zone a stream's local times are in: the catalog's, else exit 2
 * (diagnosed: the program needs it given, as --tz).
 */
const char *catalog_zone(const char *stream);
/* The index of a column among n, or -1. */
int cat_find(const struct cat_column *cols, int n, const char *name);
/* The index of a column in a stream, or -1. */
int cat_column(const struct cat_stream *s, const char *name);
/* The file a table's stream is staged under in a folder of streams: "NAME.tsv" of SCHEMA.NAME. */
const char *cat_table_file(const struct cat_table *t, char *buf, size_t size);
/* The table a stream is loaded into, by SCHEMA.NAME, with its stream; NULL when none. */
const struct cat_table *catalog_table(const struct catalog *c, const char *name, const struct cat_stream **stream);

/*
 * Does a value fit its column?  NULL when it does (an empty value fits a
 * column that may be NULL), else the reject reason: missing_value,
 * too_long, nul_byte, bad_integer, bad_money, bad_datetime or
 * out_of_range.
 */
const char *cat_check(const struct cat_column *c, const char *p, size_t n);
/* The column's SQL type, "VARCHAR(16)", "NUMERIC(14,2)"... */
const char *cat_type_sql(const struct cat_column *c, char *buf, size_t size);

#endif
