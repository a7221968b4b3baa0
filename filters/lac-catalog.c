/*
 * lac-catalog: what the catalog of streams says, for the scripts and the
 * database: its units and tables, a stream's header, and the SQL that brings
 * a database to it (scripts/db-init runs that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/catalog.h"
#include "lib/civil.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/hash.h"
#include "lib/pgdb.h"
#include "lac-catalog/feeds.h"
#include "lac-catalog/schema.h"
#include "lac-catalog/summaries.h"

static const char usage[] =
"usage: lac-catalog [--catalog FILE] check | units | tables | header STREAM\n"
"       lac-catalog [--catalog FILE] schema [--redshift] [--fresh] [--bulk] [--drop WHAT]... [--dsn DSN] [VIEWS.sql ...]\n"
"       lac-catalog feeds --feeds FILE --maps DIR --inbox DIR [--summary-of FILE]... [-o DIR] DAY...\n"
"       lac-catalog arrived --feeds FILE --inbox DIR FEED... DAY...\n"
"       lac-catalog account SUMMARY...\n"
"       lac-catalog balance SUMMARY...\n";

static const char help[] =
"lac-catalog: what the catalog of streams says (catalog/streams.txt)\n"
"\n"
"  check               the catalog is whole: exit 0, or 2 with file:line\n"
"  units               the business units, one a line, in the catalog's order\n"
"  tables              each unit table: TABLE, STREAM, FILE, UNIT (tab-separated;\n"
"                      FILE is the name its stream is staged under; UNIT is\n"
"                      empty for a table that is no business unit)\n"
"  header STREAM       the header line of a stream\n"
"  schema              the SQL that brings the database (the PG* environment, or\n"
"                      --dsn) to the catalog: schemas, tables created or given\n"
"                      their new columns, the catalog's views (newest.STREAM,\n"
"                      the VIEWS files, and a row of\n"
"                      lac.schema_version when anything changed.  Nothing is\n"
"                      ever dropped unasked: a column or table the catalog no\n"
"                      longer has, or a column of another type, is an error\n"
"                      (exit 1, nothing printed).\n"
"    --redshift        Redshift's SQL: DISTKEY, SORTKEY, ENCODE, late-binding views\n"
"    --fresh           for an empty database, without connecting\n"
"    --bulk            PostgreSQL's read indexes dropped, for a load of more days\n"
"                      than the database holds (schema without it builds them)\n"
"    --drop WHAT       SCHEMA.TABLE or SCHEMA.TABLE.COLUMN that may be dropped\n"
"  feeds DAY...        each day's feeds as the feeds stream: the ones --feeds\n"
"                      declares and the maps of --maps DIR with a schedule,\n"
"                      expected or not, arrived or not in --inbox DIR/DAY,\n"
"                      with the rows and rejects the --summary-of files count\n"
"                      for each; a day missing a feed due is named on stderr\n"
"                      and the exit is 4; -o DIR: DIR/DAY/feeds.tsv each day\n"
"  arrived FEED... DAY...  the file of each --feeds feed (or every file of a\n"
"                      day's folder NAME/) that arrived in --inbox DIR on each\n"
"                      day, \"FEED<TAB>DAY<TAB>PATH\" a line (exit 1: two files\n"
"                      of one day, or a name not of letters, digits, . _ -)\n"
"  account SUMMARY...  a run's --summary files (the summary stream) added up:\n"
"                      rows read by program, loaded by table, rejected by\n"
"                      reason, unmapped statuses, export columns not loaded\n"
"  balance SUMMARY...  whether each input of each summary adds up (rows in =\n"
"                      out + excluded + rejected, program by program): the\n"
"                      summaries that do not on stdout, a line each, and why\n"
"                      on stderr; exit 1 when one does not\n"
"  --catalog FILE      the catalog (default $LAC_CATALOG, else the built-in copy)\n"
"  --help, --version\n";

static void
print_units(const struct catalog *c)
{
	for (int i = 0; i < c->nstreams; i++)
		for (int t = 0; t < c->streams[i].ntables; t++)
			if (c->streams[i].tables[t].unit)
				printf("%s\n", c->streams[i].tables[t].unit);
}

static void
print_tables(const struct catalog *c)
{
	for (int i = 0; i < c->nstreams; i++)
		for (int t = 0; t < c->streams[i].ntables; t++) {
			const struct cat_table *tb = &c->streams[i].tables[t];
			char file[256];

			printf("%s\t%s\t%s\t%s\n", tb->name, c->streams[i].name, cat_table_file(tb, file, sizeof file),
			    tb->unit ? tb->unit : "");
		}
}

static int
print_header(const struct catalog *c, const char *stream)
{
	const struct cat_stream *s = catalog_stream(c, stream);

	if (s == NULL) {
		diag("%s: no stream '%s'", c->path, stream);
		return EXIT_USAGE;
	}
	for (int i = 0; i < s->ncolumns; i++)
		printf("%s%s", i ? "\t" : "", s->columns[i].name);
	printf("\n");
	return 0;
}

/* SQL text as a string literal: quotes doubled, nothing else special (no E''). */
static void
literal(struct text *t, const char *s)
{
	text_add(t, "'");
	for (; *s; s++)
		text_add(t, *s == '\'' ? "''" : "%c", *s);
	text_add(t, "'");
}

