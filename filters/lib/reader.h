/*
 * The one reading loop: every member of an input (an archive's entries by
 * a glob), its header handed to the program, then each record of the
 * header's width (one of another width is rejected: blank_line,
 * field_count) handed to it, every record counted.  The programs differ
 * only in what they do with a header and a record.
 */
#ifndef READER_H
#define READER_H

#include "rejects.h"
#include "rows.h"

struct reader {
	struct rowopts rowopts;
	const char *entry_glob;		/* the archive entries to read; NULL: every one */
	const char *no_header;		/* said, at the header's line, of a member without one */
	/* A member's header: 0, or -1 (diagnosed) to stop reading. */
	int (*header)(void *ctx, struct rows *r, const struct row *hdr);
	/* A record of the header's width. */
	void (*record)(void *ctx, struct rows *r, const struct row *row);
	/* After a member's records, or NULL. */
	void (*member_done)(void *ctx, struct rows *r);
	struct rejects *rejects;
	long *rows_in;			/* counts every record */
};

/* Every member of the input at path (or "-"): 0, or -1 when it could not be read whole (diagnosed). */
int read_input(const char *path, const struct reader *rd, void *ctx);

#endif
