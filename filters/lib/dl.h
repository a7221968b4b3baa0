/*
 * A shared library loaded at its first use rather than at every program's
 * start, its functions into a struct of pointers: libarchive at the first
 * archive (archive_dl.c), libpq at the first connection (pq_dl.c).
 */
#ifndef DL_H
#define DL_H

#include <stddef.h>

/* A function of the library, and where its address goes in the struct. */
struct dl_symbol {
	const char *name;
	size_t offset;
};

/*
 * SONAME opened and the address of each of its SYMBOLS stored at its offset
 * in API: the library (kept open until exit), or NULL, said as
 * "[FILE: ]DOING without LIBRARY: why" or "[FILE: ]DOING: SONAME has no SYMBOL".
 */
void *dl_load(const char *soname, const struct dl_symbol *symbols, size_t nsymbols, void *api,
    const char *doing, const char *library, const char *file);

#endif
