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
#include "lib/input.h"
#include "lib/money.h"
#include "lib/phone.h"
#include "lib/rejects.h"
#include "lib/rows.h"
#include "lib/rules.h"
#include "lib/tsvout.h"
#include "lib/tz.h"
#include "lib/utf8.h"

static const char usage[] =
"usage: split-by-unit --rules FILE (-o DIR | --unit NAME) [--rejects FILE]\n"
"                     [--max-rejects N[%]] [--tz ZONE] [INPUT ...]\n";

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
"  --tz ZONE           zone of the export's times (America/New_York)\n"
"  --help, --version\n"
"\n"
"INPUT is a CSV export, gzip-compressed or in a zip/tar archive, or '-'\n"
"(stdin, the default).  Exit: 0 ok; 1 input unreadable, output failed, or\n"
"rows rejected with no --rejects file to keep them; 2 usage; 3 too many\n"
"rejects.\n";

enum unit { LEAD, CPA_CPT, WARM_TRANSFER, DRIP, LEAD_CALL, EXCLUDE, NUNITS = EXCLUDE };

static const char *const targets[] = {
	"lead", "cpa_cpt", "warm_transfer", "drip", "lead_call", "exclude"
};

enum kind { TEXT, INTEGER, LOCAL_TIME, MONEY, PHONE, TXN_TYPE, FLAG };

/* The output columns, each from one export column; the same for every unit. */
static const struct column {
	const char *out, *in;
	enum kind kind;
	int required;		/* an empty value is rejected */
} columns[] = {
	{ "transaction_id", "Transaction_ID", INTEGER, 1 },
	{ "transaction_type", "Transaction_Type", TXN_TYPE, 1 },
	{ "transaction_at", "Transaction_Date", LOCAL_TIME, 1 },
	{ "lead_id", "Lead_ID", INTEGER, 1 },
	{ "lead_type", "Lead_Type", TEXT, 0 },
	{ "lead_received_at", "Lead_Received", LOCAL_TIME, 1 },
	{ "src", "SRC", TEXT, 0 },
	{ "vendor_id", "Vendor_ID", INTEGER, 0 },
	{ "partner_id", "Partner_ID", INTEGER, 0 },
	{ "partner_name", "Partner_Name", TEXT, 0 },
	{ "filter_set_id", "Filter_Set_ID", INTEGER, 0 },
	{ "filter_set_name", "Filter_Set_Name", TEXT, 0 },
	{ "campaign", "Campaign", TEXT, 0 },
	{ "amount", "Amount", MONEY, 1 },
	{ "lead_cost", "Lead_Cost", MONEY, 0 },
	{ "phone", "Phone", PHONE, 1 },
	{ "email", "Email", TEXT, 0 },
	{ "first_name", "First_Name", TEXT, 0 },
	{ "last_name", "Last_Name", TEXT, 0 },
	{ "state", "State", TEXT, 0 },
	{ "zip", "Zip", TEXT, 0 },
	{ "times_sold", "Times_Sold", INTEGER, 0 },
	{ "refund_reason", "Refund_Reason", TEXT, 0 },
	{ "test_lead", "Test_Lead", FLAG, 0 },
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])
#define AMOUNT_COLUMN 13
#define TYPE_COLUMN 1

struct split {
	struct rules *rules;
	struct tz *tz;
	struct rejects rejects;
	struct tsvout *out[NUNITS];
	struct atomic_file files[NUNITS];
	int only;		/* --unit, or -1 */
	long in, routed[NUNITS + 1], repeated_hour, skipped_hour, folded;
};

/* One converted row: field text, pointing into the record or into scratch. */
struct converted {
	struct field f[NCOLUMNS];
	char scratch[NCOLUMNS][32];
	int64_t amount;
	int refund;
};

static int
integer(const struct field *f)
{
	if (f->n == 0 || f->n > 18)
		return -1;
	for (size_t i = 0; i < f->n; i++)
		if (f->p[i] < '0' || f->p[i] > '9')
			return -1;
	return 0;
}

