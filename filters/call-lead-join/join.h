/*
 * call-lead-join's two sides: the calls, read whole and indexed (calls.c),
 * and the transactions streamed past them (stream.c).
 */
#ifndef CALL_LEAD_JOIN_H
#define CALL_LEAD_JOIN_H

#include <stdint.h>

#include "lib/arena.h"
#include "chan.h"
#include "lib/phone.h"
#include "lib/rejects.h"
#include "lib/rows.h"
#include "lib/tsvout.h"
#include "lib/tz.h"
#include "lib/writer.h"

/* An Invoca row's strings, one after another in the arena, each NUL-terminated. */
enum { TEXT_TX, TEXT_CALL, TEXT_CAMPAIGN, TEXT_RESULT, TEXT_CORRECTS, TEXT_N };

struct invoca_row {
	size_t text;		/* arena offset of its first string */
	uint32_t len[TEXT_N];
	uint32_t label;		/* index into the join's labels */
	uint64_t group;		/* the hash of its caller and campaign */
	int64_t start;
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
	struct writer *wcalls, *wlinks, *wunmatched;	/* links and unmatched: the writing thread's */
	int col_links[8], col_unmatched[9];
	struct batch *batch;	/* being read */
	struct chan resolved, free_batches;	/* to the writing thread, and back */
	long invoca_in, other_rows, corrections, corrections_orphan, duplicate_calls;
	long leads_in, linked, not_linked;
	int64_t revenue_in, revenue_linked, revenue_unmatched;
};


/* calls.c: the build side. */
int read_calls(struct join *j, const char *path);
void apply_corrections(struct join *j);
void pick_calls(struct join *j);
void build_groups(struct join *j);
void write_calls(struct join *j, struct tsvout *w);
void keep_hash_bits(int bits);
uint32_t label_of(struct join *j, struct rows *r);
struct field row_text(const struct join *j, const struct invoca_row *ir, int which);
int field_cmp(struct field a, struct field b);
uint64_t group_hash(const char *phone, size_t phone_len, const char *campaign, size_t campaign_len);
const struct group_slot *slot_of(const struct join *j, size_t i, uint64_t h);
const struct group_slot *find_group(const struct join *j, struct field phone, struct field campaign);
int group_is(const struct join *j, const struct group_slot *g, struct field phone, struct field campaign);
int nearest_call(const struct join *j, const struct group_slot *g, int64_t at);

/* stream.c: the stream side. */
int stream_leads(struct join *j, char **paths, int n, long *count);

#endif
