/*
 * rs-copy: streams -> unit tables, each replacing exactly one batch, all in
 * one transaction.  PostgreSQL by COPY FROM STDIN; Redshift through S3
 * staging files (gzip parts and a manifest) and COPY.  Every load is
 * recorded in lac.loads with the run that made it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>
#include <sys/stat.h>

#include "lib/catalog.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/tally.h"
#include "rs-copy/load.h"

static const char usage[] =
"usage: rs-copy --table SCHEMA.TABLE --batch ID [--dsn DSN] [--run ID] [INPUT]\n"
"       rs-copy (--load SCHEMA.TABLE@BATCH=FILE | --load-dir BATCH=DIR) ... [--dsn DSN] [--run ID]\n"
"       rs-copy --table SCHEMA.TABLE --batch ID --stage s3://BUCKET/PREFIX\n"
"               [--iam-role ARN] [--parts N] [--gzip-level N] [--endpoint-url URL]\n"
"               [--region NAME] [--dry-run | --stage-only] [--dsn DSN] [INPUT]\n";

static const char help[] =
"rs-copy: load TSV streams into unit tables, each replacing exactly one batch\n"
"\n"
"  --table SCHEMA.TABLE  the table; stream columns are matched by header name\n"
"  --batch ID            the batch the stream is ([A-Za-z0-9._:-]); its rows\n"
"                        replace that batch's rows, in one transaction\n"
"  --load SCHEMA.TABLE@BATCH=FILE\n"
"                        one of several loads; all of them in one transaction\n"
"                        (a nightly run lands whole or not at all); the loads\n"
"                        of one table share one DELETE and one COPY\n"
"  --load-dir BATCH=DIR  a --load of each stream in DIR that the catalog has a\n"
"                        table for (DIR/lead.tsv into units.lead, ...: the\n"
"                        FILE column of lac-catalog tables)\n"
"  --run ID              the run the loads are recorded under in lac.loads\n"
"                        (default: rs-copy, the time and the process)\n"
"  --dsn DSN             libpq connection string without a password (default:\n"
"                        the PG* environment, a service file, ~/.pgpass)\n"
"  --no-end-line         load a stream that has no end line (one made by hand);\n"
"                        a program's stream ends with \"#end N\", and without\n"
"                        it (a producer that failed upstream) nothing is loaded\n"
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
"  --summary FILE        what was loaded, as TSV; --catalog FILE\n"
"  --help, --version\n"
"\n"
"Exit: 0 loaded; 1 nothing changed (bad stream, refused columns, database or\n"
"S3 error); 2 usage.\n";

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

static int
printable_ascii(const char *s)
{
	for (; *s; s++)
		if (*s < ' ' || *s > '~' || *s == '\\' || *s == '\'')
			return 0;
	return 1;
}

/*
 * "SCHEMA.TABLE" (n bytes): a name, a dot, a name, each of letters, digits
 * and '_' (the catalog's names; a space or a quote is never part of one,
 * though the SQL quotes them all the same).
 */
