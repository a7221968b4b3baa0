#include <string.h>

#include "brokermap_read.h"
#include "civil.h"
#include "diag.h"
#include "header.h"
#include "reader.h"
#include "rejects.h"
#include "utf8.h"

/* An input read the way its map says: its header bound, its values as the canonical columns. */

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

/* A read of an input by its map. */
struct by_map {
	struct brokermap *m;
	struct rejects *rejects;
	brokermap_fn fn;
	void *ctx;
};

static int
bind_map(void *ctx, struct rows *r, const struct row *hdr)
{
	struct by_map *b = ctx;

	return brokermap_bind(b->m, hdr, rows_label(r));
}

static void
mapped_record(void *ctx, struct rows *r, const struct row *row)
{
	struct by_map *b = ctx;

	if (!row->valid_utf8 && !b->m->latin1)
		reject_row(b->rejects, r, row, "bad_utf8", "not valid UTF-8 (a latin-1 file? say encoding = latin-1 in %s)",
		    b->m->path);
	else
		b->fn(b->ctx, b->m, r, row);
}

int
brokermap_read(struct brokermap *m, char **inputs, int ninputs, struct rejects *rj,
    brokermap_fn fn, void *ctx, long *rows_in)
{
	struct by_map b = { m, rj, fn, ctx };
	const struct reader rd = {
		.rowopts = m->rowopts, .entry_glob = m->entry_glob, .no_header = "no header (is title_lines right?)",
		.header = bind_map, .record = mapped_record, .rejects = rj, .rows_in = rows_in,
	};

	for (int i = 0; i < ninputs; i++)
		if (read_input(inputs[i], &rd, &b) < 0)
			return -1;
	return 0;
}
