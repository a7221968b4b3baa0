/*
 * split-by-unit: a boberdoo transactions export (F1) -> one TSV stream per
 * business unit, routed by rules kept in a data file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/atomic.h"
#include "lib/civil.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/header.h"
#include "lib/reader.h"
#include "lib/money.h"
#include "lib/phone.h"
#include "lib/rejects.h"
#include "lib/rows.h"
#include "split-by-unit/once.h"
#include "split-by-unit/rules.h"
#include "lib/tally.h"
#include "lib/tsvout.h"
#include "lib/tz.h"
#include "lib/utf8.h"
#include "lib/writer.h"

static const char usage[] =
"usage: split-by-unit --rules FILE (-o DIR | --unit NAME) [--rejects FILE]\n"
"                     [--max-rejects N[%]] [--tz ZONE] [--day DAY] [INPUT ...]\n";

static const char help[] =
"split-by-unit: a boberdoo transactions export -> one TSV stream per unit\n"
"\n"
"  --rules FILE        routing rules, first match wins (samples/unit-rules.txt)\n"
"  -o, --output-dir DIR\n"
"                      write DIR/lead.tsv, cpa_cpt.tsv, warm_transfer.tsv,\n"
"                      drip.tsv and lead_call.tsv, each whole or not at all\n"
"  --unit NAME         write only that unit's stream, to stdout\n"
"  --rejects FILE      rejected rows as TSV (src_file, src_line, program,\n"
"                      reason, message, record); '-' is stdout\n"
"  --max-rejects N[%]  exit 3 when more rows than this are rejected\n"
"  --tz ZONE           zone of the export's times (default: the catalog's zone of\n"
"                      the transactions stream, boberdoo's)\n"
"  --day DAY           the export's day (YYYYMMDD or YYYY-MM-DD): a transaction\n"
"                      of another day is rejected (other_day)\n"
"  --help, --version\n"
"\n"
"INPUT is a CSV export, gzip-compressed or in a zip/tar archive, or '-'\n"
"(stdin, the default).  A Transaction_ID given again is rejected\n"
"(repeated_identity): each transaction is loaded once, from its first row.\n"
"Exit: 0 ok; 1 input unreadable, output failed, or\n"
"rows rejected with no --rejects file to keep them; 2 usage; 3 too many\n"
"rejects.\n";

/*
 * The units are the tables of the catalog's `transactions` stream, in its
 * order; the rules may also route a row to `exclude`.  The columns, their
 * export names and how each is read are the catalog's too.
 */
#define MAX_UNITS 32
#define MAX_COLUMNS 128
#define LINEAGE 2	/* src_file, src_line: the last two, filled by the program */

struct split {
	struct rules *rules;
	struct tz *tz;
	struct rejects rejects;
	struct tally *tally;
	struct writer *w;
	const struct cat_stream *stream;
	const char *targets[MAX_UNITS + 1];
	int nunits, exclude;
	struct tsvout *out[MAX_UNITS];
	struct atomic_file files[MAX_UNITS];
	int only;		/* --unit, or -1 */
	int col_file, col_line, col_amount;
	/*
	 * The catalog's identity `once`: its column (-1: the identity may
	 * repeat), the ids given so far, and the labels of the inputs they
	 * were given in.  --day: the export's day in days since 1970 (-1: not
	 * given) and as text, for the stream's first local day (its column
	 * col_day).
	 */
	int col_identity, col_day;
	struct once seen;
	char **labels;
	int nlabels;
	int64_t day;
	char day_text[UTC_BUFSZ];
	long in, routed[MAX_UNITS + 1], repeated_hour, skipped_hour, folded;
	long in_mark, routed_mark[MAX_UNITS + 1];	/* the counts when the input began */
	char **not_loaded;	/* export columns no catalog column reads, once each */
	int nnot_loaded;
	int rules_misfit;	/* a rule names a column the export lacks: the rules are wrong (exit 2) */
	int idx[MAX_COLUMNS];	/* each catalog column's field in the member being read, or -1 */
};

/* One converted row's scratch: values that are not the export's own bytes. */
struct converted {
	char scratch[MAX_COLUMNS][32];
	int64_t amount;
	int refund;
	int64_t identity;	/* col_identity's value */
	int64_t local_day;	/* col_day's local day, in days since 1970 */
};

