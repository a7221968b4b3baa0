/*
 * wt-match: warm-transfer sales -> the boberdoo warm-transfer transactions
 * they belong to.  Brokers do not know the lead id: a sale is matched on the
 * broker, the customer's phone, and the transfer time falling after the
 * lead was received, within a window.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/civil.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/number.h"
#include "lib/header.h"
#include "lib/input.h"
#include "lib/money.h"
#include "lib/records.h"
#include "lib/rejects.h"
#include "lib/rows.h"
#include "lib/tally.h"
#include "lib/tsvout.h"
#include "lib/writer.h"
#include "lib/tz.h"
#include "wt-match/match.h"

static const char usage[] =
"usage: wt-match --sales FILE... [--transfers FILE...] [--window SECONDS] [--tz ZONE]\n"
"                [--rejects FILE] [--max-rejects N[%]]\n";

static const char help[] =
"wt-match: warm-transfer sales -> the transfers they belong to\n"
"\n"
"  --sales FILE        a broker-sales stream of cpa-normalize (a warm-transfer\n"
"                      broker's map); repeat for several\n"
"  --transfers FILE    a warm_transfer stream of split-by-unit; repeat for the\n"
"                      days around the report (a broker's day can name ours\n"
"                      before or after)\n"
"  --window SECONDS    how long after the lead a transfer may be (default 1800)\n"
"  --tz ZONE           boberdoo's zone, for the repeated hour (default: the\n"
"                      catalog's zone of the transactions stream)\n"
"  --rejects FILE      unmatched sales, with the reason; '-' is stdout\n"
"  --max-rejects N[%]  exit 3 when more sales than this go unmatched\n"
"  --help, --version\n"
"\n"
"A sale and a transfer (a purchase of the warm_transfer stream) are\n"
"candidates when the partner and the phone are the same and the transfer\n"
"time is at most the window after the lead was received; broker times are to\n"
"the minute, so up to 59 seconds before it counts too.  Pairs are taken\n"
"nearest first (smallest gap; then the sale read first; then the smallest\n"
"transaction_id): one sale to at most one transfer, one transfer to at most\n"
"one sale.  A lead received in the hour that DST's end repeats was read as\n"
"standard time; its daylight-time reading (an hour earlier) is a candidate\n"
"too, and so is a broker's time of its own zone's repeated hour\n"
"(sale_at_daylight, from cpa-normalize): the nearer reading that fits is\n"
"taken, and is the sale_at written.  Reasons for an unmatched sale: no_phone, no_transfer (no\n"
"transfer of that partner and phone), outside_window, taken (a nearer sale\n"
"took every transfer that fits).\n";

enum { O_PARTNER, O_TX, O_LEAD, O_SALE_AT, O_SOLD, O_COMMISSION, O_GAP, O_FILE, O_LINE, O_N };
static const char *const out_columns[O_N] = {
	"partner_id", "transaction_id", "lead_id", "sale_at", "sold", "commission",
	"seconds_after_lead", "src_file", "src_line"
};

enum { S_PARTNER, S_PHONE, S_SALE_AT, S_STATUS, S_AMOUNT, S_FILE, S_LINE, S_DAYLIGHT, S_N };
static const char *const sale_names[S_N] = {
	"partner_id", "phone", "sale_at", "status", "amount", "src_file", "src_line", "sale_at_daylight"
};
static const unsigned char sale_required[S_N] = { 1, 1, 1, 1, 1, 0, 0, 0 };
enum { T_TX, T_TYPE, T_LEAD, T_RECEIVED, T_PARTNER, T_PHONE, T_N };
static const char *const transfer_names[T_N] = {
	"transaction_id", "transaction_type", "lead_id", "lead_received_at", "partner_id", "phone"
};

static size_t
keep(struct match *m, const char *p, size_t n)
{
	return arena_keep(&m->text, p, n);
}

#define STR(m, off) ARENA_STR(&(m)->text, off)

/* "partner\037phone"; 0 when it cannot be one. */
static int
make_key(char key[40], struct field partner, struct field phone)
{
	if (partner.n == 0 || phone.n == 0 || partner.n + phone.n + 2 > 40)
		return 0;
	memcpy(key, partner.p, partner.n);
	key[partner.n] = '\037';
	memcpy(key + partner.n + 1, phone.p, phone.n);
	key[partner.n + 1 + phone.n] = '\0';
	return 1;
}

