/*
 * call-lead-join: Invoca calls <-> boberdoo inbound-call transactions.
 * Every transaction is tied to the call of its caller and campaign that
 * started nearest before the lead was received, within a window; a call
 * keeps every lead it carries, and a transaction no call takes is written
 * out with its revenue.  Revenue is never lost.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/arena.h"
#include "lib/atomic.h"
#include "lib/civil.h"
#include "lib/chan.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/hash.h"
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
"daylight-time one (an hour earlier) is tried.  A call with two Call rows is\n"
"its later one; calls are written in the order read.  Linked plus unmatched\n"
"revenue always equals the revenue read.\n";

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

/* An Invoca row's strings, one after another in the arena, each NUL-terminated. */
enum { TEXT_TX, TEXT_CALL, TEXT_CAMPAIGN, TEXT_RESULT, TEXT_CORRECTS, TEXT_N };

struct invoca_row {
	size_t text;		/* arena offset of its first string */
	uint32_t len[TEXT_N];
	uint32_t label;		/* index into the join's labels */
	uint64_t group;		/* the hash of its caller and campaign */
	int64_t start;
	int64_t revenue;	/* of the transactions it carries */
	int32_t leads;
	int32_t duration, connect;	/* -1: none */
	char phone[PHONE_BUFSZ];
	unsigned is_call : 1, replaced : 1, superseded : 1;
	long line;
};

struct call {
	int64_t start;		/* copied from its row: the sorts and searches read no row */
	uint32_t row;
};

/*
 * The calls of one caller and campaign are a run of the sorted calls.  The
 * index finds a run by the hash of its caller and campaign; a slot's place
 * is the hash's high bits, so slots filled in hash order are filled in
 * memory order.  end == 0 marks an empty slot.
 */
struct group_slot {
	uint64_t hash;
	uint32_t first, end;
};

struct join {
	struct rejects rejects;
	struct arena text;
	struct field *labels;	/* input member names, kept once each */
	size_t nlabels;
	struct invoca_row *rows;
	size_t nrows, rows_cap;
	struct call *calls;
	size_t ncalls;
	struct group_slot *index;
	size_t index_mask;
	int index_shift;
	int64_t window;
	struct tz *tz;
	long second_reading;
	struct tsvout *links, *unmatched;
	struct batch *batch;	/* being read */
	struct chan resolved, free_batches;
	long invoca_in, other_rows, corrections, corrections_orphan, duplicate_calls;
	long leads_in, linked, not_linked;
	int64_t revenue_in, revenue_linked, revenue_unmatched;
};

/* The member's name, kept once per member rather than once per row. */
static uint32_t
label_of(struct join *j, struct rows *r)
{
	const char *name = rows_label(r);
	size_t n = strlen(name);

	if (j->nlabels == 0 || j->labels[j->nlabels - 1].n != n ||
	    memcmp(j->labels[j->nlabels - 1].p, name, n) != 0) {
		j->labels = xrealloc(j->labels, (j->nlabels + 1) * sizeof *j->labels);
		j->labels[j->nlabels++] = (struct field){ xstrdup(name), n };
	}
	return (uint32_t)(j->nlabels - 1);
}

/* One of a row's strings. */
static struct field
row_text(const struct join *j, const struct invoca_row *ir, int which)
{
	size_t off = ir->text;

	for (int i = 0; i < which; i++)
		off += ir->len[i] + 1;
	return (struct field){ ARENA_STR(&j->text, off), ir->len[which] };
}

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

/*
 * The bits of a hash that are used: the high 32.  The radix sorts skip the
 * zero low bits (three passes, not six), and the few keys that share 32
 * bits are told apart by comparing them, as every match is.  The tests keep
 * fewer (CALL_LEAD_JOIN_HASH_BITS) so that keys collide all the time, and
 * expect the same output: a collision costs time, never a wrong match.
 */
static uint64_t hash_kept = ~(uint64_t)0 << 32;

static uint64_t
group_hash(const char *phone, size_t phone_len, const char *campaign, size_t campaign_len)
{
	return hash_bytes(campaign, campaign_len, hash_bytes(phone, phone_len, 0)) & hash_kept;
}

