/*
 * libpq, loaded when the first connection is made rather than at every
 * program's start.  Its shared library brings some twenty others (OpenSSL,
 * Kerberos, LDAP): 13 ms of every start of lac-catalog, whose commands but
 * `schema` never connect.  (libarchive is loaded the same way: archive_dl.h.)
 *
 * The programs call libpq by its own names, declared by <libpq-fe.h>; the
 * definitions linked into them (pq_dl.c) call the loaded library's.
 */
#ifndef PQ_DL_H
#define PQ_DL_H

#include <libpq-fe.h>

/*
 * The library of the build (PQ_SONAME, which the Makefile reads from
 * libpq.so), loaded once; 0, or -1 said on stderr as "prog: ..." when it
 * cannot be.  pgdb_connect calls it before anything of libpq; a libpq call
 * made earlier loads it too, and exits on failure.
 */
int pq_load(void);

/* The same from the library SONAME (for its test). */
int pq_load_from(const char *soname);

#endif
