/*
 * cpa-normalize: any broker's sales report -> the canonical broker-sales
 * stream, by the broker's mapping file.  Every report row is kept
 * (chargebacks too); the views decide what a lead is owed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/brokermaps.h"
#include "lib/civil.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/money.h"
#include "lib/phone.h"
#include "lib/rejects.h"
#include "lib/tally.h"
#include "lib/tsvout.h"
#include "lib/tz.h"
#include "lib/writer.h"

static const char usage[] =
"usage: cpa-normalize --map FILE [--rejects FILE] [--max-rejects N[%]] [INPUT ...]\n"
"       cpa-normalize --maps DIR [--rejects FILE] [--max-rejects N[%]] FILE ...\n";

static const char help[] =
"cpa-normalize: a broker's sales report -> the canonical broker-sales stream\n"
"\n"
"  --map FILE          the broker's mapping file (samples/maps/*.map)\n"
"  --maps DIR          every sales map of a folder: each FILE is read by the one\n"
"                      whose files glob matches its name (none, or two, stops\n"
"                      the run before a row is read); no FILE, an empty stream\n"
"  --rejects FILE      rejected rows as TSV; '-' is stdout\n"
"  --max-rejects N[%]  exit 3 when more rows than this are rejected\n"
"  --help, --version\n"
"\n"
"INPUT is the report: CSV or TSV as the map says, plain, gzip, or entries of a\n"
"zip/tar archive; '-' or nothing is stdin.  Output on stdout: the catalog's\n"
"broker_sales stream (--header prints its header); status is sold, pending or\n"
"cancelled, report_kind the map's report.\n"
"Exit: 0 ok; 1 unreadable input, a mapped column missing, or rows rejected\n"
"with no --rejects file; 2 usage or a broken map; 3 too many rejects.\n";

enum { C_PARTNER, C_LEAD, C_PHONE, C_SALE_AT, C_SALE_AT_DAYLIGHT, C_STATUS, C_AMOUNT, C_PRODUCT, C_KIND, C_FILE,
	C_LINE, C_N };
static const char *const out_columns[C_N] = {
	"partner_id", "lead_id", "phone", "sale_at", "sale_at_daylight", "status", "amount", "product",
	"report_kind", "src_file", "src_line"
};

struct normalize {
	struct rejects rejects;
	struct tally *tally;
	struct writer *w;
	int col[C_N];
	struct tsvout *out;
	long in, sold, pending, cancelled, phones_dropped;
	long in_mark, out_mark;		/* the counts when the input began */
};

static void
normalize_row(void *ctx, struct brokermap *m, struct rows *r, const struct row *row)
{
	struct normalize *s = ctx;
	struct rejects *rj = &s->rejects;
	struct field lead = { "", 0 }, phone_in = { "", 0 }, f;
	char phone[PHONE_BUFSZ] = "";
	const char *status = NULL;
	int64_t cents = 0, utc, daylight = 0;
	int has_amount = 0, repeated;
	long lead_id;

	if (brokermap_has(m, "lead_id")) {
		lead = field_trim(brokermap_value(m, row, "lead_id"));
		if (field_long(lead, &lead_id) < 0)
			REJECT(lead.n ? "bad_lead_id" : "missing_value", "lead id '%.*s'", (int)lead.n, lead.p);
	}
	if (brokermap_has(m, "phone")) {
		phone_in = field_trim(brokermap_value(m, row, "phone"));
		if (phone_in.n == 0 && lead.n == 0)
			REJECT("missing_value", "no phone and no lead id");
		if (phone_in.n > 0 && phone_e164(phone_in.p, phone_in.n, phone) < 0) {
			/* With a lead id the phone is only information: never lose the sale for it. */
			if (lead.n == 0)
				REJECT("bad_phone", "phone '%.*s'", (int)phone_in.n, phone_in.p);
			phone[0] = '\0';
			s->phones_dropped++;
		}
	}
	f = brokermap_value(m, row, "sale_at");
	if ((repeated = brokermap_time(m, f.p, f.n, &utc)) < 0)
		REJECT(f.n ? "bad_date" : "missing_value", "sale date '%.*s' (date_format %s)", (int)f.n, f.p, m->date_format);
	/* The repeated hour: both readings go out, and the matcher tries both. */
	repeated = repeated && tz_other_reading(m->tz, utc, &daylight);
	f = field_trim(brokermap_value(m, row, "amount"));
	if (f.n > 0) {
		if (money_parse(f.p, f.n, &cents) < 0)
			REJECT("bad_money", "amount '%.*s'", (int)f.n, f.p);
		has_amount = 1;
	} else if (m->report == REPORT_LEDGER)
		REJECT("missing_value", "a ledger row without an amount");
	if (brokermap_has(m, "status")) {
		f = field_trim(brokermap_value(m, row, "status"));
		if ((status = brokermap_status(m, f.p, f.n)) == NULL)
			REJECT("unknown_status", "status '%.*s' is not in %s", (int)f.n, f.p, m->path);
	} else
		status = cents < 0 ? "cancelled" : "sold";	/* a ledger: the sign says */

	struct writer *w = s->w;
	const char *why, *col;

	w_int(w, s->col[C_PARTNER], m->partner_id);
	w_text(w, s->col[C_LEAD], lead.p, lead.n);
	w_str(w, s->col[C_PHONE], phone);
	w_time(w, s->col[C_SALE_AT], utc);
	if (repeated)
		w_time(w, s->col[C_SALE_AT_DAYLIGHT], daylight);
	w_str(w, s->col[C_STATUS], status);
	if (has_amount)
		w_cents(w, s->col[C_AMOUNT], cents);
	f = brokermap_has(m, "product") ? brokermap_text(m, field_trim(brokermap_value(m, row, "product"))) : (struct field){ "", 0 };
	w_text(w, s->col[C_PRODUCT], f.p, f.n);
	w_str(w, s->col[C_KIND], m->report == REPORT_LEDGER ? "ledger" : "status");
	w_str(w, s->col[C_FILE], rows_label(r));
	w_int(w, s->col[C_LINE], row->line);
	if ((why = writer_row(w, s->out, &col)) != NULL)
		REJECT(why, "%s does not fit the column", col);
	if (status[0] == 's')
		s->sold++;
	else if (status[0] == 'p')
		s->pending++;
	else
		s->cancelled++;
}