#define REJECT(why, ...) do { reject_row(&j->rejects, r, row, why, __VA_ARGS__); return; } while (0)

static void
read_invoca(void *ctx, struct rows *r, const struct row *row, const int *idx)
{
	struct join *j = ctx;
	uint32_t label = label_of(j, r);
	struct invoca_row *ir;
	struct field f, text[TEXT_N];
	struct civil c;
	int64_t start;
	char phone[PHONE_BUFSZ];
	int32_t duration, connect;

	text[TEXT_TX] = field_trim(row->f[idx[INV_TX]]);
	text[TEXT_CALL] = field_trim(row->f[idx[INV_CALL]]);
	if (text[TEXT_TX].n == 0 || text[TEXT_CALL].n == 0)
		REJECT("missing_value", "no %s", text[TEXT_TX].n == 0 ? "transaction_id" : "complete_call_id");
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
	text[TEXT_CAMPAIGN] = field_trim(row->f[idx[INV_CAMPAIGN]]);
	text[TEXT_RESULT] = field_trim(row->f[idx[INV_RESULT]]);
	text[TEXT_CORRECTS] = field_trim(row->f[idx[INV_CORRECTS]]);
	for (int i = 0; i < TEXT_N; i++)
		if (text[i].n > UINT32_MAX)
			REJECT("too_long", "a field of %zu bytes", text[i].n);

	if (j->nrows == j->rows_cap) {
		j->rows_cap = j->rows_cap ? 2 * j->rows_cap : 4096;
		j->rows = xrealloc(j->rows, j->rows_cap * sizeof *j->rows);
	}
	ir = &j->rows[j->nrows++];
	memset(ir, 0, sizeof *ir);
	for (int i = 0; i < TEXT_N; i++) {
		size_t off = arena_keep(&j->text, text[i].p, text[i].n);

		if (i == 0)
			ir->text = off;
		ir->len[i] = (uint32_t)text[i].n;
	}
	ir->label = label;
	ir->group = group_hash(phone, strlen(phone), text[TEXT_CAMPAIGN].p, text[TEXT_CAMPAIGN].n);
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
		if (j->rows[i].len[TEXT_CORRECTS] > 0) {
			struct field target = row_text(j, &j->rows[i], TEXT_CORRECTS);

			strmap_put(&named, target.p, target.n, (int)i);
			j->corrections++;
		}
	for (size_t i = 0; named.n > 0 && i < j->nrows; i++) {
		struct field tx = row_text(j, &j->rows[i], TEXT_TX);
		int by = strmap_get(&named, tx.p, tx.n);

		if (by >= 0 && (size_t)by != i) {
			j->rows[i].replaced = 1;
			found++;
		}
	}
	/* A correction whose row is in a file not given stands alone. */
	j->corrections_orphan = j->corrections - found;
	strmap_free(&named);
}

static int
field_cmp(struct field a, struct field b)
{
	int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);

	return c ? c : (a.n > b.n) - (a.n < b.n);
}

static const struct join *sorting;

