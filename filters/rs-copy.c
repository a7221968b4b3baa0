/*
 * rs-copy: a TSV stream -> a unit table, replacing exactly one batch, in one
 * transaction.  PostgreSQL by COPY FROM STDIN; Redshift through S3 staging
 * files (gzip parts and a manifest) and COPY.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/civil.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/gzout.h"
#include "lib/input.h"
#include "lib/lines.h"
#include "lib/pgdb.h"
#include "lib/spawn.h"
#include "lib/summary.h"

static const char usage[] =
"usage: rs-copy --table SCHEMA.TABLE --batch ID [--dsn DSN] [INPUT]\n"
"       rs-copy --table SCHEMA.TABLE --batch ID --stage s3://BUCKET/PREFIX\n"
"               [--iam-role ARN] [--parts N] [--gzip-level N] [--endpoint-url URL]\n"
"               [--region NAME] [--dry-run | --stage-only] [--dsn DSN] [INPUT]\n";

static const char help[] =
"rs-copy: load a TSV stream into a unit table, replacing exactly one batch\n"
"\n"
"  --table SCHEMA.TABLE  the table; stream columns are matched by header name\n"
"  --batch ID            the batch the stream is ([A-Za-z0-9._:-]); its rows\n"
"                        replace that batch's rows, in one transaction\n"
"  --dsn DSN             libpq connection string without a password (default:\n"
"                        the PG* environment, a service file, ~/.pgpass)\n"
"  --stage s3://B/P      Redshift: stage gzip parts and a manifest under\n"
"                        s3://B/P/SCHEMA.TABLE/ID/ with the AWS CLI (AWS_CLI,\n"
"                        default 'aws'), then COPY them in\n"
"  --iam-role ARN        the role Redshift reads S3 with (or RS_IAM_ROLE)\n"
"  --parts N             gzip parts (default: the cluster's slices; 4 unconnected)\n"
"  --gzip-level N        1-9 (default 3: see README)\n"
"  --endpoint-url URL    passed to the AWS CLI (S3-compatible stores)\n"
"  --region NAME         passed to the AWS CLI and to COPY\n"
"  --stage-only          stage the parts, print the SQL, load nothing\n"
"  --dry-run             write the parts locally, print every command and\n"
"                        statement, run none\n"
"  --help, --version\n"
"\n"
"Exit: 0 loaded; 1 nothing changed (bad stream, refused columns, database or\n"
"S3 error); 2 usage.\n";

#define COPY_BUF (1024 * 1024)
#define PART_BUF (256 * 1024)
#define PATHBUF 2048

struct load {
	const char *schema, *table, *batch, *dsn, *label;
	const char *stage, *iam_role, *endpoint, *region, *aws;
	int parts, level, dry_run, stage_only;
	char loaded_at[UTC_BUFSZ];
	char suffix[160];	/* "\tBATCH\tLOADED_AT\n", appended to every row */
	size_t suffix_len;
	struct input *in;
	struct lines lines;
	char **columns;
	int ncolumns;
	long rows;
	PGconn *conn;
};

static int
batch_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > 128)
		return 0;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-", *s))
			return 0;
	return 1;
}

/* A literal for SQL text; only plain printable ASCII reaches here (checked at start). */
static char *
literal(const struct load *ld, const char *s)
{
	if (ld->conn)
		return pgdb_literal(ld->conn, s);
	char *q = xmalloc(2 * strlen(s) + 3), *p = q;
	*p++ = '\'';
	for (; *s; s++) {
		if (*s == '\'')
			*p++ = '\'';
		*p++ = *s;
	}
	strcpy(p, "'");
	return q;
}

static char *
ident(const char *s)
{
	char *q = xmalloc(2 * strlen(s) + 3), *p = q;

	*p++ = '"';
	for (; *s; s++) {
		if (*s == '"')
			*p++ = '"';
		*p++ = *s;
	}
	strcpy(p, "\"");
	return q;
}

