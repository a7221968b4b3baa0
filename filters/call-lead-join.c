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

#include "lib/arena.h"
#include "lib/atomic.h"
#include "lib/civil.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/header.h"
#include "lib/input.h"
#include "lib/money.h"
#include "lib/phone.h"
#include "lib/radix.h"
#include "lib/records.h"
#include "lib/rejects.h"
#include "lib/rows.h"
#include "lib/strmap.h"
#include "lib/tsvout.h"
#include "lib/tz.h"

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
"  --tz ZONE           boberdoo's zone (America/New_York), for the repeated hour\n"
"  --rejects FILE      rejected rows as TSV; '-' is stdout\n"
"  --max-rejects N[%]  exit 3 when more rows than this are rejected\n"
"  --help, --version\n"
"\n"
"Corrections are applied first: an Invoca row naming corrects_transaction_id\n"
"replaces that row.  A transaction is tied to the call with the same caller\n"
"phone and campaign whose start is nearest before the lead's received time\n"
"and at most the window before it; of calls that started at the same second,\n"
"the smallest complete_call_id; a transaction whose lead_type is not Inbound\n"
"Call never takes a call.  A lead received in the hour that DST's end\n"
"repeats was read as standard time; when no call fits that reading, the\n"
"daylight-time one (an hour earlier) is tried.  Linked plus unmatched revenue\n"
"always equals the revenue read.\n";

static const char *const calls_columns[] = {
	"complete_call_id", "start_at", "phone", "campaign", "duration", "connect_duration",
	"result", "lead_count", "revenue", "src_file", "src_line", NULL
};
static const char *const links_columns[] = {
	"complete_call_id", "transaction_id", "lead_id", "transaction_type", "seconds_from_call_start",
	"amount", "src_file", "src_line", NULL
};
static const char *const unmatched_columns[] = {
	"transaction_id", "lead_id", "phone", "campaign", "lead_received_at", "amount", "reason",
	"src_file", "src_line", NULL
};

enum { INV_TX, INV_CALL, INV_TYPE, INV_CORRECTS, INV_UTC, INV_LOCAL, INV_PHONE, INV_DURATION,
	INV_CONNECT, INV_CAMPAIGN, INV_RESULT, INV_N };
static const char *const invoca_names[INV_N] = {
	"transaction_id", "complete_call_id", "transaction_type", "corrects_transaction_id",
	"start_time_utc", "start_time_local", "calling_phone_number", "duration",
	"connect_duration", "advertiser_campaign_id_from_network", "call_result_description_detail"
};

enum { LC_TX, LC_TYPE, LC_LEAD, LC_RECEIVED, LC_PHONE, LC_CAMPAIGN, LC_AMOUNT, LC_FILE, LC_LINE,
	LC_LEAD_TYPE, LC_N };
static const char *const lead_names[LC_N] = {
	"transaction_id", "transaction_type", "lead_id", "lead_received_at", "phone", "campaign",
	"amount", "src_file", "src_line", "lead_type"
};
static const unsigned char lead_required[LC_N] = { 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 };

/* One Invoca row; strings live in the arena, by offset. */
struct invoca_row {
	size_t tx, call, corrects, campaign, result, label;
	int64_t start;
	int32_t duration, connect;	/* -1: none */
	char phone[PHONE_BUFSZ];
	unsigned is_call : 1, replaced : 1;
	long line;
};

struct call {
	int64_t start;		/* copied from its row: the sorts compare integers */
	uint32_t group;		/* dense number of its phone and campaign */
	int row;
	int leads;
	int64_t revenue;
};

struct join {
	struct rejects rejects;
	struct arena text;
	size_t label;		/* the current input member's name, kept */
	struct invoca_row *rows;
	size_t nrows, rows_cap;
	struct call *calls;
	size_t ncalls;
	int *group_end;		/* per sorted call: end of its phone+campaign group */
	struct strmap by_key;	/* "phone\037campaign" -> first call of the group */
	int64_t window;
	struct tz *tz;
	long second_reading;
	struct tsvout *links, *unmatched;
	long invoca_in, other_rows, corrections, corrections_orphan, duplicate_calls;
	long leads_in, linked, not_linked;
	int64_t revenue_in, revenue_linked, revenue_unmatched;
};

