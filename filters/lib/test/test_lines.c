#include "check.h"
#include "diag.h"
#include "fixture.h"
#include "input.h"
#include "lines.h"

/* Every line of a file, joined by '|', with each line's number as N:. */
static const char *
all_lines(const char *path)
{
	static char out[4096];
	struct input *in = input_open(path);
	struct lines l;
	const char *p;
	size_t n, k = 0;

	input_next(in);
	lines_init(&l, in);
	out[0] = '\0';
	while (lines_next(&l, &p, &n) > 0)
		k += snprintf(out + k, sizeof out - k, "%s%ld:%.*s", k ? "|" : "", l.lineno, (int)n, p);
	lines_free(&l);
	input_close(in);
	return out;
}

int
main(void)
{
	diag_init("test_lines");
	CHECK_STR(all_lines(write_plain("a.txt", "one\ntwo\nthree\n", 14)), "1:one|2:two|3:three");
	/* The last line without its LF is a line; a CR before an LF is kept (rows decide about it). */
	CHECK_STR(all_lines(write_plain("b.txt", "one\r\ntwo", 8)), "1:one\r|2:two");
	/* A UTF-8 BOM at the start is not part of the first line; elsewhere it is data. */
	CHECK_STR(all_lines(write_plain("c.txt", "\357\273\277h\n\357\273\277x\n", 10)), "1:h|2:\357\273\277x");
	CHECK_STR(all_lines(write_plain("d.txt", "", 0)), "");
	CHECK_STR(all_lines(write_plain("e.txt", "\n\n", 2)), "1:|2:");
	CHECK_STR(all_lines(write_gzip("f.gz", "g1\ng2\n", 6)), "1:g1|2:g2");
	/* Lines ended by CR alone (an old Mac export): each its own line, numbered. */
	CHECK_STR(all_lines(write_plain("g.txt", "a,b\rc,d\re,f", 11)), "1:a,b|2:c,d|3:e,f");
	/* One lone CR in a file of LF lines is data. */
	CHECK_STR(all_lines(write_plain("h.txt", "a\rb\nc\n", 6)), "1:a\rb|2:c");

	/* Lines across the 1 MiB blocks, and one longer than a block, are whole. */
	size_t size = 3 * 1024 * 1024 + 100;
	char *big = xmalloc(size);
	size_t last = 0;
	memset(big, 'a', size);
	for (size_t i = 999; i < 1024 * 1024 + 5000; i += 1000)
		big[last = i] = '\n';
	big[size - 1] = '\n';
	const char *path = write_plain("big.txt", big, size);
	struct input *in = input_open(path);
	struct lines l;
	const char *p;
	size_t n, total = 0;
	long count = 0, longest = 0;

	input_next(in);
	lines_init(&l, in);
	while (lines_next(&l, &p, &n) > 0) {
		total += n + 1;
		count++;
		if ((long)n > longest)
			longest = (long)n;
	}
	CHECK(total == size);
	CHECK(count == l.lineno && count == 1054);
	CHECK(longest == (long)(size - 1 - last - 1));	/* the last line: over two blocks long */
	lines_free(&l);
	input_close(in);
	free(big);
	fixture_cleanup();
	return check_done();
}