static int
table_ok(const char *table, size_t n)
{
	const char *dot = memchr(table, '.', n);

	if (dot == NULL || dot == table || dot + 1 == table + n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (table + i != dot && !isalnum((unsigned char)table[i]) && table[i] != '_')
			return 0;
	return 1;
}

/* "SCHEMA.TABLE" (n bytes) into ld; 0, or -1 when it is not that shape. */
static int
set_table(struct load *ld, const char *table, size_t n)
{
	const char *dot = memchr(table, '.', n);

	if (!table_ok(table, n))
		return -1;
	ld->schema = xstrndup(table, dot - table);
	ld->table = xstrndup(dot + 1, table + n - dot - 1);
	return 0;
}

/* Every stream column in the table, every required table column in the stream. */
static int
check_columns(PGconn *conn, const struct load *ld)
{
	struct table_columns tc;
	struct summary lacks = { .len = 0 }, missing = { .len = 0 };
	int ours = 0;

	if (pgdb_table_columns(conn, ld->schema, ld->table, &tc) < 0)
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

static int
same_header(const struct load *a, const struct load *b)
{
	if (a->ncolumns != b->ncolumns)
		return 0;
	for (int i = 0; i < a->ncolumns; i++)
		if (strcmp(a->columns[i], b->columns[i]) != 0)
			return 0;
	return 1;
}

/* A batch loaded twice in one run: the second would delete the first. */
static void
refuse_twice(const struct run *r)
{
	for (int i = 0; i < r->nloads; i++)
		for (int k = 0; k < i; k++) {
			const struct load *ld = &r->loads[i], *o = &r->loads[k];

			if (!strcmp(o->schema, ld->schema) && !strcmp(o->table, ld->table) && !strcmp(o->batch, ld->batch))
				usage_error(usage, "%s.%s batch %s is loaded twice", ld->schema, ld->table, ld->batch);
		}
}

/* Loads of one table and one header share a group (one DELETE, one COPY). */
static void
group_loads(struct run *r)
{
	for (int i = 0; i < r->nloads; i++) {
		struct load *ld = &r->loads[i];

		ld->group = -1;
		for (int k = 0; k < i; k++) {
			const struct load *o = &r->loads[k];

			if (strcmp(o->schema, ld->schema) || strcmp(o->table, ld->table))
				continue;
			if (ld->group < 0 && same_header(o, ld))
				ld->group = o->group;
		}
		if (ld->group < 0)
			ld->group = r->ngroups++;
	}
}

static void
add_spec(char ***specs, int *n, char *spec)
{
	*specs = xrealloc(*specs, (*n + 1) * sizeof **specs);
	(*specs)[(*n)++] = spec;
}

/* --load-dir BATCH=DIR: a SCHEMA.TABLE@BATCH=DIR/FILE spec for each of the catalog's tables whose file DIR has. */
static void
load_dir(char ***specs, int *n, const char *arg)
{
	const struct catalog *c = catalog();
	const char *eq = strchr(arg, '=');
	char *batch = eq ? xstrndup(arg, eq - arg) : NULL;
	struct stat st;

	if (eq == NULL || !batch_ok(batch) || eq[1] == '\0')
		usage_error(usage, "--load-dir takes BATCH=DIR, not '%s'", arg);
	errno = 0;
	if (stat(eq + 1, &st) < 0 || !S_ISDIR(st.st_mode))
		fatal(EXIT_DATA, "%s: %s", eq + 1, errno ? strerror(errno) : "not a folder");
	for (int i = 0; i < c->nstreams; i++)
		for (int t = 0; t < c->streams[i].ntables; t++) {
			const struct cat_table *tb = &c->streams[i].tables[t];
			char file[256], spec[8192];

			snprintf(spec, sizeof spec, "%s/%s", eq + 1, cat_table_file(tb, file, sizeof file));
			if (stat(spec, &st) < 0)
				continue;
			snprintf(spec, sizeof spec, "%s@%s=%s/%s", tb->name, batch, eq + 1, file);
			add_spec(specs, n, xstrdup(spec));
		}
	free(batch);
}

/* Each load's stream opened on its header, no table and batch twice, the loads of a table grouped. */
static void
open_loads(struct run *r)
{
	refuse_twice(r);
	for (int i = 0; i < r->nloads; i++)
		if (stream_header(&r->loads[i]) < 0)
			exit(EXIT_DATA);
	group_loads(r);
}

/* Every --load-dir, once the catalog is known (a --catalog may come after them); one with no stream is an error. */
static void
load_dirs(char ***specs, int *n, const char **dirs, int ndirs)
{
	int before = *n;

	for (int i = 0; i < ndirs; i++)
		load_dir(specs, n, dirs[i]);
	if (ndirs > 0 && *n == before)
		fatal(EXIT_DATA, "no stream of a catalog table in %s%s", strchr(dirs[0], '=') + 1,
		    ndirs > 1 ? " or the other folders" : "");
	free(dirs);
}

/* The loads the command line asks for: --load specs, or --table, --batch and one input. */
static void
parse_loads(struct run *r, char **specs, int nspecs, const char *table, const char *batch, const char *input)
{
	r->nloads = nspecs ? nspecs : 1;
	r->loads = xmalloc(r->nloads * sizeof *r->loads);
	memset(r->loads, 0, r->nloads * sizeof *r->loads);
	for (int i = 0; i < r->nloads; i++) {
		struct load *ld = &r->loads[i];

		if (nspecs == 0) {
			set_table(ld, table, strlen(table));
			ld->batch = xstrdup(batch);
			ld->path = xstrdup(input);
			continue;
		}
		/* SCHEMA.TABLE@BATCH=FILE */
		const char *at = strchr(specs[i], '@'), *eq = at ? strchr(at, '=') : NULL;

		ld->batch = eq ? xstrndup(at + 1, eq - at - 1) : NULL;
		if (at == NULL || eq == NULL || set_table(ld, specs[i], at - specs[i]) < 0 || !batch_ok(ld->batch))
			usage_error(usage, "--load takes SCHEMA.TABLE@BATCH=FILE, not '%s'", specs[i]);
		ld->path = xstrdup(eq + 1);
	}
}

static void
free_loads(struct run *r)
{
	for (int i = 0; i < r->nloads; i++) {
		struct load *ld = &r->loads[i];

		for (int k = 0; k < ld->ncolumns; k++)
			free(ld->columns[k]);
		if (ld->held) {
			lines_free(&ld->held_lines);
			input_close(ld->held);
		}
		free(ld->columns);
		free(ld->schema);
		free(ld->table);
		free(ld->batch);
		free(ld->path);
		free(ld->label);
	}
	free(r->loads);
}

/* Connect and check every load's columns against its table (each table once). */
static int
connect_and_check(struct run *r, const char *dsn)
{
	int rc = 0;

	if ((r->conn = pgdb_connect(dsn)) == NULL)
		return -1;
	for (int i = 0; i < r->nloads; i++) {
		int seen = 0;

		for (int k = 0; k < i && !seen; k++)
			seen = r->loads[k].group == r->loads[i].group;
		if (!seen && check_columns(r->conn, &r->loads[i]) < 0)
			rc = -1;
	}
	return rc;
}

/* The cluster's slices, one part each; 4 without a cluster to ask. */
static int
default_parts(PGconn *conn)
{
	int parts = 4;

	if (conn) {
		PGresult *res = PQexec(conn, "SELECT COUNT(*) FROM stv_slices");

		if (PQresultStatus(res) == PGRES_TUPLES_OK && atoi(PQgetvalue(res, 0, 0)) > 0)
			parts = atoi(PQgetvalue(res, 0, 0));
		PQclear(res);
	}
	return parts;
}

static void
summarize(const struct run *r, int rc, const struct summary *staging, struct tally *tally)
{
	for (int i = 0; i < r->nloads; i++) {
		const struct load *ld = &r->loads[i];
		struct summary line = { .len = 0 };
		char name[512];

		summary_add(&line, "rows in %ld, ", ld->rows);
		if (rc < 0)
			summary_add(&line, "loaded 0: %s.%s batch %s unchanged", ld->schema, ld->table, ld->batch);
		else if (r->dry_run || r->stage_only)
			summary_add(&line, "loaded 0 (%s)", r->dry_run ? "--dry-run" : "--stage-only");
		else
			summary_add(&line, "loaded %ld into %s.%s batch %s (replaced %ld)", ld->rows, ld->schema,
			    ld->table, ld->batch, ld->replaced);
		if (r->nloads == 1)
			summary_add(&line, "%s", staging->buf);
		summary_print(&line);
		snprintf(name, sizeof name, "%s.%s", ld->schema, ld->table);
		tally_add(tally, ld->label, name, "rows_in", ld->batch, ld->rows);
		tally_add(tally, ld->label, name, "loaded", ld->batch, rc < 0 || r->dry_run || r->stage_only ? 0 : ld->rows);
		tally_add(tally, ld->label, name, "replaced", ld->batch, rc < 0 ? 0 : ld->replaced);
	}
	if (r->nloads > 1 && staging->len)
		diag("%s", staging->buf + 2);
}

/* The options that must go together, and the values that must be of their kind: exit 2 otherwise. */
static void
check_options(struct run *r, int nspecs, const char *table, const char *batch, int noperands)
{
	if (nspecs > 0 && (table || batch || noperands > 0))
		usage_error(usage, "--load takes the place of --table, --batch and INPUT");
	if (nspecs == 0 && (table == NULL || !table_ok(table, strlen(table))))
		usage_error(usage, "--table SCHEMA.TABLE is required: names of letters, digits and _");
	if (nspecs == 0 && (batch == NULL || !batch_ok(batch)))
		usage_error(usage, "--batch is required: letters, digits and ._:- only");
	if (noperands > 1)
		usage_error(usage, "one input at most");
	if ((r->dry_run || r->stage_only || r->parts || r->endpoint || r->region) && !r->stage)
		usage_error(usage, "--dry-run, --stage-only, --parts, --endpoint-url and --region need --stage");
	if (r->stage && (strncmp(r->stage, "s3://", 5) != 0 || !printable_ascii(r->stage) || strchr(r->stage, ' ')))
		usage_error(usage, "--stage takes s3://BUCKET/PREFIX");
	if (r->iam_role && !printable_ascii(r->iam_role))
		usage_error(usage, "--iam-role takes an ARN");
	if (r->region && !printable_ascii(r->region))
		usage_error(usage, "--region takes a region name");
	if (r->run_id && (!printable_ascii(r->run_id) || strlen(r->run_id) > 120))
		usage_error(usage, "--run takes a name of printable characters");
	if (r->stage && !r->dry_run && !r->stage_only && !r->iam_role)
		usage_error(usage, "loading from S3 needs --iam-role or RS_IAM_ROLE");
	if (r->aws == NULL || *r->aws == '\0')
		r->aws = "aws";
}

/* s3://B/P/ is s3://B/P: the copy it takes to say so (to free), or NULL. */
static char *
stage_without_slash(struct run *r)
{
	char *stage;

	if (r->stage == NULL || r->stage[strlen(r->stage) - 1] != '/')
		return NULL;
	stage = xstrdup(r->stage);
	stage[strlen(stage) - 1] = '\0';
	r->stage = stage;
	return stage;
}

static void
stamp_run(struct run *r, char *run_id, size_t size)
{
	/*
	 * One load time for the whole run: its rows are one load.  lac.loads
	 * has it to the microsecond, so that two runs in one second still come
	 * one after the other in reporting.load_audit.
	 */
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	format_utc(now.tv_sec, r->loaded_at);
	snprintf(r->recorded_at, sizeof r->recorded_at, "%s.%06d", r->loaded_at, (int)(now.tv_nsec / 1000 % 1000000));
	if (r->run_id == NULL) {
		snprintf(run_id, size, "rs-copy %s pid %ld", r->loaded_at, (long)getpid());
		r->run_id = run_id;
	}
}

int
main(int argc, char **argv)
{
	enum { O_TABLE = 1, O_BATCH, O_LOAD, O_LOAD_DIR, O_DSN, O_STAGE, O_ROLE, O_PARTS, O_LEVEL, O_ENDPOINT,
	    O_REGION, O_DRY, O_STAGE_ONLY, O_NO_END, O_RUN };
	static const struct option longopts[] = {
		{ "table", required_argument, NULL, O_TABLE },
		{ "batch", required_argument, NULL, O_BATCH },
		{ "load", required_argument, NULL, O_LOAD },
		{ "load-dir", required_argument, NULL, O_LOAD_DIR },
		{ "run", required_argument, NULL, O_RUN },
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
	struct run r = { .level = 3, .aws = getenv("AWS_CLI"), .iam_role = getenv("RS_IAM_ROLE") };
	char **specs = NULL, *stage = NULL, run_id[128];
	const char **dirs = xmalloc(argc * sizeof *dirs);
	int ndirs = 0;
	const char *table = NULL, *batch = NULL;
	struct reject_options ro = { 0 };
	struct summary staging = { .len = 0 };
	int nspecs = 0, c, rc = 0;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		switch (c) {
		case O_TABLE: table = optarg; break;
		case O_BATCH: batch = optarg; break;
		case O_LOAD: add_spec(&specs, &nspecs, xstrdup(optarg)); break;
		case O_LOAD_DIR: dirs[ndirs++] = optarg; break;
		case O_RUN: r.run_id = optarg; break;
		case O_DSN: r.dsn = optarg; break;
		case O_STAGE: r.stage = optarg; break;
		case O_ROLE: r.iam_role = optarg; break;
		case O_PARTS: r.parts = (int)cli_number(optarg, 1, 9999, "--parts", usage); break;
		case O_LEVEL: r.level = (int)cli_number(optarg, 1, 9, "--gzip-level", usage); break;
		case O_ENDPOINT: r.endpoint = optarg; break;
		case O_REGION: r.region = optarg; break;
		case O_DRY: r.dry_run = 1; break;
		case O_STAGE_ONLY: r.stage_only = 1; break;
		case O_NO_END: r.no_end_line = 1; break;
		default:
			if (c == OPT_REJECTS || c == OPT_MAX_REJECTS || c == OPT_HEADER ||
			    !cli_common_option(c, optarg, help, &ro))
				usage_error(usage, "unknown option");
		}
	load_dirs(&specs, &nspecs, dirs, ndirs);
	check_options(&r, nspecs + ndirs, table, batch, argc - optind);
	stage = stage_without_slash(&r);
	stamp_run(&r, run_id, sizeof run_id);

	parse_loads(&r, specs, nspecs, table, batch, optind < argc ? argv[optind] : "-");
	open_loads(&r);
	if (!r.dry_run && !r.stage_only && connect_and_check(&r, r.dsn) < 0)
		exit(EXIT_DATA);
	if (r.stage && r.parts == 0)
		r.parts = default_parts(r.conn);

	struct tally *tally = tally_open(ro.summary);
	rc = r.stage ? redshift_load(&r, &staging) : postgres_load(&r);
	summarize(&r, rc, &staging, tally);
	if (tally_close(tally, rc == 0) < 0 || cli_flush_stdout() < 0)
		rc = -1;
	if (r.conn)
		PQfinish(r.conn);
	free_loads(&r);
	for (int i = 0; i < nspecs; i++)
		free(specs[i]);
	free(specs);
	free(stage);
	return rc < 0 ? EXIT_DATA : 0;
}
