/*
 * A broker's mapping file: how one broker's report or feedback file looks,
 * and how it becomes the canonical stream.  Onboarding a broker is writing
 * one of these, never code.  The format (README, "Broker maps"):
 *
 *	# comment
 *	map         = sales             # sales (cpa-normalize) | dispositions (dispo-map)
 *	partner_id  = 1043
 *	report      = ledger            # sales: ledger | status
 *	key_type    = lead_id           # dispositions: lead_id | phone | call_id
 *	files       = acme_sales_*      # which files of an inbox folder it reads
 *	name        = Acme Health Brokers   # the broker, for people
 *	schedule    = weekdays          # when a file is due: daily | weekdays | none
 *	format      = csv               # csv (quotes, via libcsv) | tsv (no quoting)
 *	delimiter   = ,                 # one character, or "tab"
 *	title_lines = 0                 # lines above the header
 *	entry       = *.csv             # archive entries to read
 *	encoding    = utf-8             # utf-8 | latin-1
 *	timezone    = America/New_York  # the broker's zone
 *	date_format = %m/%d/%Y          # see civil.h; "excel" for serial days
 *	column sale_at = Transfer Date + Transfer Time   # joined with a space
 *	status "SOLD - Policy Issued" = sold             # case and spaces folded; * is a wildcard
 *	include     = dispositions-common.map            # more statuses, from beside this file
 *
 * Errors name the map file and its line.
 */
#ifndef BROKERMAP_H
#define BROKERMAP_H

#include <stddef.h>
#include <stdint.h>

#include "rows.h"
#include "tz.h"

enum map_kind { MAP_SALES, MAP_DISPOSITIONS };
enum report_kind { REPORT_LEDGER, REPORT_STATUS };
enum key_type { KEY_LEAD_ID, KEY_PHONE, KEY_CALL_ID };
enum schedule { SCHEDULE_NONE, SCHEDULE_DAILY, SCHEDULE_WEEKDAYS };

#define MAP_SOURCES 4

struct map_column {
	const char *canonical;
	char *sources[MAP_SOURCES];
	int nsources;
	int idx[MAP_SOURCES];	/* bound to the current file's header */
	long line;
};

struct map_status {
	char *raw;		/* folded: lower case, single spaces */
	char *canonical;
	int pattern;
	long line;
};

struct brokermap {
	char *path;
	enum map_kind kind;
	int64_t partner_id;
	enum report_kind report;
	enum key_type key_type;
	struct rowopts rowopts;
	char *entry_glob, *files_glob;
	char *name;		/* the broker, for people */
	enum schedule schedule;	/* when its files are due */
	int latin1;
	struct tz *tz;
	char *date_format;
	struct map_column *columns;
	int ncolumns;
	struct map_status *statuses;
	int nstatuses;
	char *scratch, *text;	/* a joined value, a value made UTF-8: as long as they need */
	size_t scratch_cap, text_cap;
	int probe, probed;	/* reading only the `map` line: the kind it says, or -1 */
};

/* canonical: the names the map may fill; required: those it must. NULL (diagnosed) on any error. */
struct brokermap *brokermap_load(const char *path, enum map_kind kind);
int brokermap_has(const struct brokermap *m, const char *canonical);
/* The canonical status of a raw one, or NULL when no line of the map knows it. */
const char *brokermap_status(const struct brokermap *m, const char *raw, size_t n);
/* The schedule a word names (daily, weekdays, none), or -1. */
int schedule_of(const char *word);
/* The kind a file says it is (its `map` line): MAP_SALES, MAP_DISPOSITIONS, -1 for none, -2 for another word. */
int brokermap_probe(const char *path);
void brokermap_free(struct brokermap *m);

#endif
