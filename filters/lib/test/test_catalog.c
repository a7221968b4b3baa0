#include "capture.h"
#include "catalog.h"
#include "check.h"
#include "diag.h"

/* A catalog with one loaded column, the newest order and a tabled stream, then the text under test. */
#define HEAD "loaded batch_id VARCHAR(128) not null\nnewest batch_id src_line\n"
#define GOOD HEAD "stream calls by call-lead-join\n\tid VARCHAR(8) not null\n\tsrc_line BIGINT not null\n" \
	"\tidentity id\n\ttable units.calls\n"

/* The first diagnostic a broken catalog gives, or "(parsed)". */
static const char *
error_of(const char *text)
{
	static char first[512];
	struct catalog *c;
	const char *msg;

	capture_start();
	c = catalog_parse(text, strlen(text), "cat.txt");
	msg = capture_end();
	catalog_free(c);
	if (c != NULL)
		return "(parsed)";
	snprintf(first, sizeof first, "%.*s", (int)strcspn(msg, "\n"), msg);
	return first;
}

static const char *
check(const char *type, const char *value)
{
	char text[512];
	struct catalog *c;
	const char *why;

	snprintf(text, sizeof text, HEAD "stream s by wt-match\n\tx %s\n\ty BIGINT not null\n", type);
	c = catalog_parse(text, strlen(text), "t");
	why = cat_check(&c->streams[0].columns[0], value, strlen(value));
	if (strcmp(value, "") == 0 && why == NULL)
		why = cat_check(&c->streams[0].columns[1], value, 0);
	catalog_free(c);
	return why ? why : "ok";
}

static void
a_good_catalog_read_whole(void)
{
	struct catalog *c;
	char buf[32];

	const char *ok = GOOD "\tredshift distkey id sortkey src_line id\n\tpostgres index src_line id\n\tpostgres index id\n"
	    "stream transactions by split-by-unit\n\tphone VARCHAR(16) from \"The Phone\" as phone optional zstd\n"
	    "\tamount NUMERIC(14,2) from Amount\n\tsrc_line BIGINT not null  # the line\n\tidentity phone\n"
	    "\ttable units.lead unit lead\n\ttable units.drip unit drip\n";
	c = catalog_parse(ok, strlen(ok), "cat.txt");
	CHECK(c != NULL);
	if (c) {
		const struct cat_stream *s = catalog_stream(c, "transactions"), *t;

		CHECK(c->nstreams == 2 && c->nloaded == 1 && c->nnewest == 2);
		CHECK(s && s->ncolumns == 3 && s->ntables == 2 && s->nidentity == 1);
		CHECK_STR(s->columns[0].from, "The Phone");
		CHECK(s->columns[0].read == READ_PHONE && s->columns[0].optional && s->columns[0].zstd);
		CHECK(s->columns[1].read == READ_MONEY && s->columns[1].precision == 14 && s->columns[1].scale == 2);
		CHECK(s->columns[2].not_null && s->columns[2].line == 14);
		CHECK_STR(s->tables[1].unit, "drip");
		CHECK(cat_column(s, "amount") == 1 && cat_column(s, "nope") == -1);
		CHECK(catalog_table(c, "units.drip", &t) == &s->tables[1] && t == s);
		CHECK(catalog_table(c, "units.none", NULL) == NULL);
		s = catalog_stream(c, "calls");
		CHECK(s->distkey == 0 && s->nsortkey == 2 && s->sortkey[0] == 1);
		CHECK(s->nindexes == 2 && s->indexes[0].ncolumns == 2 && s->indexes[0].columns[0] == 1
		    && s->indexes[1].ncolumns == 1 && s->indexes[1].columns[0] == 0);
		CHECK_STR(cat_type_sql(&s->columns[0], buf, sizeof buf), "VARCHAR(8)");
		CHECK_STR(cat_type_sql(&catalog_stream(c, "transactions")->columns[1], buf, sizeof buf), "NUMERIC(14,2)");
		catalog_free(c);
	}
}

