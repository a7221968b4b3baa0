#include <sys/wait.h>

#include "capture.h"
#include "check.h"
#include "diag.h"
#include "summary.h"

/* Run fn in a child with stderr captured: its exit status, and what it said. */
static int
child(void (*fn)(void), const char **said)
{
	static char text[8192];
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	if ((pid = fork()) == 0) {
		dup2(fds[1], 2);
		close(fds[0]);
		fn();
		_exit(99);
	}
	close(fds[1]);
	size_t len = 0;
	while ((n = read(fds[0], text + len, sizeof text - 1 - len)) > 0)
		len += n;
	text[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	*said = text;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void call_fatal(void) { fatal(EXIT_DATA, "disk %s", "full"); }
static void call_usage(void) { usage_error("usage: prog FILE\n", "unknown option '%s'", "-x"); }

int
main(void)
{
	const char *said;
	struct summary s = { .len = 0 };

	diag_init("/usr/local/bin/prog");
	CHECK_STR(progname, "prog");
	capture_start();
	diag("plain %d", 1);
	diag_at("a.csv", 7, "at a line");
	diag_at("a.csv", 0, "the whole file");
	CHECK_STR(capture_end(), "prog: plain 1\nprog: a.csv:7: at a line\nprog: a.csv: the whole file\n");

	/* A message longer than the buffer is cut, never overflows, and still ends its line. */
	char big[6000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	capture_start();
	diag("%s", big);
	const char *out = capture_end();
	CHECK(strlen(out) < 4096 && out[strlen(out) - 1] == '\n' && strncmp(out, "prog: xxx", 9) == 0);

	CHECK(child(call_fatal, &said) == EXIT_DATA);
	CHECK_STR(said, "prog: disk full\n");
	CHECK(child(call_usage, &said) == EXIT_USAGE);
	CHECK_STR(said, "prog: unknown option '-x'\nusage: prog FILE\n");

	char *p = xmalloc(0);
	p = xrealloc(p, 16);
	char *q = xstrdup("kept");
	CHECK_STR(q, "kept");
	free(p);
	free(q);
	/* xasprintf: as long as it formats, longer than any fixed buffer of diag's. */
	q = xasprintf("%s=%d", "rows", 302);
	CHECK_STR(q, "rows=302");
	free(q);
	q = xasprintf("%s%s", big, big);
	CHECK(strlen(q) == 2 * strlen(big) && q[0] == 'x');
	free(q);

	/* The summary: one line, built in pieces; what passes its buffer is cut. */
	summary_add(&s, "rows in %d", 302);
	summary_add(&s, ", out %s", "lead=138");
	capture_start();
	summary_print(&s);
	CHECK_STR(capture_end(), "prog: rows in 302, out lead=138\n");
	for (int i = 0; i < 500; i++)
		summary_add(&s, " more%d", i);
	CHECK(s.len == sizeof s.buf - 1 && strlen(s.buf) == s.len);
	return check_done();
}
