#include <fcntl.h>
#include <stdint.h>

#include "capture.h"
#include "check.h"
#include "diag.h"
#include "fixture.h"
#include "tsvout.h"

int
main(void)
{
	const char *path = fixture_path("out.tsv");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	struct tsvout *w = tsv_open_fd(fd, path);
	static const char *const names[] = { "a", "b", "c", "d", "e", NULL };
	char back[256];

	diag_init("test_tsvout");
	tsv_header(w, names);
	tsv_str(w, "x\ty\r\nz");
	tsv_null(w);
	tsv_int(w, -9007199254740993LL);
	tsv_cents(w, -9500);
	tsv_str(w, "back\\slash \"q\"");
	tsv_end_row(w);
	CHECK(w->sanitized == 3);
	CHECK(tsv_close(w) == 0);
	FILE *fp = fopen(path, "r");
	size_t n = fread(back, 1, sizeof back - 1, fp);
	fclose(fp);
	back[n] = '\0';
	CHECK_STR(back, "a\tb\tc\td\te\nx y  z\t\t-9007199254740993\t-95.00\tback\\slash \"q\"\n");

	/* A TAB, CR or LF at every place of fields of 1 to 20 bytes: only it becomes a space. */
	fd = open(path, O_WRONLY | O_TRUNC);
	w = tsv_open_fd(fd, path);
	int exact = 1;
	long before = 0;
	for (size_t n = 1; n <= 20; n++)
		for (size_t at = 0; at <= n; at++) {
			char field[24], want[24];

			memset(field, 'a', n);
			memcpy(want, field, n);
			if (at < n) {
				field[at] = "\t\r\n"[at % 3];
				want[at] = ' ';
			}
			tsv_field(w, field, n);
			exact &= memcmp(w->buf + w->len - n, want, n) == 0;
			exact &= w->sanitized == before + (at < n);
			before = w->sanitized;
			tsv_end_row(w);
		}
	CHECK(exact);
	CHECK(tsv_close(w) == 0);

	/* A full disk is an error at flush or close, never silent. */
	fd = open("/dev/full", O_WRONLY);
	if (fd >= 0) {
		w = tsv_open_fd(fd, "/dev/full");
		tsv_str(w, "data");
		tsv_end_row(w);
		capture_start();
		CHECK(tsv_close(w) == -1);
		CHECK(strstr(capture_end(), "/dev/full: write error: No space left on device") != NULL);
	}

	/* Rows far larger than the buffer. */
	fd = open(path, O_WRONLY | O_TRUNC);
	w = tsv_open_fd(fd, path);
	for (int i = 0; i < 100000; i++) {
		tsv_int(w, i);
		tsv_cents(w, i);
		tsv_end_row(w);
	}
	CHECK(tsv_close(w) == 0);
	fp = fopen(path, "r");
	fseek(fp, 0, SEEK_END);
	CHECK(ftell(fp) == 1277890);	/* sum of len("i\t" cents "\n") */
	fclose(fp);
	fixture_cleanup();
	return check_done();
}