/* Reason code when the value does not convert, else NULL. */
static const char *
convert(struct split *s, const struct column *c, const struct field *in, struct field *out,
    char *scratch, struct converted *cv)
{
	struct civil lt;
	int64_t utc;

	*out = *in;
	if (in->n == 0)
		return c->required ? "missing_value" : NULL;
	switch (c->kind) {
	case TEXT:
		return NULL;
	case INTEGER:
		return integer(in) < 0 ? "bad_integer" : NULL;
	case FLAG:
		return field_eq(in, "0") || field_eq(in, "1") ? NULL : "bad_flag";
	case TXN_TYPE:
		if (field_eq(in, "Purchase"))
			cv->refund = 0, out->p = "purchase";
		else if (field_eq(in, "Refund"))
			cv->refund = 1, out->p = "refund";
		else
			return "bad_transaction_type";
		out->n = strlen(out->p);
		return NULL;
	case LOCAL_TIME:
		if (civil_parse("%Y-%m-%d %H:%M:%S", in->p, in->n, &lt) < 0)
			return "bad_datetime";
		switch (tz_to_utc(s->tz, &lt, &utc)) {
		case TZ_REPEATED: s->repeated_hour++; break;
		case TZ_SKIPPED: s->skipped_hour++; break;
		}
		out->p = scratch;
		out->n = format_utc(utc, scratch);
		return NULL;
	case MONEY: {
		int64_t cents;

		if (money_parse(in->p, in->n, &cents) < 0)
			return "bad_money";
		if (c - columns == AMOUNT_COLUMN)
			cv->amount = cents;
		out->p = scratch;
		out->n = money_format(cents, scratch);
		return NULL;
	}
	case PHONE:
		if (phone_e164(in->p, in->n, scratch) < 0)
			return "bad_phone";
		out->p = scratch;
		out->n = PHONE_BUFSZ - 1;
		return NULL;
	}
	return NULL;
}

static void
write_row(struct tsvout *w, const struct converted *cv, const char *file, long line)
{
	for (size_t i = 0; i < NCOLUMNS; i++)
		tsv_field(w, cv->f[i].p, cv->f[i].n);
	tsv_str(w, file);
	tsv_int(w, line);
	tsv_end_row(w);
}

static void
route_row(struct split *s, struct rows *r, const struct row *row, const int *idx)
{
	struct converted cv;
	const char *why;
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
	s->routed[unit]++;
	if (unit == EXCLUDE)
		return;
	for (size_t i = 0; i < NCOLUMNS; i++) {
		const struct field *in = &row->f[idx[i]];

		if ((why = convert(s, &columns[i], in, &cv.f[i], cv.scratch[i], &cv)) != NULL) {
			s->routed[unit]--;
			reject_row(&s->rejects, r, row, why, "%s '%.*s'", columns[i].in,
			    (int)(in->n > 64 ? 64 : in->n), in->p);
			return;
		}
	}
	if (cv.refund ? cv.amount > 0 : cv.amount < 0) {
		s->routed[unit]--;
		reject_row(&s->rejects, r, row, "amount_sign", "a %s with Amount %.*s",
		    cv.refund ? "Refund" : "Purchase", (int)cv.f[AMOUNT_COLUMN].n, cv.f[AMOUNT_COLUMN].p);
		return;
	}
	if (s->only < 0)
		write_row(s->out[unit], &cv, rows_label(r), row->line);
	else if (s->only == unit)
		write_row(s->out[0], &cv, rows_label(r), row->line);
}

/* One input member: header, then every record.  -1 when it cannot be read. */
static int
split_member(struct split *s, struct input *in)
{
	static const struct rowopts csv = { .format = ROWS_CSV };
	const char *names[NCOLUMNS];
	int idx[NCOLUMNS], got, rc = 0;
	struct rows *r = rows_open(in, &csv);
	struct row row;
	const char *why;

	for (size_t i = 0; i < NCOLUMNS; i++)
		names[i] = columns[i].in;
	if ((got = rows_next(r, &row)) <= 0) {
		if (got == 0)
			diag_at(rows_label(r), 1, "empty file: no header");
		rows_close(r);
		return -1;
	}
	size_t width = row.nf;
	if (header_lookup(&row, rows_label(r), names, NULL, NCOLUMNS, idx) < 0 ||
	    rules_bind(s->rules, &row, rows_label(r)) < 0) {
		rows_close(r);
		return -1;
	}
	while ((got = rows_next(r, &row)) > 0) {
		s->in++;
		if ((why = row_width_error(&row, width)) != NULL)
			reject_row(&s->rejects, r, &row, why, "%zu fields, the header has %zu",
			    row.nf, width);
		else
			route_row(s, r, &row, idx);
	}
	if (got < 0)
		rc = -1;
	s->folded += rows_folded(r);
	rows_close(r);
	return rc;
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
	for (int u = 0; u < NUNITS; u++) {
		snprintf(path, sizeof path, "%s/%s.tsv", dir, targets[u]);
		int fd = atomic_open(&s->files[u], path);
		if (fd < 0)
			exit(EXIT_DATA);
		s->out[u] = tsv_open_fd(fd, path);
	}
}