static void
errors_name_file_and_line(void)
{
	struct catalog *c;

	/* Every error names the file and the line, and the catalog is refused. */
	CHECK_STR(error_of(GOOD "\tid2 VARCHR(8)\n"), "test_catalog: cat.txt:8: unknown type 'VARCHR(8)' (BIGINT, INTEGER, SMALLINT, NUMERIC(P,S), VARCHAR(N), TIMESTAMP, DATE)");
	CHECK_STR(error_of(GOOD "\tid VARCHAR(9)\n"), "test_catalog: cat.txt:8: column id appears twice in stream calls (line 4)");
	CHECK_STR(error_of(GOOD "stream x by nobody\n\ta BIGINT\n"), "test_catalog: cat.txt:8: stream x: no program nobody writes it (the programs: " LAC_PROGRAMS ")");
	CHECK_STR(error_of(GOOD "\tid2 VARCHAR(8) sometimes\n"), "test_catalog: cat.txt:8: unexpected 'sometimes' (not null, from SOURCE, as READING, optional, zstd)");
	CHECK_STR(error_of(GOOD "\tx \"unterminated\n"), "test_catalog: cat.txt:8: unterminated quote");
	CHECK_STR(error_of(GOOD "\tTable BIGINT\n"), "test_catalog: cat.txt:8: 'Table' is not a column name (snake_case, not a keyword)");
	CHECK_STR(error_of(GOOD "\tstream VARCHAR(8)\n"), "test_catalog: cat.txt:8: 'stream' is a keyword, not a column name");
	capture_start();
	c = catalog_parse(GOOD "\0x", strlen(GOOD) + 2, "cat.txt");
	CHECK_STR(capture_end(), "test_catalog: cat.txt:1: a NUL byte: not a text file\n");
	CHECK(c == NULL);
	CHECK_STR(error_of(GOOD "\tn BIGINT as integer\n"), "test_catalog: cat.txt:8: 'as' says how a column is read 'from' its source: give one");
	CHECK_STR(error_of(GOOD "\tn BIGINT from N as phone\n"), "test_catalog: cat.txt:8: column n: reading 'phone' does not suit type BIGINT");
	CHECK_STR(error_of(GOOD "\tn BIGINT from N as telephone\n"), "test_catalog: cat.txt:8: unknown reading 'telephone' (text, integer, money, local_time, phone, transaction_type, flag)");
	CHECK_STR(error_of(GOOD "\ttable units.calls\n"), "test_catalog: cat.txt:8: table units.calls appears twice");
	CHECK_STR(error_of(GOOD "\ttable calls\n"), "test_catalog: cat.txt:8: 'calls' is not SCHEMA.NAME");
	CHECK_STR(error_of(GOOD "\tidentity nope\n"), "test_catalog: cat.txt:8: stream calls has two identity lines");
	/* An identity `once`: one BIGINT column, not null, in a stream with a local day (its batches' day). */
	CHECK_STR(error_of(HEAD "stream calls by wt-match\n\tidentity once\n"), "test_catalog: cat.txt:4: identity names the columns that identify a row");
	CHECK_STR(error_of(HEAD "stream calls by call-lead-join\n\tid VARCHAR(8) not null\n\tsrc_line BIGINT not null\n"
	    "\tidentity id once\n\ttable units.calls\n"), "test_catalog: cat.txt:3: stream calls: an identity 'once' is one BIGINT column, not null, and the stream has a local_day (its batches' day)");
	CHECK_STR(error_of(HEAD "stream calls by call-lead-join\n\tid BIGINT not null\n\tsrc_line BIGINT not null\n"
	    "\tat TIMESTAMP not null\n\tidentity id once\n\ttable units.calls\n"), "test_catalog: cat.txt:3: stream calls: an identity 'once' is one BIGINT column, not null, and the stream has a local_day (its batches' day)");
	{
		const char *text = HEAD "stream calls by call-lead-join\n\tid BIGINT not null\n\tsrc_line BIGINT not null\n"
		    "\tat TIMESTAMP not null\n\tidentity id once\n\tlocal_day day of at in UTC\n\ttable units.calls\n";
		struct catalog *c = catalog_parse(text, strlen(text), "cat.txt");

		CHECK(c != NULL && c->streams[0].identity_once && c->streams[0].nidentity == 1 && c->streams[0].identity[0] == 0);
		catalog_free(c);
		c = catalog_parse(GOOD, strlen(GOOD), "cat.txt");
		CHECK(c != NULL && !c->streams[0].identity_once);
		catalog_free(c);
	}
	CHECK_STR(error_of(GOOD "\tredshift distkey nope\n"), "test_catalog: cat.txt:8: stream calls has no column nope");
	CHECK_STR(error_of(GOOD "\tpostgres index nope\n"), "test_catalog: cat.txt:8: stream calls has no column nope");
	CHECK_STR(error_of(GOOD "\tpostgres index\n"), "test_catalog: cat.txt:8: expected 'postgres index COLUMN [COLUMN ...]'");
	CHECK_STR(error_of(GOOD "\tpostgres id\n"), "test_catalog: cat.txt:8: expected 'postgres index COLUMN [COLUMN ...]'");
	CHECK_STR(error_of(GOOD "\tpostgres VARCHAR(8)\n"), "test_catalog: cat.txt:8: expected 'postgres index COLUMN [COLUMN ...]'");
	CHECK_STR(error_of(GOOD "stream calls by wt-match\n\ta BIGINT\n"), "test_catalog: cat.txt:8: stream calls appears twice (line 3)");
	CHECK_STR(error_of(HEAD "\tid BIGINT\n"), "test_catalog: cat.txt:3: 'id' outside a stream (expected stream, loaded or newest)");
	CHECK_STR(error_of(HEAD "stream calls by wt-match\n\tid BIGINT\n\ttable units.calls\n"), "test_catalog: cat.txt:3: stream calls is loaded into tables but has no identity line");
	CHECK_STR(error_of(HEAD "stream calls by wt-match\n\tid BIGINT\n\tidentity id\n\ttable units.calls\n"), "test_catalog: cat.txt:3: stream calls has no column src_line, which 'newest' orders by");
	CHECK_STR(error_of("stream calls by wt-match\n\tid BIGINT\n"), "test_catalog: cat.txt:1: no 'newest' line: which of two rows of one identity is newer?");
	CHECK_STR(error_of(GOOD "stream t by split-by-unit\n\ta BIGINT\n\tsrc_line BIGINT\n\tidentity a\n\ttable units.a unit a\n\ttable units.b\n"), "test_catalog: cat.txt:8: stream t: either every table is a unit or none is");
	CHECK_STR(error_of(GOOD "stream t by split-by-unit\n\tbatch_id BIGINT\n"), "test_catalog: cat.txt:8: stream t has column batch_id, which rs-copy adds at load");
}