static void
read_transfer(void *ctx, struct rows *r, const struct row *row, const int *idx)
{
	struct match *m = ctx;
	struct rejects *rj = &m->rejects;
	struct transfer *t;
	int64_t received;
	char key[40];

	if (!field_eq(&row->f[idx[T_TYPE]], "purchase")) {
		m->refunds_skipped++;	/* a refund is not a transfer */
		return;
	}
	if (parse_utc(row->f[idx[T_RECEIVED]].p, row->f[idx[T_RECEIVED]].n, &received) < 0)
		REJECT("bad_datetime", "lead_received_at '%.*s'", (int)row->f[idx[T_RECEIVED]].n, row->f[idx[T_RECEIVED]].p);
	if (!make_key(key, row->f[idx[T_PARTNER]], row->f[idx[T_PHONE]]))
		REJECT("missing_value", "no partner_id or phone");
	if (m->ntransfers == m->transfers_cap) {
		m->transfers_cap = m->transfers_cap ? 2 * m->transfers_cap : 1024;
		m->transfers = xrealloc(m->transfers, m->transfers_cap * sizeof *m->transfers);
	}
	t = &m->transfers[m->ntransfers++];
	memcpy(t->key, key, sizeof key);
	t->received = received;
	t->tx = keep(m, row->f[idx[T_TX]].p, row->f[idx[T_TX]].n);
	t->lead = keep(m, row->f[idx[T_LEAD]].p, row->f[idx[T_LEAD]].n);
	t->sale = -1;
}

static void
read_sale(void *ctx, struct rows *r, const struct row *row, const int *idx)
{
	struct match *m = ctx;
	struct rejects *rj = &m->rejects;
	struct sale *s;
	struct field amount = row->f[idx[S_AMOUNT]];
	const char *raw;
	size_t raw_len;

	if (m->nsales == m->sales_cap) {
		m->sales_cap = m->sales_cap ? 2 * m->sales_cap : 1024;
		m->sales = xrealloc(m->sales, m->sales_cap * sizeof *m->sales);
	}
	s = &m->sales[m->nsales];
	memset(s, 0, sizeof *s);
	if (parse_utc(row->f[idx[S_SALE_AT]].p, row->f[idx[S_SALE_AT]].n, &s->at) < 0)
		REJECT("bad_datetime", "sale_at '%.*s'", (int)row->f[idx[S_SALE_AT]].n, row->f[idx[S_SALE_AT]].p);
	if (idx[S_DAYLIGHT] >= 0 && row->f[idx[S_DAYLIGHT]].n > 0) {
		if (parse_utc(row->f[idx[S_DAYLIGHT]].p, row->f[idx[S_DAYLIGHT]].n, &s->at_daylight) < 0)
			REJECT("bad_datetime", "sale_at_daylight '%.*s'", (int)row->f[idx[S_DAYLIGHT]].n,
			    row->f[idx[S_DAYLIGHT]].p);
		s->has_daylight = 1;
	}
	if (amount.n > 0 && money_parse(amount.p, amount.n, &s->amount) < 0)
		REJECT("bad_money", "amount '%.*s'", (int)amount.n, amount.p);
	s->has_amount = amount.n > 0;
	s->sold = field_eq(&row->f[idx[S_STATUS]], "sold");
	s->transfer = -1;
	if (!make_key(s->key, row->f[idx[S_PARTNER]], row->f[idx[S_PHONE]]))
		s->why = "no_phone";
	/* The sale's own lineage (the broker's file and line) when the stream carries it. */
	if (idx[S_FILE] >= 0 && idx[S_LINE] >= 0 && row->f[idx[S_FILE]].n > 0) {
		s->file = keep(m, row->f[idx[S_FILE]].p, row->f[idx[S_FILE]].n);
		if (field_long(row->f[idx[S_LINE]], &s->line) < 0)
			REJECT("bad_integer", "src_line '%.*s'", (int)row->f[idx[S_LINE]].n, row->f[idx[S_LINE]].p);
	} else {
		s->file = keep(m, rows_label(r), strlen(rows_label(r)));
		s->line = row->line;
	}
	raw = rows_raw(r, &raw_len);
	s->raw = keep(m, raw, raw_len);
	s->raw_len = raw_len;
	m->nsales++;
}

/* What the written rows add up to. */
struct written {
	long matched, sold;
	int64_t commission;
};

