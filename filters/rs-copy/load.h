/*
 * rs-copy's parts: the streams it reads (stream.c), the PostgreSQL load
 * (postgres.c) and the Redshift staging (redshift.c), and what they share.
 */
#ifndef RS_COPY_LOAD_H
#define RS_COPY_LOAD_H

#include <stddef.h>

#include "lib/civil.h"
#include "lib/input.h"
#include "lib/lines.h"
#include "lib/pgdb.h"
#include "lib/summary.h"

/* One stream into one batch of one table. */
struct load {
	char *schema, *table;		/* "units", "lead" */
	char *batch;
	char *path;			/* the file, or "-" */
	char *label;			/* its name for diagnostics */
	char **columns;			/* the stream's header */
	int ncolumns;
	int group;			/* loads of one table and header share a COPY */
	long rows, replaced;
	int ended;			/* its end line was read, and was right */
	struct input *held;		/* standard input, open from its header on */
	struct lines held_lines;
};

/* What every load of a run shares. */
struct run {
	const char *dsn, *stage, *iam_role, *endpoint, *region, *aws, *run_id;
	int parts, level, dry_run, stage_only, no_end_line;
	char loaded_at[UTC_BUFSZ];	/* the rows' load time */
	char recorded_at[UTC_BUFSZ + 32];	/* the same, to the microsecond: orders lac.loads */
	PGconn *conn;
	struct load *loads;
	int nloads, ngroups;
};

/* stream.c: the header of a load's stream, read at the start (the file is closed again). -1 (diagnosed). */
int stream_header(struct load *ld);
/*
 * The data lines of a load's stream, each with its batch_id and loaded_at
 * appended (backslashes doubled when escape is set: COPY's text format),
 * handed to sink in blocks of about 1 MiB.  The end line must come last and
 * be right, unless the run takes streams without one.  0, or -1 (diagnosed);
 * the sink's -1 stops it too.
 */
typedef int (*block_sink)(void *ctx, const char *buf, size_t len);
int stream_rows(const struct run *r, struct load *ld, int escape, block_sink sink, void *ctx);

/* sql.c: quoting, and the names a statement uses. */
char *sql_quoted(const char *s, char q);
char *sql_literal(const struct run *r, const char *s);
/* "schema"."table" */
char *sql_table(const struct load *ld);
/* "schema"."table" ("c1", ..., "batch_id", "loaded_at") */
char *sql_target(const struct load *ld);
/* 'b1', 'b2', ...: the batches of a group (validated names). */
char *sql_batches(const struct run *r, int group);
/*
 * A row of a stream whose identity is `once` is in one of the stream's
 * tables (a rules change moves a transaction to another unit's table): for
 * each load of such a stream, a DELETE of the same identities from the
 * same batch of each of the stream's tables the run does not load it
 * into, to run after the COPY.  How many there are; *stmts (each and the
 * array malloc'd) holds them.
 */
int sql_sibling_deletes(const struct run *r, char ***stmts);
/* One row of lac.loads for each load: an INSERT, or NULL when there are none. */
char *sql_load_records(const struct run *r);

/* postgres.c: every load in one transaction, with COPY FROM STDIN. */
int postgres_load(struct run *r);
/* redshift.c: every load staged in S3 and copied in one transaction (or printed). */
int redshift_load(struct run *r, struct summary *sum);

#endif
