#include <string.h>

#include "archive_dl.h"
#include "capture.h"
#include "check.h"
#include "diag.h"

int
main(void)
{
	const struct archive_api *api;

	diag_init("prog");

	/* No such library: said for the file that needed it, and nothing loaded. */
	capture_start();
	CHECK(archive_api_load("liblac-no-such.so.0", "in.zip") == NULL);
	CHECK_STR(capture_end(), "prog: in.zip: cannot read an archive without libarchive: "
	    "liblac-no-such.so.0: cannot open shared object file: No such file or directory\n");

	/* A library that is not libarchive: the first function it lacks is named. */
	capture_start();
	CHECK(archive_api_load("libz.so.1", "in.zip") == NULL);
	CHECK_STR(capture_end(), "prog: in.zip: cannot read an archive: libz.so.1 has no archive_read_new\n");

	/* The build's libarchive: every function there, and loaded once. */
	capture_start();
	api = archive_api("in.zip");
	CHECK_STR(capture_end(), "");
	CHECK(api != NULL);
	CHECK(api && api->read_new && api->read_support_format_zip && api->read_support_format_tar &&
	    api->read_support_format_7zip && api->read_support_filter_all && api->read_open &&
	    api->read_next_header && api->read_data && api->read_free && api->error_string &&
	    api->entry_pathname && api->entry_filetype);
	CHECK(archive_api("other.zip") == api);

	/* It is libarchive's own: an archive object made and freed through it. */
	if (api) {
		struct archive *a = api->read_new();

		CHECK(a != NULL);
		CHECK(api->read_support_format_zip(a) == ARCHIVE_OK);
		CHECK(api->read_free(a) == ARCHIVE_OK);
	}
	return check_done();
}
