#include "capture.h"
#include "check.h"
#include "diag.h"
#include "fixture.h"
#include "records.h"

struct seen {
	char out[512];
	size_t len;
};

static void
collect(void *ctx, struct rows *r, const struct row *row, const int *idx)
{
	struct seen *s = ctx;

	(void)r;
	/* The columns by name, whatever their order in the file. */
	s->len += snprintf(s->out + s->len, sizeof s->out - s->len, "%ld:%.*s=%.*s;", row->line,
	    (int)row->f[idx[0]].n, row->f[idx[0]].p, (int)row->f[idx[1]].n, row->f[idx[1]].p);
}

int
main(void)
{
	static const char *const names[] = { "phone", "amount", "note" };
	static const unsigned char required[] = { 1, 1, 0 };
	struct rejects rj;
	struct seen s = { "", 0 };
	long count = 0;
	const char *path = write_plain("in.tsv",
	    "amount\textra\tphone\n12.50\tx\t+15125550199\n1\t2\n\n9.00\t\xff\t+15125550100\n3.00\t\t+15125550101\n", 84);

	diag_init("test_records");
	rejects_open(&rj, NULL);
	capture_start();
	CHECK(read_records(path, ROWS_TSV, NULL, names, required, 3, &rj, collect, &s, &count) == 0);
	const char *err = capture_end();
	CHECK_STR(s.out, "2:+15125550199=12.50;6:+15125550101=3.00;");
	CHECK(count == 5 && rj.total == 3);
	CHECK(strstr(err, "in.tsv:3: field_count: 2 fields, the header has 3") != NULL);
	CHECK(strstr(err, "in.tsv:4: blank_line") != NULL);
	CHECK(strstr(err, "in.tsv:5: bad_utf8: not valid UTF-8") != NULL);
	CHECK(rejects_status(&rj, count) == EXIT_DATA);
	rejects_finish(&rj, 0);

	/* A required column missing: one error, nothing read. */
	static const char *const other[] = { "phone", "lead_id" };
	rejects_open(&rj, NULL);
	s.len = 0;
	s.out[0] = '\0';
	capture_start();
	CHECK(read_records(path, ROWS_TSV, NULL, other, NULL, 2, &rj, collect, &s, &count) == -1);
	CHECK(strstr(capture_end(), "missing column(s): lead_id; the header has: amount, extra, phone") != NULL);
	CHECK(s.len == 0);
	capture_start();
	CHECK(read_records(write_plain("empty.tsv", "", 0), ROWS_TSV, NULL, names, required, 3, &rj, collect, &s, &count) == -1);
	CHECK(strstr(capture_end(), "empty.tsv:1: empty file: no header") != NULL);
	rejects_finish(&rj, 0);
	fixture_cleanup();
	return check_done();
}
