#include <string.h>

#include "check.h"
#include "cli.h"
#include "tz.h"

int
main(void)
{
	char *argv[] = { "prog", "--map", "m", "a.csv", "b.csv", NULL };
	char **in;
	int n;

	/* Operands after the options: the files, in order. */
	optind = 3;
	in = cli_inputs(5, argv, &n);
	CHECK(n == 2 && strcmp(in[0], "a.csv") == 0 && strcmp(in[1], "b.csv") == 0);
	/* None: standard input. */
	optind = 5;
	in = cli_inputs(5, argv, &n);
	CHECK(n == 1 && strcmp(in[0], "-") == 0);

	/* boberdoo's zone: --tz when given, else the catalog's (the built-in copy's transactions zone). */
	struct tz *z = cli_boberdoo_zone("America/Chicago", "usage: prog");
	CHECK_STR(tz_name(z), "America/Chicago");
	tz_close(z);
	z = cli_boberdoo_zone(NULL, "usage: prog");
	CHECK_STR(tz_name(z), "America/New_York");
	tz_close(z);
	return check_done();
}