static void
write_headers(struct split *s)
{
	for (int u = 0; u < NUNITS && s->out[u]; u++) {
		for (size_t i = 0; i < NCOLUMNS; i++)
			tsv_str(s->out[u], columns[i].out);
		tsv_str(s->out[u], "src_file");
		tsv_str(s->out[u], "src_line");
		tsv_end_row(s->out[u]);
	}
}

/* Close every stream; commit the files only when everything succeeded. */
static int
close_outputs(struct split *s, int ok)
{
	for (int u = 0; u < NUNITS && s->out[u]; u++)
		if (tsv_close(s->out[u]) < 0)
			ok = 0;
	if (s->only >= 0)
		return ok;
	for (int u = 0; u < NUNITS; u++)
		if (!ok)
			atomic_abort(&s->files[u]);
		else if (atomic_commit(&s->files[u]) < 0)
			ok = 0;
	return ok;
}

static void
summarize(const struct split *s)
{
	struct summary sum = { .len = 0 };
	long out = 0;

	summary_add(&sum, "rows in %ld, out", s->in);
	for (int u = 0; u < NUNITS; u++) {
		out += s->routed[u];
		if (s->only < 0 || s->only == u)
			summary_add(&sum, " %s=%ld", targets[u], s->routed[u]);
	}
	if (s->only >= 0) {
		summary_add(&sum, " (not asked for:");
		for (int u = 0; u < NUNITS; u++)
			if (u != s->only)
				summary_add(&sum, " %s=%ld", targets[u], s->routed[u]);
		summary_add(&sum, ")");
	}
	summary_add(&sum, ", excluded %ld", s->routed[EXCLUDE]);
	rejects_summarize(&s->rejects, &sum);
	if (s->repeated_hour)
		summary_add(&sum, "; %ld times in a repeated DST hour read as standard time", s->repeated_hour);
	if (s->skipped_hour)
		summary_add(&sum, "; %ld times in a skipped DST hour", s->skipped_hour);
	if (s->folded)
		summary_add(&sum, "; %ld line breaks or tabs in fields became spaces", s->folded);
	summary_print(&sum);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "output-dir", required_argument, NULL, 'o' },
		{ "unit", required_argument, NULL, 'u' },
		{ "tz", required_argument, NULL, 'z' },
		CLI_REJECT_OPTIONS,
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *rules_path = NULL, *dir = NULL, *unit = NULL, *zone = "America/New_York";
	struct reject_options ro = { 0 };
	struct split s = { .only = -1 };
	int c, ok = 1;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1)
		switch (c) {
		case 'r': rules_path = optarg; break;
		case 'o': dir = optarg; break;
		case 'u': unit = optarg; break;
		case 'z': zone = optarg; break;
		default:
			if (!cli_common_option(c, optarg, help, &ro))
				usage_error(usage, "unknown option");
		}
	if (rules_path == NULL)
		usage_error(usage, "--rules is required");
	if ((dir == NULL) == (unit == NULL))
		usage_error(usage, "give exactly one of -o DIR and --unit NAME");
	for (int u = 0; unit && u < NUNITS; u++)
		if (strcmp(unit, targets[u]) == 0)
			s.only = u;
	if (unit && s.only < 0)
		usage_error(usage, "unknown unit '%s'", unit);
	if ((s.tz = tz_open(zone)) == NULL)
		usage_error(usage, "unknown time zone '%s'", zone);
	cli_open_rejects(&s.rejects, &ro, usage);
	if ((s.rules = rules_load(rules_path, targets, NUNITS + 1)) == NULL)
		exit(EXIT_USAGE);

	open_outputs(&s, dir);
	write_headers(&s);
	int ninputs;
	char **inputs = cli_inputs(argc, argv, &ninputs);
	for (int i = 0; i < ninputs && ok; i++) {
		struct input *in = input_open(inputs[i]);
		int more = 0;

		if (in == NULL) {
			ok = 0;
			break;
		}
		while (ok && (more = input_next(in)) > 0)
			ok = split_member(&s, in) == 0;
		if (more < 0)
			ok = 0;
		input_close(in);
	}

	ok = close_outputs(&s, ok);
	summarize(&s);
	int status = rejects_close(&s.rejects, s.in);
	if (!ok)
		status = EXIT_DATA;
	rules_free(s.rules);
	tz_close(s.tz);
	return status;
}
