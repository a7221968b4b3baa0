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
#include "lib/tally.h"
#include "lib/tsvout.h"

static const char usage[] =
"usage: rs-copy --table SCHEMA.TABLE --batch ID [--dsn DSN] [INPUT]\n"
"       rs-copy --load SCHEMA.TABLE@BATCH=FILE ... [--dsn DSN]\n"
"       rs-copy --table SCHEMA.TABLE --batch ID --stage s3://BUCKET/PREFIX\n"
"               [--iam-role ARN] [--parts N] [--gzip-level N] [--endpoint-url URL]\n"
"               [--region NAME] [--dry-run | --stage-only] [--dsn DSN] [INPUT]\n";

static const char help[] =
"rs-copy: load a TSV stream into a unit table, replacing exactly one batch\n"
"\n"
"  --table SCHEMA.TABLE  the table; stream columns are matched by header name\n"
"  --batch ID            the batch the stream is ([A-Za-z0-9._:-]); its rows\n"
"                        replace that batch's rows, in one transaction\n"
"  --load SCHEMA.TABLE@BATCH=FILE\n"
"                        one of several loads; all of them in one transaction\n"
"                        (a nightly run lands whole or not at all)\n"
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
"  --no-end-line         load a stream that has no end line (one made by hand);\n"
"                        a program's stream ends with \"#end N\", and without\n"
"                        it (a producer that failed upstream) nothing is loaded\n"
"  --help, --version\n"
"\n"
"Exit: 0 loaded; 1 nothing changed (bad stream, refused columns, database or\n"
"S3 error); 2 usage.\n";

#define COPY_BUF (1024 * 1024)
#define PATHBUF 2048