static size_t
keep(struct join *j, const char *p, size_t n)
{
	return arena_keep(&j->text, p, n);
}

/* The member's name, kept once per member rather than once per row. */
static size_t
label_of(struct join *j, struct rows *r)
{
	const char *name = rows_label(r);

	if (j->text.len == 0 || strcmp(ARENA_STR(&j->text, j->label), name) != 0)
		j->label = keep(j, name, strlen(name));
	return j->label;
}

#define STR(j, off) ARENA_STR(&(j)->text, off)

static int
small_int(struct field f, int32_t *v)
{
	*v = -1;
	if (f.n == 0)
		return 0;
	if (f.n > 9)
		return -1;
	*v = 0;
	for (size_t i = 0; i < f.n; i++) {
		if (f.p[i] < '0' || f.p[i] > '9')
			return -1;
		*v = *v * 10 + (f.p[i] - '0');
	}
	return 0;
}

#define REJECT(why, ...) do { reject_row(&j->rejects, r, row, why, __VA_ARGS__); return; } while (0)

static void
read_invoca(void *ctx, struct rows *r, const struct row *row, const int *idx)
{
	struct join *j = ctx;
	size_t label = label_of(j, r);
	struct invoca_row *ir;
	struct field f;
	struct civil c;
	int64_t start;
	char phone[PHONE_BUFSZ];
	int32_t duration, connect;

	struct field tx = field_trim(row->f[idx[INV_TX]]), call = field_trim(row->f[idx[INV_CALL]]);
	if (tx.n == 0 || call.n == 0)
		REJECT("missing_value", "no %s", tx.n == 0 ? "transaction_id" : "complete_call_id");
	/* The epoch milliseconds are the truth; the local time with its offset stands in when they are missing. */
	f = field_trim(row->f[idx[INV_UTC]]);
	if (f.n > 0) {
		if (parse_epoch_ms(f.p, f.n, &start) < 0)
			REJECT("bad_datetime", "start_time_utc '%.*s'", (int)f.n, f.p);
	} else if (idx[INV_LOCAL] < 0 || (f = field_trim(row->f[idx[INV_LOCAL]])).n == 0 ||
	    civil_parse("%Y-%m-%d %H:%M:%S %z", f.p, f.n, &c) < 0)
		REJECT("bad_datetime", "start time '%.*s'", (int)f.n, f.p);
	else
		start = civil_seconds(&c) - c.offset;
	f = field_trim(row->f[idx[INV_PHONE]]);
	if (phone_e164(f.p, f.n, phone) < 0)
		REJECT("bad_phone", "calling_phone_number '%.*s'", (int)f.n, f.p);
	if (small_int(field_trim(row->f[idx[INV_DURATION]]), &duration) < 0 ||
	    small_int(field_trim(row->f[idx[INV_CONNECT]]), &connect) < 0)
		REJECT("bad_integer", "duration '%.*s', connect_duration '%.*s'",
		    (int)row->f[idx[INV_DURATION]].n, row->f[idx[INV_DURATION]].p,
		    (int)row->f[idx[INV_CONNECT]].n, row->f[idx[INV_CONNECT]].p);

	if (j->nrows == j->rows_cap) {
		j->rows_cap = j->rows_cap ? 2 * j->rows_cap : 4096;
		j->rows = xrealloc(j->rows, j->rows_cap * sizeof *j->rows);
	}
	ir = &j->rows[j->nrows++];
	memset(ir, 0, sizeof *ir);
	ir->tx = keep(j, tx.p, tx.n);
	ir->call = keep(j, call.p, call.n);
	f = field_trim(row->f[idx[INV_CORRECTS]]);
	ir->corrects = f.n ? keep(j, f.p, f.n) : (size_t)-1;
	f = field_trim(row->f[idx[INV_CAMPAIGN]]);
	ir->campaign = keep(j, f.p, f.n);
	f = field_trim(row->f[idx[INV_RESULT]]);
	ir->result = keep(j, f.p, f.n);
	ir->label = label;
	ir->start = start;
	ir->duration = duration;
	ir->connect = connect;
	memcpy(ir->phone, phone, sizeof phone);
	ir->is_call = field_eq(&row->f[idx[INV_TYPE]], "Call");
	ir->line = row->line;
}

