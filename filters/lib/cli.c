#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "diag.h"

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
