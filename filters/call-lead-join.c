/*
 * call-lead-join: Invoca calls <-> boberdoo inbound-call transactions.
 * Every transaction is tied to the call of its caller and campaign that
 * started nearest before the lead was received, within a window; a call
 * keeps every lead it carries, and a transaction no call takes is written
 * out with its revenue.  Revenue is never lost.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/atomic.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/input.h"
#include "lib/number.h"
#include "lib/money.h"
#include "lib/summary.h"
#include "lib/tally.h"
#include "lib/writer.h"
#include "call-lead-join/join.h"

static const char usage[] =
"usage: call-lead-join --calls FILE... --leads FILE... -o DIR [--window SECONDS] [--tz ZONE]\n"
"                      [--rejects FILE] [--max-rejects N[%]]\n";

static const char help[] =
"call-lead-join: Invoca calls <-> boberdoo inbound-call transactions\n"
"\n"
"  --calls FILE        an Invoca calls export (F2 CSV); repeat for several days\n"
"  --leads FILE        a lead_call stream of split-by-unit; repeat for several days\n"
"  -o, --output-dir DIR\n"
"                      write DIR/calls.tsv, call_lead_links.tsv and\n"
"                      call_lead_unmatched.tsv, each whole or not at all\n"
"  --window SECONDS    how long after a call's start its lead may be received\n"
"                      (default 600)\n"
"  --tz ZONE           boberdoo's zone, for the repeated hour (default: the\n"
"                      catalog's zone of the transactions stream)\n"
"  --rejects FILE      rejected rows as TSV; '-' is stdout\n"
"  --max-rejects N[%]  exit 3 when more rows than this are rejected\n"
"  --help, --version\n"
"\n"
"Corrections are applied first: an Invoca row naming corrects_transaction_id\n"
"replaces that row.  A transaction is tied to the call with the same caller\n"
"phone and campaign whose start is nearest before the lead's received time\n"
"and at most the window before it; of calls that started at the same second,\n"
"the smallest complete_call_id; a transaction without a campaign (a web\n"
"lead) never takes a call.  A lead received in the hour that DST's end\n"
"repeats was read as standard time; when no call fits that reading, the\n"
"daylight-time one (an hour earlier) is tried.  A call with two Call rows is\n"
"its later one; calls are written in the order read.  Linked plus unmatched\n"
"revenue always equals the revenue read.\n";

static const char *const links_columns[] = {
	"complete_call_id", "transaction_id", "lead_id", "transaction_type", "seconds_from_call_start",
	"amount", "src_file", "src_line"
};
static const char *const unmatched_columns[] = {
	"transaction_id", "lead_id", "phone", "campaign", "lead_received_at", "amount", "reason",
	"src_file", "src_line"
};

/* DIR/STREAM.tsv, whole or not at all, with the stream's header. */
static struct tsvout *
open_output(struct atomic_file *af, const char *dir, const struct writer *w)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof path, "%s/%s.tsv", dir, w->stream->name);
	if ((fd = atomic_open(af, path)) < 0)
		exit(EXIT_DATA);
	struct tsvout *out = tsv_open_fd(fd, path);
	writer_header(w, out);
	return out;
}

static void
summarize(const struct join *j)
{
	struct summary s = { .len = 0 };
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ], c[MONEY_BUFSZ];

	money_format(j->revenue_in, a);
	money_format(j->revenue_linked, b);
	money_format(j->revenue_unmatched, c);
	summary_add(&s, "invoca rows in %ld, calls %zu", j->invoca_in, j->ncalls);
	summary_add(&s, "; transactions in %ld (%s), linked %ld (%s), unmatched %ld (%s)",
	    j->leads_in, a, j->linked, b, j->not_linked, c);
	rejects_summarize(&j->rejects, &s);
	if (j->corrections)
		summary_add(&s, "; %ld corrections (%ld naming rows not given)", j->corrections, j->corrections_orphan);
	if (j->other_rows)
		summary_add(&s, "; %ld non-Call rows (Post Call Event, Sale) read, not calls", j->other_rows);
	if (j->second_reading)
		summary_add(&s, "; %ld leads of the repeated DST hour matched on their daylight-time reading", j->second_reading);
	if (j->duplicate_calls)
		summary_add(&s, "; %ld calls with two Call rows: the later kept", j->duplicate_calls);
	summary_print(&s);
}

/* What the command line says. */
struct options {
	char **calls, **leads;
	int ncalls, nleads;
	const char *dir, *zone;
	struct reject_options ro;
};