/*
 * Corrections first: a row that names corrects_transaction_id replaces that
 * row.  Corrections are few: only the ids they name are hashed, and every
 * row is looked up among them once.
 */
static void
apply_corrections(struct join *j)
{
	struct strmap named;
	long found = 0;

	strmap_init(&named);
	for (size_t i = 0; i < j->nrows; i++)
		if (j->rows[i].corrects != (size_t)-1) {
			const char *target = STR(j, j->rows[i].corrects);

			strmap_put(&named, target, strlen(target), (int)i);
			j->corrections++;
		}
	for (size_t i = 0; named.n > 0 && i < j->nrows; i++) {
		const char *tx = STR(j, j->rows[i].tx);
		int by = strmap_get(&named, tx, strlen(tx));

		if (by >= 0 && (size_t)by != i) {
			j->rows[i].replaced = 1;
			found++;
		}
	}
	/* A correction whose row is in a file not given stands alone. */
	j->corrections_orphan = j->corrections - found;
	strmap_free(&named);
}

static const struct join *sorting;

/* Calls of one start second are ordered by complete_call_id: ties break the same way every run. */
static int
same_second(const struct call *a, const struct call *b)
{
	return strcmp(STR(sorting, sorting->rows[a->row].call), STR(sorting, sorting->rows[b->row].call));
}

static int
by_group_start(const void *a, const void *b)
{
	const struct call *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return same_second(x, y);
}

#define KEY_MAX 512

/* "phone\037campaign", the key of a call group; 0 when too long to be one. */
static size_t
group_key(const char *phone, size_t phone_len, const char *campaign, size_t campaign_len, char *key)
{
	if (phone_len + campaign_len + 1 > KEY_MAX)
		return 0;
	memcpy(key, phone, phone_len);
	key[phone_len] = '\037';
	memcpy(key + phone_len + 1, campaign, campaign_len);
	return phone_len + 1 + campaign_len;
}

static int
by_start(const void *a, const void *b)
{
	const struct call *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return same_second(x, y);
}

/*
 * Sort the calls by their group and start (by_group), or by start alone; of
 * calls that started the same second, the smaller complete_call_id first.
 * A radix sort on one 64-bit key: the group above 32 bits of seconds from
 * the earliest start (qsort when the starts span more than 136 years).
 */
static void
sort_calls(struct join *j, int by_group)
{
	size_t n = j->ncalls;
	int64_t lo = INT64_MAX, hi = INT64_MIN;

	sorting = j;
	for (size_t i = 0; i < n; i++) {
		lo = j->calls[i].start < lo ? j->calls[i].start : lo;
		hi = j->calls[i].start > hi ? j->calls[i].start : hi;
	}
	if (n < 2 || hi - lo > (int64_t)UINT32_MAX) {
		qsort(j->calls, n, sizeof *j->calls, by_group ? by_group_start : by_start);
		return;
	}
	struct keyed *k = xmalloc(n * sizeof *k);
	for (size_t i = 0; i < n; i++) {
		k[i].key = (by_group ? (uint64_t)j->calls[i].group << 32 : 0) | (uint64_t)(j->calls[i].start - lo);
		k[i].index = (uint32_t)i;
	}
	radix_sort(k, n);
	struct call *sorted = xmalloc((n + 1) * sizeof *sorted);
	for (size_t i = 0; i < n; i++)
		sorted[i] = j->calls[k[i].index];
	/* Runs of one key (the same second of the same group) are tiny: insertion sort by id. */
	for (size_t i = 1; i < n; i++) {
		if (k[i].key != k[i - 1].key)
			continue;
		struct call c = sorted[i];
		size_t p = i;

		while (p > 0 && k[p - 1].key == k[i].key && same_second(&sorted[p - 1], &c) > 0) {
			sorted[p] = sorted[p - 1];
			p--;
		}
		sorted[p] = c;
	}
	free(k);
	free(j->calls);
	j->calls = sorted;
}