/* "schema"."table" ("c1", ..., "batch_id", "loaded_at") */
static char *
target(const struct load *ld)
{
	size_t cap = 256, len;
	char *s, *t = xmalloc(cap), *u;

	s = ident(ld->schema);
	u = ident(ld->table);
	len = snprintf(t, cap, "%s.%s (", s, u);
	free(s);
	free(u);
	for (int i = 0; i <= ld->ncolumns + 1; i++) {
		const char *name = i < ld->ncolumns ? ld->columns[i] :
		    i == ld->ncolumns ? "batch_id" : "loaded_at";
		char *q = ident(name);

		t = xrealloc(t, cap = len + strlen(q) + 8);
		len += snprintf(t + len, cap - len, "%s%s", q, i <= ld->ncolumns ? ", " : ")");
		free(q);
	}
	return t;
}

/* The stream's header: TAB-separated names, none of them ours. */
static int
read_header(struct load *ld)
{
	const char *p, *end, *tab;
	size_t n;
	int got = lines_next(&ld->lines, &p, &n);

	if (got <= 0) {
		if (got == 0)
			diag_at(ld->label, 1, "empty stream: no header");
		return -1;
	}
	if (n == 0 || memchr(p, '\r', n)) {
		diag_at(ld->label, 1, "not a TSV stream header (empty, or CR line ends)");
		return -1;
	}
	for (end = p + n;; p = tab + 1) {
		tab = memchr(p, '\t', end - p);
		size_t len = (tab ? tab : end) - p;
		char *name = xmalloc(len + 1);
		memcpy(name, p, len);
		name[len] = '\0';
		ld->columns = xrealloc(ld->columns, (ld->ncolumns + 1) * sizeof *ld->columns);
		ld->columns[ld->ncolumns++] = name;
		if (len == 0 || !strcmp(name, "batch_id") || !strcmp(name, "loaded_at")) {
			diag_at(ld->label, 1, len ? "the stream has %s: rs-copy sets it" :
			    "an empty column name%s", len ? name : "");
			return -1;
		}
		for (int i = 0; i + 1 < ld->ncolumns; i++)
			if (strcmp(ld->columns[i], name) == 0) {
				diag_at(ld->label, 1, "column %s appears twice", name);
				return -1;
			}
		if (tab == NULL)
			return 0;
	}
}

/* Every stream column in the table, every required table column in the stream. */
static int
check_columns(struct load *ld)
{
	struct table_columns tc;
	struct summary lacks = { .len = 0 }, missing = { .len = 0 };
	int ours = 0;

	if (pgdb_table_columns(ld->conn, ld->schema, ld->table, &tc) < 0)
		return -1;
	for (int i = 0; i < ld->ncolumns; i++) {
		int j = 0;

		while (j < tc.n && strcmp(tc.col[j].name, ld->columns[i]) != 0)
			j++;
		if (j == tc.n)
			summary_add(&lacks, "%s%s", lacks.len ? ", " : "", ld->columns[i]);
	}
	for (int j = 0; j < tc.n; j++) {
		const char *name = tc.col[j].name;
		int i = 0;

		if (!strcmp(name, "batch_id") || !strcmp(name, "loaded_at")) {
			ours++;
			continue;
		}
		while (i < ld->ncolumns && strcmp(name, ld->columns[i]) != 0)
			i++;
		if (i == ld->ncolumns && tc.col[j].not_null)
			summary_add(&missing, "%s%s", missing.len ? ", " : "", name);
	}
	pgdb_table_columns_free(&tc);
	if (lacks.len)
		diag_at(ld->label, 1, "%s.%s has no column(s): %s", ld->schema, ld->table, lacks.buf);
	if (missing.len)
		diag_at(ld->label, 1, "the stream lacks required column(s) of %s.%s: %s",
		    ld->schema, ld->table, missing.buf);
	if (ours != 2)
		diag("%s.%s has no batch_id and loaded_at columns: not a unit table", ld->schema, ld->table);
	return lacks.len || missing.len || ours != 2 ? -1 : 0;
}

/*
 * Each data line with batch_id and loaded_at appended, into out (which must
 * hold 2 * n + 160 bytes); backslashes doubled when escape is set (COPY's
 * text format).  -1 when the line has the wrong number of fields.
 */