struct load {
	const char *schema, *table, *batch, *dsn, *label;
	const char *stage, *iam_role, *endpoint, *region, *aws;
	int parts, level, dry_run, stage_only;
	int no_end_line;	/* a stream made by hand: loaded without an end line */
	int ended;		/* its end line was read, and was right */
	char loaded_at[UTC_BUFSZ];
	long replaced;
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

/* s between two q, each q inside doubled: an SQL identifier ("), or a literal (') without E''. */
static char *
quoted(const char *s, char q)
{
	char *out = xmalloc(2 * strlen(s) + 3), *p = out;

	*p++ = q;
	for (; *s; s++) {
		if (*s == q)
			*p++ = q;
		*p++ = *s;
	}
	*p++ = q;
	*p = '\0';
	return out;
}

/* A literal for SQL text; only plain printable ASCII reaches here (checked at start). */
static char *
literal(const struct load *ld, const char *s)
{
	return ld->conn ? pgdb_literal(ld->conn, s) : quoted(s, '\'');
}

static char *
ident(const char *s)
{
	return quoted(s, '"');
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

/*
 * The stream's data lines, converted (batch_id and loaded_at appended,
 * backslashes doubled when escape is set), handed to sink in blocks of about
 * COPY_BUF bytes.  0; -1 on a bad line or a read error (diagnosed); the
 * sink's own -1 stops it too.
 */
typedef int (*block_sink)(void *ctx, const char *buf, size_t len);

static int
convert_stream(struct load *ld, int escape, block_sink sink, void *ctx)
{
	size_t len = 0, cap = COPY_BUF, n;
	char *buf = xmalloc(cap);
	const char *p;
	int got, rc = 0;

	while ((got = lines_next(&ld->lines, &p, &n)) > 0) {
		long said;

		if (ld->ended) {
			diag_at(ld->label, ld->lines.lineno, "a line after the end line");
			rc = -1;
			break;
		}
		if (tsv_end_line(p, n, &said)) {
			if (said != ld->rows) {
				diag_at(ld->label, ld->lines.lineno, "the end line says %ld rows; the stream has %ld",
				    said, ld->rows);
				rc = -1;
				break;
			}
			ld->ended = 1;
			continue;
		}
		if (len + 2 * n + 160 > cap) {
			if (sink(ctx, buf, len) < 0) {
				rc = -1;
				break;
			}
			len = 0;
			if (2 * n + 160 > cap)
				buf = xrealloc(buf, cap = 2 * n + 160);
		}
		long w = convert_line(ld, p, n, escape, buf + len);
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
	/* No end line: the producer stopped before it finished (or died), and its rows are not all here. */
	if (rc == 0 && !ld->ended && !ld->no_end_line) {
		diag_at(ld->label, ld->lines.lineno + 1, "the stream ends without its end line: what wrote it did not "
		    "finish; nothing is loaded (a stream made by hand: --no-end-line)");
		rc = -1;
	}
	if (rc == 0 && len > 0 && sink(ctx, buf, len) < 0)
		rc = -1;
	free(buf);
	return rc;
}

static int
copy_sink(void *ctx, const char *buf, size_t len)
{
	return PQputCopyData(ctx, buf, len) == 1 ? 0 : -1;
}

/* Parts are filled a block at a time in turn. */
struct parts_sink {
	struct gzout **gz;
	int parts, next, failed;
};

static int
parts_sink(void *ctx, const char *buf, size_t len)
{
	struct parts_sink *ps = ctx;

	if (gzout_write(ps->gz[ps->next], buf, len) < 0)
		ps->failed = 1;
	ps->next = (ps->next + 1) % ps->parts;
	return 0;	/* a write error is reported once the parts are closed */
}

/* One stream into its table, inside the caller's transaction: lock, delete the batch, COPY. */
static int
load_postgres(struct load *ld, long *replaced)
{
	char *tgt = target(ld), *sql, *name = xmalloc(strlen(ld->schema) + strlen(ld->table) + 2);
	const char *params[2] = { name, ld->batch };
	int rc = -1;
	PGresult *r;

	sprintf(name, "%s.%s", ld->schema, ld->table);
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
	if (convert_stream(ld, 1, copy_sink, ld->conn) < 0) {
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
	rc = 0;
fail:
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
	struct parts_sink ps = { .gz = xmalloc(ld->parts * sizeof *ps.gz), .parts = ld->parts };
	char path[PATHBUF];
	int rc;

	for (int i = 0; i < ld->parts; i++) {
		if ((ps.gz[i] = gzout_open(staged(path, sizeof path, dir, i), ld->level)) == NULL)
			fatal(EXIT_DATA, "cannot stage");
		for (int c = 0; c < ld->ncolumns; c++) {
			gzout_write(ps.gz[i], ld->columns[c], strlen(ld->columns[c]));
			gzout_write(ps.gz[i], "\t", 1);
		}
		gzout_write(ps.gz[i], "batch_id\tloaded_at\n", 19);
	}
	/* Redshift reads backslashes literally without COPY's ESCAPE option. */
	rc = convert_stream(ld, 0, parts_sink, &ps);
	if (ps.failed)
		rc = -1;
	*gz_bytes = 0;
	for (int i = 0; i < ld->parts; i++) {
		if (gzout_close(ps.gz[i], NULL, &sizes[i]) < 0)
			rc = -1;
		*gz_bytes += sizes[i];
	}
	free(ps.gz);
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

/*
 * One stream staged for Redshift: gzip parts and a manifest uploaded to S3.
 * Its DELETE and COPY statements go to *del and *copy, for the caller's
 * transaction.
 */
static int
stage_redshift(struct load *ld, char **del, char **copy, struct summary *sum)
{
	char tdir[PATHBUF], url[PATHBUF], file[PATHBUF], dst[PATHBUF], *tgt;
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
	*del = xmalloc(strlen(tgt) + strlen(batch) + 64);
	sprintf(*del, "DELETE FROM %.*s WHERE batch_id = %s", (int)(strchr(tgt, ' ') - tgt), tgt, batch);
	*copy = xmalloc(strlen(tgt) + strlen(manifest) + strlen(role) + 512);
	sprintf(*copy, "COPY %s FROM %s IAM_ROLE %s MANIFEST GZIP DELIMITER '\\t' IGNOREHEADER 1 "
	    "EMPTYASNULL TIMEFORMAT 'YYYY-MM-DD HH:MI:SS' DATEFORMAT 'YYYY-MM-DD' "
	    "COMPUPDATE OFF STATUPDATE OFF%s", tgt, manifest, role, region ? region : "");
	free(batch);
	free(tgt);
	free(manifest);
	free(role);
	free(region);
	rc = 0;
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

/* "SCHEMA.TABLE" into ld's schema and table; 0, or -1 when it is not that shape. */
static int
set_table(struct load *ld, const char *table, size_t n)
{
	char *copy = xstrndup(table, n), *dot = strchr(copy, '.');

	if (dot == NULL || dot == copy || dot[1] == '\0' || strchr(dot + 1, '.')) {
		free(copy);
		return -1;
	}
	*dot = '\0';
	ld->schema = copy;
	ld->table = dot + 1;
	return 0;
}

/* Run SQL in the session; on failure the server's message, named by what. */
static int
run_sql(PGconn *c, const char *sql, const char *what, long *affected)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	if (!ok)
		diag("%s: %s", what, pgdb_message(r, c));
	else if (affected)
		*affected = atol(PQcmdTuples(r));
	PQclear(r);
	return ok ? 0 : -1;
}

/* Every load in one transaction: all of them land, or none does. */
static int
load_all(struct load *lds, int n, struct summary *sum)
{
	PGconn *c = lds[0].conn;
	int i, rc = 0;

	if (!lds[0].stage) {
		if (pgdb_exec(c, "BEGIN") < 0)
			return -1;
		for (i = 0; i < n && rc == 0; i++)
			rc = load_postgres(&lds[i], &lds[i].replaced);
		if (rc == 0)
			rc = pgdb_exec(c, "COMMIT");
		if (rc < 0)
			pgdb_exec(c, "ROLLBACK");
		return rc;
	}
	char **del = xmalloc(n * sizeof *del), **copy = xmalloc(n * sizeof *copy);
	for (i = 0; i < n && rc == 0; i++)
		rc = stage_redshift(&lds[i], &del[i], &copy[i], sum);
	int staged = i - (rc < 0);
	if (rc == 0 && (lds[0].dry_run || lds[0].stage_only)) {
		printf("BEGIN;\n");
		for (i = 0; i < n; i++)
			printf("%s;\n%s;\n", del[i], copy[i]);
		printf("COMMIT;\n");
	} else if (rc == 0) {
		rc = run_sql(c, "BEGIN", "BEGIN", NULL);
		for (i = 0; i < n && rc == 0; i++)
			if ((rc = run_sql(c, del[i], "DELETE", &lds[i].replaced)) == 0 &&
			    (rc = run_sql(c, copy[i], "COPY", NULL)) < 0) {
				pgdb_exec(c, "ROLLBACK");
				print_load_errors(&lds[i]);
				break;
			}
		if (rc == 0)
			rc = run_sql(c, "COMMIT", "COMMIT", NULL);
		else if (i == n)
			pgdb_exec(c, "ROLLBACK");
	}
	for (i = 0; i < staged; i++) {
		free(del[i]);
		free(copy[i]);
	}
	free(del);
	free(copy);
	return rc;
}

int
main(int argc, char **argv)
{
	enum { O_TABLE = 1, O_BATCH, O_LOAD, O_DSN, O_STAGE, O_ROLE, O_PARTS, O_LEVEL, O_ENDPOINT,
	    O_REGION, O_DRY, O_STAGE_ONLY, O_NO_END };
	static const struct option longopts[] = {
		{ "table", required_argument, NULL, O_TABLE },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "load", required_argument, NULL, O_LOAD },
		{ "dsn", required_argument, NULL, O_DSN },
		{ "stage", required_argument, NULL, O_STAGE },
		{ "iam-role", required_argument, NULL, O_ROLE },
		{ "parts", required_argument, NULL, O_PARTS },
		{ "gzip-level", required_argument, NULL, O_LEVEL },
		{ "endpoint-url", required_argument, NULL, O_ENDPOINT },
		{ "region", required_argument, NULL, O_REGION },
		{ "dry-run", no_argument, NULL, O_DRY },
		{ "stage-only", no_argument, NULL, O_STAGE_ONLY },
		{ "no-end-line", no_argument, NULL, O_NO_END },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	/* What every load shares; each one then gets its table, batch and input. */
	struct load common = { .level = 3, .aws = getenv("AWS_CLI"), .iam_role = getenv("RS_IAM_ROLE") };
	struct load *lds;
	char **specs = xmalloc(argc * sizeof *specs), *stage = NULL, loaded_at[UTC_BUFSZ];
	const char *table = NULL;
	struct reject_options ro = { 0 };
	int nspecs = 0, n, c, rc = 0;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		switch (c) {
		case O_TABLE: table = optarg; break;
		case O_BATCH: common.batch = optarg; break;
		case O_LOAD: specs[nspecs++] = optarg; break;
		case O_DSN: common.dsn = optarg; break;
		case O_STAGE: common.stage = optarg; break;
		case O_ROLE: common.iam_role = optarg; break;
		case O_PARTS: common.parts = atoi(optarg); if (common.parts < 1 || common.parts > 9999) usage_error(usage, "--parts takes 1 to 9999"); break;
		case O_LEVEL: common.level = atoi(optarg); if (common.level < 1 || common.level > 9) usage_error(usage, "--gzip-level takes 1 to 9"); break;
		case O_ENDPOINT: common.endpoint = optarg; break;
		case O_REGION: common.region = optarg; break;
		case O_DRY: common.dry_run = 1; break;
		case O_STAGE_ONLY: common.stage_only = 1; break;
		case O_NO_END: common.no_end_line = 1; break;
		default:
			if (c == OPT_REJECTS || c == OPT_MAX_REJECTS || c == OPT_HEADER ||
			    !cli_common_option(c, optarg, help, &ro))
				usage_error(usage, "unknown option");
		}
	if (nspecs > 0 && (table || common.batch || optind < argc))
		usage_error(usage, "--load takes the place of --table, --batch and INPUT");
	if (nspecs == 0 && (table == NULL || set_table(&common, table, strlen(table)) < 0))
		usage_error(usage, "--table SCHEMA.TABLE is required");
	if (nspecs == 0 && (common.batch == NULL || !batch_ok(common.batch)))
		usage_error(usage, "--batch is required: letters, digits and ._:- only");
	if (argc - optind > 1)
		usage_error(usage, "one input at most");
	if ((common.dry_run || common.stage_only || common.parts || common.endpoint || common.region) && !common.stage)
		usage_error(usage, "--dry-run, --stage-only, --parts, --endpoint-url and --region need --stage");
	if (common.stage && (strncmp(common.stage, "s3://", 5) != 0 || !printable_ascii(common.stage) || strchr(common.stage, ' ')))
		usage_error(usage, "--stage takes s3://BUCKET/PREFIX");
	if (common.iam_role && !printable_ascii(common.iam_role))
		usage_error(usage, "--iam-role takes an ARN");
	if (common.region && !printable_ascii(common.region))
		usage_error(usage, "--region takes a region name");
	if (common.stage && !common.dry_run && !common.stage_only && !common.iam_role)
		usage_error(usage, "loading from S3 needs --iam-role or RS_IAM_ROLE");
	if (common.aws == NULL || *common.aws == '\0')
		common.aws = "aws";
	if (common.stage && common.stage[strlen(common.stage) - 1] == '/') {
		stage = xstrdup(common.stage);
		stage[strlen(stage) - 1] = '\0';
		common.stage = stage;
	}
	/* One load time for the whole run: its rows are one load. */
	format_utc(time(NULL), loaded_at);

	n = nspecs ? nspecs : 1;
	lds = xmalloc(n * sizeof *lds);
	for (int i = 0; i < n; i++) {
		struct load *ld = &lds[i];
		const char *input = optind < argc ? argv[optind] : "-";

		*ld = common;
		if (nspecs) {
			/* SCHEMA.TABLE@BATCH=FILE */
			const char *at = strchr(specs[i], '@'), *eq = at ? strchr(at, '=') : NULL;
			char *batch = eq ? xstrndup(at + 1, eq - at - 1) : NULL;

			if (at == NULL || eq == NULL || set_table(ld, specs[i], at - specs[i]) < 0 || !batch_ok(batch))
				usage_error(usage, "--load takes SCHEMA.TABLE@BATCH=FILE, not '%s'", specs[i]);
			ld->batch = batch;
			input = eq + 1;
		} else
			set_table(ld, table, strlen(table));
		memcpy(ld->loaded_at, loaded_at, sizeof loaded_at);
		ld->suffix_len = snprintf(ld->suffix, sizeof ld->suffix, "\t%s\t%s\n", ld->batch, ld->loaded_at);
		if ((ld->in = input_open(input)) == NULL || input_next(ld->in) <= 0)
			exit(EXIT_DATA);
		ld->label = input_label(ld->in);
		lines_init(&ld->lines, ld->in);
		if (read_header(ld) < 0)
			exit(EXIT_DATA);
	}
	if (!common.dry_run && !common.stage_only) {
		PGconn *conn = pgdb_connect(common.dsn);

		if (conn == NULL)
			exit(EXIT_DATA);
		for (int i = 0; i < n; i++)
			lds[i].conn = conn;
		for (int i = 0; i < n; i++)
			if (check_columns(&lds[i]) < 0)
				rc = -1;
		if (rc < 0)
			exit(EXIT_DATA);
	}
	if (common.stage && common.parts == 0) {
		int parts = 4;

		if (lds[0].conn) {
			PGresult *r = PQexec(lds[0].conn, "SELECT COUNT(*) FROM stv_slices");

			if (PQresultStatus(r) == PGRES_TUPLES_OK && atoi(PQgetvalue(r, 0, 0)) > 0)
				parts = atoi(PQgetvalue(r, 0, 0));
			PQclear(r);
		}
		for (int i = 0; i < n; i++)
			lds[i].parts = parts;
	}

	struct summary staging = { .len = 0 };
	struct tally *tally = tally_open(ro.summary);
	rc = load_all(lds, n, &staging);

	for (int i = 0; i < n; i++) {
		struct load *ld = &lds[i];
		struct summary line = { .len = 0 };

		summary_add(&line, "rows in %ld, ", ld->rows);
		if (rc < 0)
			summary_add(&line, "loaded 0: %s.%s batch %s unchanged", ld->schema, ld->table, ld->batch);
		else if (ld->dry_run || ld->stage_only)
			summary_add(&line, "loaded 0 (%s)", ld->dry_run ? "--dry-run" : "--stage-only");
		else
			summary_add(&line, "loaded %ld into %s.%s batch %s (replaced %ld)", ld->rows, ld->schema,
			    ld->table, ld->batch, ld->replaced);
		if (n == 1)
			summary_add(&line, "%s", staging.buf);
		summary_print(&line);
		char table_name[256];
		snprintf(table_name, sizeof table_name, "%s.%s", ld->schema, ld->table);
		tally_add(tally, ld->label, table_name, "rows_in", ld->batch, ld->rows);
		tally_add(tally, ld->label, table_name, "loaded", ld->batch,
		    rc < 0 || ld->dry_run || ld->stage_only ? 0 : ld->rows);
		tally_add(tally, ld->label, table_name, "replaced", ld->batch, rc < 0 ? 0 : ld->replaced);
		lines_free(&ld->lines);
		input_close(ld->in);
		for (int k = 0; k < ld->ncolumns; k++)
			free(ld->columns[k]);
		free(ld->columns);
		free((char *)ld->schema);
		if (nspecs)
			free((char *)ld->batch);
	}
	if (n > 1 && staging.len)
		diag("%s", staging.buf + 2);
	if (tally_close(tally, rc == 0) < 0)
		rc = -1;
	if (lds[0].conn)
		PQfinish(lds[0].conn);
	free(lds);
	free(specs);
	free(stage);
	free((char *)common.schema);
	return rc < 0 ? EXIT_DATA : 0;
}