/* Reason code when the value does not convert, else NULL. */
static const char *
convert(struct split *s, int k, const struct field *in, struct converted *cv)
{
	const struct cat_column *c = &s->stream->columns[k];
	char *scratch = cv->scratch[k];
	struct civil lt;
	int64_t utc, cents;
	long v;

	if (in->n == 0)
		return c->not_null ? "missing_value" : NULL;
	switch (c->read) {
	case READ_TEXT:
		w_text(s->w, k, in->p, in->n);
		return NULL;
	case READ_INTEGER:
		if (field_long(*in, &v) < 0)
			return "bad_integer";
		if (k == s->col_identity)
			cv->identity = v;
		w_text(s->w, k, in->p, in->n);
		return NULL;
	case READ_FLAG:
		if (!field_eq(in, "0") && !field_eq(in, "1"))
			return "bad_flag";
		w_text(s->w, k, in->p, in->n);
		return NULL;
	case READ_TRANSACTION_TYPE:
		if (field_eq(in, "Purchase"))
			cv->refund = 0, w_str(s->w, k, "purchase");
		else if (field_eq(in, "Refund"))
			cv->refund = 1, w_str(s->w, k, "refund");
		else
			return "bad_transaction_type";
		return NULL;
	case READ_LOCAL_TIME:
		if (civil_parse("%Y-%m-%d %H:%M:%S", in->p, in->n, &lt) < 0)
			return "bad_datetime";
		if (k == s->col_day)
			cv->local_day = days_from_civil(lt.y, lt.mo, lt.d);
		switch (tz_to_utc(s->tz, &lt, &utc)) {
		case TZ_REPEATED: s->repeated_hour++; break;
		case TZ_SKIPPED: s->skipped_hour++; break;
		}
		w_time(s->w, k, utc);
		return NULL;
	case READ_MONEY:
		if (money_parse(in->p, in->n, &cents) < 0)
			return "bad_money";
		if (k == s->col_amount)
			cv->amount = cents;
		w_cents(s->w, k, cents);
		return NULL;
	case READ_PHONE:
		if (phone_e164(in->p, in->n, scratch) < 0)
			return "bad_phone";
		w_text(s->w, k, scratch, PHONE_BUFSZ - 1);
		return NULL;
	}
	return NULL;
}

static void
route_row(struct split *s, struct rows *r, const struct row *row, const int *idx)
{
	static const struct field none = { "", 0 };
	struct converted cv = { .amount = 0 };
	const char *why, *col;
	struct once_where first;
	long rule_line;
	int unit;

	if (!row->valid_utf8) {
		size_t i = 0;

		while (i < row->nf && utf8_valid(row->f[i].p, row->f[i].n))
			i++;
		reject_row(&s->rejects, r, row, "bad_utf8", "field %zu is not valid UTF-8", i + 1);
		return;
	}
	if ((unit = rules_route(s->rules, row, &rule_line)) < 0) {
		reject_row(&s->rejects, r, row, "no_rule", "no rule matches this row");
		return;
	}
	if (unit == s->exclude) {
		s->routed[unit]++;
		return;
	}
	for (int k = 0; k < s->stream->ncolumns; k++) {
		const struct field *in = idx[k] >= 0 ? &row->f[idx[k]] : &none;

		if (s->stream->columns[k].from && (why = convert(s, k, in, &cv)) != NULL) {
			writer_clear(s->w);
			reject_row(&s->rejects, r, row, why, "%s '%.*s'", s->stream->columns[k].from,
			    (int)(in->n > 64 ? 64 : in->n), in->p);
			return;
		}
	}
	if (cv.refund ? cv.amount > 0 : cv.amount < 0) {
		writer_clear(s->w);
		reject_row(&s->rejects, r, row, "amount_sign", "a %s with Amount %.*s",
		    cv.refund ? "Refund" : "Purchase", (int)row->f[idx[s->col_amount]].n, row->f[idx[s->col_amount]].p);
		return;
	}
	if (s->day >= 0 && cv.local_day != s->day) {
		writer_clear(s->w);
		reject_row(&s->rejects, r, row, "other_day", "%s '%.*s' is not of the export's day, %s",
		    s->stream->columns[s->col_day].from, (int)row->f[idx[s->col_day]].n, row->f[idx[s->col_day]].p,
		    s->day_text);
		return;
	}
	first = (struct once_where){ .input = s->nlabels - 1, .line = row->line };
	if (s->col_identity >= 0 && once_seen(&s->seen, cv.identity, &first)) {
		writer_clear(s->w);
		reject_row(&s->rejects, r, row, "repeated_identity", "%s %lld again (%s:%lu has it)",
		    s->stream->columns[s->col_identity].from, (long long)cv.identity, s->labels[first.input],
		    (unsigned long)first.line);
		return;
	}
	if (s->only >= 0 && s->only != unit) {
		writer_clear(s->w);
		s->routed[unit]++;
		return;
	}
	w_str(s->w, s->col_file, rows_label(r));
	w_int(s->w, s->col_line, row->line);
	if ((why = writer_row(s->w, s->out[s->only >= 0 ? 0 : unit], &col)) != NULL) {
		int k = cat_column(s->stream, col);
		const char *from = s->stream->columns[k].from;
		const struct field *in = from && idx[k] >= 0 ? &row->f[idx[k]] : &none;

		reject_row(&s->rejects, r, row, why, "%s '%.*s' does not fit %s", from ? from : col,
		    (int)(in->n > 64 ? 64 : in->n), in->p, col);
		return;
	}
	s->routed[unit]++;
}