static void
parse_options(int argc, char **argv, struct options *o, struct join *j)
{
	static const struct option longopts[] = {
		{ "calls", required_argument, NULL, 'c' },
		{ "leads", required_argument, NULL, 'l' },
		{ "output-dir", required_argument, NULL, 'o' },
		{ "window", required_argument, NULL, 'w' },
		{ "tz", required_argument, NULL, 'z' },
		CLI_REJECT_OPTIONS,
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	long long number;
	int c;

	o->calls = xmalloc(argc * sizeof *o->calls);
	o->leads = xmalloc(argc * sizeof *o->leads);
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1)
		switch (c) {
		case 'c': o->calls[o->ncalls++] = optarg; break;
		case 'l': o->leads[o->nleads++] = optarg; break;
		case 'o': o->dir = optarg; break;
		case 'w':
			if (number_parse(optarg, strlen(optarg), 0, INT64_MAX, &number) < 0)
				usage_error(usage, "--window takes seconds, not '%s'", optarg);
			j->window = number;
			break;
		case 'z': o->zone = optarg; break;
		default:
			if (!cli_common_option(c, optarg, help, &o->ro))
				usage_error(usage, "unknown option");
		}
}

/* The build side: every call of every Invoca file, each file's rows and rejects counted as its feed's. */
static int
read_all_calls(struct join *j, const struct options *o, struct tally *tally)
{
	int ok = 1;

	for (int i = 0; i < o->ncalls && ok; i++) {
		const char *name = path_base(o->calls[i]);
		long before = j->invoca_in;

		ok = read_calls(j, o->calls[i]) == 0;
		tally_add(tally, name, NULL, "rows_in", NULL, j->invoca_in - before);
		rejects_tally(&j->rejects, tally, name);
	}
	return ok;
}

static void
tally_streams(struct join *j, struct tally *tally)
{
	tally_add(tally, NULL, "calls", "rows_out", NULL, (long)j->ncalls);
	tally_add(tally, NULL, NULL, "transactions_in", NULL, j->leads_in);
	tally_add(tally, NULL, "call_lead_links", "rows_out", NULL, j->linked);
	tally_add(tally, NULL, "call_lead_unmatched", "rows_out", NULL, j->not_linked);
	rejects_tally(&j->rejects, tally, NULL);
}

static void
free_join(struct join *j)
{
	writer_free(j->wcalls);
	writer_free(j->wlinks);
	writer_free(j->wunmatched);
	tz_close(j->tz);
	free(j->index);
	for (size_t i = 0; i < j->nlabels; i++)
		free((char *)j->labels[i].p);
	free(j->labels);
	free(j->calls);
	free(j->rows);
	arena_free(&j->text);
}

int
main(int argc, char **argv)
{
	static const char *const calls_columns[] = { "complete_call_id", "start_at", "phone", "campaign", "duration",
		"connect_duration", "result", "src_file", "src_line" };
	struct options o = { 0 };
	struct join j = { .window = 600 };
	struct atomic_file files[3];
	struct tsvout *calls_out;
	int calls_col[9], ok;
	long long number;
	long ignored = 0;
	const char *hash_bits;

	cli_init(argv[0]);
	parse_options(argc, argv, &o, &j);
	j.wcalls = writer_bind("calls", calls_columns, 9, calls_col);
	j.wlinks = writer_bind("call_lead_links", links_columns, 8, j.col_links);
	j.wunmatched = writer_bind("call_lead_unmatched", unmatched_columns, 9, j.col_unmatched);
	struct writer *writers[] = { j.wcalls, j.wlinks, j.wunmatched };
	cli_header(&o.ro, writers, 3, usage);
	if ((hash_bits = getenv("CALL_LEAD_JOIN_HASH_BITS")) != NULL &&
	    number_parse(hash_bits, strlen(hash_bits), 1, 31, &number) == 0)
		keep_hash_bits((int)number);
	j.tz = cli_boberdoo_zone(o.zone, usage);
	if (o.ncalls == 0 || o.nleads == 0 || o.dir == NULL || optind < argc)
		usage_error(usage, "give --calls, --leads and -o DIR (and no other arguments)");
	cli_open_rejects(&j.rejects, &o.ro, usage);
	if (mkdir(o.dir, 0777) < 0 && errno != EEXIST)
		fatal(EXIT_DATA, "%s: %s", o.dir, strerror(errno));

	/* The build side: every call, corrections applied. */
	struct tally *tally = tally_open(o.ro.summary);
	ok = read_all_calls(&j, &o, tally);
	apply_corrections(&j);
	pick_calls(&j);
	build_groups(&j);

	/* The stream side: every inbound-call transaction, tied or written unmatched. */
	calls_out = open_output(&files[0], o.dir, j.wcalls);
	j.links = open_output(&files[1], o.dir, j.wlinks);
	j.unmatched = open_output(&files[2], o.dir, j.wunmatched);
	if (ok)
		ok = stream_leads(&j, o.leads, o.nleads, &ignored) == 0;
	write_calls(&j, calls_out);

	int status = rejects_status(&j.rejects, j.invoca_in + ignored), complete = ok && status != EXIT_REJECTS;
	struct tsvout *outs[] = { calls_out, j.links, j.unmatched };
	if (atomic_finish_streams(outs, files, 3, complete) < 0)
		ok = complete = 0;
	summarize(&j);
	tally_streams(&j, tally);
	if (rejects_finish(&j.rejects, complete) < 0 || tally_close(tally, complete) < 0)
		ok = 0;
	free_join(&j);
	free(o.calls);
	free(o.leads);
	return ok ? status : EXIT_DATA;
}
