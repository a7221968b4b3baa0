#include "capture.h"
#include "check.h"
#include "diag.h"
#include "fixture.h"
#include "split-by-unit/rules.h"

static const char *const targets[] = { "lead", "cpa_cpt", "lead_call", "exclude" };

static struct rules *
load(const char *text)
{
	return rules_load(write_plain("rules.txt", text, strlen(text)), targets, 4);
}

/* The diagnostic a broken rules file gives, without the folder. */
static const char *
error_of(const char *text)
{
	struct rules *rs;
	const char *msg, *name;

	capture_start();
	rs = load(text);
	msg = capture_end();
	rules_free(rs);
	if (rs != NULL)
		return "(loaded)";
	name = strstr(msg, "rules.txt");
	return name ? name : msg;
}

int
main(void)
{
	struct field hf[] = { { "Test_Lead", 9 }, { "Lead_Type", 9 }, { "Partner_ID", 10 }, { "SRC", 3 } };
	struct row hdr = { .f = hf, .nf = 4, .line = 1 };
	struct rules *rs;
	long line;

	diag_init("test_rules");
	rs = load("# comment\n\n"
	    "exclude   Test_Lead = 1\n"
	    "lead_call Lead_Type = \"Inbound Call\"   # calls\n"
	    "cpa_cpt   Partner_ID in 1043,2210, \"3007\" and SRC prefix \"\"\n"
	    "lead      SRC prefix DRIP_ and Lead_Type in Medicare, \"Say \"\"hi\"\"\"\n"
	    "lead      always\n");
	CHECK(rs != NULL);
	CHECK(rules_bind(rs, &hdr, "x.csv") == 0);

#define ROUTE(a, b, c, d) ({ \
	struct field f_[] = { { a, sizeof(a) - 1 }, { b, sizeof(b) - 1 }, { c, sizeof(c) - 1 }, { d, sizeof(d) - 1 } }; \
	struct row r_ = { .f = f_, .nf = 4, .line = 2 }; \
	rules_route(rs, &r_, &line); })

	CHECK(ROUTE("1", "Inbound Call", "1043", "") == 3 && line == 3);
	CHECK(ROUTE("0", "Inbound Call", "1043", "") == 2 && line == 4);
	CHECK(ROUTE("0", "Inbound call", "2210", "X") == 1 && line == 5);
	CHECK(ROUTE("0", "Medicare", "1", "DRIP_3") == 0 && line == 6);
	CHECK(ROUTE("0", "Say \"hi\"", "1", "DRIP_") == 0 && line == 6);
	CHECK(ROUTE("0", "Medicare", "10430", "FB") == 0 && line == 7);
	rules_free(rs);

	/* Without a catch-all a row can match nothing. */
	rs = load("cpa_cpt Partner_ID in 1043\n");
	CHECK(rules_bind(rs, &hdr, "x.csv") == 0);
	CHECK(ROUTE("0", "Medicare", "1", "") == -1);
	rules_free(rs);

	/* A rule naming a column the export lacks. */
	rs = load("lead Vendor = 7\n");
	capture_start();
	CHECK(rules_bind(rs, &hdr, "x.csv") == -1);
	CHECK(strstr(capture_end(), "rules.txt:1: column 'Vendor' is not in the header of x.csv") != NULL);
	rules_free(rs);

	CHECK_STR(error_of("lead SRC = A\nleed SRC = B\n"),
	    "rules.txt:2: unknown target 'leed' (one of: lead, cpa_cpt, lead_call, exclude)\n");
	CHECK_STR(error_of("lead\n"),
	    "rules.txt:1: rule for 'lead' has no condition (write 'always' to match every row)\n");
	CHECK_STR(error_of("lead SRC ~ A\n"), "rules.txt:1: unknown operator '~' (use =, in or prefix)\n");
	CHECK_STR(error_of("\n\nlead SRC =\n"), "rules.txt:3: 'SRC' is missing a value\n");
	CHECK_STR(error_of("lead SRC in A,\n"), "rules.txt:1: 'SRC' is missing a value\n");
	CHECK_STR(error_of("lead SRC = \"A\n"), "rules.txt:1: unterminated quoted value\n");
	CHECK_STR(error_of("lead SRC = A or SRC = B\n"), "rules.txt:1: expected 'and' or end of line, found 'or'\n");
	CHECK_STR(error_of("lead SRC = A and\n"), "rules.txt:1: 'and' must be followed by a condition\n");
	CHECK_STR(error_of("lead always\ncpa_cpt SRC = A\n"),
	    "rules.txt:2: rule can never match: 'always' on line 1 catches every row\n");
	CHECK_STR(error_of("lead always SRC = A\n"), "rules.txt:1: 'always' takes no condition, found 'SRC'\n");
	CHECK_STR(error_of("# nothing\n"), "rules.txt: no rules\n");
	/* A rules file that cannot be opened: NULL, and the file named with the reason. */
	capture_start();
	CHECK(rules_load("/nonexistent/rules.txt", targets, 4) == NULL);
	CHECK(strstr(capture_end(), "/nonexistent/rules.txt: No such file or directory") != NULL);
	fixture_cleanup();
	return check_done();
}
