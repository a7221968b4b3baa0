#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brokermap.h"
#include "civil.h"
#include "diag.h"
#include "header.h"
#include "input.h"
#include "rejects.h"
#include "utf8.h"

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

static int
set_key(struct brokermap *m, const char *path, long line, const char *key, char *value, int depth)
{
	char *end;

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
	if (strcmp(key, "map") == 0) {
		enum map_kind k = strcmp(value, "sales") == 0 ? MAP_SALES :
		    strcmp(value, "dispositions") == 0 ? MAP_DISPOSITIONS : (enum map_kind)-1;
		if ((int)k < 0) {
			diag_at(path, line, "map is sales or dispositions, not '%s'", value);
			return -1;
		}
		if (k != m->kind) {
			diag_at(path, line, "this is a %s map; this program reads %s maps", value,
			    m->kind == MAP_SALES ? "sales" : "dispositions");
			return -1;
		}
	} else if (strcmp(key, "partner_id") == 0) {
		errno = 0;
		m->partner_id = strtoll(value, &end, 10);
		if (errno || *end || end == value || m->partner_id <= 0) {
			diag_at(path, line, "partner_id is a positive integer, not '%s'", value);
			return -1;
		}
	} else if (strcmp(key, "report") == 0 && m->kind == MAP_SALES) {
		if (strcmp(value, "ledger") == 0)
			m->report = REPORT_LEDGER;
		else if (strcmp(value, "status") == 0)
			m->report = REPORT_STATUS;
		else {
			diag_at(path, line, "report is ledger (rows add up) or status (the latest row decides), not '%s'", value);
			return -1;
		}
	} else if (strcmp(key, "key_type") == 0 && m->kind == MAP_DISPOSITIONS) {
		int k = one_of(value, (const char *const[]){ "lead_id", "phone", "call_id", NULL });

		if (k < 0) {
			diag_at(path, line, "key_type is lead_id, phone or call_id, not '%s'", value);
			return -1;
		}
		m->key_type = (enum key_type)k;
	} else if (strcmp(key, "format") == 0) {
		if (strcmp(value, "csv") == 0)
			m->rowopts.format = ROWS_CSV;
		else if (strcmp(value, "tsv") == 0)
			m->rowopts.format = ROWS_TSV;
		else {
			diag_at(path, line, "format is csv or tsv, not '%s'", value);
			return -1;
		}
	} else if (strcmp(key, "delimiter") == 0) {
		if (strcmp(value, "tab") == 0)
			m->rowopts.delim = '\t';
		else if (strlen(value) == 1 && *value != '"' && *value != '\n')
			m->rowopts.delim = *value;
		else {
			diag_at(path, line, "delimiter is one character or \"tab\", not '%s'", value);
			return -1;
		}
	} else if (strcmp(key, "title_lines") == 0) {
		long v = strtol(value, &end, 10);

		if (*end || end == value || v < 0 || v > 100) {
			diag_at(path, line, "title_lines is a number from 0 to 100, not '%s'", value);
			return -1;
		}
		m->rowopts.skip_lines = (int)v;
	} else if (strcmp(key, "entry") == 0) {
		free(m->entry_glob);
		m->entry_glob = xstrdup(value);
	} else if (strcmp(key, "schedule") == 0) {
		int k = one_of(value, (const char *const[]){ "none", "daily", "weekdays", NULL });

		if (k < 0) {
			diag_at(path, line, "schedule is daily, weekdays or none, not '%s'", value);
			return -1;
		}
		m->schedule = (enum schedule)k;
	} else if (strcmp(key, "name") == 0) {
		free(m->name);
		m->name = xstrdup(value);
	} else if (strcmp(key, "files") == 0) {
		free(m->files_glob);
		m->files_glob = xstrdup(value);
	} else if (strcmp(key, "encoding") == 0) {
		if (strcmp(value, "utf-8") != 0 && strcmp(value, "latin-1") != 0) {
			diag_at(path, line, "encoding is utf-8 or latin-1, not '%s'", value);
			return -1;
		}
		m->latin1 = strcmp(value, "latin-1") == 0;
	} else if (strcmp(key, "timezone") == 0) {
		tz_close(m->tz);
		if ((m->tz = tz_open(value)) == NULL) {
			diag_at(path, line, "unknown time zone '%s'", value);
			return -1;
		}
	} else if (strcmp(key, "date_format") == 0) {
		if (civil_format_valid(value) < 0) {
			diag_at(path, line, "date_format '%s' is not usable (see README: %%Y, %%m, %%d, %%H, %%M, %%S, %%I with %%p, %%b, excel)", value);
			return -1;
		}
		free(m->date_format);
		m->date_format = xstrdup(value);
	} else {
		diag_at(path, line, "unknown key '%s'", key);
		return -1;
	}
	return 0;
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

/* The kind a file says it is (its `map` line): MAP_SALES, MAP_DISPOSITIONS, -1 for none, -2 for another word. */
static int
probe_kind(const char *path)
{
	struct brokermap m = { .probe = 1, .probed = -1 };

	load_file(&m, path, 0);		/* a broken line is said when the map is loaded for real */
	return m.probed;
}

static int
by_path(const void *a, const void *b)
{
	return strcmp((*(struct brokermap *const *)a)->path, (*(struct brokermap *const *)b)->path);
}

int
brokermaps_load(const char *dir, enum map_kind kind, struct brokermaps *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	int ok = 1;

	memset(out, 0, sizeof *out);
	if (d == NULL) {
		diag("%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		struct brokermap *m;
		int k;

		if (n < 5 || strcmp(e->d_name + n - 4, ".map") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		/* Another kind's map, or status lines for an include, are not this program's to read. */
		if ((k = probe_kind(path)) != (int)kind && k != -2)
			continue;
		if ((m = brokermap_load(path, kind)) == NULL) {
			ok = 0;
			continue;
		}
		out->m = xrealloc(out->m, (out->n + 1) * sizeof *out->m);
		out->m[out->n++] = m;
	}
	closedir(d);
	/* The order of the folder is the file system's: by name, every run the same. */
	if (out->n > 1)
		qsort(out->m, out->n, sizeof *out->m, by_path);
	if (!ok)
		brokermaps_free(out);
	return ok ? 0 : -1;
}

int
brokermaps_open(const char *file, const char *dir, enum map_kind kind, struct brokermaps *out)
{
	if (dir)
		return brokermaps_load(dir, kind, out);
	out->m = xmalloc(sizeof *out->m);
	if ((out->m[0] = brokermap_load(file, kind)) == NULL) {
		free(out->m);
		out->m = NULL;
		out->n = 0;
		return -1;
	}
	out->n = 1;
	return 0;
}

struct brokermap *
brokermaps_for(const struct brokermaps *ms, const char *path)
{
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
	struct brokermap *found = NULL;

	for (int i = 0; i < ms->n; i++) {
		if (ms->m[i]->files_glob == NULL || fnmatch(ms->m[i]->files_glob, name, 0) != 0)
			continue;
		if (found) {
			diag("%s: read by two maps, %s and %s", path, found->path, ms->m[i]->path);
			return NULL;
		}
		found = ms->m[i];
	}
	if (found == NULL)
		diag("%s: no map reads it (a new broker is a new map with files = ...)", path);
	return found;
}

void
brokermaps_free(struct brokermaps *ms)
{
	for (int i = 0; i < ms->n; i++)
		brokermap_free(ms->m[i]);
	free(ms->m);
	ms->m = NULL;
	ms->n = 0;
}

int
brokermap_bind(struct brokermap *m, const struct row *hdr, const char *label)
{
	int ok = 1;

	for (int i = 0; i < m->ncolumns; i++)
		for (int j = 0; j < m->columns[i].nsources; j++) {
			m->columns[i].idx[j] = header_find(hdr, m->columns[i].sources[j]);
			if (m->columns[i].idx[j] == HEADER_TWICE) {
				header_twice(hdr, label, m->columns[i].sources[j]);
				ok = 0;
			} else if (m->columns[i].idx[j] < 0) {
				diag("%s:%ld: column '%s' (for %s) is not in the header of %s",
				    m->path, m->columns[i].line, m->columns[i].sources[j],
				    m->columns[i].canonical, label);
				ok = 0;
			}
		}
	return ok ? 0 : -1;
}

struct field
brokermap_value(struct brokermap *m, const struct row *row, const char *canonical)
{
	struct field none = { "", 0 };

	for (int i = 0; i < m->ncolumns; i++) {
		struct map_column *c = &m->columns[i];

		if (strcmp(c->canonical, canonical) != 0)
			continue;
		if (c->nsources == 1)
			return row->f[c->idx[0]];
		size_t k = 0, need = c->nsources;
		for (int j = 0; j < c->nsources; j++)
			need += row->f[c->idx[j]].n;
		if (need > m->scratch_cap)
			m->scratch = xrealloc(m->scratch, m->scratch_cap = need);
		for (int j = 0; j < c->nsources; j++) {
			const struct field *f = &row->f[c->idx[j]];

			if (j > 0)
				m->scratch[k++] = ' ';
			memcpy(m->scratch + k, f->p, f->n);
			k += f->n;
		}
		return (struct field){ m->scratch, k };
	}
	return none;
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

int
brokermap_time(struct brokermap *m, const char *s, size_t n, int64_t *utc)
{
	struct civil c;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	while (n > 0 && *s == ' ')
		s++, n--;
	if (civil_parse(m->date_format, s, n, &c) < 0)
		return -1;
	if (c.has_offset) {
		*utc = civil_seconds(&c) - c.offset;
		return 0;
	}
	if (!c.has_time)
		c.h = 12;
	return tz_to_utc(m->tz, &c, utc) == TZ_REPEATED;
}

struct field
brokermap_text(struct brokermap *m, struct field f)
{
	if (!m->latin1)
		return f;
	if (2 * f.n + 1 > m->text_cap)
		m->text = xrealloc(m->text, m->text_cap = 2 * f.n + 1);
	return (struct field){ m->text, latin1_to_utf8(f.p, f.n, m->text) };
}

static int
read_member(struct brokermap *m, struct input *in, struct rejects *rj, brokermap_fn fn, void *ctx,
    long *rows_in)
{
	struct rows *r = rows_open(in, &m->rowopts);
	struct row row;
	const char *why;
	size_t width;
	int got;

	if ((got = rows_next(r, &row)) <= 0) {
		if (got == 0)
			diag_at(rows_label(r), m->rowopts.skip_lines + 1, "no header (is title_lines right?)");
		rows_close(r);
		return -1;
	}
	width = row.nf;
	if (brokermap_bind(m, &row, rows_label(r)) < 0) {
		rows_close(r);
		return -1;
	}
	while ((got = rows_next(r, &row)) > 0) {
		(*rows_in)++;
		if ((why = row_width_error(&row, width)) != NULL)
			reject_row(rj, r, &row, why, "%zu fields, the header has %zu", row.nf, width);
		else if (!row.valid_utf8 && !m->latin1)
			reject_row(rj, r, &row, "bad_utf8", "not valid UTF-8 (a latin-1 file? say encoding = latin-1 in %s)", m->path);
		else
			fn(ctx, m, r, &row);
	}
	rows_close(r);
	return got < 0 ? -1 : 0;
}

int
brokermap_read(struct brokermap *m, char **inputs, int ninputs, struct rejects *rj,
    brokermap_fn fn, void *ctx, long *rows_in)
{
	for (int i = 0; i < ninputs; i++) {
		struct input *in = input_open(inputs[i]);
		int more = 0;

		if (in == NULL)
			return -1;
		input_set_entry_glob(in, m->entry_glob);
		while ((more = input_next(in)) > 0)
			if (read_member(m, in, rj, fn, ctx, rows_in) < 0) {
				more = -1;
				break;
			}
		input_close(in);
		if (more < 0)
			return -1;
	}
	return 0;
}

int
brokermaps_read(const struct brokermaps *ms, int by_name, char **inputs, int ninputs, struct rejects *rj,
    brokermap_fn fn, brokermap_done_fn done, void *ctx, long *rows_in)
{
	struct brokermap **maps = xmalloc((ninputs + 1) * sizeof *maps);
	int ok = 1;

	/* A file no map reads stops the run before a row is read: a new broker is a new map. */
	for (int i = 0; i < ninputs; i++)
		if ((maps[i] = by_name ? brokermaps_for(ms, inputs[i]) : ms->m[0]) == NULL)
			ok = 0;
	for (int i = 0; i < ninputs && ok; i++) {
		const char *slash = strrchr(inputs[i], '/');

		ok = brokermap_read(maps[i], &inputs[i], 1, rj, fn, ctx, rows_in) == 0;
		done(ctx, slash ? slash + 1 : inputs[i]);
	}
	free(maps);
	return ok ? 0 : -1;
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