/* Rows by complete_call_id, then by their order in the input. */
static int
by_call_id_then_row(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = field_cmp(row_text(sorting, &sorting->rows[x->index], TEXT_CALL),
	    row_text(sorting, &sorting->rows[y->index], TEXT_CALL));

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Calls of one start second are ordered by complete_call_id: ties break the same way every run. */
static int
by_start_then_id(const void *a, const void *b)
{
	const struct call *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return field_cmp(row_text(sorting, &sorting->rows[x->row], TEXT_CALL),
	    row_text(sorting, &sorting->rows[y->row], TEXT_CALL));
}

/* The caller and campaign of a call's row, as bytes to compare. */
static int
same_group(const struct join *j, const struct call *a, const struct call *b)
{
	const struct invoca_row *x = &j->rows[a->row], *y = &j->rows[b->row];

	return strcmp(x->phone, y->phone) == 0 &&
	    field_cmp(row_text(j, x, TEXT_CAMPAIGN), row_text(j, y, TEXT_CAMPAIGN)) == 0;
}

static int
by_group_start_id(const void *a, const void *b)
{
	const struct call *x = a, *y = b;
	const struct invoca_row *rx = &sorting->rows[x->row], *ry = &sorting->rows[y->row];
	int c = strcmp(rx->phone, ry->phone);

	if (c == 0)
		c = field_cmp(row_text(sorting, rx, TEXT_CAMPAIGN), row_text(sorting, ry, TEXT_CAMPAIGN));
	return c ? c : by_start_then_id(a, b);
}

/*
 * A call for each complete_call_id: of the rows of one id that are in
 * effect (not replaced by a correction), the last one read.  Rows meet by
 * the hash of their id, sorted; a run of one hash is sorted by id to tell
 * ids that share a hash apart.  The calls are then taken in input order.
 */
static void
pick_calls(struct join *j)
{
	struct keyed *k = xmalloc((j->nrows + 1) * sizeof *k);
	size_t n = 0;

	for (size_t i = 0; i < j->nrows; i++) {
		const struct invoca_row *ir = &j->rows[i];

		if (ir->is_call && !ir->replaced) {
			struct field id = row_text(j, ir, TEXT_CALL);

			k[n++] = (struct keyed){ .key = hash_bytes(id.p, id.n, 0) & hash_kept, .index = (uint32_t)i };
		}
	}
	radix_sort(k, n);
	sorting = j;
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && k[b].key == k[a].key; b++)
			;
		if (b - a == 1)
			continue;
		qsort(k + a, b - a, sizeof *k, by_call_id_then_row);
		for (size_t i = a; i + 1 < b; i++)
			if (field_cmp(row_text(j, &j->rows[k[i].index], TEXT_CALL),
			    row_text(j, &j->rows[k[i + 1].index], TEXT_CALL)) == 0) {
				j->rows[k[i].index].superseded = 1;	/* the later row of the call stands */
				j->duplicate_calls++;
			}
	}
	free(k);
	j->calls = xmalloc((n + 1) * sizeof *j->calls);
	for (size_t i = 0; i < j->nrows; i++) {
		const struct invoca_row *ir = &j->rows[i];

		if (!ir->is_call)
			j->other_rows += !ir->replaced;
		else if (!ir->replaced && !ir->superseded)
			j->calls[j->ncalls++] = (struct call){ .start = ir->start, .row = (uint32_t)i };
	}
}

/*
 * Sort the calls by start, then stably by group (when group_of is given):
 * two linear-time radix passes.  The keys are left in k, in sorted order.
 */
static struct keyed *
radix_calls(struct join *j, const uint64_t *group_of)
{
	size_t n = j->ncalls;
	struct keyed *k = xmalloc((n + 1) * sizeof *k);
	int64_t lo = INT64_MAX;

	for (size_t i = 0; i < n; i++)
		lo = j->calls[i].start < lo ? j->calls[i].start : lo;
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){ .key = (uint64_t)j->calls[i].start - (uint64_t)lo, .index = (uint32_t)i };
	radix_sort(k, n);
	if (group_of) {
		for (size_t i = 0; i < n; i++)
			k[i].key = group_of[k[i].index];
		radix_sort(k, n);
	}
	struct call *sorted = xmalloc((n + 1) * sizeof *sorted);
	for (size_t i = 0; i < n; i++)
		sorted[i] = j->calls[k[i].index];
	free(j->calls);
	j->calls = sorted;
	return k;
}

/* Of calls [a, b), those that started the same second, by complete_call_id: runs are tiny. */
static void
ties_by_id(struct join *j, size_t a, size_t b)
{
	for (size_t i = a + 1; i < b; i++) {
		if (j->calls[i].start != j->calls[i - 1].start)
			continue;
		struct call c = j->calls[i];
		size_t p = i;

		while (p > a && j->calls[p - 1].start == c.start && by_start_then_id(&j->calls[p - 1], &c) > 0) {
			j->calls[p] = j->calls[p - 1];
			p--;
		}
		j->calls[p] = c;
	}
}

static void
index_group(struct join *j, uint64_t hash, size_t first, size_t end)
{
	size_t i = hash >> j->index_shift;

	while (j->index[i].end != 0)
		i = (i + 1) & j->index_mask;
	j->index[i] = (struct group_slot){ .hash = hash, .first = (uint32_t)first, .end = (uint32_t)end };
}

