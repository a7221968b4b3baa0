/*
 * The build side of call-lead-join: every Invoca row kept (strings in one
 * arena), corrections applied, one call per complete_call_id, the calls
 * sorted so that each caller-and-campaign group is a run, and the runs
 * indexed by hash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/catalog.h"
#include "lib/civil.h"
#include "lib/diag.h"
#include "lib/hash.h"
#include "radix.h"
#include "lib/records.h"
#include "lib/strmap.h"
#include "join.h"

enum { INV_TX, INV_CALL, INV_TYPE, INV_CORRECTS, INV_UTC, INV_LOCAL, INV_PHONE, INV_DURATION,
	INV_CONNECT, INV_CAMPAIGN, INV_RESULT, INV_N };
static const char *const invoca_names[INV_N] = {
	"transaction_id", "complete_call_id", "transaction_type", "corrects_transaction_id",
	"start_time_utc", "start_time_local", "calling_phone_number", "duration",
	"connect_duration", "advertiser_campaign_id_from_network", "call_result_description_detail"
};

/* The member's name, kept once per member rather than once per row. */
uint32_t
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
struct field
row_text(const struct join *j, const struct invoca_row *ir, int which)
{
	size_t off = ir->text;

	for (int i = 0; i < which; i++)
		off += ir->len[i] + 1;
	return (struct field){ ARENA_STR(&j->text, off), ir->len[which] };
}