/* An export column that no catalog column reads and no rule names: said once, in the summary. */
static void
note_not_loaded(struct split *s, const struct row *hdr, const int *idx, const char *label)
{
	for (size_t i = 0; i < hdr->nf; i++) {
		int used = hdr->f[i].n == 0 || rules_uses(s->rules, hdr->f[i].p, hdr->f[i].n);

		for (int k = 0; !used && k < s->stream->ncolumns; k++)
			used = idx[k] == (int)i;
		if (used)
			continue;
		int j = 0;
		while (j < s->nnot_loaded && !(strlen(s->not_loaded[j]) == hdr->f[i].n &&
		    memcmp(s->not_loaded[j], hdr->f[i].p, hdr->f[i].n) == 0))
			j++;
		if (j == s->nnot_loaded) {
			s->not_loaded = xrealloc(s->not_loaded, (s->nnot_loaded + 1) * sizeof *s->not_loaded);
			s->not_loaded[j] = xmalloc(hdr->f[i].n + 1);
			memcpy(s->not_loaded[j], hdr->f[i].p, hdr->f[i].n);
			s->not_loaded[j][hdr->f[i].n] = '\0';
			s->nnot_loaded++;
		}
		tally_add(s->tally, label, NULL, "not_loaded", s->not_loaded[j], 1);
	}
}

/* The counts of one input into the --summary tally. */
static void
tally_input(struct split *s, const char *label)
{
	tally_add(s->tally, label, NULL, "rows_in", NULL, s->in - s->in_mark);
	for (int u = 0; u < s->nunits; u++)
		if (s->only < 0 || s->only == u)
			tally_add(s->tally, label, s->targets[u], "rows_out", NULL, s->routed[u] - s->routed_mark[u]);
	tally_add(s->tally, label, NULL, "excluded", NULL, s->routed[s->exclude] - s->routed_mark[s->exclude]);
	rejects_tally(&s->rejects, s->tally, label);
	s->in_mark = s->in;
	memcpy(s->routed_mark, s->routed, sizeof s->routed);
}

/* A member's header: the catalog's columns and the rules' found in it; -1 (diagnosed) when one is missing. */
static int
split_header(void *ctx, struct rows *r, const struct row *hdr)
{
	struct split *s = ctx;
	const char *names[MAX_COLUMNS];
	unsigned char required[MAX_COLUMNS];

	/* Columns without a source (the lineage) are looked up under no name: never found, never required. */
	for (int k = 0; k < s->stream->ncolumns; k++) {
		const struct cat_column *c = &s->stream->columns[k];

		names[k] = c->from ? c->from : "";
		required[k] = c->from && !c->optional;
	}
	if (header_lookup(hdr, rows_label(r), names, required, s->stream->ncolumns, s->idx) < 0)
		return -1;
	s->labels = xrealloc(s->labels, (s->nlabels + 1) * sizeof *s->labels);
	s->labels[s->nlabels++] = xstrdup(rows_label(r));
	if (rules_bind(s->rules, hdr, rows_label(r)) < 0) {
		s->rules_misfit = 1;
		return -1;
	}
	for (int k = 0; k < s->stream->ncolumns; k++)
		if (!s->stream->columns[k].from)
			s->idx[k] = -1;
	note_not_loaded(s, hdr, s->idx, rows_label(r));
	return 0;
}

