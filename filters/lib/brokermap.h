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

/* The maps of a folder that a program reads (--maps DIR). */
struct brokermaps {
	struct brokermap **m;
	int n;
};

/* canonical: the names the map may fill; required: those it must. NULL (diagnosed) on any error. */
struct brokermap *brokermap_load(const char *path, enum map_kind kind);
/*
 * Every map of this kind in a folder (files *.map), each checked whole; a
 * map of the other kind, or a file of status lines that maps include, is
 * passed by.  0, or -1 (diagnosed) when a map is broken or the folder
 * cannot be read.
 */
int brokermaps_load(const char *dir, enum map_kind kind, struct brokermaps *out);
/* The maps --map FILE (one) or --maps DIR (its maps) name; 0, or -1 (diagnosed). */
int brokermaps_open(const char *file, const char *dir, enum map_kind kind, struct brokermaps *out);
/* The one map whose `files` glob matches a file's base name; NULL (diagnosed) when none or two do. */
struct brokermap *brokermaps_for(const struct brokermaps *ms, const char *path);
void brokermaps_free(struct brokermaps *ms);
/* Find every mapped column in this header; -1 (diagnosed with map, file and column) when one is missing. */
int brokermap_bind(struct brokermap *m, const struct row *hdr, const char *label);
int brokermap_has(const struct brokermap *m, const char *canonical);
/* The value of a canonical column in a row (sources joined by a space); valid until the next call. */
struct field brokermap_value(struct brokermap *m, const struct row *row, const char *canonical);
/* The canonical status of a raw one, or NULL when no line of the map knows it. */
const char *brokermap_status(const struct brokermap *m, const char *raw, size_t n);
/*
 * A time in the map's date_format and zone, to UTC seconds.  A date without a
 * time of day is taken at 12:00 in the broker's zone, so its UTC date is the
 * same day.  0; 1 when the local time is in the hour DST's end repeats (read
 * as standard time; tz_other_reading gives the daylight reading); -1 when it
 * does not parse.
 */
int brokermap_time(struct brokermap *m, const char *s, size_t n, int64_t *utc);
/*
 * Every record of every input, read as the map says (archive entries by its
 * entry glob, title lines skipped, columns bound per file).  Records of the
 * wrong width or not valid UTF-8 (unless the map reads latin-1) are rejected
 * here; the rest go to fn.  *rows_in counts every record.  0, or -1 when an
 * input could not be read or lacks a mapped column (diagnosed).
 */
struct rejects;
typedef void (*brokermap_fn)(void *ctx, struct brokermap *m, struct rows *r, const struct row *row);
int brokermap_read(struct brokermap *m, char **inputs, int ninputs, struct rejects *rj,
    brokermap_fn fn, void *ctx, long *rows_in);
/*
 * Every input read by its map: the only one (--map), or by name (--maps:
 * brokermaps_for), every input's map found before any input is read.  After
 * each input, done(ctx, its base name).  0, or -1 (diagnosed).
 */
typedef void (*brokermap_done_fn)(void *ctx, const char *input);
int brokermaps_read(const struct brokermaps *ms, int by_name, char **inputs, int ninputs, struct rejects *rj,
    brokermap_fn fn, brokermap_done_fn done, void *ctx, long *rows_in);
/* A text value as UTF-8: copied from latin-1 when the map says so; valid until the next call. */
struct field brokermap_text(struct brokermap *m, struct field f);
void brokermap_free(struct brokermap *m);

#endif
