/*
 * The Redshift load: each group's streams become gzip parts and a COPY
 * manifest, in a local tree laid out as the stage is; the AWS CLI (run
 * without a shell) uploads the tree in two commands, the parts and then the
 * manifests; then one transaction deletes the groups' batches and copies the
 * manifests in.  Two commands a run, not one a file: the CLI starts slowly
 * and uploads a tree's files in parallel.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/diag.h"
#include "gzout.h"
#include "spawn.h"
#include "load.h"

#define PATHBUF 2048

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

/* The group's streams as gzip parts, each with the header. */
static int
write_parts(struct run *r, int group, const struct load *first, const char *dir, uint64_t *gz_bytes,
    uint64_t *sizes)
{
	struct parts_sink ps = { .gz = xmalloc(r->parts * sizeof *ps.gz), .parts = r->parts };
	char path[PATHBUF];
	int rc = 0;

	for (int i = 0; i < r->parts; i++) {
		if ((ps.gz[i] = gzout_open(staged(path, sizeof path, dir, i), r->level)) == NULL)
			fatal(EXIT_DATA, "cannot stage");
		for (int c = 0; c < first->ncolumns; c++) {
			gzout_write(ps.gz[i], first->columns[c], strlen(first->columns[c]));
			gzout_write(ps.gz[i], "\t", 1);
		}
		gzout_write(ps.gz[i], "batch_id\tloaded_at\n", 19);
	}
	/* Redshift reads backslashes literally without COPY's ESCAPE option. */
	for (int i = 0; i < r->nloads && rc == 0; i++)
		if (r->loads[i].group == group)
			rc = stream_rows(r, &r->loads[i], 0, parts_sink, &ps);
	if (ps.failed)
		rc = -1;
	*gz_bytes = 0;
	for (int i = 0; i < r->parts; i++) {
		if (gzout_close(ps.gz[i], NULL, &sizes[i]) < 0)
			rc = -1;
		*gz_bytes += sizes[i];
	}
	free(ps.gz);
	return rc;
}

