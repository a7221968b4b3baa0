#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "number.h"
#include "diag.h"
#include "rejects.h"
#include "tsvout.h"
#include "writer.h"
#include "catalog.h"
#include "tz.h"

/*
 * A program started with fd 0, 1 or 2 closed would hand that number to the
 * first file it opens: its data stream or its diagnostics would land in the
 * wrong file.  Each closed one is opened on /dev/null first.
 */
static void
standard_descriptors(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int got = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);

			if (got != fd)
				_exit(EXIT_USAGE);	/* not even a descriptor to say so on */
		}
}

void
cli_init(const char *argv0)
{
	standard_descriptors();
	diag_init(argv0);
	/* A closed pipe is seen as EPIPE by the writer, which ends quietly. */
	signal(SIGPIPE, SIG_IGN);
}

int
cli_flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (errno == EPIPE)
		return 0;
	diag("stdout: write error: %s", strerror(errno));
	return -1;
}

void
cli_help(const char *text)
{
	fputs(text, stdout);
	exit(cli_flush_stdout() == 0 ? 0 : EXIT_DATA);
}

void
cli_version(void)
{
	printf("%s (leads-and-calls) %s\n", progname, VERSION);
	exit(cli_flush_stdout() == 0 ? 0 : EXIT_DATA);
}

int
cli_common_option(int c, const char *arg, const char *help, struct reject_options *ro)
{
	switch (c) {
	case OPT_HELP:
		cli_help(help);
		return 1;
	case OPT_VERSION:
		cli_version();
		return 1;
	case OPT_CATALOG:
		catalog_use(arg);
		return 1;
	case OPT_MAP:
	case OPT_MAPS:
		if (ro)
			*(c == OPT_MAP ? &ro->map : &ro->maps) = arg;
		return ro != NULL;
	case OPT_SUMMARY:
		if (ro)
			ro->summary = arg;
		return ro != NULL;
	case OPT_HEADER:
		if (ro)
			ro->header = arg ? arg : "";
		return ro != NULL;
	case OPT_REJECTS:
		if (ro)
			ro->path = arg;
		return ro != NULL;
	case OPT_MAX_REJECTS:
		if (ro)
			ro->max = arg;
		return ro != NULL;
	}
	return 0;
}

struct tz *
cli_boberdoo_zone(const char *given, const char *usage)
{
	const char *name = given ? given : catalog_zone("transactions");
	struct tz *z = tz_open(name);

	if (z == NULL)
		usage_error(usage, "unknown time zone '%s'", name);
	return z;
}

void
cli_open_rejects(struct rejects *rj, const struct reject_options *ro, const char *usage)
{
	if (ro->stdout_is_stream && ro->path && strcmp(ro->path, "-") == 0)
		usage_error(usage, "--rejects - would mix the rejects into the stream on stdout: name a file");
	if (rejects_open(rj, ro->path) < 0)
		exit(EXIT_DATA);
	if (ro->max && rejects_set_limit(rj, ro->max) < 0)
		usage_error(usage, "--max-rejects takes N or N%%, not '%s'", ro->max);
}

void
cli_header(const struct reject_options *ro, struct writer *const *writers, int n, const char *usage)
{
	int i = 0;

	if (ro->header == NULL)
		return;
	while (*ro->header && i < n && strcmp(writers[i]->stream->name, ro->header) != 0)
		i++;
	if (i == n)
		usage_error(usage, "%s writes no stream '%s'", progname, ro->header);
	struct tsvout *out = tsv_open_fd(STDOUT_FILENO, "stdout");
	writer_header(writers[i], out);
	exit(tsv_close(out) < 0 ? EXIT_DATA : 0);
}

long
cli_number(const char *arg, long min, long max, const char *option, const char *usage)
{
	long long v;

	if (number_parse(arg, strlen(arg), min, max, &v) == 0)
		return (long)v;
	usage_error(usage, "%s takes a number from %ld to %ld, not '%s'", option, min, max, arg);
}

char **
cli_inputs(int argc, char **argv, int *n)
{
	static char *standard_input[] = { "-", NULL };

	if (optind >= argc) {
		*n = 1;
		return standard_input;
	}
	*n = argc - optind;
	return argv + optind;
}
