#include <stddef.h>
#include <stdlib.h>

#include "diag.h"
#include "dl.h"
#include "pq_dl.h"

_Static_assert(sizeof PQ_SONAME > 1, "PQ_SONAME: the Makefile reads it from libpq.so (make deps)");

/* Every function of libpq the programs call, each once: the table, the loader and the definitions below follow it. */
#define PQ_FUNCTIONS(X) \
	X(PQconnectdb) X(PQstatus) X(PQfinish) X(PQerrorMessage) X(PQconninfoParse) \
	X(PQconninfoFree) X(PQfreemem) X(PQexec) X(PQexecParams) X(PQresultStatus) \
	X(PQresultErrorField) X(PQntuples) X(PQgetvalue) X(PQclear) X(PQescapeIdentifier) \
	X(PQescapeStringConn) X(PQputCopyData) X(PQputCopyEnd) X(PQgetResult)

/* The loaded library's functions, each with the type <libpq-fe.h> gives it. */
static struct {
#define MEMBER(name) __typeof__(name) *name;
	PQ_FUNCTIONS(MEMBER)
#undef MEMBER
} pq;

static const struct dl_symbol symbols[] = {
#define SYMBOL(name) { #name, offsetof(__typeof__(pq), name) },
	PQ_FUNCTIONS(SYMBOL)
#undef SYMBOL
};

/* Never closed: a program keeps its connection until it exits (valgrind is told, test/valgrind.supp). */
static void *lib;

int
pq_load_from(const char *soname)
{
	if (lib == NULL)
		lib = dl_load(soname, symbols, sizeof symbols / sizeof symbols[0], &pq,
		    "cannot reach a database", "libpq", NULL);
	return lib ? 0 : -1;
}

int
pq_load(void)
{
	return pq_load_from(PQ_SONAME);
}

/* A call before pgdb_connect: the library is loaded then, or the program cannot go on. */
static inline void
loaded(void)
{
	if (lib == NULL && pq_load() < 0)
		exit(EXIT_DATA);
}

/*
 * libpq's functions, as <libpq-fe.h> declares them (the compiler holds each
 * definition to its declaration), calling the loaded library's.
 */
PGconn *PQconnectdb(const char *conninfo) { loaded(); return pq.PQconnectdb(conninfo); }
ConnStatusType PQstatus(const PGconn *c) { loaded(); return pq.PQstatus(c); }
void PQfinish(PGconn *c) { loaded(); pq.PQfinish(c); }
char *PQerrorMessage(const PGconn *c) { loaded(); return pq.PQerrorMessage(c); }
PQconninfoOption *PQconninfoParse(const char *conninfo, char **errmsg) { loaded(); return pq.PQconninfoParse(conninfo, errmsg); }
void PQconninfoFree(PQconninfoOption *o) { loaded(); pq.PQconninfoFree(o); }
void PQfreemem(void *p) { loaded(); pq.PQfreemem(p); }
PGresult *PQexec(PGconn *c, const char *query) { loaded(); return pq.PQexec(c, query); }
PGresult *
PQexecParams(PGconn *c, const char *command, int nParams, const Oid *paramTypes,
    const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat)
{
	loaded();
	return pq.PQexecParams(c, command, nParams, paramTypes, paramValues, paramLengths, paramFormats,
	    resultFormat);
}
ExecStatusType PQresultStatus(const PGresult *r) { loaded(); return pq.PQresultStatus(r); }
char *PQresultErrorField(const PGresult *r, int fieldcode) { loaded(); return pq.PQresultErrorField(r, fieldcode); }
int PQntuples(const PGresult *r) { loaded(); return pq.PQntuples(r); }
char *PQgetvalue(const PGresult *r, int row, int col) { loaded(); return pq.PQgetvalue(r, row, col); }
void PQclear(PGresult *r) { loaded(); pq.PQclear(r); }
char *PQescapeIdentifier(PGconn *c, const char *s, size_t len) { loaded(); return pq.PQescapeIdentifier(c, s, len); }
size_t
PQescapeStringConn(PGconn *c, char *to, const char *from, size_t length, int *error)
{
	loaded();
	return pq.PQescapeStringConn(c, to, from, length, error);
}
int PQputCopyData(PGconn *c, const char *buffer, int nbytes) { loaded(); return pq.PQputCopyData(c, buffer, nbytes); }
int PQputCopyEnd(PGconn *c, const char *errormsg) { loaded(); return pq.PQputCopyEnd(c, errormsg); }
PGresult *PQgetResult(PGconn *c) { loaded(); return pq.PQgetResult(c); }
