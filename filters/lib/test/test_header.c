#include "capture.h"
#include "check.h"
#include "diag.h"
#include "header.h"

int
main(void)
{
	struct field f[] = { { "Lead ID", 7 }, { "Sale Date", 9 }, { "Amount", 6 } };
	struct row hdr = { .f = f, .nf = 3, .line = 1 };
	const char *names[] = { "Sale Date", "Lead ID", "Notes" };
	const unsigned char required[] = { 1, 1, 0 };
	const char *want[] = { "Amount", "Lead ID", "Phone", "Zip" };
	int idx[4];

	diag_init("test_header");
	CHECK(header_find(&hdr, "Amount") == 2);
	CHECK(header_find(&hdr, "amount") == -1);	/* names are exact */
	CHECK(header_lookup(&hdr, "x.csv", names, required, 3, idx) == 0);
	CHECK(idx[0] == 1 && idx[1] == 0 && idx[2] == -1);

	capture_start();
	CHECK(header_lookup(&hdr, "x.csv", want, NULL, 4, idx) == -1);
	CHECK_STR(capture_end(),
	    "test_header: x.csv:1: missing column(s): Phone, Zip; "
	    "the header has: Lead ID, Sale Date, Amount\n");
	/* A name a program reads, twice in the header: which one is meant cannot be known. */
	struct field g[] = { { "Amount", 6 }, { "Lead ID", 7 }, { "Amount", 6 } };
	struct row twice = { .f = g, .nf = 3, .line = 1 };
	CHECK(header_find(&twice, "Amount") == HEADER_TWICE);
	CHECK(header_find(&twice, "Lead ID") == 1);
	capture_start();
	CHECK(header_lookup(&twice, "y.csv", want, (const unsigned char[]){ 1, 1, 0, 0 }, 4, idx) == -1);
	CHECK_STR(capture_end(), "test_header: y.csv:1: column Amount is in the header twice (columns 1 and 3): which one is meant?\n");
	return check_done();
}
