/*
 * The stream side of call-lead-join: each inbound-call transaction tied to
 * its call or written unmatched, in the order read.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/civil.h"
#include "lib/diag.h"
#include "lib/money.h"
#include "lib/records.h"
#include "join.h"

enum { LC_TX, LC_TYPE, LC_LEAD, LC_RECEIVED, LC_PHONE, LC_CAMPAIGN, LC_AMOUNT, LC_FILE, LC_LINE, LC_N };
static const char *const lead_names[LC_N] = {
	"transaction_id", "transaction_type", "lead_id", "lead_received_at", "phone", "campaign",
	"amount", "src_file", "src_line"
};
static const unsigned char lead_required[LC_N] = { 1, 1, 1, 1, 1, 1, 1, 0, 0 };

/*
 * The stream side goes in batches.  A lookup is a chain of cache misses
 * (index slot, calls, row, its strings), and a batch asks for each link of
 * every chain at once before it waits on any.  The reading thread reads and
 * ties a batch while the writing thread formats and writes the one before.
 * A transaction's fields are copied out of the input buffer, which the next
 * row may reuse.
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

/* A value the stream side checked when it read it cannot fail here: a failure is a bug, never a lost row. */
static void
write_checked(struct writer *w, struct tsvout *out, const struct pending *p)
{
	const char *why, *col;

	if ((why = writer_row(w, out, &col)) != NULL)
		fatal(EXIT_DATA, "internal error: line %ld: %s: %s", p->line, col, why);
}

static void
write_unmatched(struct join *j, const struct batch *b, const struct pending *p)
{
	static const int from[] = { PF_TX, PF_LEAD, PF_PHONE, PF_CAMPAIGN, PF_RECEIVED };
	struct writer *w = j->wunmatched;
	const int *col = j->col_unmatched;
	struct field f;

	for (int i = 0; i < 5; i++) {
		f = pending_field(b, p, from[i]);
		w_text(w, col[i], f.p, f.n);
	}
	w_cents(w, col[5], p->cents);
	w_str(w, col[6], p->why);
	f = pending_field(b, p, PF_FILE);
	w_text(w, col[7], f.p, f.n);
	w_int(w, col[8], p->line);
	write_checked(w, j->unmatched, p);
	j->not_linked++;
	money_add(&j->revenue_unmatched, p->cents);
}

static void
write_link(struct join *j, const struct batch *b, const struct pending *p)
{
	const struct invoca_row *ir = &j->rows[j->calls[p->best].row];
	struct writer *w = j->wlinks;
	const int *col = j->col_links;
	struct field f = row_text(j, ir, TEXT_CALL);

	w_text(w, col[0], f.p, f.n);
	f = pending_field(b, p, PF_TX);
	w_text(w, col[1], f.p, f.n);
	f = pending_field(b, p, PF_LEAD);
	w_text(w, col[2], f.p, f.n);
	f = pending_field(b, p, PF_TYPE);
	w_text(w, col[3], f.p, f.n);
	w_int(w, col[4], p->at - ir->start);
	w_cents(w, col[5], p->cents);
	f = pending_field(b, p, PF_FILE);
	w_text(w, col[6], f.p, f.n);
	w_int(w, col[7], p->line);
	write_checked(w, j->links, p);
	j->linked++;
	money_add(&j->revenue_linked, p->cents);
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
			p->group = slot_of(j, hash[p - b->p] >> j->index_shift, hash[p - b->p]);
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
	struct rejects *rj = &j->rejects;
	struct batch *b = j->batch;
	uint32_t label_index = label_of(j, r);	/* may move j->labels */
	struct field label = j->labels[label_index];
	struct field received = row->f[idx[LC_RECEIVED]], amount = row->f[idx[LC_AMOUNT]];
	struct field text[PF_N];
	int64_t at;
	int64_t cents;
	long line = row->line;
	size_t need = 0;

	if (row->f[idx[LC_TX]].n == 0 || row->f[idx[LC_LEAD]].n == 0)
		REJECT("missing_value", "no transaction_id or lead_id");
	if (money_parse(amount.p, amount.n, &cents) < 0)
		REJECT("bad_money", "amount '%.*s'", (int)amount.n, amount.p);
	if (parse_utc(received.p, received.n, &at) < 0)
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
		if (field_long(row->f[idx[LC_LINE]], &line) < 0)
			REJECT("bad_integer", "src_line '%.*s'", (int)row->f[idx[LC_LINE]].n, row->f[idx[LC_LINE]].p);
	}
	for (int i = 0; i < PF_N; i++)
		if ((need += text[i].n) > UINT32_MAX)
			REJECT("too_long", "fields of %zu bytes", need);
	j->leads_in++;
	money_add(&j->revenue_in, cents);

	if (b->len + need > b->cap) {
		b->cap = b->len + need > 2 * b->cap ? b->len + need : 2 * b->cap;
		b->buf = xrealloc(b->buf, b->cap);
	}
	struct pending *p = &b->p[b->n++];
	*p = (struct pending){ .at = at, .cents = cents, .line = line, .text = b->len, .best = -1 };
	for (int i = 0; i < PF_N; i++) {
		memcpy(b->buf + b->len, text[i].p, text[i].n);
		b->len += text[i].n;
		p->len[i] = (uint32_t)text[i].n;
	}
	/* A web lead has no campaign: it never takes a call's revenue. */
	if (text[PF_CAMPAIGN].n == 0)
		p->why = "no_campaign";
	if (b->n == BATCH)
		pass_batch(j);
}


/* Every transaction of the files, through the reading and the writing thread; 0 or -1 (diagnosed). */
int
stream_leads(struct join *j, char **paths, int n, long *count)
{
	struct batch *batches = xmalloc(BATCHES * sizeof *batches);
	pthread_t writer;
	int ok = 1;

	memset(batches, 0, BATCHES * sizeof *batches);
	chan_init(&j->resolved, BATCHES);
	chan_init(&j->free_batches, BATCHES);
	for (int i = 1; i < BATCHES; i++)
		chan_put(&j->free_batches, &batches[i]);
	j->batch = &batches[0];
	if ((errno = pthread_create(&writer, NULL, write_batches, j)) != 0)
		fatal(EXIT_DATA, "cannot start the writing thread: %s", strerror(errno));
	for (int i = 0; i < n && ok; i++)
		ok = read_records(paths[i], ROWS_TSV, "transactions", lead_names, lead_required, LC_N, &j->rejects,
		    join_row, j, count) == 0;
	resolve_batch(j, j->batch);
	chan_put(&j->resolved, j->batch);
	chan_close(&j->resolved);
	pthread_join(writer, NULL);
	for (int i = 0; i < BATCHES; i++)
		free(batches[i].buf);
	free(batches);
	chan_free(&j->resolved);
	chan_free(&j->free_batches);
	return ok ? 0 : -1;
}
