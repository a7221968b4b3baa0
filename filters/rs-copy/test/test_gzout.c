#include <zlib.h>

#include "capture.h"
#include "check.h"
#include "diag.h"
#include "fixture.h"
#include "rs-copy/gzout.h"

int
main(void)
{
	const char *path;
	struct gzout *g;
	uint64_t in_bytes, out_bytes;
	char back[64] = "";

	diag_init("test_gzout");
	path = fixture_path("part.tsv.gz");
	g = gzout_open(path, 3);
	CHECK(g != NULL);
	CHECK(gzout_write(g, "a\tb\n", 4) == 0);
	CHECK(gzout_write(g, "c\td\n", 4) == 0);
	CHECK(gzout_close(g, &in_bytes, &out_bytes) == 0);
	CHECK(in_bytes == 8 && out_bytes > 18);	/* a gzip header and trailer at least */
	gzFile r = gzopen(path, "rb");
	CHECK(gzread(r, back, sizeof back - 1) == 8);
	gzclose(r);
	CHECK_STR(back, "a\tb\nc\td\n");
	FILE *fp = fopen(path, "rb");
	fseek(fp, 0, SEEK_END);
	CHECK((uint64_t)ftell(fp) == out_bytes);
	fclose(fp);

	/* A file that cannot be made: said, NULL. */
	capture_start();
	g = gzout_open("/nonexistent/dir/part.gz", 3);
	CHECK(g == NULL);
	CHECK_STR(capture_end(), "test_gzout: /nonexistent/dir/part.gz: No such file or directory\n");
	/* A full disk: the write or the close fails, never a part that looks whole. */
	g = gzout_open("/dev/full", 1);
	capture_start();
	int w = gzout_write(g, "x", 1);
	CHECK(w < 0 || gzout_close(g, NULL, NULL) < 0);
	capture_end();
	if (w < 0)
		gzout_close(g, NULL, NULL);
	fixture_cleanup();
	return check_done();
}
