#include <stdio.h>

#include "check.h"
#include "fixture.h"
#include "input.h"

/* All members of a path as "label=content;" */
static const char *
slurp(const char *path, const char *glob)
{
	static char out[8192];
	struct input *in = input_open(path);
	size_t len = 0;
	int r;

	if (in == NULL)
		return "error";
	if (glob)
		input_set_entry_glob(in, glob);
	while ((r = input_next(in)) > 0) {
		char buf[3];	/* small reads cross every boundary */
		ssize_t n;

		len += snprintf(out + len, sizeof out - len, "%s=", input_label(in));
		while ((n = input_read(in, buf, sizeof buf)) > 0) {
			memcpy(out + len, buf, n);
			len += n;
		}
		if (n < 0)
			r = -1;
		out[len++] = ';';
		out[len] = '\0';
		if (r < 0)
			break;
	}
	input_close(in);
	return r < 0 ? "error" : out;
}

int
main(void)
{
	static const char text[] = "a,b\r\n1,2\r\n";
	const char *plain = write_plain("x.csv", text, sizeof text - 1);
	const char *gz = write_gzip("x.csv.gz", text, sizeof text - 1);
	const char *named_txt = write_gzip("gzip-named.csv", text, sizeof text - 1);
	static const char *const entries[] = {
		"report.csv", "a,b\n", "__MACOSX/._report.csv", "junk",
		"notes.txt", "hello", NULL
	};
	const char *zip = write_archive("r.zip", 1, entries);
	const char *tar = write_archive("r.tar", 0, entries);

	CHECK_STR(slurp(plain, NULL), "x.csv=a,b\r\n1,2\r\n;");
	CHECK_STR(slurp(gz, NULL), "x.csv.gz=a,b\r\n1,2\r\n;");
	/* Content decides, not the name. */
	CHECK_STR(slurp(named_txt, NULL), "gzip-named.csv=a,b\r\n1,2\r\n;");
	CHECK_STR(slurp(zip, NULL), "r.zip/report.csv=a,b\n;r.zip/notes.txt=hello;");
	CHECK_STR(slurp(zip, "*.csv"), "r.zip/report.csv=a,b\n;");
	CHECK_STR(slurp(tar, "*.txt"), "r.tar/notes.txt=hello;");
	CHECK_STR(slurp(zip, "*.xlsx"), "error");
	CHECK_STR(slurp(write_plain("empty.csv", "", 0), NULL), "empty.csv=;");

	/* A gzip cut short, and one with a flipped byte in its data. */
	FILE *fp = fopen(gz, "rb");
	char blob[256];
	size_t n = fread(blob, 1, sizeof blob, fp);
	fclose(fp);
	CHECK_STR(slurp(write_plain("cut.csv.gz", blob, n - 6), NULL), "error");
	blob[12] ^= 0x55;
	CHECK_STR(slurp(write_plain("flip.csv.gz", blob, n), NULL), "error");

	/* Two gzip members are one stream, as gzip -dc reads them. */
	fp = fopen(gz, "rb");
	n = fread(blob, 1, sizeof blob, fp);
	fclose(fp);
	memcpy(blob + n, blob, n);
	CHECK_STR(slurp(write_plain("two.csv.gz", blob, 2 * n), NULL),
	    "two.csv.gz=a,b\r\n1,2\r\na,b\r\n1,2\r\n;");

	/* A zip whose central directory is gone. */
	fp = fopen(zip, "rb");
	n = fread(blob, 1, 60, fp);
	fclose(fp);
	CHECK_STR(slurp(write_plain("torn.zip", blob, n), NULL), "error");

	CHECK(input_open("/nonexistent/file.csv") == NULL);
	fixture_cleanup();
	/* A path's last component. */
	CHECK_STR(path_base("inbox/20261101/cpa/acme.csv"), "acme.csv");
	CHECK_STR(path_base("acme.csv"), "acme.csv");
	CHECK_STR(path_base("/"), "");
	CHECK_STR(path_base("cpa/"), "");

	return check_done();
}