/*
 * The calls sorted by caller and campaign, then start, then id; each run of
 * one caller and campaign indexed by the hash of the two.  A run of one
 * hash holding two groups (a collision) is sorted by the strings instead.
 */
static void
build_groups(struct join *j)
{
	size_t n = j->ncalls, groups = 0, cap = 2;
	uint64_t *group_of = xmalloc((n + 1) * sizeof *group_of);

	sorting = j;
	for (size_t i = 0; i < n; i++)
		group_of[i] = j->rows[j->calls[i].row].group;
	struct keyed *k = radix_calls(j, group_of);
	free(group_of);
	/* Each run of one hash in order; k[i].index now says whether call i starts a group. */
	for (size_t a = 0, b; a < n; a = b) {
		int mixed = 0;

		for (b = a + 1; b < n && k[b].key == k[a].key; b++)
			mixed |= !same_group(j, &j->calls[a], &j->calls[b]);
		if (mixed)
			qsort(j->calls + a, b - a, sizeof *j->calls, by_group_start_id);
		else
			ties_by_id(j, a, b);
		for (size_t i = a; i < b; i++) {
			k[i].index = i == a || (mixed && !same_group(j, &j->calls[i - 1], &j->calls[i]));
			groups += k[i].index;
		}
	}
	while (cap < 2 * groups)
		cap *= 2;
	j->index = xmalloc(cap * sizeof *j->index);
	memset(j->index, 0, cap * sizeof *j->index);
	j->index_mask = cap - 1;
	j->index_shift = 64 - __builtin_ctzll(cap);
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && !k[b].index; b++)
			;
		index_group(j, k[a].key, a, b);
	}
	free(k);
}

/* The run of calls of this caller and campaign, or NULL. */
static const struct group_slot *
find_group(const struct join *j, struct field phone, struct field campaign)
{
	uint64_t h = group_hash(phone.p, phone.n, campaign.p, campaign.n);

	for (size_t i = h >> j->index_shift; j->index[i].end != 0; i = (i + 1) & j->index_mask) {
		const struct group_slot *s = &j->index[i];
		const struct invoca_row *ir = &j->rows[j->calls[s->first].row];

		if (s->hash == h && strlen(ir->phone) == phone.n && memcmp(ir->phone, phone.p, phone.n) == 0 &&
		    field_cmp(row_text(j, ir, TEXT_CAMPAIGN), campaign) == 0)
			return s;
	}
	return NULL;
}

/*
 * Of the calls of a group, the one that started nearest before at, no more
 * than the window before; of calls that started the same second, the first
 * (the smallest complete_call_id).  -1 when none.
 */
static int
nearest_call(const struct join *j, const struct group_slot *g, int64_t at)
{
	int first = (int)g->first, lo = first, hi = (int)g->end, best;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (j->calls[mid].start <= at)
			lo = mid + 1;
		else
			hi = mid;
	}
	best = lo - 1;
	if (best < first || at - j->calls[best].start > j->window)
		return -1;
	while (best > first && j->calls[best - 1].start == j->calls[best].start)
		best--;
	return best;
}

/*
 * The stream side goes in batches.  A lookup is a chain of cache misses
 * (index slot, calls, row, its strings), and a batch asks for each link of
 * every chain at once before it waits on any.  The reading thread reads and
 * ties a batch while the writing thread writes the one before: the two
 * halves of the work take about as long.  A transaction's fields are copied
 * out of the input buffer, which the next row may reuse.
 */
#define BATCH 256
#define BATCHES 4

enum { PF_TX, PF_LEAD, PF_TYPE, PF_PHONE, PF_CAMPAIGN, PF_RECEIVED, PF_FILE, PF_N };

struct pending {
	int64_t at, cents;
	long line;
	const char *why;	/* unmatched, known when read; or NULL */
	const struct group_slot *group;
	int best;
	size_t text;		/* offset of its fields in the batch's buffer */
	uint32_t len[PF_N];
};

struct batch {
	struct pending p[BATCH];
	size_t n;
	char *buf;
	size_t len, cap;
};