/* Every matched sale a row of wt_sales; a sale matched to no transfer, or that does not fit, a reject. */
static void
write_matches(struct match *m, struct writer *w, const int *col_of, struct tsvout *out, struct written *n)
{
	for (size_t i = 0; i < m->nsales; i++) {
		struct sale *s = &m->sales[i];
		struct transfer *t;
		const char *why, *col;

		if (s->transfer < 0) {
			reject(&m->rejects, STR(m, s->file), s->line, STR(m, s->raw), s->raw_len, s->why,
			    "no warm transfer of %s", strchr(s->key, '\037') ? strchr(s->key, '\037') + 1 : "(no phone)");
			continue;
		}
		t = &m->transfers[s->transfer];
		w_text(w, col_of[O_PARTNER], s->key, strchr(s->key, '\037') - s->key);
		w_str(w, col_of[O_TX], STR(m, t->tx));
		w_str(w, col_of[O_LEAD], STR(m, t->lead));
		w_time(w, col_of[O_SALE_AT], s->at);
		w_int(w, col_of[O_SOLD], s->sold);
		if (s->has_amount)
			w_cents(w, col_of[O_COMMISSION], s->amount);
		w_int(w, col_of[O_GAP], s->gap);
		w_str(w, col_of[O_FILE], STR(m, s->file));
		w_int(w, col_of[O_LINE], s->line);
		if ((why = writer_row(w, out, &col)) != NULL) {
			reject(&m->rejects, STR(m, s->file), s->line, STR(m, s->raw), s->raw_len, why,
			    "%s does not fit the column", col);
			continue;
		}
		n->matched++;
		if (s->sold) {
			n->sold++;
			n->commission += s->has_amount ? s->amount : 0;
		}
	}
}

/* The line on stderr and the --summary rows; 0, or -1 when the summary could not be written. */
static int
summarize(struct match *m, const struct written *n, const char *summary_path, int complete)
{
	struct summary sum = { .len = 0 };
	char cents[MONEY_BUFSZ];

	money_format(n->commission, cents);
	summary_add(&sum, "sales in %ld, matched %ld (%ld sold, commission %s); transfers in %ld (%ld refunds skipped)",
	    m->sales_in, n->matched, n->sold, cents, m->transfers_in, m->refunds_skipped);
	rejects_summarize(&m->rejects, &sum);
	summary_print(&sum);
	struct tally *tally = tally_open(summary_path);
	tally_add(tally, NULL, NULL, "rows_in", NULL, m->sales_in);
	tally_add(tally, NULL, "wt_sales", "rows_out", NULL, n->matched);
	tally_add(tally, NULL, NULL, "transfers_in", NULL, m->transfers_in);
	rejects_tally(&m->rejects, tally, NULL);
	return tally_close(tally, complete);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sales", required_argument, NULL, 's' },
		{ "transfers", required_argument, NULL, 't' },
		{ "window", required_argument, NULL, 'w' },
		{ "tz", required_argument, NULL, 'z' },
		CLI_REJECT_OPTIONS,
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	char **sales = xmalloc(argc * sizeof *sales), **transfers = xmalloc(argc * sizeof *transfers);
	long long number;
	const char *zone = NULL;
	struct reject_options ro = { .stdout_is_stream = 1 };
	int nsales = 0, ntransfers = 0, c, ok = 1;
	struct match m = { .window = 1800 };
	struct written n = { 0 };

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		switch (c) {
		case 's': sales[nsales++] = optarg; break;
		case 't': transfers[ntransfers++] = optarg; break;
		case 'w':
			if (number_parse(optarg, strlen(optarg), 0, INT64_MAX, &number) < 0)
				usage_error(usage, "--window takes seconds, not '%s'", optarg);
			m.window = number;
			break;
		case 'z': zone = optarg; break;
		default:
			if (!cli_common_option(c, optarg, help, &ro))
				usage_error(usage, "unknown option");
		}
	int col_of[O_N];
	struct writer *w = writer_bind("wt_sales", out_columns, O_N, col_of);
	cli_header(&ro, &w, 1, usage);
	m.tz = cli_boberdoo_zone(zone, usage);
	if (nsales == 0 || optind < argc)
		usage_error(usage, "give --sales (and --transfers), and no other arguments");
	cli_open_rejects(&m.rejects, &ro, usage);

	for (int i = 0; i < ntransfers && ok; i++)
		ok = read_records(transfers[i], ROWS_TSV, "transactions", transfer_names, NULL, T_N, &m.rejects, read_transfer, &m,
		    &m.transfers_in) == 0;
	for (int i = 0; i < nsales && ok; i++)
		ok = read_records(sales[i], ROWS_TSV, "broker_sales", sale_names, sale_required, S_N, &m.rejects, read_sale, &m,
		    &m.sales_in) == 0;
	if (ok)
		match_all(&m);

	struct tsvout *out = tsv_open_fd(STDOUT_FILENO, "stdout");
	writer_header(w, out);
	if (ok)
		write_matches(&m, w, col_of, out, &n);
	int status = rejects_status(&m.rejects, m.sales_in), complete = ok && status != EXIT_REJECTS;
	if (tsv_finish(out, complete) < 0)
		ok = complete = 0;
	if (summarize(&m, &n, ro.summary, complete) < 0 || rejects_finish(&m.rejects, complete) < 0)
		ok = 0;
	writer_free(w);
	tz_close(m.tz);
	free(m.sales);
	free(m.transfers);
	arena_free(&m.text);
	free(sales);
	free(transfers);
	return ok ? status : EXIT_DATA;
}