/* A JSON string: quotes and backslashes escaped, control characters as \u00XX. */
static void
json_string(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			fprintf(fp, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(fp, "\\u%04x", (unsigned char)*s);
		else
			putc(*s, fp);
	putc('"', fp);
}

static int
write_manifest(const struct run *r, const char *dir, const char *url, const uint64_t *sizes)
{
	char path[PATHBUF], part[PATHBUF];
	FILE *fp;

	if ((fp = fopen(staged(path, sizeof path, dir, -1), "w")) == NULL) {
		diag("%s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(fp, "{\n  \"entries\": [\n");
	for (int i = 0; i < r->parts; i++) {
		fprintf(fp, "    {\"url\": ");
		json_string(fp, staged(part, sizeof part, url, i));
		fprintf(fp, ", \"mandatory\": true, \"meta\": {\"content_length\": %llu}}%s\n",
		    (unsigned long long)sizes[i], i + 1 < r->parts ? "," : "");
	}
	fprintf(fp, "  ]\n}\n");
	if (ferror(fp) | fclose(fp)) {
		diag("%s: write error", path);
		return -1;
	}
	return 0;
}

/* The staged tree to the stage: the parts first, then the manifests, which name them. */
static int
upload(const struct run *r, const char *tree)
{
	static const char *const passes[2][4] = {
		{ "--exclude", "*/manifest.json", NULL, NULL },
		{ "--exclude", "*", "--include", "*/manifest.json" },
	};

	for (int pass = 0; pass < 2; pass++) {
		char *argv[16];
		int a = 0;

		argv[a++] = (char *)r->aws;
		argv[a++] = "s3";
		argv[a++] = "cp";
		argv[a++] = "--recursive";
		argv[a++] = "--only-show-errors";
		for (int i = 0; i < 4 && passes[pass][i]; i++)
			argv[a++] = (char *)passes[pass][i];
		if (r->endpoint) {
			argv[a++] = "--endpoint-url";
			argv[a++] = (char *)r->endpoint;
		}
		if (r->region) {
			argv[a++] = "--region";
			argv[a++] = (char *)r->region;
		}
		argv[a++] = (char *)tree;
		argv[a++] = (char *)r->stage;
		argv[a] = NULL;
		if (r->dry_run) {
			spawn_print(argv);
			continue;
		}
		int status = spawn_wait(argv);
		if (status != 0) {
			diag("upload of %s to %s failed (%s exit %d)", tree, r->stage, r->aws, status);
			return -1;
		}
	}
	return 0;
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
print_load_errors(const struct run *r)
{
	PGresult *res = PQexec(r->conn,
	    "SELECT TRIM(filename), line_number, TRIM(colname), TRIM(err_reason), TRIM(raw_field_value) "
	    "FROM stl_load_errors WHERE query = pg_last_copy_id() ORDER BY line_number LIMIT 20");

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		for (int i = 0; i < PQntuples(res); i++)
			diag("%s:%s: column %s: %s (value '%s')", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
			    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
	else
		diag("cannot read stl_load_errors: %s", pgdb_message(res, r->conn));
	PQclear(res);
}

/* Where a group is staged, under the stage: SCHEMA.TABLE/BATCH, or SCHEMA.TABLE/FIRST-LAST for several batches. */
static void
group_path(const struct run *r, int group, const struct load *first, char *rel, size_t size)
{
	const char *lo = NULL, *hi = NULL;

	for (int i = 0; i < r->nloads; i++)
		if (r->loads[i].group == group) {
			if (lo == NULL || strcmp(r->loads[i].batch, lo) < 0)
				lo = r->loads[i].batch;
			if (hi == NULL || strcmp(r->loads[i].batch, hi) > 0)
				hi = r->loads[i].batch;
		}
	int n = strcmp(lo, hi) == 0 ? snprintf(rel, size, "%s.%s/%s", first->schema, first->table, lo) :
	    snprintf(rel, size, "%s.%s/%s-%s", first->schema, first->table, lo, hi);
	if (n < 0 || (size_t)n >= size)
		fatal(EXIT_USAGE, "staging path too long: %s", rel);
}

/* a/b into buf; a path past the buffer is a usage error (--stage or TMPDIR too long). */
static const char *
join(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s/%s", a, b);

	if (n < 0 || (size_t)n >= size)
		fatal(EXIT_USAGE, "staging path too long: %s/%s", a, b);
	return buf;
}

/* dir/rel, made (both levels of rel); -1 (diagnosed). */
static int
make_dir(char *buf, size_t size, const char *dir, const char *rel)
{
	join(buf, size, dir, rel);
	char *slash = strrchr(buf, '/');
	*slash = '\0';
	if (mkdir(buf, 0700) < 0 && errno != EEXIST) {
		diag("%s: %s", buf, strerror(errno));
		return -1;
	}
	*slash = '/';
	if (mkdir(buf, 0700) < 0) {
		diag("%s: %s", buf, strerror(errno));
		return -1;
	}
	return 0;
}

/* One group staged into the tree: its DELETE and COPY statements into *del and *copy. */
static int
stage_group(struct run *r, int group, const char *tree, char **del, char **copy, struct summary *sum)
{
	char rel[PATHBUF], dir[PATHBUF], url[PATHBUF], dst[PATHBUF];
	uint64_t gz_bytes, *sizes = xmalloc(r->parts * sizeof *sizes);
	const struct load *first = NULL;

	for (int i = 0; i < r->nloads && first == NULL; i++)
		if (r->loads[i].group == group)
			first = &r->loads[i];
	group_path(r, group, first, rel, sizeof rel);
	join(url, sizeof url, r->stage, rel);
	if (make_dir(dir, sizeof dir, tree, rel) < 0 || write_parts(r, group, first, dir, &gz_bytes, sizes) < 0 ||
	    write_manifest(r, dir, url, sizes) < 0) {
		free(sizes);
		return -1;
	}
	free(sizes);
	char *table = sql_table(first), *target = sql_target(first), *batches = sql_batches(r, group);
	char *manifest = sql_literal(r, staged(dst, sizeof dst, url, -1));
	char *role = sql_literal(r, r->iam_role ? r->iam_role : "arn:aws:iam::ACCOUNT:role/ROLE");
	char *region = r->region ? sql_literal(r, r->region) : NULL;
	size_t n = strlen(table) + strlen(batches) + 64;

	*del = xmalloc(n);
	snprintf(*del, n, "DELETE FROM %s WHERE batch_id IN (%s)", table, batches);
	n = strlen(target) + strlen(manifest) + strlen(role) + (region ? strlen(region) : 0) + 512;
	*copy = xmalloc(n);
	snprintf(*copy, n, "COPY %s FROM %s IAM_ROLE %s MANIFEST GZIP DELIMITER '\\t' IGNOREHEADER 1 "
	    "EMPTYASNULL TIMEFORMAT 'YYYY-MM-DD HH:MI:SS' DATEFORMAT 'YYYY-MM-DD' "
	    "COMPUPDATE OFF STATUPDATE OFF%s%s", target, manifest, role, region ? " REGION " : "", region ? region : "");
	free(table);
	free(target);
	free(batches);
	free(manifest);
	free(role);
	free(region);
	summary_add(sum, ", staged %d parts (%.1f MB gzip) at %s", r->parts, gz_bytes / 1e6, url);
	return 0;
}

/* Run SQL in the session; on failure the server's message, named by what. */
static int
run_sql(PGconn *c, const char *sql, const char *what)
{
	PGresult *res = PQexec(c, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		diag("%s: %s", what, pgdb_message(res, c));
	PQclear(res);
	return ok ? 0 : -1;
}

int
redshift_load(struct run *r, struct summary *sum)
{
	char **del = xmalloc(r->ngroups * sizeof *del), **copy = xmalloc(r->ngroups * sizeof *copy), *records;
	char **siblings = NULL;
	int nsiblings;
	char tree[PATHBUF];
	const char *tmp = getenv("TMPDIR");
	int g, rc = 0, staged_groups;

	join(tree, sizeof tree, tmp && *tmp ? tmp : "/tmp", "rs-copy.XXXXXX");
	if (mkdtemp(tree) == NULL)
		fatal(EXIT_DATA, "%s: %s", tree, strerror(errno));
	for (g = 0; g < r->ngroups && rc == 0; g++)
		rc = stage_group(r, g, tree, &del[g], &copy[g], sum);
	staged_groups = g - (rc < 0);
	if (rc == 0 && r->dry_run)
		printf("# %d parts and a manifest a load, in %s\n", r->parts, tree);
	if (rc == 0)
		rc = upload(r, tree);
	/* The local tree is gone once uploaded; --dry-run leaves it to be read. */
	if (!r->dry_run)
		nftw(tree, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	records = rc == 0 ? sql_load_records(r) : NULL;
	nsiblings = rc == 0 ? sql_sibling_deletes(r, &siblings) : 0;
	if (rc == 0 && (r->dry_run || r->stage_only)) {
		printf("BEGIN;\n");
		for (g = 0; g < r->ngroups; g++)
			printf("%s;\n%s;\n", del[g], copy[g]);
		for (int i = 0; i < nsiblings; i++)
			printf("%s;\n", siblings[i]);
		if (records)
			printf("%s;\n", records);
		printf("COMMIT;\n");
	} else if (rc == 0) {
		rc = run_sql(r->conn, "BEGIN", "BEGIN");
		for (g = 0; g < r->ngroups && rc == 0; g++)
			if ((rc = run_sql(r->conn, del[g], "DELETE")) == 0 && (rc = run_sql(r->conn, copy[g], "COPY")) < 0) {
				pgdb_exec(r->conn, "ROLLBACK");
				print_load_errors(r);
				break;
			}
		for (int i = 0; i < nsiblings && rc == 0; i++)
			rc = run_sql(r->conn, siblings[i], "DELETE");
		if (rc == 0 && records)
			rc = run_sql(r->conn, records, "lac.loads");
		if (rc == 0)
			rc = run_sql(r->conn, "COMMIT", "COMMIT");
		else if (g == r->ngroups)
			pgdb_exec(r->conn, "ROLLBACK");
	}
	for (g = 0; g < staged_groups; g++) {
		free(del[g]);
		free(copy[g]);
	}
	for (int i = 0; i < nsiblings; i++)
		free(siblings[i]);
	free(siblings);
	free(del);
	free(copy);
	free(records);
	return rc;
}