/* One input's counts into the --summary tally. */
static void
input_done(void *ctx, const char *input)
{
	struct normalize *s = ctx;
	long out = s->sold + s->pending + s->cancelled;

	tally_add(s->tally, input, NULL, "rows_in", NULL, s->in - s->in_mark);
	tally_add(s->tally, input, "broker_sales", "rows_out", NULL, out - s->out_mark);
	rejects_tally(&s->rejects, s->tally, input);
	s->in_mark = s->in;
	s->out_mark = out;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_MAP_OPTIONS,
		CLI_REJECT_OPTIONS,
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct brokermaps maps = { NULL, 0 };
	struct reject_options ro = { .stdout_is_stream = 1 };
	struct normalize s = { 0 };
	struct summary sum = { .len = 0 };
	int c, ok;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (!cli_common_option(c, optarg, help, &ro))
			usage_error(usage, "unknown option");
	s.w = writer_bind("broker_sales", out_columns, C_N, s.col);
	cli_header(&ro, &s.w, 1, usage);
	if ((ro.map == NULL) == (ro.maps == NULL))
		usage_error(usage, "give --map FILE or --maps DIR");
	cli_open_rejects(&s.rejects, &ro, usage);
	s.tally = tally_open(ro.summary);
	if (brokermaps_open(ro.map, ro.maps, MAP_SALES, &maps) < 0)
		exit(EXIT_USAGE);

	s.out = tsv_open_fd(STDOUT_FILENO, "stdout");
	writer_header(s.w, s.out);
	int ninputs = argc - optind;
	char **inputs = ro.maps ? argv + optind : cli_inputs(argc, argv, &ninputs);
	ok = brokermaps_read(&maps, ro.maps != NULL, inputs, ninputs, &s.rejects, normalize_row, input_done, &s,
	    &s.in) == 0;
	int status = rejects_status(&s.rejects, s.in), complete = ok && status != EXIT_REJECTS;
	if (tsv_finish(s.out, complete) < 0)
		ok = complete = 0;

	summary_add(&sum, "rows in %ld, out %ld (sold=%ld pending=%ld cancelled=%ld)", s.in,
	    s.sold + s.pending + s.cancelled, s.sold, s.pending, s.cancelled);
	rejects_summarize(&s.rejects, &sum);
	if (s.phones_dropped)
		summary_add(&sum, "; %ld unusable phones left empty (the lead id identifies those rows)", s.phones_dropped);
	summary_print(&sum);
	if (rejects_finish(&s.rejects, complete) < 0 || tally_close(s.tally, complete) < 0)
		ok = 0;
	brokermaps_free(&maps);
	writer_free(s.w);
	return ok ? status : EXIT_DATA;
}
