#include <stddef.h>

#include "archive_dl.h"
#include "dl.h"

_Static_assert(sizeof ARCHIVE_SONAME > 1, "ARCHIVE_SONAME: the Makefile reads it from libarchive.so (make deps)");

/* Each member of struct archive_api and its symbol, in the struct's order. */
static const struct dl_symbol symbols[] = {
#define SYM(member) { "archive_" #member, offsetof(struct archive_api, member) }
	SYM(read_new), SYM(read_support_format_zip), SYM(read_support_format_tar),
	SYM(read_support_format_7zip), SYM(read_support_filter_all), SYM(read_open),
	SYM(read_next_header), SYM(read_data), SYM(read_free), SYM(error_string),
	SYM(entry_pathname), SYM(entry_filetype),
#undef SYM
};

/* Never closed: the process reads archives until it exits (valgrind is told, test/valgrind.supp). */
static void *lib;

const struct archive_api *
archive_api_load(const char *soname, const char *file)
{
	static struct archive_api api;

	if (lib == NULL && (lib = dl_load(soname, symbols, sizeof symbols / sizeof symbols[0], &api,
	    "cannot read an archive", "libarchive", file)) == NULL)
		return NULL;
	return &api;
}

const struct archive_api *
archive_api(const char *file)
{
	return archive_api_load(ARCHIVE_SONAME, file);
}