static struct field
pending_field(const struct batch *b, const struct pending *p, int which)
{
	size_t off = p->text;

	for (int i = 0; i < which; i++)
		off += p->len[i];
	return (struct field){ b->buf + off, p->len[which] };
}

static void
write_unmatched(struct join *j, const struct batch *b, const struct pending *p)
{
	struct tsvout *w = j->unmatched;
	struct field f;

	for (int i = PF_TX; i <= PF_RECEIVED; i++) {
		if (i == PF_TYPE)
			continue;
		f = pending_field(b, p, i);
		tsv_field(w, f.p, f.n);
	}
	tsv_cents(w, p->cents);
	tsv_str(w, p->why);
	f = pending_field(b, p, PF_FILE);
	tsv_field(w, f.p, f.n);
	tsv_int(w, p->line);
	tsv_end_row(w);
	j->not_linked++;
	j->revenue_unmatched += p->cents;
}

static void
write_link(struct join *j, const struct batch *b, const struct pending *p)
{
	struct invoca_row *ir = &j->rows[j->calls[p->best].row];
	struct field f = row_text(j, ir, TEXT_CALL), type = pending_field(b, p, PF_TYPE);

	tsv_field(j->links, f.p, f.n);
	f = pending_field(b, p, PF_TX);
	tsv_field(j->links, f.p, f.n);
	f = pending_field(b, p, PF_LEAD);
	tsv_field(j->links, f.p, f.n);
	tsv_field(j->links, type.p, type.n);
	tsv_int(j->links, p->at - ir->start);
	tsv_cents(j->links, p->cents);
	f = pending_field(b, p, PF_FILE);
	tsv_field(j->links, f.p, f.n);
	tsv_int(j->links, p->line);
	tsv_end_row(j->links);
	ir->leads += type.n == 8 && memcmp(type.p, "purchase", 8) == 0;
	ir->revenue += p->cents;
	j->linked++;
	j->revenue_linked += p->cents;
}

/* Is this the group of this caller and campaign, not one that shares its hash? */
static int
group_is(const struct join *j, const struct group_slot *g, struct field phone, struct field campaign)
{
	const struct invoca_row *ir = &j->rows[j->calls[g->first].row];

	return strlen(ir->phone) == phone.n && memcmp(ir->phone, phone.p, phone.n) == 0 &&
	    field_cmp(row_text(j, ir, TEXT_CAMPAIGN), campaign) == 0;
}

/* The row a transaction's lookup will read: its call's, or its group's first. */
static const struct invoca_row *
row_to_read(const struct join *j, const struct pending *p)
{
	return &j->rows[j->calls[p->best >= 0 ? p->best : (int)p->group->first].row];
}

/* Tie every transaction of the batch to its call, or say why none. */
static void
resolve_batch(struct join *j, struct batch *b)
{
	struct pending *p, *end = b->p + b->n;
	uint64_t hash[BATCH];

	for (p = b->p; p < end; p++)
		if (p->why == NULL) {
			struct field phone = pending_field(b, p, PF_PHONE), campaign = pending_field(b, p, PF_CAMPAIGN);

			hash[p - b->p] = group_hash(phone.p, phone.n, campaign.p, campaign.n);
			__builtin_prefetch(&j->index[hash[p - b->p] >> j->index_shift]);
		}
	/* The first slot of the hash: the group, unless (rarely) another key shares the hash. */
	for (p = b->p; p < end; p++)
		if (p->why == NULL) {
			size_t i = hash[p - b->p] >> j->index_shift;

			while (j->index[i].end != 0 && j->index[i].hash != hash[p - b->p])
				i = (i + 1) & j->index_mask;
			p->group = j->index[i].end != 0 ? &j->index[i] : NULL;
			if (p->group)
				__builtin_prefetch(&j->calls[p->group->first]);
		}
	for (p = b->p; p < end; p++)
		if (p->why == NULL && p->group) {
			p->best = nearest_call(j, p->group, p->at);
			__builtin_prefetch(row_to_read(j, p));
		}
	for (p = b->p; p < end; p++)
		if (p->why == NULL && p->group)
			__builtin_prefetch(ARENA_STR(&j->text, row_to_read(j, p)->text));
	for (p = b->p; p < end; p++) {
		struct field phone = pending_field(b, p, PF_PHONE), campaign = pending_field(b, p, PF_CAMPAIGN);
		int64_t other;

		if (p->why)
			continue;
		if (p->group && !group_is(j, p->group, phone, campaign) &&
		    (p->group = find_group(j, phone, campaign)) != NULL)
			p->best = nearest_call(j, p->group, p->at);
		if (p->group == NULL) {
			p->why = "no_call";
			continue;
		}
		if (p->best < 0 && tz_other_reading(j->tz, p->at, &other) &&
		    (p->best = nearest_call(j, p->group, other)) >= 0) {
			p->at = other;
			j->second_reading++;
		}
		if (p->best < 0)
			p->why = "no_call_in_window";
	}
}