/* The views already in the database's view schemas, so that one no file makes any more goes too. */
static void
existing_views(PGconn *conn, char ***names, int *n)
{
	PGresult *r = PQexec(conn, "SELECT table_schema || '.' || table_name FROM information_schema.views "
	    "WHERE table_schema IN ('reporting', 'newest') ORDER BY 1");

	for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
		*names = xrealloc(*names, (*n + 1) * sizeof **names);
		(*names)[(*n)++] = xstrdup(PQgetvalue(r, i, 0));
	}
	PQclear(r);
}

static int
schema(const struct catalog *c, const struct schema_options *o, int fresh, const char *dsn, char **files, int nfiles)
{
	struct text tables = { 0 }, changes = { 0 }, views = { 0 }, target = { 0 }, unused = { 0 }, out = { 0 };
	char **names = NULL, **drops = NULL, digest[17], now[UTC_BUFSZ];
	int nnames = 0, ndrops = 0, ok = 1;
	PGconn *conn = NULL;

	if (!fresh && (conn = pgdb_connect(dsn)) == NULL)
		return EXIT_DATA;
	if (schema_tables(c, conn, o, &tables, &changes) < 0)
		ok = 0;
	schema_views(c, o->redshift, &views, &names, &nnames);
	for (int i = 0; i < nfiles; i++)
		if (schema_view_file(files[i], o->redshift, &views, &names, &nnames) < 0)
			ok = 0;
	/* The version is the digest of what the database becomes: the empty database's SQL and the views. */
	struct schema_options plain = *o;
	plain.ndrop = 0;
	schema_tables(c, NULL, &plain, &target, &unused);
	text_add(&target, "%s", views.s ? views.s : "");
	snprintf(digest, sizeof digest, "%016llx", (unsigned long long)hash_bytes(target.s, target.len, 0));
	format_utc(time(NULL), now);

	if (ok) {
		text_add(&out, "-- %s: the schema of %s (digest %s)\n", progname, c->path, digest);
		if (conn)
			existing_views(conn, &drops, &ndrops);
		for (int i = nnames; i-- > 0;)
			text_add(&out, "DROP VIEW IF EXISTS %s CASCADE;\n", names[i]);
		for (int i = 0; i < ndrops; i++)
			text_add(&out, "DROP VIEW IF EXISTS %s CASCADE;\n", drops[i]);
		text_add(&out, "%s\n%s", tables.s, views.s);
		text_add(&out, "INSERT INTO lac.schema_version (version, digest, applied_at, changes)\n"
		    "SELECT n.next_version, '%s', CAST('%s' AS TIMESTAMP), ", digest, now);
		literal(&out, changes.len ? changes.s : "views replaced");
		text_add(&out, "\nFROM (SELECT COALESCE(MAX(version), 0) + 1 AS next_version FROM lac.schema_version) n\n"
		    "WHERE NOT EXISTS (SELECT 1 FROM lac.schema_version v WHERE v.digest = '%s'\n"
		    "                  AND v.version = (SELECT MAX(version) FROM lac.schema_version));\n", digest);
		fwrite(out.s, 1, out.len, stdout);
	}
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	for (int i = 0; i < ndrops; i++)
		free(drops[i]);
	free(names);
	free(drops);
	text_free(&tables);
	text_free(&changes);
	text_free(&views);
	text_free(&target);
	text_free(&unused);
	text_free(&out);
	if (conn)
		PQfinish(conn);
	return ok ? 0 : EXIT_DATA;
}

