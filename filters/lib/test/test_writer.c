#include "capture.h"
#include "catalog.h"
#include "check.h"
#include "diag.h"
#include "fixture.h"
#include "tally.h"
#include "writer.h"

#include <fcntl.h>
#include <sys/wait.h>

static const char catalog_text[] =
    "loaded batch_id VARCHAR(128) not null\nnewest batch_id\n"
    "stream sales by wt-match\n"
    "\tid BIGINT not null\n\tname VARCHAR(5)\n\tamount NUMERIC(14,2)\n\tat TIMESTAMP\n\tsrc_line BIGINT not null\n"
    "stream summary by wt-match\n"
    "\tprogram VARCHAR(64) not null\n\tinput VARCHAR(64)\n\toutput VARCHAR(64)\n\tmeasure VARCHAR(64) not null\n"
    "\tdetail VARCHAR(64)\n\tcount BIGINT not null\n";

static char out_text[4096];

/* What a tsvout wrote to a file, read back. */
static const char *
contents(const char *path)
{
	FILE *fp = fopen(path, "r");
	size_t n = fread(out_text, 1, sizeof out_text - 1, fp);

	out_text[n] = '\0';
	fclose(fp);
	return out_text;
}

static void
tally_sums(void)
{
	/* The summary: rows added up by their keys, in the order first added. */
	const char *sum_path = fixture_path("summary.tsv");
	struct tally *t = tally_open(sum_path);
	tally_add(t, "a.csv", NULL, "rows_in", NULL, 3);
	tally_add(t, "a.csv", "lead", "rows_out", NULL, 2);
	tally_add(t, "a.csv", NULL, "rows_in", NULL, 4);
	tally_add(t, NULL, NULL, "not_loaded", "X", 0);
	CHECK(tally_close(t, 1) == 0);
	CHECK_STR(contents(sum_path), "program\tinput\toutput\tmeasure\tdetail\tcount\n"
	    "wt-match\ta.csv\t\trows_in\t\t7\nwt-match\ta.csv\tlead\trows_out\t\t2\nwt-match\t\t\tnot_loaded\tX\t0\n#end 3\n");
	CHECK(tally_open(NULL) == NULL);
	tally_add(NULL, "x", NULL, "rows_in", NULL, 1);	/* no file: nothing, and no crash */
	CHECK(tally_close(NULL, 1) == 0);
}

int
main(void)
{
	const char *path = write_plain("catalog.txt", catalog_text, sizeof catalog_text - 1);
	const char *out_path = fixture_path("out.tsv"), *why, *col;
	struct writer *w;
	struct tsvout *out;
	int k_id, k_name, k_amount, k_at, k_line, k_gone;

	diag_init("wt-match");	/* the writer the test catalog names */
	catalog_use(path);
	w = writer_open("sales");
	k_id = writer_col(w, "id");
	k_name = writer_col(w, "name");
	k_amount = writer_col(w, "amount");
	k_gone = writer_col(w, "lead_count");	/* not in the catalog: -1, and set for nothing */
	CHECK(k_id == 0 && k_name == 1 && k_amount == 2 && k_gone == -1);
	/* A column without a filler: the catalog's line is named, exit 2 (checked in a child). */
	pid_t pid = fork();
	if (pid == 0) {
		capture_start();
		writer_complete(w);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_USAGE);
	k_at = writer_col(w, "at");
	k_line = writer_col(w, "src_line");
	writer_complete(w);

	out = tsv_open_fd(open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666), out_path);
	writer_header(w, out);
	w_int(w, k_id, 7);
	w_str(w, k_name, "Zoë");
	w_cents(w, k_amount, -12345);
	w_time(w, k_at, 1795529702);
	w_int(w, k_line, 2);
	w_int(w, k_gone, 99);
	CHECK(writer_row(w, out, &col) == NULL);
	/* Unset columns are empty (NULL) in the next row. */
	w_int(w, k_id, 8);
	w_int(w, k_line, 3);
	CHECK(writer_row(w, out, &col) == NULL);
	/* A value that does not fit: the reason and the column, and nothing written. */
	w_int(w, k_id, 9);
	w_str(w, k_name, "toolong");
	w_int(w, k_line, 4);
	why = writer_row(w, out, &col);
	CHECK_STR(why, "too_long");
	CHECK_STR(col, "name");
	w_int(w, k_id, 10);
	w_time(w, k_at, 253402300800LL);	/* 10000-01-01: no TIMESTAMP text holds it */
	w_int(w, k_line, 5);
	CHECK_STR(writer_row(w, out, &col), "out_of_range");
	CHECK_STR(col, "at");
	w_int(w, k_line, 6);
	CHECK_STR(writer_row(w, out, &col), "missing_value");
	CHECK_STR(col, "id");
	w_int(w, k_id, 11);
	w_cents(w, k_amount, 100000000000000LL);	/* 10^12 dollars: past NUMERIC(14,2) */
	w_int(w, k_line, 7);
	CHECK_STR(writer_row(w, out, &col), "out_of_range");
	CHECK(tsv_close(out) == 0);
	CHECK_STR(contents(out_path), "id\tname\tamount\tat\tsrc_line\n7\tZoë\t-123.45\t2026-11-24 14:15:02\t2\n8\t\t\t\t3\n");
	writer_free(w);

	tally_sums();
	fixture_cleanup();
	return check_done();
}