/* A duration in seconds: empty is none (-1). */
static int
small_int(struct field f, int32_t *v)
{
	long n;

	*v = -1;
	if (f.n == 0)
		return 0;
	if (field_long(f, &n) < 0 || n > INT32_MAX)
		return -1;
	*v = (int32_t)n;
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

/* Fewer bits, for the tests: the high ones, which place a slot. */
void
keep_hash_bits(int bits)
{
	if (bits >= 1 && bits < 32)
		hash_kept = ~(uint64_t)0 << (64 - bits);
}

uint64_t
group_hash(const char *phone, size_t phone_len, const char *campaign, size_t campaign_len)
{
	return hash_bytes(campaign, campaign_len, hash_bytes(phone, phone_len, 0)) & hash_kept;
}

static const char *call_misfit(const struct join *j, const struct field *text, int64_t start, const char **col);

static void
read_invoca(void *ctx, struct rows *r, const struct row *row, const int *idx)
{
	struct join *j = ctx;
	struct rejects *rj = &j->rejects;
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
	/* Invoca's types (feeds.md, F2); any other spelling is a row not understood, never a quiet non-call. */
	f = field_trim(row->f[idx[INV_TYPE]]);
	if (!field_eq(&f, "Call") && !field_eq(&f, "Post Call Event") && !field_eq(&f, "Sale"))
		REJECT("unknown_transaction_type", "transaction_type '%.*s'", (int)f.n, f.p);
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
	const char *why, *col;
	if ((why = call_misfit(j, text, start, &col)) != NULL)
		REJECT(why, "%s does not fit the calls stream", col);

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
	f = field_trim(row->f[idx[INV_TYPE]]);
	ir->is_call = field_eq(&f, "Call");
	ir->line = row->line;
}

/*
 * Corrections first: a row that names corrects_transaction_id replaces that
 * row.  Corrections are few: only the ids they name are hashed, and every
 * row is looked up among them once.
 */
void
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

int
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
void
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
 * Sort the calls by start, then stably by group: two linear-time radix
 * sorts.  The group hashes are left in k, in sorted order.
 */
static struct keyed *
sort_by_group(struct join *j, const uint64_t *group_of)
{
	size_t n = j->ncalls;
	struct keyed *k = xmalloc((n + 1) * sizeof *k);
	int64_t lo = INT64_MAX;

	for (size_t i = 0; i < n; i++)
		lo = j->calls[i].start < lo ? j->calls[i].start : lo;
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){ .key = (uint64_t)j->calls[i].start - (uint64_t)lo, .index = (uint32_t)i };
	radix_sort(k, n);
	for (size_t i = 0; i < n; i++)
		k[i].key = group_of[k[i].index];
	radix_sort(k, n);
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
void
build_groups(struct join *j)
{
	size_t n = j->ncalls, groups = 0, cap = 2;
	uint64_t *group_of = xmalloc((n + 1) * sizeof *group_of);

	sorting = j;
	for (size_t i = 0; i < n; i++)
		group_of[i] = j->rows[j->calls[i].row].group;
	struct keyed *k = sort_by_group(j, group_of);
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

/* The first slot from slot i on that holds hash h; NULL at an empty slot. */
const struct group_slot *
slot_of(const struct join *j, size_t i, uint64_t h)
{
	for (; j->index[i].end != 0; i = (i + 1) & j->index_mask)
		if (j->index[i].hash == h)
			return &j->index[i];
	return NULL;
}

/* The run of calls of this caller and campaign, or NULL. */
const struct group_slot *
find_group(const struct join *j, struct field phone, struct field campaign)
{
	uint64_t h = group_hash(phone.p, phone.n, campaign.p, campaign.n);

	for (const struct group_slot *s = slot_of(j, h >> j->index_shift, h); s != NULL;
	    s = slot_of(j, (size_t)(s - j->index + 1) & j->index_mask, h))
		if (group_is(j, s, phone, campaign))
			return s;
	return NULL;
}

/*
 * Of the calls of a group, the one that started nearest before at, no more
 * than the window before; of calls that started the same second, the first
 * (the smallest complete_call_id).  -1 when none.
 */
int
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


/* Is this the group of this caller and campaign, not one that shares its hash? */
int
group_is(const struct join *j, const struct group_slot *g, struct field phone, struct field campaign)
{
	const struct invoca_row *ir = &j->rows[j->calls[g->first].row];

	return strlen(ir->phone) == phone.n && memcmp(ir->phone, phone.p, phone.n) == 0 &&
	    field_cmp(row_text(j, ir, TEXT_CAMPAIGN), campaign) == 0;
}


/* The calls stream, in the order the calls were read. */
void
write_calls(struct join *j, struct tsvout *out)
{
	enum { C_ID, C_START, C_PHONE, C_CAMPAIGN, C_DURATION, C_CONNECT, C_RESULT, C_FILE, C_LINE, C_N };
	static const char *const names[C_N] = {
		"complete_call_id", "start_at", "phone", "campaign", "duration", "connect_duration", "result",
		"src_file", "src_line"
	};
	struct writer *w = j->wcalls;
	const char *why, *colname;
	int col[C_N];

	for (int i = 0; i < C_N; i++)
		col[i] = writer_col(w, names[i]);
	for (size_t i = 0; i < j->nrows; i++) {
		const struct invoca_row *ir = &j->rows[i];
		struct field text;

		if (!ir->is_call || ir->replaced || ir->superseded)
			continue;
		text = row_text(j, ir, TEXT_CALL);
		w_text(w, col[C_ID], text.p, text.n);
		w_time(w, col[C_START], ir->start);
		w_str(w, col[C_PHONE], ir->phone);
		text = row_text(j, ir, TEXT_CAMPAIGN);
		w_text(w, col[C_CAMPAIGN], text.p, text.n);
		if (ir->duration >= 0)
			w_int(w, col[C_DURATION], ir->duration);
		if (ir->connect >= 0)
			w_int(w, col[C_CONNECT], ir->connect);
		text = row_text(j, ir, TEXT_RESULT);
		w_text(w, col[C_RESULT], text.p, text.n);
		w_text(w, col[C_FILE], j->labels[ir->label].p, j->labels[ir->label].n);
		w_int(w, col[C_LINE], ir->line);
		/* Its values were checked when the row was read. */
		if ((why = writer_row(w, out, &colname)) != NULL)
			fatal(EXIT_DATA, "internal error: %s:%ld: %s: %s", j->labels[ir->label].p, ir->line, colname, why);
	}
}

/* The Invoca values that become columns of the calls stream, checked as they are read. */
static const char *
call_misfit(const struct join *j, const struct field *text, int64_t start, const char **col)
{
	static const struct { int text; const char *column; } checked[] = {
		{ TEXT_CALL, "complete_call_id" }, { TEXT_CAMPAIGN, "campaign" }, { TEXT_RESULT, "result" },
	};
	const struct cat_stream *s = j->wcalls->stream;
	const char *why;
	int k;

	for (size_t i = 0; i < sizeof checked / sizeof checked[0]; i++)
		if ((k = cat_column(s, checked[i].column)) >= 0 &&
		    (why = cat_check(&s->columns[k], text[checked[i].text].p, text[checked[i].text].n)) != NULL) {
			*col = checked[i].column;
			return why;
		}
	*col = "start_time_utc";
	return start < -62135596800LL || start > 253402300799LL ? "out_of_range" : NULL;
}

int
read_calls(struct join *j, const char *path)
{
	static const unsigned char required[INV_N] = { 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1 };

	return read_records(path, ROWS_CSV, NULL, invoca_names, required, INV_N, &j->rejects, read_invoca, j,
	    &j->invoca_in);
}
