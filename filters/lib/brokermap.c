#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brokermap.h"
#include "civil.h"
#include "diag.h"
#include "number.h"

#define INCLUDE_DEPTH 4

static const char *const sales_columns[] = {
	"lead_id", "phone", "sale_at", "status", "amount", "product", NULL
};
static const char *const disposition_columns[] = { "key", "status", "status_at", NULL };
static const char *const sales_statuses[] = { "sold", "pending", "cancelled", NULL };
static const char *const disposition_statuses[] = {
	"sold", "contacted", "no_contact", "bad_contact", "dnc", "duplicate", "callback",
	"not_interested", "pending", "return_requested", NULL
};

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* A value with an optional pair of double quotes around it. */
static char *
unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		return s + 1;
	}
	return s;
}

/* Lower case, runs of spaces as one, no spaces at the ends: how statuses compare. */
static size_t
fold(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;
	int space = 0;

	for (size_t i = 0; i < n && k + 2 < cap; i++) {
		unsigned char c = s[i];

		if (c == ' ' || c == '\t') {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = 0;
		out[k++] = tolower(c);
	}
	out[k] = '\0';
	return k;
}

static int
one_of(const char *s, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(s, list[i]) == 0)
			return i;
	return -1;
}

static int
load_file(struct brokermap *m, const char *path, int depth);

static int
set_column(struct brokermap *m, const char *path, long line, char *name, char *value)
{
	const char *const *allowed = m->kind == MAP_SALES ? sales_columns : disposition_columns;
	int k = one_of(name, allowed);
	struct map_column *c;

	if (k < 0) {
		diag_at(path, line, "unknown column '%s' for a %s map", name,
		    m->kind == MAP_SALES ? "sales" : "dispositions");
		return -1;
	}
	for (int i = 0; i < m->ncolumns; i++)
		if (strcmp(m->columns[i].canonical, allowed[k]) == 0) {
			diag_at(path, line, "column %s is mapped twice (line %ld)", name, m->columns[i].line);
			return -1;
		}
	m->columns = xrealloc(m->columns, (m->ncolumns + 1) * sizeof *m->columns);
	c = &m->columns[m->ncolumns++];
	memset(c, 0, sizeof *c);
	c->canonical = allowed[k];
	c->line = line;
	/* "A + B": several source columns joined by a space (a date and a time). */
	for (char *part = value, *plus; part; part = plus) {
		if ((plus = strstr(part, " + ")) != NULL) {
			*plus = '\0';
			plus += 3;
		}
		part = unquote(trim(part));
		if (*part == '\0' || c->nsources == MAP_SOURCES) {
			diag_at(path, line, "column %s: %s", name, *part ? "too many source columns" : "empty source column");
			return -1;
		}
		c->sources[c->nsources++] = xstrdup(part);
	}
	return 0;
}