/* One call per complete_call_id (its newest effective Call row), grouped by caller and campaign. */
static void
build_calls(struct join *j)
{
	struct strmap by_call;
	char key[KEY_MAX];
	uint32_t groups = 0;

	strmap_init(&by_call);
	strmap_init(&j->by_key);
	j->calls = xmalloc((j->nrows + 1) * sizeof *j->calls);
	for (size_t i = 0; i < j->nrows; i++) {
		struct invoca_row *ir = &j->rows[i];

		if (!ir->is_call) {
			if (!ir->replaced)
				j->other_rows++;
			continue;
		}
		if (ir->replaced)
			continue;
		int c = strmap_get(&by_call, STR(j, ir->call), strlen(STR(j, ir->call)));
		if (c >= 0)
			j->duplicate_calls++;	/* the later row of the call stands */
		else {
			c = (int)j->ncalls++;
			strmap_put(&by_call, STR(j, ir->call), strlen(STR(j, ir->call)), c);
		}
		/* The group number for now; the map will hold each group's first sorted call. */
		const char *campaign = STR(j, ir->campaign);
		size_t n = group_key(ir->phone, strlen(ir->phone), campaign, strlen(campaign), key);
		int g = n ? strmap_get(&j->by_key, key, n) : -1;
		if (g < 0 && n) {
			g = (int)groups++;
			strmap_put(&j->by_key, key, n, g);
		}
		j->calls[c] = (struct call){ .start = ir->start, .group = g < 0 ? UINT32_MAX : (uint32_t)g,
		    .row = (int)i };
	}
	strmap_free(&by_call);
	sort_calls(j, 1);
	/* Each group's first call and end, in sorted order. */
	int *first_of = xmalloc((groups + 1) * sizeof *first_of);
	j->group_end = xmalloc((j->ncalls + 1) * sizeof *j->group_end);
	for (size_t a = 0, b; a < j->ncalls; a = b) {
		for (b = a + 1; b < j->ncalls && j->calls[b].group == j->calls[a].group; b++)
			;
		if (j->calls[a].group != UINT32_MAX)
			first_of[j->calls[a].group] = (int)a;
		j->group_end[a] = (int)b;
	}
	for (size_t i = 0; i < j->by_key.cap; i++)
		if (j->by_key.slots[i].value >= 0)
			j->by_key.slots[i].value = first_of[j->by_key.slots[i].value];
	free(first_of);
}

/*
 * Of the calls of a group, the one that started nearest before at, no more
 * than the window before; of calls that started the same second, the first
 * (the smallest complete_call_id).  -1 when none.
 */
