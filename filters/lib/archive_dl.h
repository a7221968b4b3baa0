/*
 * libarchive, loaded when the first archive arrives rather than at every
 * program's start.  Its shared library brings libxml2, ICU and libstdc++ for
 * formats never read here: 7 ms of each start of every program, where most
 * inputs are plain or gzip.  (systemd loads its optional libraries, libarchive
 * among them, the same way.)
 */
#ifndef ARCHIVE_DL_H
#define ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>

/* The functions input.c calls, named as libarchive names them without "archive_". */
struct archive_api {
	struct archive *(*read_new)(void);
	int (*read_support_format_zip)(struct archive *);
	int (*read_support_format_tar)(struct archive *);
	int (*read_support_format_7zip)(struct archive *);
	int (*read_support_filter_all)(struct archive *);
	int (*read_open)(struct archive *, void *, archive_open_callback *,
	    archive_read_callback *, archive_close_callback *);
	int (*read_next_header)(struct archive *, struct archive_entry **);
	la_ssize_t (*read_data)(struct archive *, void *, size_t);
	int (*read_free)(struct archive *);
	const char *(*error_string)(struct archive *);
	const char *(*entry_pathname)(struct archive_entry *);
	__LA_MODE_T (*entry_filetype)(struct archive_entry *);
};

/*
 * The library of the build (ARCHIVE_SONAME, which the Makefile reads from
 * libarchive.so), loaded once; NULL, said on stderr as "prog: FILE: ...",
 * when it cannot be.  Called by input_open, on the one thread that opens
 * inputs (call-lead-join's other thread only writes).
 */
const struct archive_api *archive_api(const char *file);

/* The same from the library SONAME (for its test). */
const struct archive_api *archive_api_load(const char *soname, const char *file);

#endif