static int
set_status(struct brokermap *m, const char *path, long line, char *raw, char *canonical)
{
	const char *const *allowed = m->kind == MAP_SALES ? sales_statuses : disposition_statuses;
	char folded[512];
	struct map_status *st;

	if (one_of(canonical, allowed) < 0) {
		char list[256] = "";

		for (int i = 0; allowed[i]; i++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", allowed[i]);
		diag_at(path, line, "'%s' is not a status (one of: %s)", canonical, list);
		return -1;
	}
	raw = unquote(raw);
	if (*raw == '\0') {
		diag_at(path, line, "empty status");
		return -1;
	}
	fold(raw, strlen(raw), folded, sizeof folded);
	for (int i = 0; i < m->nstatuses; i++)
		if (strcmp(m->statuses[i].raw, folded) == 0 && strcmp(m->statuses[i].canonical, canonical) != 0) {
			diag_at(path, line, "status '%s' already maps to %s (line %ld)", raw,
			    m->statuses[i].canonical, m->statuses[i].line);
			return -1;
		}
	m->statuses = xrealloc(m->statuses, (m->nstatuses + 1) * sizeof *m->statuses);
	st = &m->statuses[m->nstatuses++];
	st->raw = xstrdup(folded);
	st->canonical = xstrdup(canonical);
	st->pattern = strpbrk(folded, "*?[") != NULL;
	st->line = line;
	return 0;
}

/* A word a key may say: the value it stands for, and what it means when the word alone does not say. */
struct word {
	const char *word;
	int value;
	const char *gloss;
};

/* The value of one of a key's words (never negative); -1 (diagnosed, with the words it may be) for another. */
static int
word_value(const char *path, long line, const char *key, const char *value, const struct word *words)
{
	char list[200] = "";
	int n = 0;

	for (; words[n].word; n++)
		if (strcmp(value, words[n].word) == 0)
			return words[n].value;
	for (int i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s%s%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ",
		    words[i].word, words[i].gloss ? " (" : "", words[i].gloss ? words[i].gloss : "", words[i].gloss ? ")" : "");
	diag_at(path, line, "%s is %s, not '%s'", key, list, value);
	return -1;
}

static int
set_text(char **out, const char *value)
{
	free(*out);
	*out = xstrdup(value);
	return 0;
}

static int
key_map(struct brokermap *m, const char *path, long line, const char *value)
{
	int k = word_value(path, line, "map", value, (const struct word[]){ { "sales", MAP_SALES, NULL },
	    { "dispositions", MAP_DISPOSITIONS, NULL }, { NULL, 0, NULL } });

	if (k < 0)
		return -1;
	if ((enum map_kind)k != m->kind) {
		diag_at(path, line, "this is a %s map; this program reads %s maps", value,
		    m->kind == MAP_SALES ? "sales" : "dispositions");
		return -1;
	}
	return 0;
}

static int
key_partner_id(struct brokermap *m, const char *path, long line, const char *value)
{
	long long v;

	if (number_parse(value, strlen(value), 1, INT64_MAX, &v) < 0) {
		diag_at(path, line, "partner_id is a positive integer, not '%s'", value);
		return -1;
	}
	m->partner_id = v;
	return 0;
}

static int
key_report(struct brokermap *m, const char *path, long line, const char *value)
{
	int k = word_value(path, line, "report", value, (const struct word[]){ { "ledger", REPORT_LEDGER, "rows add up" },
	    { "status", REPORT_STATUS, "the latest row decides" }, { NULL, 0, NULL } });

	if (k >= 0)
		m->report = k;
	return k < 0 ? -1 : 0;
}

static int
key_key_type(struct brokermap *m, const char *path, long line, const char *value)
{
	int k = word_value(path, line, "key_type", value, (const struct word[]){ { "lead_id", KEY_LEAD_ID, NULL },
	    { "phone", KEY_PHONE, NULL }, { "call_id", KEY_CALL_ID, NULL }, { NULL, 0, NULL } });

	if (k >= 0)
		m->key_type = k;
	return k < 0 ? -1 : 0;
}

static int
key_format(struct brokermap *m, const char *path, long line, const char *value)
{
	int k = word_value(path, line, "format", value, (const struct word[]){ { "csv", ROWS_CSV, NULL },
	    { "tsv", ROWS_TSV, NULL }, { NULL, 0, NULL } });

	if (k >= 0)
		m->rowopts.format = k;
	return k < 0 ? -1 : 0;
}

static int
key_delimiter(struct brokermap *m, const char *path, long line, const char *value)
{
	if (strcmp(value, "tab") == 0)
		m->rowopts.delim = '\t';
	else if (strlen(value) == 1 && *value != '"' && *value != '\n')
		m->rowopts.delim = *value;
	else {
		diag_at(path, line, "delimiter is one character or \"tab\", not '%s'", value);
		return -1;
	}
	return 0;
}

static int
key_title_lines(struct brokermap *m, const char *path, long line, const char *value)
{
	long long v;

	if (number_parse(value, strlen(value), 0, 100, &v) < 0) {
		diag_at(path, line, "title_lines is a number from 0 to 100, not '%s'", value);
		return -1;
	}
	m->rowopts.skip_lines = (int)v;
	return 0;
}

static int
key_entry(struct brokermap *m, const char *path, long line, const char *value)
{
	(void)path, (void)line;
	return set_text(&m->entry_glob, value);
}

/* When a feed's file is due: the maps' word, and catalog/feeds.txt's. */
static const struct word schedule_words[] = {
	{ "daily", SCHEDULE_DAILY, NULL }, { "weekdays", SCHEDULE_WEEKDAYS, NULL }, { "none", SCHEDULE_NONE, NULL },
	{ NULL, 0, NULL }
};

int
schedule_of(const char *word)
{
	for (int i = 0; schedule_words[i].word; i++)
		if (strcmp(word, schedule_words[i].word) == 0)
			return schedule_words[i].value;
	return -1;
}

static int
key_schedule(struct brokermap *m, const char *path, long line, const char *value)
{
	int k = word_value(path, line, "schedule", value, schedule_words);

	if (k >= 0)
		m->schedule = k;
	return k < 0 ? -1 : 0;
}

static int
key_name(struct brokermap *m, const char *path, long line, const char *value)
{
	(void)path, (void)line;
	return set_text(&m->name, value);
}

static int
key_files(struct brokermap *m, const char *path, long line, const char *value)
{
	(void)path, (void)line;
	return set_text(&m->files_glob, value);
}

static int
key_encoding(struct brokermap *m, const char *path, long line, const char *value)
{
	int k = word_value(path, line, "encoding", value, (const struct word[]){ { "utf-8", 0, NULL },
	    { "latin-1", 1, NULL }, { NULL, 0, NULL } });

	if (k >= 0)
		m->latin1 = k;
	return k < 0 ? -1 : 0;
}

static int
key_timezone(struct brokermap *m, const char *path, long line, const char *value)
{
	tz_close(m->tz);
	if ((m->tz = tz_open(value)) == NULL) {
		diag_at(path, line, "unknown time zone '%s'", value);
		return -1;
	}
	return 0;
}

static int
key_date_format(struct brokermap *m, const char *path, long line, const char *value)
{
	if (civil_format_valid(value) < 0) {
		diag_at(path, line, "date_format '%s' is not usable (see README: %%Y, %%m, %%d, %%H, %%M, %%S, %%I with %%p, %%b, excel)", value);
		return -1;
	}
	return set_text(&m->date_format, value);
}

/* The keys of the language; a key of one kind of map only names that kind. */
static const struct {
	const char *key;
	int kind;	/* MAP_SALES, MAP_DISPOSITIONS, or -1 for both */
	int (*set)(struct brokermap *m, const char *path, long line, const char *value);
} keys[] = {
	{ "map", -1, key_map },
	{ "partner_id", -1, key_partner_id },
	{ "report", MAP_SALES, key_report },
	{ "key_type", MAP_DISPOSITIONS, key_key_type },
	{ "format", -1, key_format },
	{ "delimiter", -1, key_delimiter },
	{ "title_lines", -1, key_title_lines },
	{ "entry", -1, key_entry },
	{ "schedule", -1, key_schedule },
	{ "name", -1, key_name },
	{ "files", -1, key_files },
	{ "encoding", -1, key_encoding },
	{ "timezone", -1, key_timezone },
	{ "date_format", -1, key_date_format },
};

static int
set_key(struct brokermap *m, const char *path, long line, const char *key, char *value, int depth)
{
	value = unquote(value);
	if (strcmp(key, "include") == 0) {
		char inc[2048];
		const char *slash = strrchr(path, '/');

		if (depth >= INCLUDE_DEPTH) {
			diag_at(path, line, "includes nested too deep");
			return -1;
		}
		snprintf(inc, sizeof inc, "%.*s%s", slash ? (int)(slash - path + 1) : 0, path, value);
		return load_file(m, inc, depth + 1);
	}
	if (depth > 0) {
		diag_at(path, line, "an included file holds only status lines, not '%s'", key);
		return -1;
	}
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strcmp(key, keys[i].key) == 0 && (keys[i].kind < 0 || keys[i].kind == (int)m->kind))
			return keys[i].set(m, path, line, value);
	diag_at(path, line, "unknown key '%s'", key);
	return -1;
}