/* A local day: a column the views compute from a TIMESTAMP in a zone, indexed by its expression. */
static void
local_days(void)
{
	const char *ok = GOOD "\tat TIMESTAMP not null\n\tlocal_day day_ny of at in America/New_York\n"
	    "\tpostgres index at\n\tpostgres index day_ny\n\tzone Europe/Paris\n\tlocal_day day_paris of at\n";
	struct catalog *c = catalog_parse(ok, strlen(ok), "cat.txt");

	CHECK(c != NULL);
	if (c) {
		const struct cat_stream *s = &c->streams[0];

		CHECK(s->nlocal_days == 2 && s->local_days[0].column == 2 && s->local_days[0].line == 9);
		CHECK_STR(s->zone, "Europe/Paris");
		CHECK_STR(s->local_days[1].zone, "Europe/Paris");	/* the stream's, given before it */
		CHECK_STR(s->local_days[0].name, "day_ny");
		CHECK_STR(s->local_days[0].zone, "America/New_York");
		CHECK(s->ncolumns == 3);	/* no column of the tables or the stream */
		CHECK(s->nindexes == 2 && s->indexes[1].ncolumns == 1 && s->indexes[1].columns[0] == -1);
		catalog_free(c);
	}
#define AT GOOD "\tat TIMESTAMP\n"
	CHECK_STR(error_of(AT "\tlocal_day d of at in\n"), "test_catalog: cat.txt:9: expected 'local_day NAME of COLUMN [in ZONE]'");
	CHECK_STR(error_of(AT "\tlocal_day d of at\n"), "test_catalog: cat.txt:9: a local day needs a zone: 'in ZONE', or a 'zone' line of the stream before it");
	CHECK_STR(error_of(AT "\tzone\n"), "test_catalog: cat.txt:9: expected 'zone ZONE'");
	CHECK_STR(error_of(AT "\tzone UTC\n\tzone UTC\n"), "test_catalog: cat.txt:10: stream calls has two zone lines");
	CHECK_STR(error_of(AT "\tzone Mars/Olympus\n"), "test_catalog: cat.txt:9: 'Mars/Olympus' is no zone of the tz database");
	CHECK_STR(error_of(AT "\tzone VARCHAR(8)\n"), "test_catalog: cat.txt:9: 'VARCHAR(8)' is no zone of the tz database");
	CHECK_STR(error_of(AT "\tlocal_day d of id in UTC\n"), "test_catalog: cat.txt:9: stream calls has no TIMESTAMP column id");
	CHECK_STR(error_of(AT "\tlocal_day d of nope in UTC\n"), "test_catalog: cat.txt:9: stream calls has no TIMESTAMP column nope");
	CHECK_STR(error_of(AT "\tlocal_day d of at in Mars/Olympus\n"), "test_catalog: cat.txt:9: 'Mars/Olympus' is no zone of the tz database");
	CHECK_STR(error_of(AT "\tlocal_day d of at in \"UTC'\"\n"), "test_catalog: cat.txt:9: 'UTC'' is no zone of the tz database");
	CHECK_STR(error_of(AT "\tlocal_day id of at in UTC\n"), "test_catalog: cat.txt:9: stream calls already has a column id");
	CHECK_STR(error_of(AT "\tlocal_day batch_id of at in UTC\n"), "test_catalog: cat.txt:9: stream calls already has a column batch_id");
	CHECK_STR(error_of(AT "\tlocal_day Day of at in UTC\n"), "test_catalog: cat.txt:9: 'Day' is not a column name (snake_case, not a keyword)");
	CHECK_STR(error_of(AT "\tlocal_day d of at in UTC\n\td BIGINT\n"), "test_catalog: cat.txt:9: stream calls already has a column d");
	CHECK_STR(error_of(AT "\tlocal_day d of at in UTC\n\tlocal_day d of at in UTC\n"), "test_catalog: cat.txt:10: stream calls already has a column d");
	CHECK_STR(error_of(AT "\tlocal_day d of at in UTC\n\tpostgres index d at\n"), "test_catalog: cat.txt:10: stream calls has no column d");
	CHECK_STR(error_of(AT "\tlocal_day BIGINT\n"), "test_catalog: cat.txt:9: expected 'local_day NAME of COLUMN [in ZONE]'");
	CHECK_STR(error_of(AT "\tlocal_day TIMESTAMP\n"), "test_catalog: cat.txt:9: expected 'local_day NAME of COLUMN [in ZONE]'");
#undef AT
}

