#include <string.h>

#include "capture.h"
#include "check.h"
#include "diag.h"
#include "pq_dl.h"

int
main(void)
{
	diag_init("prog");

	/* No such library: said, and nothing loaded. */
	capture_start();
	CHECK(pq_load_from("liblac-no-such.so.0") == -1);
	CHECK_STR(capture_end(), "prog: cannot reach a database without libpq: "
	    "liblac-no-such.so.0: cannot open shared object file: No such file or directory\n");

	/* A library that is not libpq: the first function it lacks is named. */
	capture_start();
	CHECK(pq_load_from("libz.so.1") == -1);
	CHECK_STR(capture_end(), "prog: cannot reach a database: libz.so.1 has no PQconnectdb\n");

	/* The build's libpq: every function there, and loaded once. */
	capture_start();
	CHECK(pq_load() == 0);
	CHECK(pq_load() == 0);
	CHECK_STR(capture_end(), "");

	/* The calls reach libpq's own: a connection string parsed, a failed connection's message. */
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse("dbname=x port=5", &err);

	CHECK(opts != NULL && err == NULL);
	int seen = 0;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "port") == 0)
			seen = o->val && strcmp(o->val, "5") == 0;
	CHECK(seen);
	PQconninfoFree(opts);
	CHECK(PQconninfoParse("not = a = dsn", &err) == NULL && err != NULL);
	PQfreemem(err);
	PGconn *c = PQconnectdb("host=/nonexistent-socket-dir dbname=x");

	CHECK(PQstatus(c) == CONNECTION_BAD);
	CHECK(strstr(PQerrorMessage(c), "/nonexistent-socket-dir") != NULL);
	PQfinish(c);
	return check_done();
}
