/*
 * The PostgreSQL load: every load of a run in one transaction.  The loads
 * of one table and header form a group: its batches are deleted at once and
 * its streams go through one COPY FROM STDIN, one after another, so that a
 * month of days costs a dozen statements, not thousands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "load.h"

static int
copy_sink(void *ctx, const char *buf, size_t len)
{
	return PQputCopyData(ctx, buf, len) == 1 ? 0 : -1;
}

/* COPY's own line number (data lines from 1, across the group) back to a stream's. */
static void
copy_error(const struct run *r, int group, PGresult *res)
{
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT), *at;
	long line = 0;
	const struct load *ld = NULL;

	if (ctx && (at = strstr(ctx, ", line ")) != NULL)
		line = strtol(at + 7, NULL, 10);
	for (int i = 0; i < r->nloads; i++) {
		if (r->loads[i].group != group)
			continue;
		ld = &r->loads[i];
		if (line <= ld->rows)
			break;
		line -= ld->rows;
	}
	diag_at(ld ? ld->label : NULL, line > 0 ? line + 1 : 0, "%s.%s: %s", ld->schema, ld->table,
	    pgdb_message(res, r->conn));
}

/* Two loads of one batch never interleave; other batches go on. */
static int
lock_batches(struct run *r, int group)
{
	for (int i = 0; i < r->nloads; i++) {
		const struct load *ld = &r->loads[i];
		char name[512];
		const char *params[2] = { name, ld->batch };
		PGresult *res;

		if (ld->group != group)
			continue;
		snprintf(name, sizeof name, "%s.%s", ld->schema, ld->table);
		res = PQexecParams(r->conn, "SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))",
		    2, NULL, params, NULL, NULL, 0);
		if (PQresultStatus(res) != PGRES_TUPLES_OK) {
			diag("%s", pgdb_message(res, r->conn));
			PQclear(res);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

/* Delete the group's batches; each load learns how many rows of its batch it replaces. */
static int
delete_batches(struct run *r, int group, const struct load *first)
{
	char *table = sql_table(first), *batches = sql_batches(r, group);
	size_t n = strlen(table) + strlen(batches) + 160;
	char *sql = xmalloc(n);
	PGresult *res;
	int rc = 0;

	snprintf(sql, n, "WITH gone AS (DELETE FROM %s WHERE batch_id IN (%s) RETURNING batch_id) "
	    "SELECT batch_id, COUNT(*) FROM gone GROUP BY batch_id", table, batches);
	res = PQexec(r->conn, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		diag("%s", pgdb_message(res, r->conn));
		rc = -1;
	}
	for (int k = 0; rc == 0 && k < PQntuples(res); k++)
		for (int i = 0; i < r->nloads; i++)
			if (r->loads[i].group == group && strcmp(r->loads[i].batch, PQgetvalue(res, k, 0)) == 0)
				r->loads[i].replaced = atol(PQgetvalue(res, k, 1));
	PQclear(res);
	free(sql);
	free(table);
	free(batches);
	return rc;
}

static int
copy_group(struct run *r, int group)
{
	const struct load *first = NULL;
	PGresult *res;
	char *target, *sql;
	int rc = 0;

	for (int i = 0; i < r->nloads && first == NULL; i++)
		if (r->loads[i].group == group)
			first = &r->loads[i];
	if (lock_batches(r, group) < 0 || delete_batches(r, group, first) < 0)
		return -1;
	target = sql_target(first);
	sql = xmalloc(strlen(target) + 64);
	sprintf(sql, "COPY %s FROM STDIN WITH (FORMAT text, NULL '')", target);
	res = PQexec(r->conn, sql);
	free(sql);
	free(target);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		diag("%s", pgdb_message(res, r->conn));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	for (int i = 0; i < r->nloads && rc == 0; i++)
		if (r->loads[i].group == group)
			rc = stream_rows(r, &r->loads[i], 1, copy_sink, r->conn);
	if (rc < 0) {
		PQputCopyEnd(r->conn, "rs-copy: bad input");
		while ((res = PQgetResult(r->conn)) != NULL)
			PQclear(res);
		return -1;
	}
	if (PQputCopyEnd(r->conn, NULL) != 1) {
		diag("%s", PQerrorMessage(r->conn));
		return -1;
	}
	res = PQgetResult(r->conn);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		copy_error(r, group, res);
		rc = -1;
	}
	PQclear(res);
	while ((res = PQgetResult(r->conn)) != NULL)
		PQclear(res);
	return rc;
}

/* The identities a run loaded of an identity-`once` stream, out of the same batch of its other tables; said when any go. */
static int
delete_siblings(struct run *r)
{
	char **stmts;
	int n = sql_sibling_deletes(r, &stmts), rc = 0;

	for (int i = 0; i < n; i++) {
		char *sql = xasprintf("WITH gone AS (%s RETURNING 1) SELECT COUNT(*) FROM gone", stmts[i]);
		PGresult *res = NULL;

		if (rc == 0 && PQresultStatus(res = PQexec(r->conn, sql)) != PGRES_TUPLES_OK) {
			diag("%s", pgdb_message(res, r->conn));
			rc = -1;
		} else if (res && atol(PQgetvalue(res, 0, 0)) > 0)
			diag("%s: %s rows deleted: loaded into another table of their stream, whose identity is 'once'",
			    stmts[i], PQgetvalue(res, 0, 0));
		PQclear(res);
		free(sql);
		free(stmts[i]);
	}
	free(stmts);
	return rc;
}

int
postgres_load(struct run *r)
{
	char *records;
	int rc;

	if (pgdb_exec(r->conn, "BEGIN") < 0)
		return -1;
	rc = 0;
	for (int g = 0; g < r->ngroups && rc == 0; g++)
		rc = copy_group(r, g);
	if (rc == 0)
		rc = delete_siblings(r);
	/* Every load is recorded, zero rows too, with the run that made it: in the same transaction. */
	if (rc == 0 && (records = sql_load_records(r)) != NULL) {
		rc = pgdb_exec(r->conn, records);
		free(records);
	}
	if (rc == 0)
		rc = pgdb_exec(r->conn, "COMMIT");
	if (rc < 0)
		pgdb_exec(r->conn, "ROLLBACK");
	return rc;
}