static void
values_against_types(void)
{
	struct catalog *c;

	/* Values against their column's type: what a program may write. */
	CHECK_STR(check("VARCHAR(4)", "abcd"), "ok");
	CHECK_STR(check("VARCHAR(4)", "abcde"), "too_long");
	CHECK_STR(check("VARCHAR(4)", "é12"), "ok");	/* 4 bytes */
	CHECK_STR(check("VARCHAR(4)", "é123"), "too_long");
	CHECK_STR(check("VARCHAR(4)", ""), "missing_value");	/* y is not null */
	CHECK_STR(check("BIGINT", "9223372036854775807"), "ok");
	CHECK_STR(check("BIGINT", "9223372036854775808"), "out_of_range");
	CHECK_STR(check("BIGINT", "-9223372036854775808"), "ok");
	CHECK_STR(check("BIGINT", "99999999999999999999999"), "out_of_range");
	CHECK_STR(check("BIGINT", "12a"), "bad_integer");
	CHECK_STR(check("BIGINT", "-"), "bad_integer");
	CHECK_STR(check("INTEGER", "2147483647"), "ok");
	CHECK_STR(check("INTEGER", "2147483648"), "out_of_range");
	CHECK_STR(check("SMALLINT", "-32768"), "ok");
	CHECK_STR(check("SMALLINT", "32768"), "out_of_range");
	CHECK_STR(check("NUMERIC(14,2)", "999999999999.99"), "ok");
	CHECK_STR(check("NUMERIC(14,2)", "1000000000000.00"), "out_of_range");
	CHECK_STR(check("NUMERIC(14,2)", "-0012.5"), "ok");
	CHECK_STR(check("NUMERIC(14,2)", "1.234"), "out_of_range");
	CHECK_STR(check("NUMERIC(14,2)", "1.2.3"), "bad_money");
	CHECK_STR(check("NUMERIC(14,2)", "$1"), "bad_money");
	CHECK_STR(check("TIMESTAMP", "2026-11-01 06:30:00"), "ok");
	CHECK_STR(check("TIMESTAMP", "9999-12-31 23:59:59"), "ok");
	CHECK_STR(check("TIMESTAMP", ":000-01-01 04:00:00"), "bad_datetime");
	CHECK_STR(check("TIMESTAMP", "0000-01-01 00:00:00"), "bad_datetime");
	CHECK_STR(check("TIMESTAMP", "2026-02-29 00:00:00"), "bad_datetime");
	CHECK_STR(check("TIMESTAMP", "2028-02-29 23:59:59"), "ok");
	CHECK_STR(check("TIMESTAMP", "2026-11-01 24:00:00"), "bad_datetime");
	CHECK_STR(check("DATE", "2026-11-01"), "ok");
	CHECK_STR(check("DATE", "2026-11-31"), "bad_datetime");
	{
		char nul[] = { 'a', '\0', 'b' };
		const char *text = HEAD "stream s by wt-match\n\tx VARCHAR(9)\n";

		c = catalog_parse(text, strlen(text), "t");
		CHECK_STR(cat_check(&c->streams[0].columns[0], nul, 3), "nul_byte");
		catalog_free(c);
	}
}

int
main(void)
{
	diag_init("test_catalog");
	a_good_catalog_read_whole();
	local_days();
	errors_name_file_and_line();
	values_against_types();
	return check_done();
}