static long
convert_line(const struct load *ld, const char *p, size_t n, int escape, char *out)
{
	const char *end = p + n, *q = p;
	int tabs = 0;
	char *o = out;

	while ((q = memchr(q, '\t', end - q)) != NULL)
		tabs++, q++;
	if (tabs != ld->ncolumns - 1 || memchr(p, '\r', n) != NULL)
		return -1;
	if (escape) {
		for (const char *bs; (bs = memchr(p, '\\', end - p)) != NULL; p = bs + 1) {
			memcpy(o, p, bs - p + 1);
			o += bs - p + 1;
			*o++ = '\\';
		}
	}
	memcpy(o, p, end - p);
	o += end - p;
	memcpy(o, ld->suffix, ld->suffix_len);
	return o + ld->suffix_len - out;
}

static void
bad_line(const struct load *ld, const char *p, size_t n)
{
	const char *q = p, *end = p + n;
	int fields = 1;

	while ((q = memchr(q, '\t', end - q)) != NULL)
		fields++, q++;
	if (memchr(p, '\r', n))
		diag_at(ld->label, ld->lines.lineno, "a CR in the line: not a TSV stream");
	else
		diag_at(ld->label, ld->lines.lineno, "%d fields, the header has %d", fields, ld->ncolumns);
}

/* COPY's own line number (data lines from 1) back to the stream's. */
static void
copy_error(const struct load *ld, PGresult *r)
{
	const char *ctx = PQresultErrorField(r, PG_DIAG_CONTEXT), *at;
	long line = 0;

	if (ctx && (at = strstr(ctx, ", line ")) != NULL)
		line = strtol(at + 7, NULL, 10) + 1;
	diag_at(ld->label, line, "%s.%s: %s", ld->schema, ld->table, pgdb_message(r, ld->conn));
}

static int
rollback(struct load *ld)
{
	pgdb_exec(ld->conn, "ROLLBACK");
	return -1;
}