static void
split_record(void *ctx, struct rows *r, const struct row *row)
{
	struct split *s = ctx;

	route_row(s, r, row, s->idx);
}

static void
split_member_done(void *ctx, struct rows *r)
{
	struct split *s = ctx;

	s->folded += rows_folded(r);
	tally_input(s, rows_label(r));
}

/* The units and the columns, from the catalog. */
static void
bind_catalog(struct split *s)
{
	s->w = writer_open("transactions");
	s->stream = s->w->stream;
	if (s->stream->ncolumns > MAX_COLUMNS || s->stream->ntables > MAX_UNITS)
		fatal(EXIT_USAGE, "%s: stream transactions has more than %d columns or %d tables",
		    catalog()->path, MAX_COLUMNS, MAX_UNITS);
	for (int t = 0; t < s->stream->ntables; t++)
		s->targets[s->nunits++] = s->stream->tables[t].unit;
	s->exclude = s->nunits;
	s->targets[s->exclude] = "exclude";
	for (int k = 0; k < s->stream->ncolumns; k++)
		if (s->stream->columns[k].from)
			writer_col(s->w, s->stream->columns[k].name);
	s->col_file = writer_col(s->w, "src_file");
	s->col_line = writer_col(s->w, "src_line");
	s->col_amount = writer_col(s->w, "amount");
	s->col_identity = s->stream->identity_once ? s->stream->identity[0] : -1;
	s->col_day = s->stream->nlocal_days ? s->stream->local_days[0].column : -1;
	writer_complete(s->w);
}

static void
open_outputs(struct split *s, const char *dir)
{
	char path[4096];

	if (s->only >= 0) {
		s->out[0] = tsv_open_fd(STDOUT_FILENO, "stdout");
		return;
	}
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		fatal(EXIT_DATA, "%s: %s", dir, strerror(errno));
	for (int u = 0; u < s->nunits; u++) {
		snprintf(path, sizeof path, "%s/%s.tsv", dir, s->targets[u]);
		int fd = atomic_open(&s->files[u], path);
		if (fd < 0)
			exit(EXIT_DATA);
		s->out[u] = tsv_open_fd(fd, path);
	}
}

/* End every stream, with its end line when complete; commit the files only then, all of them.  -1 on a failure. */
static int
close_outputs(struct split *s, int complete)
{
	if (s->only >= 0)
		return tsv_finish(s->out[0], complete);
	return atomic_finish_streams(s->out, s->files, s->nunits, complete);
}

static void
summarize(const struct split *s)
{
	struct summary sum = { .len = 0 };

	summary_add(&sum, "rows in %ld, out", s->in);
	for (int u = 0; u < s->nunits; u++)
		if (s->only < 0 || s->only == u)
			summary_add(&sum, " %s=%ld", s->targets[u], s->routed[u]);
	if (s->only >= 0) {
		summary_add(&sum, " (not asked for:");
		for (int u = 0; u < s->nunits; u++)
			if (u != s->only)
				summary_add(&sum, " %s=%ld", s->targets[u], s->routed[u]);
		summary_add(&sum, ")");
	}
	summary_add(&sum, ", excluded %ld", s->routed[s->exclude]);
	rejects_summarize(&s->rejects, &sum);
	if (s->repeated_hour)
		summary_add(&sum, "; %ld times in a repeated DST hour read as standard time", s->repeated_hour);
	if (s->skipped_hour)
		summary_add(&sum, "; %ld times in a skipped DST hour", s->skipped_hour);
	if (s->folded)
		summary_add(&sum, "; %ld line breaks or tabs in fields became spaces", s->folded);
	for (int i = 0; i < s->nnot_loaded; i++)
		summary_add(&sum, "%s%s", i ? ", " : "; columns in the export that are not loaded: ", s->not_loaded[i]);
	summary_print(&sum);
}