/* The writing thread: each batch's links and unmatched transactions, in the order read. */
static void *
write_batches(void *arg)
{
	struct join *j = arg;
	struct batch *b;

	while ((b = chan_get(&j->resolved)) != NULL) {
		for (const struct pending *p = b->p; p < b->p + b->n; p++)
			if (p->why)
				write_unmatched(j, b, p);
			else
				write_link(j, b, p);
		b->n = 0;
		b->len = 0;
		chan_put(&j->free_batches, b);
	}
	return NULL;
}

/* Hand the batch being read to the writing thread, and take an empty one. */
static void
pass_batch(struct join *j)
{
	resolve_batch(j, j->batch);
	chan_put(&j->resolved, j->batch);
	j->batch = chan_get(&j->free_batches);
}

/* Read one inbound-call transaction into the batch. */
static void
join_row(void *ctx, struct rows *r, const struct row *row, const int *idx)
{
	struct join *j = ctx;
	struct batch *b = j->batch;
	uint32_t label_index = label_of(j, r);	/* may move j->labels */
	struct field label = j->labels[label_index];
	struct field received = row->f[idx[LC_RECEIVED]], amount = row->f[idx[LC_AMOUNT]];
	struct field text[PF_N];
	struct civil c;
	int64_t cents;
	long line = row->line;
	size_t need = 0;

	if (row->f[idx[LC_TX]].n == 0 || row->f[idx[LC_LEAD]].n == 0)
		REJECT("missing_value", "no transaction_id or lead_id");
	if (money_parse(amount.p, amount.n, &cents) < 0)
		REJECT("bad_money", "amount '%.*s'", (int)amount.n, amount.p);
	if (civil_parse("%Y-%m-%d %H:%M:%S", received.p, received.n, &c) < 0)
		REJECT("bad_datetime", "lead_received_at '%.*s'", (int)received.n, received.p);
	text[PF_TX] = row->f[idx[LC_TX]];
	text[PF_LEAD] = row->f[idx[LC_LEAD]];
	text[PF_TYPE] = row->f[idx[LC_TYPE]];
	text[PF_PHONE] = row->f[idx[LC_PHONE]];
	text[PF_CAMPAIGN] = row->f[idx[LC_CAMPAIGN]];
	text[PF_RECEIVED] = received;
	text[PF_FILE] = label;
	/* The transaction's own lineage, when the stream carries it: the boberdoo file and line. */
	if (idx[LC_FILE] >= 0 && idx[LC_LINE] >= 0 && row->f[idx[LC_FILE]].n > 0) {
		text[PF_FILE] = row->f[idx[LC_FILE]];
		line = strtol(row->f[idx[LC_LINE]].p, NULL, 10);
	}
	for (int i = 0; i < PF_N; i++)
		if ((need += text[i].n) > UINT32_MAX)
			REJECT("too_long", "fields of %zu bytes", need);
	j->leads_in++;
	j->revenue_in += cents;

	if (b->len + need > b->cap) {
		b->cap = b->len + need > 2 * b->cap ? b->len + need : 2 * b->cap;
		b->buf = xrealloc(b->buf, b->cap);
	}
	struct pending *p = &b->p[b->n++];
	*p = (struct pending){ .at = civil_seconds(&c), .cents = cents, .line = line, .text = b->len, .best = -1 };
	for (int i = 0; i < PF_N; i++) {
		memcpy(b->buf + b->len, text[i].p, text[i].n);
		b->len += text[i].n;
		p->len[i] = (uint32_t)text[i].n;
	}
	/* A web lead of the caller never takes a call's revenue. */
	if (idx[LC_LEAD_TYPE] >= 0 && !field_eq(&row->f[idx[LC_LEAD_TYPE]], "Inbound Call"))
		p->why = "not_inbound_call";
	else if (text[PF_CAMPAIGN].n == 0)
		p->why = "no_campaign";
	if (b->n == BATCH)
		pass_batch(j);
}