static int
nearest_call(const struct join *j, int first, int64_t at)
{
	int lo = first, hi = j->group_end[first], best;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (j->rows[j->calls[mid].row].start <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	best = lo - 1;
	if (best < first || at - j->rows[j->calls[best].row].start > j->window)
		return -1;
	while (best > first && j->rows[j->calls[best - 1].row].start == j->rows[j->calls[best].row].start)
		best--;
	return best;
}

static void
write_unmatched(struct join *j, const struct row *row, const int *idx, const char *why, int64_t amount,
    const char *file, size_t file_len, long line)
{
	struct tsvout *w = j->unmatched;

	tsv_field(w, row->f[idx[LC_TX]].p, row->f[idx[LC_TX]].n);
	tsv_field(w, row->f[idx[LC_LEAD]].p, row->f[idx[LC_LEAD]].n);
	tsv_field(w, row->f[idx[LC_PHONE]].p, row->f[idx[LC_PHONE]].n);
	tsv_field(w, row->f[idx[LC_CAMPAIGN]].p, row->f[idx[LC_CAMPAIGN]].n);
	tsv_field(w, row->f[idx[LC_RECEIVED]].p, row->f[idx[LC_RECEIVED]].n);
	tsv_cents(w, amount);
	tsv_str(w, why);
	tsv_field(w, file, file_len);
	tsv_int(w, line);
	tsv_end_row(w);
	j->not_linked++;
	j->revenue_unmatched += amount;
}

/* Stream one inbound-call transaction past the calls. */
static void
join_row(void *ctx, struct rows *r, const struct row *row, const int *idx)
{
	struct join *j = ctx;
	size_t label = label_of(j, r);
	struct field received = row->f[idx[LC_RECEIVED]], amount = row->f[idx[LC_AMOUNT]];
	struct field phone = row->f[idx[LC_PHONE]], campaign = row->f[idx[LC_CAMPAIGN]];
	struct civil c;
	int64_t cents, at;
	char key[KEY_MAX];
	const char *file = STR(j, label);
	size_t file_len = strlen(file);
	long line = row->line;

	if (row->f[idx[LC_TX]].n == 0 || row->f[idx[LC_LEAD]].n == 0)
		REJECT("missing_value", "no transaction_id or lead_id");
	if (money_parse(amount.p, amount.n, &cents) < 0)
		REJECT("bad_money", "amount '%.*s'", (int)amount.n, amount.p);
	if (civil_parse("%Y-%m-%d %H:%M:%S", received.p, received.n, &c) < 0)
		REJECT("bad_datetime", "lead_received_at '%.*s'", (int)received.n, received.p);
	at = civil_seconds(&c);
	/* The transaction's own lineage, when the stream carries it: the boberdoo file and line. */
	if (idx[LC_FILE] >= 0 && idx[LC_LINE] >= 0 && row->f[idx[LC_FILE]].n > 0) {
		file = row->f[idx[LC_FILE]].p;
		file_len = row->f[idx[LC_FILE]].n;
		line = strtol(row->f[idx[LC_LINE]].p, NULL, 10);
	}
	j->leads_in++;
	j->revenue_in += cents;
	/* A web lead of the caller never takes a call's revenue. */
	if (idx[LC_LEAD_TYPE] >= 0 && !field_eq(&row->f[idx[LC_LEAD_TYPE]], "Inbound Call")) {
		write_unmatched(j, row, idx, "not_inbound_call", cents, file, file_len, line);
		return;
	}
	if (campaign.n == 0) {
		write_unmatched(j, row, idx, "no_campaign", cents, file, file_len, line);
		return;
	}
	size_t n = group_key(phone.p, phone.n, campaign.p, campaign.n, key);
	int first = n > 0 ? strmap_get(&j->by_key, key, n) : -1;
	if (first < 0) {
		write_unmatched(j, row, idx, "no_call", cents, file, file_len, line);
		return;
	}
	int64_t other;
	int best = nearest_call(j, first, at);
	if (best < 0 && tz_other_reading(j->tz, at, &other) && (best = nearest_call(j, first, other)) >= 0) {
		at = other;
		j->second_reading++;
	}
	if (best < 0) {
		write_unmatched(j, row, idx, "no_call_in_window", cents, file, file_len, line);
		return;
	}
	struct call *call = &j->calls[best];
	struct invoca_row *ir = &j->rows[call->row];
	tsv_str(j->links, STR(j, ir->call));
	tsv_field(j->links, row->f[idx[LC_TX]].p, row->f[idx[LC_TX]].n);
	tsv_field(j->links, row->f[idx[LC_LEAD]].p, row->f[idx[LC_LEAD]].n);
	tsv_field(j->links, row->f[idx[LC_TYPE]].p, row->f[idx[LC_TYPE]].n);
	tsv_int(j->links, at - ir->start);
	tsv_cents(j->links, cents);
	tsv_field(j->links, file, file_len);
	tsv_int(j->links, line);
	tsv_end_row(j->links);
	call->leads += field_eq(&row->f[idx[LC_TYPE]], "purchase");
	call->revenue += cents;
	j->linked++;
	j->revenue_linked += cents;
}

/* The calls stream, by start; and the counts of the summary. */
static void
write_calls(struct join *j, struct tsvout *w, long *by_leads, int64_t *revenue_multi)
{
	char when[UTC_BUFSZ];

	sort_calls(j, 0);
	for (size_t i = 0; i < j->ncalls; i++) {
		const struct call *c = &j->calls[i];
		const struct invoca_row *ir = &j->rows[c->row];

		tsv_str(w, STR(j, ir->call));
		format_utc(ir->start, when);
		tsv_str(w, when);
		tsv_str(w, ir->phone);
		tsv_str(w, STR(j, ir->campaign));
		if (ir->duration >= 0)
			tsv_int(w, ir->duration);
		else
			tsv_null(w);
		if (ir->connect >= 0)
			tsv_int(w, ir->connect);
		else
			tsv_null(w);
		tsv_str(w, STR(j, ir->result));
		tsv_int(w, c->leads);
		tsv_cents(w, c->revenue);
		tsv_str(w, STR(j, ir->label));
		tsv_int(w, ir->line);
		tsv_end_row(w);
		by_leads[c->leads >= 2 ? 2 : c->leads]++;
		if (c->leads >= 2)
			*revenue_multi += c->revenue;
	}
}

static struct tsvout *
open_output(struct atomic_file *af, const char *dir, const char *name, const char *const *columns)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fd = atomic_open(af, path)) < 0)
		exit(EXIT_DATA);
	struct tsvout *w = tsv_open_fd(fd, path);
	tsv_header(w, columns);
	return w;
}