static void
split_free(struct split *s)
{
	rules_free(s->rules);
	once_free(&s->seen);
	for (int i = 0; i < s->nlabels; i++)
		free(s->labels[i]);
	free(s->labels);
	tz_close(s->tz);
	writer_free(s->w);
	for (int i = 0; i < s->nnot_loaded; i++)
		free(s->not_loaded[i]);
	free(s->not_loaded);
}

/* --day's YYYYMMDD (the nightly's days) or YYYY-MM-DD, in days since 1970; -1 when it is neither. */
static int64_t
parse_day(const char *arg)
{
	struct civil d;

	if (civil_parse("%Y%m%d", arg, strlen(arg), &d) < 0 && civil_parse("%Y-%m-%d", arg, strlen(arg), &d) < 0)
		return -1;
	return days_from_civil(d.y, d.mo, d.d);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "output-dir", required_argument, NULL, 'o' },
		{ "unit", required_argument, NULL, 'u' },
		{ "tz", required_argument, NULL, 'z' },
		{ "day", required_argument, NULL, 'd' },
		CLI_REJECT_OPTIONS,
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *rules_path = NULL, *dir = NULL, *unit = NULL, *zone = NULL, *day = NULL;
	struct reject_options ro = { 0 };
	struct split s = { .only = -1, .day = -1 };
	int c, ok = 1;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1)
		switch (c) {
		case 'r': rules_path = optarg; break;
		case 'o': dir = optarg; break;
		case 'u': unit = optarg; break;
		case 'z': zone = optarg; break;
		case 'd': day = optarg; break;
		default:
			if (!cli_common_option(c, optarg, help, &ro))
				usage_error(usage, "unknown option");
		}
	bind_catalog(&s);
	cli_header(&ro, &s.w, 1, usage);
	if (rules_path == NULL)
		usage_error(usage, "--rules is required");
	if ((dir == NULL) == (unit == NULL))
		usage_error(usage, "give exactly one of -o DIR and --unit NAME");
	for (int u = 0; unit && u < s.nunits; u++)
		if (strcmp(unit, s.targets[u]) == 0)
			s.only = u;
	if (unit && s.only < 0)
		usage_error(usage, "unknown unit '%s'", unit);
	s.tz = cli_boberdoo_zone(zone, usage);
	if (day && (s.day = parse_day(day)) < 0)
		usage_error(usage, "--day '%s' is not YYYYMMDD or YYYY-MM-DD", day);
	if (day && s.col_day < 0)
		usage_error(usage, "--day: the catalog's transactions stream has no local_day");
	if (day)
		format_date(s.day * 86400, s.day_text);
	ro.stdout_is_stream = s.only >= 0;
	cli_open_rejects(&s.rejects, &ro, usage);
	s.tally = tally_open(ro.summary);
	if ((s.rules = rules_load(rules_path, s.targets, s.nunits + 1)) == NULL)
		exit(EXIT_USAGE);

	open_outputs(&s, dir);
	for (int u = 0; u < (s.only >= 0 ? 1 : s.nunits); u++)
		writer_header(s.w, s.out[u]);
	int ninputs;
	char **inputs = cli_inputs(argc, argv, &ninputs);
	const struct reader rd = {
		.rowopts = { .format = ROWS_CSV }, .no_header = "empty file: no header",
		.header = split_header, .record = split_record, .member_done = split_member_done,
		.rejects = &s.rejects, .rows_in = &s.in,
	};
	for (int i = 0; i < ninputs && ok; i++)
		ok = read_input(inputs[i], &rd, &s) == 0;

	int status = rejects_status(&s.rejects, s.in), complete = ok && status != EXIT_REJECTS;
	if (close_outputs(&s, complete) < 0)
		ok = complete = 0;
	summarize(&s);
	if (rejects_finish(&s.rejects, complete) < 0 || tally_close(s.tally, complete) < 0 || !ok)
		status = s.rules_misfit ? EXIT_USAGE : EXIT_DATA;
	split_free(&s);
	return status;
}