static int
load_postgres(struct load *ld, long *replaced)
{
	char *tgt = target(ld), *sql, *buf = xmalloc(COPY_BUF), *name = xmalloc(strlen(ld->schema) + strlen(ld->table) + 2);
	const char *params[2] = { name, ld->batch };
	size_t len = 0, cap = COPY_BUF;
	const char *p;
	size_t n;
	int got, rc = -1;
	PGresult *r;

	sprintf(name, "%s.%s", ld->schema, ld->table);
	if (pgdb_exec(ld->conn, "BEGIN") < 0)
		goto out;
	/* Two loads of one batch never interleave; other batches go on. */
	r = PQexecParams(ld->conn, "SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))",
	    2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		diag("%s", pgdb_message(r, ld->conn));
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	sql = xmalloc(strlen(tgt) + 64);
	sprintf(sql, "DELETE FROM %.*s WHERE batch_id = $1", (int)(strchr(tgt, ' ') - tgt), tgt);
	r = PQexecParams(ld->conn, sql, 1, NULL, params + 1, NULL, NULL, 0);
	free(sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		diag("%s", pgdb_message(r, ld->conn));
		PQclear(r);
		goto fail;
	}
	*replaced = atol(PQcmdTuples(r));
	PQclear(r);

	sql = xmalloc(strlen(tgt) + 64);
	sprintf(sql, "COPY %s FROM STDIN WITH (FORMAT text, NULL '')", tgt);
	r = PQexec(ld->conn, sql);
	free(sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		diag("%s", pgdb_message(r, ld->conn));
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	while ((got = lines_next(&ld->lines, &p, &n)) > 0) {
		if (len + 2 * n + 160 > cap) {
			if (PQputCopyData(ld->conn, buf, len) != 1)
				break;
			len = 0;
			if (2 * n + 160 > cap)
				buf = xrealloc(buf, cap = 2 * n + 160);
		}
		long w = convert_line(ld, p, n, 1, buf + len);
		if (w < 0) {
			bad_line(ld, p, n);
			got = -1;
			break;
		}
		len += w;
		ld->rows++;
	}
	if (got < 0 || (len > 0 && PQputCopyData(ld->conn, buf, len) != 1)) {
		PQputCopyEnd(ld->conn, "rs-copy: bad input");
		PQclear(PQgetResult(ld->conn));
		goto fail;
	}
	if (PQputCopyEnd(ld->conn, NULL) != 1) {
		diag("%s", PQerrorMessage(ld->conn));
		goto fail;
	}
	r = PQgetResult(ld->conn);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		copy_error(ld, r);
		PQclear(r);
		while ((r = PQgetResult(ld->conn)) != NULL)
			PQclear(r);
		goto fail;
	}
	PQclear(r);
	while ((r = PQgetResult(ld->conn)) != NULL)
		PQclear(r);
	rc = pgdb_exec(ld->conn, "COMMIT");
	goto out;
fail:
	rollback(ld);
out:
	free(buf);
	free(tgt);
	free(name);
	return rc;
}

/* A staged file under base (a folder or an s3:// URL): part k, or the manifest when k < 0. */
static const char *
staged(char *buf, size_t size, const char *base, int k)
{
	int n = k < 0 ? snprintf(buf, size, "%s/manifest.json", base) :
	    snprintf(buf, size, "%s/part-%04d.tsv.gz", base, k);

	if (n < 0 || (size_t)n >= size)
		fatal(EXIT_USAGE, "staging path too long: %s", base);
	return buf;
}

/* The stream as gzip parts, each with the header, filled a block at a time in turn. */
static int
write_parts(struct load *ld, const char *dir, uint64_t *gz_bytes, uint64_t *sizes)
{
	struct gzout **gz = xmalloc(ld->parts * sizeof *gz);
	char *buf = xmalloc(PART_BUF), path[PATHBUF];
	size_t len = 0, cap = PART_BUF;
	int k = 0, got, rc = 0;
	const char *p;
	size_t n;

	for (int i = 0; i < ld->parts; i++) {
		if ((gz[i] = gzout_open(staged(path, sizeof path, dir, i), ld->level)) == NULL)
			fatal(EXIT_DATA, "cannot stage");
		for (int c = 0; c < ld->ncolumns; c++) {
			gzout_write(gz[i], ld->columns[c], strlen(ld->columns[c]));
			gzout_write(gz[i], "\t", 1);
		}
		gzout_write(gz[i], "batch_id\tloaded_at\n", 19);
	}
	while ((got = lines_next(&ld->lines, &p, &n)) > 0) {
		if (len + 2 * n + 160 > cap) {
			if (gzout_write(gz[k], buf, len) < 0)
				rc = -1;
			k = (k + 1) % ld->parts;
			len = 0;
			if (2 * n + 160 > cap)
				buf = xrealloc(buf, cap = 2 * n + 160);
		}
		/* Redshift reads backslashes literally without COPY's ESCAPE option. */
		long w = convert_line(ld, p, n, 0, buf + len);
		if (w < 0) {
			bad_line(ld, p, n);
			rc = -1;
			break;
		}
		len += w;
		ld->rows++;
	}
	if (got < 0)
		rc = -1;
	if (len > 0 && gzout_write(gz[k], buf, len) < 0)
		rc = -1;
	*gz_bytes = 0;
	for (int i = 0; i < ld->parts; i++) {
		if (gzout_close(gz[i], NULL, &sizes[i]) < 0)
			rc = -1;
		*gz_bytes += sizes[i];
	}
	free(gz);
	free(buf);
	return rc;
}

static int
write_manifest(const struct load *ld, const char *dir, const char *url, const uint64_t *sizes)
{
	char path[PATHBUF], part[PATHBUF];
	FILE *fp;

	if ((fp = fopen(staged(path, sizeof path, dir, -1), "w")) == NULL) {
		diag("%s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(fp, "{\n  \"entries\": [\n");
	for (int i = 0; i < ld->parts; i++)
		fprintf(fp, "    {\"url\": \"%s\", \"mandatory\": true, "
		    "\"meta\": {\"content_length\": %llu}}%s\n", staged(part, sizeof part, url, i),
		    (unsigned long long)sizes[i], i + 1 < ld->parts ? "," : "");
	fprintf(fp, "  ]\n}\n");
	if (fclose(fp) != 0) {
		diag("%s: write error", path);
		return -1;
	}
	return 0;
}

static int
upload(const struct load *ld, const char *file, const char *url)
{
	char *argv[12];
	int a = 0;

	argv[a++] = (char *)ld->aws;
	argv[a++] = "s3";
	argv[a++] = "cp";
	argv[a++] = "--only-show-errors";
	if (ld->endpoint) {
		argv[a++] = "--endpoint-url";
		argv[a++] = (char *)ld->endpoint;
	}
	if (ld->region) {
		argv[a++] = "--region";
		argv[a++] = (char *)ld->region;
	}
	argv[a++] = (char *)file;
	argv[a++] = (char *)url;
	argv[a] = NULL;
	if (ld->dry_run) {
		spawn_print(argv);
		return 0;
	}
	int status = spawn_wait(argv);
	if (status != 0) {
		diag("upload of %s to %s failed (%s exit %d)", file, url, ld->aws, status);
		return -1;
	}
	return 0;
}

static void
print_load_errors(struct load *ld)
{
	PGresult *r = PQexec(ld->conn,
	    "SELECT TRIM(filename), line_number, TRIM(colname), TRIM(err_reason), TRIM(raw_field_value) "
	    "FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY line_number LIMIT 20");

	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		for (int i = 0; i < PQntuples(r); i++)
			diag("%s:%s: column %s: %s (value '%s')", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
			    PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4));
	else
		diag("cannot read stl_load_errors: %s", pgdb_message(r, ld->conn));
	PQclear(r);
}

static int
load_redshift(struct load *ld, long *replaced, struct summary *sum)
{
	char tdir[PATHBUF], url[PATHBUF], file[PATHBUF], dst[PATHBUF], *tgt, *stmt[4];
	uint64_t gz_bytes, *sizes = xmalloc(ld->parts * sizeof *sizes);
	const char *tmp = getenv("TMPDIR");
	char *manifest, *role, *region = NULL;
	int rc = -1, k;

	snprintf(tdir, sizeof tdir, "%s/rs-copy.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(tdir) == NULL) {
		diag("%s: %s", tdir, strerror(errno));
		free(sizes);
		return -1;
	}
	snprintf(url, sizeof url, "%s/%s.%s/%s", ld->stage, ld->schema, ld->table, ld->batch);
	if (write_parts(ld, tdir, &gz_bytes, sizes) < 0 || write_manifest(ld, tdir, url, sizes) < 0)
		goto out;
	if (ld->dry_run)
		printf("# %d parts and a manifest in %s\n", ld->parts, tdir);
	/* The manifest last: it names only parts that are already there. */
	for (k = 0; k <= ld->parts; k++) {
		int part = k < ld->parts ? k : -1;

		if (upload(ld, staged(file, sizeof file, tdir, part), staged(dst, sizeof dst, url, part)) < 0)
			goto out;
	}

	tgt = target(ld);
	manifest = literal(ld, staged(dst, sizeof dst, url, -1));
	role = literal(ld, ld->iam_role ? ld->iam_role : "arn:aws:iam::ACCOUNT:role/ROLE");
	if (ld->region) {
		char *q = literal(ld, ld->region);
		region = xmalloc(strlen(q) + 16);
		sprintf(region, " REGION %s", q);
		free(q);
	}
	char *batch = literal(ld, ld->batch);
	stmt[0] = xstrdup("BEGIN");
	stmt[1] = xmalloc(strlen(tgt) + 64);
	sprintf(stmt[1], "DELETE FROM %.*s WHERE batch_id = %s", (int)(strchr(tgt, ' ') - tgt), tgt, batch);
	stmt[2] = xmalloc(strlen(tgt) + strlen(manifest) + strlen(role) + 512);
	sprintf(stmt[2], "COPY %s FROM %s IAM_ROLE %s MANIFEST GZIP DELIMITER '\\t' IGNOREHEADER 1 "
	    "EMPTYASNULL TIMEFORMAT 'YYYY-MM-DD HH:MI:SS' DATEFORMAT 'YYYY-MM-DD' "
	    "COMPUPDATE OFF STATUPDATE OFF%s", tgt, manifest, role, region ? region : "");
	stmt[3] = xstrdup("COMMIT");
	free(batch);
	free(tgt);
	free(manifest);
	free(role);
	free(region);

	if (ld->dry_run || ld->stage_only) {
		for (k = 0; k < 4; k++)
			printf("%s;\n", stmt[k]);
		rc = 0;
	} else {
		rc = 0;
		for (k = 0; k < 4 && rc == 0; k++) {
			PGresult *r = PQexec(ld->conn, stmt[k]);

			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				diag("%s: %s", k == 2 ? "COPY" : stmt[k], pgdb_message(r, ld->conn));
				rc = -1;
			} else if (k == 1)
				*replaced = atol(PQcmdTuples(r));
			PQclear(r);
		}
		if (rc < 0) {
			rollback(ld);
			if (k == 3)
				print_load_errors(ld);
		}
	}
	for (k = 0; k < 4; k++)
		free(stmt[k]);
	summary_add(sum, ", staged %d parts (%.1f MB gzip) at %s", ld->parts, gz_bytes / 1e6, url);
out:
	if (!ld->dry_run) {
		for (k = -1; k < ld->parts; k++)
			unlink(staged(file, sizeof file, tdir, k));
		rmdir(tdir);
	}
	free(sizes);
	return rc;
}

static int
printable_ascii(const char *s)
{
	for (; *s; s++)
		if (*s < ' ' || *s > '~' || *s == '\\' || *s == '\'')
			return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	enum { O_TABLE = 1, O_BATCH, O_DSN, O_STAGE, O_ROLE, O_PARTS, O_LEVEL, O_ENDPOINT,
	    O_REGION, O_DRY, O_STAGE_ONLY };
	static const struct option longopts[] = {
		{ "table", required_argument, NULL, O_TABLE },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "dsn", required_argument, NULL, O_DSN },
		{ "stage", required_argument, NULL, O_STAGE },
		{ "iam-role", required_argument, NULL, O_ROLE },
		{ "parts", required_argument, NULL, O_PARTS },
		{ "gzip-level", required_argument, NULL, O_LEVEL },
		{ "endpoint-url", required_argument, NULL, O_ENDPOINT },
		{ "region", required_argument, NULL, O_REGION },
		{ "dry-run", no_argument, NULL, O_DRY },
		{ "stage-only", no_argument, NULL, O_STAGE_ONLY },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct load ld = { .level = 3, .aws = getenv("AWS_CLI"), .iam_role = getenv("RS_IAM_ROLE") };
	struct summary sum = { .len = 0 };
	const char *table = NULL;
	char *stage = NULL;
	long replaced = 0;
	int c, rc;
	char *dot;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		switch (c) {
		case O_TABLE: table = optarg; break;
		case O_BATCH: ld.batch = optarg; break;
		case O_DSN: ld.dsn = optarg; break;
		case O_STAGE: ld.stage = optarg; break;
		case O_ROLE: ld.iam_role = optarg; break;
		case O_PARTS: ld.parts = atoi(optarg); if (ld.parts < 1 || ld.parts > 9999) usage_error(usage, "--parts takes 1 to 9999"); break;
		case O_LEVEL: ld.level = atoi(optarg); if (ld.level < 1 || ld.level > 9) usage_error(usage, "--gzip-level takes 1 to 9"); break;
		case O_ENDPOINT: ld.endpoint = optarg; break;
		case O_REGION: ld.region = optarg; break;
		case O_DRY: ld.dry_run = 1; break;
		case O_STAGE_ONLY: ld.stage_only = 1; break;
		case OPT_HELP: cli_help(help); break;
		case OPT_VERSION: cli_version(); break;
		default: usage_error(usage, "unknown option");
		}
	if (table == NULL || (dot = strchr(table, '.')) == NULL || dot == table || dot[1] == '\0')
		usage_error(usage, "--table SCHEMA.TABLE is required");
	if (ld.batch == NULL || !batch_ok(ld.batch))
		usage_error(usage, "--batch is required: letters, digits and ._:- only");
	if (argc - optind > 1)
		usage_error(usage, "one input at most");
	if ((ld.dry_run || ld.stage_only || ld.parts || ld.endpoint || ld.region) && !ld.stage)
		usage_error(usage, "--dry-run, --stage-only, --parts, --endpoint-url and --region need --stage");
	if (ld.stage && (strncmp(ld.stage, "s3://", 5) != 0 || !printable_ascii(ld.stage) || strchr(ld.stage, ' ')))
		usage_error(usage, "--stage takes s3://BUCKET/PREFIX");
	if (ld.iam_role && !printable_ascii(ld.iam_role))
		usage_error(usage, "--iam-role takes an ARN");
	if (ld.region && !printable_ascii(ld.region))
		usage_error(usage, "--region takes a region name");
	if (ld.stage && !ld.dry_run && !ld.stage_only && !ld.iam_role)
		usage_error(usage, "loading from S3 needs --iam-role or RS_IAM_ROLE");
	if (ld.aws == NULL || *ld.aws == '\0')
		ld.aws = "aws";
	ld.schema = xstrdup(table);
	((char *)ld.schema)[dot - table] = '\0';
	ld.table = ld.schema + (dot - table) + 1;
	if (ld.stage && ld.stage[strlen(ld.stage) - 1] == '/') {
		stage = xstrdup(ld.stage);
		stage[strlen(stage) - 1] = '\0';
		ld.stage = stage;
	}
	format_utc(time(NULL), ld.loaded_at);
	ld.suffix_len = snprintf(ld.suffix, sizeof ld.suffix, "\t%s\t%s\n", ld.batch, ld.loaded_at);

	if ((ld.in = input_open(optind < argc ? argv[optind] : "-")) == NULL || input_next(ld.in) <= 0)
		exit(EXIT_DATA);
	ld.label = input_label(ld.in);
	lines_init(&ld.lines, ld.in);
	if (read_header(&ld) < 0)
		exit(EXIT_DATA);
	if (!ld.dry_run && !ld.stage_only) {
		if ((ld.conn = pgdb_connect(ld.dsn)) == NULL || check_columns(&ld) < 0)
			exit(EXIT_DATA);
	}
	if (ld.stage && ld.parts == 0) {
		ld.parts = 4;
		if (ld.conn) {
			PGresult *r = PQexec(ld.conn, "SELECT COUNT(*) FROM stv_slices");

			if (PQresultStatus(r) == PGRES_TUPLES_OK && atoi(PQgetvalue(r, 0, 0)) > 0)
				ld.parts = atoi(PQgetvalue(r, 0, 0));
			PQclear(r);
		}
	}

	rc = ld.stage ? load_redshift(&ld, &replaced, &sum) : load_postgres(&ld, &replaced);

	struct summary line = { .len = 0 };
	summary_add(&line, "rows in %ld, ", ld.rows);
	if (rc < 0)
		summary_add(&line, "loaded 0: %s.%s batch %s unchanged", ld.schema, ld.table, ld.batch);
	else if (ld.dry_run || ld.stage_only)
		summary_add(&line, "loaded 0 (%s)", ld.dry_run ? "--dry-run" : "--stage-only");
	else
		summary_add(&line, "loaded %ld into %s.%s batch %s (replaced %ld)", ld.rows, ld.schema,
		    ld.table, ld.batch, replaced);
	summary_add(&line, "%s", sum.buf);
	summary_print(&line);
	if (ld.conn)
		PQfinish(ld.conn);
	lines_free(&ld.lines);
	input_close(ld.in);
	for (int i = 0; i < ld.ncolumns; i++)
		free(ld.columns[i]);
	free(ld.columns);
	free((char *)ld.schema);
	free(stage);
	return rc < 0 ? EXIT_DATA : 0;
}