/* The calls stream, in the order the calls were read; and the counts of the summary. */
static void
write_calls(struct join *j, struct tsvout *w, long *by_leads, int64_t *revenue_multi)
{
	char when[UTC_BUFSZ];

	for (size_t i = 0; i < j->nrows; i++) {
		const struct invoca_row *ir = &j->rows[i];
		struct field text;

		if (!ir->is_call || ir->replaced || ir->superseded)
			continue;
		text = row_text(j, ir, TEXT_CALL);
		tsv_field(w, text.p, text.n);
		format_utc(ir->start, when);
		tsv_str(w, when);
		tsv_str(w, ir->phone);
		text = row_text(j, ir, TEXT_CAMPAIGN);
		tsv_field(w, text.p, text.n);
		if (ir->duration >= 0)
			tsv_int(w, ir->duration);
		else
			tsv_null(w);
		if (ir->connect >= 0)
			tsv_int(w, ir->connect);
		else
			tsv_null(w);
		text = row_text(j, ir, TEXT_RESULT);
		tsv_field(w, text.p, text.n);
		tsv_int(w, ir->leads);
		tsv_cents(w, ir->revenue);
		tsv_field(w, j->labels[ir->label].p, j->labels[ir->label].n);
		tsv_int(w, ir->line);
		tsv_end_row(w);
		by_leads[ir->leads >= 2 ? 2 : ir->leads]++;
		if (ir->leads >= 2)
			*revenue_multi += ir->revenue;
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
	if ((end = getenv("CALL_LEAD_JOIN_HASH_BITS")) != NULL && atoi(end) >= 1 && atoi(end) < 32)
		hash_kept = ~(uint64_t)0 << (64 - atoi(end));	/* the high bits place a slot */
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
	pick_calls(&j);
	build_groups(&j);

	/* The stream side: every inbound-call transaction, tied or written unmatched. */
	calls_out = open_output(&files[0], dir, "calls.tsv", calls_columns);
	j.links = open_output(&files[1], dir, "call_lead_links.tsv", links_columns);
	j.unmatched = open_output(&files[2], dir, "call_lead_unmatched.tsv", unmatched_columns);
	struct batch *batches = xmalloc(BATCHES * sizeof *batches);
	pthread_t writer;
	memset(batches, 0, BATCHES * sizeof *batches);
	chan_init(&j.resolved, BATCHES);
	chan_init(&j.free_batches, BATCHES);
	for (int i = 1; i < BATCHES; i++)
		chan_put(&j.free_batches, &batches[i]);
	j.batch = &batches[0];
	if ((errno = pthread_create(&writer, NULL, write_batches, &j)) != 0)
		fatal(EXIT_DATA, "cannot start the writing thread: %s", strerror(errno));
	for (int i = 0; i < nleads && ok; i++)
		ok = read_records(leads[i], ROWS_TSV, lead_names, lead_required, LC_N, &j.rejects,
		    join_row, &j, &ignored) == 0;
	resolve_batch(&j, j.batch);
	chan_put(&j.resolved, j.batch);
	chan_close(&j.resolved);
	pthread_join(writer, NULL);
	for (int i = 0; i < BATCHES; i++)
		free(batches[i].buf);
	free(batches);
	chan_free(&j.resolved);
	chan_free(&j.free_batches);
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
	tz_close(j.tz);
	free(j.index);
	for (size_t i = 0; i < j.nlabels; i++)
		free((char *)j.labels[i].p);
	free(j.labels);
	free(j.calls);
	free(j.rows);
	arena_free(&j.text);
	free(calls);
	free(leads);
	return ok ? status : EXIT_DATA;
}
