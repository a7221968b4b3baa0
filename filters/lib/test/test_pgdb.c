#include <stdlib.h>

#include "capture.h"
#include "check.h"
#include "diag.h"
#include "pgdb.h"

/*
 * The parts that need no server always; the rest against the database of
 * the PG* environment when LAC_TEST_PGHOST says there is one (make test
 * starts it before the unit tests run).
 */
int
main(void)
{
	PGconn *c;

	diag_init("test_pgdb");
	capture_start();
	c = pgdb_connect("host=/nowhere password=secret dbname=x");
	const char *said = capture_end();
	CHECK(c == NULL);
	CHECK_STR(said, "test_pgdb: --dsn must not carry a password: use ~/.pgpass, PGPASSFILE or a service file\n");
	CHECK(strstr(said, "secret") == NULL);
	capture_start();
	CHECK(pgdb_connect("this is = not a dsn ===") == NULL);
	CHECK(strncmp(capture_end(), "test_pgdb: --dsn is not a connection string:", 44) == 0);
	capture_start();
	CHECK(pgdb_connect("host=/nonexistent-socket-dir dbname=x") == NULL);
	CHECK(strncmp(capture_end(), "test_pgdb: cannot connect to the database:", 42) == 0);

	if (getenv("LAC_TEST_PGHOST") == NULL) {
		fprintf(stderr, "test_pgdb: no LAC_TEST_PGHOST: the server checks did not run\n");
		return 1;	/* make test always gives one: a missing server is a failure, not a pass */
	}
	CHECK((c = pgdb_connect(NULL)) != NULL);
	struct table_columns tc;
	CHECK(pgdb_table_columns(c, "units", "calls", &tc) == 0);
	CHECK(tc.n >= 3 && strcmp(tc.col[0].name, "complete_call_id") == 0 && tc.col[0].not_null);
	CHECK_STR(tc.col[0].type, "VARCHAR(128)");
	pgdb_table_columns_free(&tc);
	capture_start();
	CHECK(pgdb_table_columns(c, "units", "nosuch", &tc) == -1);
	CHECK_STR(capture_end(), "test_pgdb: no table units.nosuch in the database (did scripts/db-init run?)\n");
	char **tables = pgdb_schema_tables(c, "units");
	int n = 0, has_lead = 0;
	for (; tables[n]; n++) {
		has_lead |= strcmp(tables[n], "lead") == 0;
		free(tables[n]);
	}
	free(tables);
	CHECK(n >= 11 && has_lead);
	char *q = pgdb_literal(c, "it's \\ here");
	CHECK_STR(q, "'it''s \\ here'");
	free(q);
	q = pgdb_ident(c, "odd\"name");
	CHECK_STR(q, "\"odd\"\"name\"");
	free(q);
	CHECK(pgdb_exec(c, "SELECT 1") == 0);
	capture_start();
	CHECK(pgdb_exec(c, "SELEKT 1") == -1);
	CHECK_STR(capture_end(), "test_pgdb: syntax error at or near \"SELEKT\"\n");
	PQfinish(c);
	return check_done();
}
