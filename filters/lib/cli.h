/* What every program's command line has in common. */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>

#ifndef VERSION
#define VERSION "0.0.0"
#endif

/* Long options every program takes; getopt_long returns these values. */
enum {
	OPT_HELP = 0x100,
	OPT_VERSION,
	OPT_CATALOG,
	OPT_REJECTS,
	OPT_MAX_REJECTS,
	OPT_SUMMARY,
	OPT_HEADER,
	OPT_MAP,
	OPT_MAPS,
};

/* --help, --version, --catalog FILE, --summary FILE: every program. */
#define CLI_COMMON_OPTIONS \
	{ "help", no_argument, NULL, OPT_HELP }, \
	{ "version", no_argument, NULL, OPT_VERSION }, \
	{ "catalog", required_argument, NULL, OPT_CATALOG }, \
	{ "summary", required_argument, NULL, OPT_SUMMARY }

/* --rejects FILE, --max-rejects N[%], --header[=STREAM]: the filters. */
#define CLI_REJECT_OPTIONS \
	{ "rejects", required_argument, NULL, OPT_REJECTS }, \
	{ "max-rejects", required_argument, NULL, OPT_MAX_REJECTS }, \
	{ "header", optional_argument, NULL, OPT_HEADER }

/* --map FILE, --maps DIR: the programs that read brokers' files by their maps. */
#define CLI_MAP_OPTIONS \
	{ "map", required_argument, NULL, OPT_MAP }, \
	{ "maps", required_argument, NULL, OPT_MAPS }

struct rejects;
struct writer;

/* What the shared options said. */
struct reject_options {
	const char *path, *max;
	const char *summary;	/* --summary FILE */
	const char *header;	/* --header[=STREAM]: "" for the program's first stream */
	int stdout_is_stream;	/* set by the program: then --rejects - would mix two streams */
	const char *map, *maps;	/* --map FILE, --maps DIR */
};

/*
 * The options every program shares (--help, --version, --rejects,
 * --max-rejects): 1 when c was one of them, handled; 0 otherwise.
 */
int cli_common_option(int c, const char *arg, const char *help, struct reject_options *ro);
struct tz;
/*
 * boberdoo's zone, in which its export's times are local: --tz ZONE when
 * given (NULL when not), else the catalog's zone of the transactions
 * stream; exits 2 when neither names a zone of the tz database.
 */
struct tz *cli_boberdoo_zone(const char *given, const char *usage);
/* The reject stream as the options say; exits 1 or 2 when it cannot be. */
void cli_open_rejects(struct rejects *rj, const struct reject_options *ro, const char *usage);

/*
 * --header[=STREAM]: print the header of that stream of the program's (the
 * first when none is named) on stdout and exit 0; a stream the program does
 * not write is a usage error.  Returns when --header was not given.
 */
void cli_header(const struct reject_options *ro, struct writer *const *writers, int n, const char *usage);

/*
 * A whole number from min to max, all of arg (no sign unless min < 0, no
 * spaces, nothing after); a usage error (exit 2) naming the option otherwise.
 */
long cli_number(const char *arg, long min, long max, const char *option, const char *usage);

/* The operands left after getopt (from optind), or "-" alone when there are none: *n of them. */
char **cli_inputs(int argc, char **argv, int *n);

/*
 * stdout flushed and checked, for what a program prints with stdio (its
 * listings, --dry-run): 0, or -1 (diagnosed) when a write failed (a full
 * disk, a closed descriptor).  A reader gone away (EPIPE) is not a failure.
 */
int cli_flush_stdout(void);

/* diag_init, SIGPIPE to EPIPE; call first. */
void cli_init(const char *argv0);
/* --help and --version: print and exit 0. */
void cli_help(const char *text);
void cli_version(void);

#endif