static void
summarize(const struct join *j, const long *by_leads, int64_t revenue_multi)
{
	struct summary s = { .len = 0 };
	char a[MONEY_BUFSZ], b[MONEY_BUFSZ], c[MONEY_BUFSZ], d[MONEY_BUFSZ];

	money_format(j->revenue_in, a);
	money_format(j->revenue_linked, b);
	money_format(j->revenue_unmatched, c);
	money_format(revenue_multi, d);
	summary_add(&s, "invoca rows in %ld, calls %zu (0 leads %ld, 1 lead %ld, 2+ leads %ld carrying %s)",
	    j->invoca_in, j->ncalls, by_leads[0], by_leads[1], by_leads[2], d);
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

int
main(int argc, char **argv)
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
	char **calls = xmalloc(argc * sizeof *calls), **leads = xmalloc(argc * sizeof *leads), *end;
	int ncalls = 0, nleads = 0, c, ok = 1;
	const char *dir = NULL, *zone = "America/New_York";
	struct reject_options ro = { 0 };
	struct join j = { .window = 600 };
	struct atomic_file files[3];
	struct tsvout *calls_out;
	long by_leads[3] = { 0 }, ignored = 0;
	int64_t revenue_multi = 0;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1)
		switch (c) {
		case 'c': calls[ncalls++] = optarg; break;
		case 'l': leads[nleads++] = optarg; break;
		case 'o': dir = optarg; break;
		case 'w':
			j.window = strtol(optarg, &end, 10);
			if (*end || end == optarg || j.window < 0)
				usage_error(usage, "--window takes seconds, not '%s'", optarg);
			break;
		case 'z': zone = optarg; break;
		default:
			if (!cli_common_option(c, optarg, help, &ro))
				usage_error(usage, "unknown option");
		}
	if ((j.tz = tz_open(zone)) == NULL)
		usage_error(usage, "unknown time zone '%s'", zone);
	if (ncalls == 0 || nleads == 0 || dir == NULL || optind < argc)
		usage_error(usage, "give --calls, --leads and -o DIR (and no other arguments)");
	cli_open_rejects(&j.rejects, &ro, usage);
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		fatal(EXIT_DATA, "%s: %s", dir, strerror(errno));

	/* The build side: every call, corrections applied. */
	for (int i = 0; i < ncalls && ok; i++)
		ok = read_records(calls[i], ROWS_CSV, invoca_names,
		    (const unsigned char[INV_N]){ 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1 }, INV_N, &j.rejects,
		    read_invoca, &j, &j.invoca_in) == 0;
	apply_corrections(&j);
	build_calls(&j);

	/* The stream side: every inbound-call transaction, tied or written unmatched. */
	calls_out = open_output(&files[0], dir, "calls.tsv", calls_columns);
	j.links = open_output(&files[1], dir, "call_lead_links.tsv", links_columns);
	j.unmatched = open_output(&files[2], dir, "call_lead_unmatched.tsv", unmatched_columns);
	for (int i = 0; i < nleads && ok; i++)
		ok = read_records(leads[i], ROWS_TSV, lead_names, lead_required, LC_N, &j.rejects,
		    join_row, &j, &ignored) == 0;
	write_calls(&j, calls_out, by_leads, &revenue_multi);

	if (tsv_close(calls_out) < 0)
		ok = 0;
	if (tsv_close(j.links) < 0)
		ok = 0;
	if (tsv_close(j.unmatched) < 0)
		ok = 0;
	for (int i = 0; i < 3; i++)
		if (!ok)
			atomic_abort(&files[i]);
		else if (atomic_commit(&files[i]) < 0)
			ok = 0;
	summarize(&j, by_leads, revenue_multi);
	int status = rejects_close(&j.rejects, j.invoca_in + ignored);
	strmap_free(&j.by_key);
	tz_close(j.tz);
	free(j.group_end);
	free(j.calls);
	free(j.rows);
	arena_free(&j.text);
	free(calls);
	free(leads);
	return ok ? status : EXIT_DATA;
}
