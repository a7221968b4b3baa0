#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "diag.h"
#include "rejects.h"

void
cli_init(const char *argv0)
{
	diag_init(argv0);
	/* A closed pipe is seen as EPIPE by the writer, which ends quietly. */
	signal(SIGPIPE, SIG_IGN);
}

void
cli_help(const char *text)
{
	fputs(text, stdout);
	exit(fflush(stdout) == 0 ? 0 : EXIT_DATA);
}

void
cli_version(void)
{
	printf("%s (leads-and-calls) %s\n", progname, VERSION);
	exit(fflush(stdout) == 0 ? 0 : EXIT_DATA);
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

void
cli_open_rejects(struct rejects *rj, const struct reject_options *ro, const char *usage)
{
	if (rejects_open(rj, ro->path) < 0)
		exit(EXIT_DATA);
	if (ro->max && rejects_set_limit(rj, ro->max) < 0)
		usage_error(usage, "--max-rejects takes N or N%%, not '%s'", ro->max);
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