int
main(int argc, char **argv)
{
	enum { O_REDSHIFT = 1, O_FRESH, O_BULK, O_DROP, O_DSN, O_FEEDS, O_MAPS, O_INBOX, O_SUMMARY_OF };
	static const struct option longopts[] = {
		{ "redshift", no_argument, NULL, O_REDSHIFT },
		{ "fresh", no_argument, NULL, O_FRESH },
		{ "bulk", no_argument, NULL, O_BULK },
		{ "drop", required_argument, NULL, O_DROP },
		{ "dsn", required_argument, NULL, O_DSN },
		{ "feeds", required_argument, NULL, O_FEEDS },
		{ "maps", required_argument, NULL, O_MAPS },
		{ "inbox", required_argument, NULL, O_INBOX },
		{ "summary-of", required_argument, NULL, O_SUMMARY_OF },
		{ "output-dir", required_argument, NULL, 'o' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct schema_options o = { .drop = xmalloc(argc * sizeof *o.drop) };
	struct feeds_options fo = { .summaries = xmalloc(argc * sizeof *fo.summaries) };
	const char *dsn = NULL, *cmd;
	int c, fresh = 0, status = 0;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1)
		switch (c) {
		case O_REDSHIFT: o.redshift = 1; break;
		case O_FRESH: fresh = 1; break;
		case O_BULK: o.bulk = 1; break;
		case O_DROP: o.drop[o.ndrop++] = optarg; break;
		case O_DSN: dsn = optarg; break;
		case O_FEEDS: fo.feeds = optarg; break;
		case O_MAPS: fo.maps = optarg; break;
		case O_INBOX: fo.inbox = optarg; break;
		case O_SUMMARY_OF: fo.summaries[fo.nsummaries++] = optarg; break;
		case 'o': fo.out_dir = optarg; break;
		default:
			if (c == OPT_SUMMARY || !cli_common_option(c, optarg, help, NULL))
				usage_error(usage, "unknown option");
		}
	if (optind >= argc)
		usage_error(usage, "what should it say? check, units, tables, header, schema, feeds, arrived, account or balance");
	cmd = argv[optind++];
	if (strcmp(cmd, "schema") != 0 && (o.redshift || fresh || o.bulk || o.ndrop || dsn))
		usage_error(usage, "--redshift, --fresh, --bulk, --drop and --dsn go with schema");
	if (strcmp(cmd, "feeds") == 0 && (!fo.feeds || !fo.maps || !fo.inbox || optind == argc))
		usage_error(usage, "feeds takes --feeds FILE, --maps DIR, --inbox DIR and days");
	if (strcmp(cmd, "arrived") == 0 && (!fo.feeds || !fo.inbox || fo.maps || fo.nsummaries || fo.out_dir ||
	    argc - optind < 2))
		usage_error(usage, "arrived takes --feeds FILE, --inbox DIR, feeds and days");
	if (strcmp(cmd, "feeds") != 0 && strcmp(cmd, "arrived") != 0 && (fo.feeds || fo.maps || fo.inbox || fo.nsummaries))
		usage_error(usage, "--feeds, --maps, --inbox and --summary-of go with feeds");
	const struct catalog *cat = catalog();
	if (strcmp(cmd, "check") == 0 && optind == argc)
		fprintf(stderr, "%s: %s: %d streams\n", progname, cat->path, cat->nstreams);
	else if (strcmp(cmd, "units") == 0 && optind == argc)
		print_units(cat);
	else if (strcmp(cmd, "tables") == 0 && optind == argc)
		print_tables(cat);
	else if (strcmp(cmd, "header") == 0 && optind + 1 == argc)
		status = print_header(cat, argv[optind]);
	else if (strcmp(cmd, "schema") == 0)
		status = schema(cat, &o, fresh, dsn, argv + optind, argc - optind);
	else if (strcmp(cmd, "feeds") == 0)
		status = feeds_run(&fo, argv + optind, argc - optind);
	else if (strcmp(cmd, "arrived") == 0)
		status = feeds_arrived(&fo, argv + optind, argc - optind);
	else if (strcmp(cmd, "account") == 0 && optind < argc)
		status = account_run(argv + optind, argc - optind);
	else if (strcmp(cmd, "balance") == 0 && optind < argc)
		status = balance_run(argv + optind, argc - optind);
	else
		usage_error(usage, "unknown command or wrong operands: %s", cmd);
	free(o.drop);
	free(fo.summaries);
	if (cli_flush_stdout() < 0)
		status = EXIT_DATA;
	return status;
}
