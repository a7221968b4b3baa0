#include <stddef.h>
#include <string.h>

#include "capture.h"
#include "check.h"
#include "diag.h"
#include "dl.h"

/* zlib, a library every program links: two of its functions through a struct. */
struct zlib_api {
	const char *(*version)(void);
	unsigned long (*crc32)(unsigned long, const unsigned char *, unsigned);
};

int
main(void)
{
	static const struct dl_symbol zlib[] = {
		{ "zlibVersion", offsetof(struct zlib_api, version) },
		{ "crc32", offsetof(struct zlib_api, crc32) },
	};
	static const struct dl_symbol missing[] = {
		{ "zlibVersion", offsetof(struct zlib_api, version) },
		{ "lac_no_such_function", offsetof(struct zlib_api, crc32) },
	};
	struct zlib_api api = { NULL, NULL };
	void *lib;

	diag_init("prog");

	/* No such library: said for the file that needed it, or without one. */
	capture_start();
	CHECK(dl_load("liblac-no-such.so.0", zlib, 2, &api, "cannot unzip", "zlib", "in.gz") == NULL);
	CHECK_STR(capture_end(), "prog: in.gz: cannot unzip without zlib: "
	    "liblac-no-such.so.0: cannot open shared object file: No such file or directory\n");
	capture_start();
	CHECK(dl_load("liblac-no-such.so.0", zlib, 2, &api, "cannot unzip", "zlib", NULL) == NULL);
	CHECK(strncmp(capture_end(), "prog: cannot unzip without zlib: liblac-no-such.so.0: ", 54) == 0);

	/* A function the library lacks: named. */
	capture_start();
	CHECK(dl_load("libz.so.1", missing, 2, &api, "cannot unzip", "zlib", NULL) == NULL);
	CHECK_STR(capture_end(), "prog: cannot unzip: libz.so.1 has no lac_no_such_function\n");

	/* The library: each function at its place, and callable. */
	capture_start();
	lib = dl_load("libz.so.1", zlib, 2, &api, "cannot unzip", "zlib", NULL);
	CHECK_STR(capture_end(), "");
	CHECK(lib != NULL && api.version != NULL && api.crc32 != NULL);
	if (api.version && api.crc32) {
		CHECK(api.version()[0] == '1');
		CHECK(api.crc32(0, (const unsigned char *)"123456789", 9) == 0xcbf43926UL);
	}
	return check_done();
}
