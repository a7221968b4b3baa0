/* wt-match's sales and transfers, and the matching of the one to the other. */
#ifndef WT_MATCH_MATCH_H
#define WT_MATCH_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "lib/arena.h"
#include "lib/rejects.h"

/* Broker times are to the minute: a transfer up to 59 seconds before the lead counts. */
#define MINUTE_SLACK 59

struct transfer {
	char key[40];		/* "partner\037phone" */
	int64_t received;
	size_t tx, lead;	/* arena offsets */
	int sale;		/* taken by this sale, or -1 */
};

struct sale {
	char key[40];
	int64_t at, at_daylight;	/* at_daylight: the other reading of a broker's repeated hour */
	int sold, has_amount, has_daylight;
	int64_t amount;
	size_t file, raw, raw_len;
	long line;
	int transfer;		/* -1: unmatched */
	int64_t gap;		/* seconds from the lead to the sale, when matched */
	const char *why;
};

struct match {
	struct rejects rejects;
	struct arena text;
	struct transfer *transfers;
	size_t ntransfers, transfers_cap;
	struct sale *sales;
	size_t nsales, sales_cap;
	long transfers_in, refunds_skipped, sales_in;
	int64_t window;
	struct tz *tz;
};

/*
 * Every sale to at most one transfer and every transfer to at most one sale:
 * of the pairs that fit (same key, the transfer's lead at most the window
 * before the sale, or MINUTE_SLACK after), the nearest first; then the sale
 * read first; then the first transfer by key and time.  A sale left without
 * one gets its reason in why.
 */
void match_all(struct match *m);

#endif