static int
load_file(struct brokermap *m, const char *path, int depth)
{
	FILE *fp = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;
	long line = 0;
	int ok = 1;

	if (fp == NULL) {
		diag("%s: %s", path, strerror(errno));
		return -1;
	}
	ssize_t len;

	while ((len = getline(&text, &cap, fp)) > 0) {
		char *s, *eq, *hash;

		line++;
		if (memchr(text, '\0', len)) {
			if (!m->probe)
				diag_at(path, line, "a NUL byte: not a text file");
			ok = 0;
			continue;
		}
		/* A # starts a comment unless it is inside quotes. */
		int quoted = 0;
		for (hash = text; *hash; hash++) {
			if (*hash == '"')
				quoted = !quoted;
			else if (*hash == '#' && !quoted)
				break;
		}
		*hash = '\0';
		s = trim(text);
		if (*s == '\0')
			continue;
		if ((eq = strrchr(s, '=')) == NULL) {
			if (!m->probe)
				diag_at(path, line, "expected 'key = value'");
			ok = 0;
			continue;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		if (m->probe) {
			/* Only the kind is wanted: the rest is read when this program loads the map. */
			if (strcmp(key, "map") == 0)
				m->probed = strcmp(unquote(value), "sales") == 0 ? MAP_SALES :
				    strcmp(unquote(value), "dispositions") == 0 ? MAP_DISPOSITIONS : -2;
			continue;
		}
		if (*value == '\0') {
			diag_at(path, line, "'%s' has no value", key);
			ok = 0;
		} else if (strncmp(key, "column ", 7) == 0) {
			if (depth > 0 || set_column(m, path, line, trim(key + 7), value) < 0) {
				if (depth > 0)
					diag_at(path, line, "an included file holds only status lines");
				ok = 0;
			}
		} else if (strncmp(key, "status ", 7) == 0) {
			if (set_status(m, path, line, trim(key + 7), value) < 0)
				ok = 0;
		} else if (set_key(m, path, line, key, value, depth) < 0)
			ok = 0;
	}
	free(text);
	fclose(fp);
	return ok ? 0 : -1;
}

int
brokermap_has(const struct brokermap *m, const char *canonical)
{
	for (int i = 0; i < m->ncolumns; i++)
		if (strcmp(m->columns[i].canonical, canonical) == 0)
			return 1;
	return 0;
}

/* What every map of its kind must say. */
static int
complete(struct brokermap *m)
{
	int ok = 1;

#define NEED(cond, ...) do { if (!(cond)) { diag_at(m->path, 0, __VA_ARGS__); ok = 0; } } while (0)
	NEED(m->partner_id > 0, "no partner_id");
	NEED(m->tz != NULL, "no timezone (the broker's zone, e.g. America/Chicago)");
	NEED(m->date_format != NULL, "no date_format");
	NEED(brokermap_has(m, "status") || (m->kind == MAP_SALES && m->report == REPORT_LEDGER),
	    "no status column (only a ledger may go without: the sign of its amount says)");
	NEED(!brokermap_has(m, "status") || m->nstatuses > 0, "a status column but no status lines");
	if (m->kind == MAP_SALES) {
		NEED((int)m->report >= 0, "no report (ledger or status)");
		NEED(brokermap_has(m, "lead_id") || brokermap_has(m, "phone"), "neither a lead_id nor a phone column");
		NEED(brokermap_has(m, "sale_at"), "no sale_at column");
		NEED(brokermap_has(m, "amount"), "no amount column");
	} else {
		NEED((int)m->key_type >= 0, "no key_type (lead_id, phone or call_id)");
		NEED(brokermap_has(m, "key"), "no key column");
		NEED(brokermap_has(m, "status_at"), "no status_at column");
	}
#undef NEED
	return ok ? 0 : -1;
}

struct brokermap *
brokermap_load(const char *path, enum map_kind kind)
{
	struct brokermap *m = xmalloc(sizeof *m);

	memset(m, 0, sizeof *m);
	m->path = xstrdup(path);
	m->kind = kind;
	m->report = (enum report_kind)-1;
	m->key_type = (enum key_type)-1;
	m->rowopts.format = ROWS_CSV;
	if (load_file(m, path, 0) < 0 || complete(m) < 0) {
		brokermap_free(m);
		return NULL;
	}
	return m;
}

const char *
brokermap_status(const struct brokermap *m, const char *raw, size_t n)
{
	char folded[512];

	fold(raw, n, folded, sizeof folded);
	for (int i = 0; i < m->nstatuses; i++)
		if (!m->statuses[i].pattern && strcmp(m->statuses[i].raw, folded) == 0)
			return m->statuses[i].canonical;
	for (int i = 0; i < m->nstatuses; i++)
		if (m->statuses[i].pattern && fnmatch(m->statuses[i].raw, folded, 0) == 0)
			return m->statuses[i].canonical;
	return NULL;
}

/* The kind a file says it is (its `map` line): MAP_SALES, MAP_DISPOSITIONS, -1 for none, -2 for another word. */
int
brokermap_probe(const char *path)
{
	struct brokermap m = { .probe = 1, .probed = -1 };

	load_file(&m, path, 0);		/* a broken line is said when the map is loaded for real */
	return m.probed;
}

void
brokermap_free(struct brokermap *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < m->ncolumns; i++)
		for (int j = 0; j < m->columns[i].nsources; j++)
			free(m->columns[i].sources[j]);
	for (int i = 0; i < m->nstatuses; i++) {
		free(m->statuses[i].raw);
		free(m->statuses[i].canonical);
	}
	free(m->columns);
	free(m->statuses);
	free(m->entry_glob);
	free(m->files_glob);
	free(m->name);
	free(m->date_format);
	free(m->scratch);
	free(m->text);
	tz_close(m->tz);
	free(m->path);
	free(m);
}
