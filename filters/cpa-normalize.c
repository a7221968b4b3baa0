/*
 * cpa-normalize: any broker's sales report -> the canonical broker-sales
 * stream, by the broker's mapping file.  Every report row is kept
 * (chargebacks too); the views decide what a lead is owed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/brokermap.h"
#include "lib/civil.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/money.h"
#include "lib/phone.h"
#include "lib/rejects.h"
#include "lib/tsvout.h"

static const char usage[] =
"usage: cpa-normalize --map FILE [--rejects FILE] [--max-rejects N[%]] [INPUT ...]\n";

static const char help[] =
"cpa-normalize: a broker's sales report -> the canonical broker-sales stream\n"
"\n"
"  --map FILE          the broker's mapping file (samples/maps/*.map)\n"
"  --rejects FILE      rejected rows as TSV; '-' is stdout\n"
"  --max-rejects N[%]  exit 3 when more rows than this are rejected\n"
"  --help, --version\n"
"\n"
"INPUT is the report: CSV or TSV as the map says, plain, gzip, or entries of a\n"
"zip/tar archive; '-' or nothing is stdin.  Output on stdout: partner_id,\n"
"lead_id, phone, sale_at (UTC), status (sold, pending, cancelled), amount,\n"
"product, report_kind (ledger, status), src_file, src_line.\n"
"Exit: 0 ok; 1 unreadable input, a mapped column missing, or rows rejected\n"
"with no --rejects file; 2 usage or a broken map; 3 too many rejects.\n";

static const char *const out_columns[] = {
	"partner_id", "lead_id", "phone", "sale_at", "status", "amount", "product",
	"report_kind", "src_file", "src_line", NULL
};

struct normalize {
	struct brokermap *map;
	struct rejects rejects;
	struct tsvout *out;
	long in, sold, pending, cancelled, phones_dropped;
};

static int
integer(struct field f)
{
	if (f.n == 0 || f.n > 18)
		return 0;
	for (size_t i = 0; i < f.n; i++)
		if (f.p[i] < '0' || f.p[i] > '9')
			return 0;
	return 1;
}

#define REJECT(why, ...) do { reject_row(&s->rejects, r, row, why, __VA_ARGS__); return; } while (0)

static void
normalize_row(void *ctx, struct rows *r, const struct row *row)
{
	struct normalize *s = ctx;
	struct brokermap *m = s->map;
	struct field lead = { "", 0 }, phone_in = { "", 0 }, f;
	char phone[PHONE_BUFSZ] = "", when[UTC_BUFSZ];
	const char *status = NULL;
	int64_t cents = 0, utc;
	int has_amount = 0;

	if (brokermap_has(m, "lead_id")) {
		lead = field_trim(brokermap_value(m, row, "lead_id"));
		if (!integer(lead))
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
	if (brokermap_time(m, f.p, f.n, &utc) < 0)
		REJECT(f.n ? "bad_date" : "missing_value", "sale date '%.*s' (date_format %s)", (int)f.n, f.p, m->date_format);
	format_utc(utc, when);
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

	tsv_int(s->out, m->partner_id);
	tsv_field(s->out, lead.p, lead.n);
	tsv_str(s->out, phone);
	tsv_str(s->out, when);
	tsv_str(s->out, status);
	if (has_amount)
		tsv_cents(s->out, cents);
	else
		tsv_null(s->out);
	f = brokermap_has(m, "product") ? brokermap_text(m, field_trim(brokermap_value(m, row, "product"))) : (struct field){ "", 0 };
	tsv_field(s->out, f.p, f.n);
	tsv_str(s->out, m->report == REPORT_LEDGER ? "ledger" : "status");
	tsv_str(s->out, rows_label(r));
	tsv_int(s->out, row->line);
	tsv_end_row(s->out);
	if (status[0] == 's')
		s->sold++;
	else if (status[0] == 'p')
		s->pending++;
	else
		s->cancelled++;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "map", required_argument, NULL, 'm' },
		CLI_REJECT_OPTIONS,
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *map_path = NULL;
	struct reject_options ro = { 0 };
	struct normalize s = { 0 };
	struct summary sum = { .len = 0 };
	int c, ok;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		switch (c) {
		case 'm': map_path = optarg; break;
		default:
			if (!cli_common_option(c, optarg, help, &ro))
				usage_error(usage, "unknown option");
		}
	if (map_path == NULL)
		usage_error(usage, "--map is required");
	cli_open_rejects(&s.rejects, &ro, usage);
	if ((s.map = brokermap_load(map_path, MAP_SALES)) == NULL)
		exit(EXIT_USAGE);

	s.out = tsv_open_fd(STDOUT_FILENO, "stdout");
	tsv_header(s.out, out_columns);
	int ninputs;
	char **inputs = cli_inputs(argc, argv, &ninputs);
	ok = brokermap_read(s.map, inputs, ninputs, &s.rejects, normalize_row, &s, &s.in) == 0;
	if (tsv_close(s.out) < 0)
		ok = 0;

	summary_add(&sum, "rows in %ld, out %ld (sold=%ld pending=%ld cancelled=%ld)", s.in,
	    s.sold + s.pending + s.cancelled, s.sold, s.pending, s.cancelled);
	rejects_summarize(&s.rejects, &sum);
	if (s.phones_dropped)
		summary_add(&sum, "; %ld unusable phones left empty (the lead id identifies those rows)", s.phones_dropped);
	summary_print(&sum);
	int status = rejects_close(&s.rejects, s.in);
	brokermap_free(s.map);
	return ok ? status : EXIT_DATA;
}
