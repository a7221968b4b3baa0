#include "capture.h"
#include "check.h"
#include "diag.h"
#include "fixture.h"
#include "rejects.h"

int
main(void)
{
	struct rejects rj;
	struct summary sum = { .len = 0 };
	const char *path = fixture_path("rejects.tsv");
	char back[1024];

	diag_init("wt-match");	/* a program the catalog names as a rejects writer */
	CHECK(rejects_open(&rj, path) == 0);
	capture_start();
	reject(&rj, "in.csv", 7, "a,b\tc", 5, "bad_phone", "Phone '%s'", "555");
	reject(&rj, "in.csv", 9, "Jos\351", 4, "bad_utf8", "not UTF-8");
	reject(&rj, "in.csv", 12, "x", 1, "bad_phone", "Phone 'n/a'");
	reject(&rj, "in.csv", 14, "a\0b\351", 4, "nul_byte", "a NUL");	/* NUL and bad UTF-8: U+FFFD each */
	CHECK_STR(capture_end(),
	    "wt-match: in.csv:7: bad_phone: Phone '555'\n"
	    "wt-match: in.csv:9: bad_utf8: not UTF-8\n"
	    "wt-match: in.csv:12: bad_phone: Phone 'n/a'\n"
	    "wt-match: in.csv:14: nul_byte: a NUL\n");
	rejects_summarize(&rj, &sum);
	CHECK_STR(sum.buf, ", rejected 4 (bad_phone=2 bad_utf8=1 nul_byte=1)");
	CHECK(rejects_status(&rj, 100) == 0);	/* kept in the file: nothing lost */
	CHECK(rejects_finish(&rj, 1) == 0);

	FILE *fp = fopen(path, "r");
	size_t n = fread(back, 1, sizeof back - 1, fp);
	fclose(fp);
	back[n] = '\0';
	CHECK_STR(back,
	    "src_file\tsrc_line\tprogram\treason\tmessage\trecord\n"
	    "in.csv\t7\twt-match\tbad_phone\tPhone '555'\ta,b c\n"
	    "in.csv\t9\twt-match\tbad_utf8\tnot UTF-8\tJos\357\277\275\n"
	    "in.csv\t12\twt-match\tbad_phone\tPhone 'n/a'\tx\n"
	    "in.csv\t14\twt-match\tnul_byte\ta NUL\ta\357\277\275b\357\277\275\n"
	    "#end 4\n");

	/* No file to keep them: the rows are lost, exit 1. */
	rejects_open(&rj, NULL);
	capture_start();
	reject(&rj, "in.csv", 2, "x", 1, "bad_money", "Amount");
	capture_end();
	CHECK(rejects_status(&rj, 10) == EXIT_DATA);
	rejects_finish(&rj, 0);
	rejects_open(&rj, NULL);
	CHECK(rejects_status(&rj, 10) == 0);
	rejects_finish(&rj, 0);

	/* --max-rejects, as a count and as a share of rows in. */
	rejects_open(&rj, path);
	CHECK(rejects_set_limit(&rj, "1") == 0);
	capture_start();
	for (int i = 0; i < 14; i++)
		reject(&rj, "in.csv", i + 2, "x", 1, "bad_money", "Amount");
	const char *err = capture_end();
	CHECK(strstr(err, "wt-match: further rejects are not shown here; the rejects file has them all\n") != NULL);
	CHECK(strstr(err, "in.csv:11:") != NULL && strstr(err, "in.csv:12:") == NULL);
	capture_start();
	CHECK(rejects_status(&rj, 1000) == EXIT_REJECTS);
	rejects_finish(&rj, 0);
	CHECK_STR(capture_end(), "wt-match: 14 rows rejected, more than --max-rejects 1 allows\n");
	rejects_open(&rj, path);
	CHECK(rejects_set_limit(&rj, "2%") == 0);
	capture_start();
	reject(&rj, "in.csv", 2, "x", 1, "bad_money", "Amount");
	capture_end();
	CHECK(rejects_status(&rj, 50) == 0);
	rejects_finish(&rj, 0);
	rejects_open(&rj, path);
	CHECK(rejects_set_limit(&rj, "2%") == 0);
	capture_start();
	reject(&rj, "in.csv", 2, "x", 1, "bad_money", "Amount");
	reject(&rj, "in.csv", 3, "x", 1, "bad_money", "Amount");
	CHECK(rejects_status(&rj, 50) == EXIT_REJECTS);
	rejects_finish(&rj, 0);
	capture_end();
	CHECK(rejects_set_limit(&rj, "x") == -1);
	CHECK(rejects_set_limit(&rj, "101%") == -1);
	CHECK(rejects_set_limit(&rj, "-1") == -1);
	fixture_cleanup();
	return check_done();
}
