#include "capture.h"
#include "check.h"
#include "diag.h"
#include "fixture.h"
#include "reader.h"

/* What the loop handed the program: "H(label)" a header, "line:first" a record, "D(label)" a member done. */
struct seen {
	char out[512];
	size_t len;
	int refuse;		/* the header callback says no */
};

static int
header(void *ctx, struct rows *r, const struct row *hdr)
{
	struct seen *s = ctx;

	s->len += snprintf(s->out + s->len, sizeof s->out - s->len, "H(%s:%zu)", rows_label(r), hdr->nf);
	return s->refuse ? -1 : 0;
}

static void
record(void *ctx, struct rows *r, const struct row *row)
{
	struct seen *s = ctx;

	(void)r;
	s->len += snprintf(s->out + s->len, sizeof s->out - s->len, "%ld:%.*s;", row->line, (int)row->f[0].n,
	    row->f[0].p);
}

static void
done(void *ctx, struct rows *r)
{
	struct seen *s = ctx;

	s->len += snprintf(s->out + s->len, sizeof s->out - s->len, "D(%s)", rows_label(r));
}

int
main(void)
{
	struct rejects rj;
	struct seen s = { "", 0, 0 };
	long rows = 0;
	struct reader rd = {
		.rowopts = { .format = ROWS_CSV }, .no_header = "no header here",
		.header = header, .record = record, .member_done = done, .rejects = &rj, .rows_in = &rows,
	};

	diag_init("test_reader");
	rejects_open(&rj, NULL);
	/* Every member an archive's glob wants: header, records of its width, done; others rejected, all counted. */
	const char *zip = write_archive("two.zip", 1, (const char *const[]){
		"a.csv", "x,y\n1,2\n3\n", "skip.txt", "n\n9\n", "b.csv", "x,y\n4,5\n", NULL });
	rd.entry_glob = "*.csv";
	capture_start();
	CHECK(read_input(zip, &rd, &s) == 0);
	const char *err = capture_end();
	CHECK_STR(s.out, "H(two.zip/a.csv:2)2:1;D(two.zip/a.csv)H(two.zip/b.csv:2)2:4;D(two.zip/b.csv)");
	CHECK(rows == 3 && rj.total == 1);
	CHECK(strstr(err, "two.zip/a.csv:3: field_count: 1 fields, the header has 2") != NULL);

	/* A header the program refuses stops the read: no record, no done. */
	s.len = 0, s.refuse = 1, rows = 0;
	rd.entry_glob = NULL;
	CHECK(read_input(write_plain("r.csv", "x\n1\n", 4), &rd, &s) == -1);
	CHECK_STR(s.out, "H(r.csv:1)");
	CHECK(rows == 0);

	/* No header: said at the line it should be on (past the title lines). */
	s.len = 0, s.refuse = 0;
	rd.rowopts.skip_lines = 2;
	capture_start();
	CHECK(read_input(write_plain("t.csv", "Title\nDate\n", 11), &rd, &s) == -1);
	CHECK_STR(capture_end(), "test_reader: t.csv:3: no header here\n");
	CHECK(s.len == 0);

	/* An input that cannot be opened. */
	capture_start();
	CHECK(read_input(fixture_path("missing.csv"), &rd, &s) == -1);
	CHECK(strstr(capture_end(), "missing.csv") != NULL);
	rejects_finish(&rj, 0);
	fixture_cleanup();
	return check_done();
}
