/* The SQL rs-copy writes: names and literals quoted, never pasted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/catalog.h"
#include "lib/diag.h"
#include "load.h"

char *
sql_quoted(const char *s, char q)
{
	char *out = xmalloc(2 * strlen(s) + 3), *p = out;

	*p++ = q;
	for (; *s; s++) {
		if (*s == q)
			*p++ = q;
		*p++ = *s;
	}
	*p++ = q;
	*p = '\0';
	return out;
}

/* A literal for SQL text (standard_conforming_strings: quotes doubled, never E''). */
char *
sql_literal(const struct run *r, const char *s)
{
	return r->conn ? pgdb_literal(r->conn, s) : sql_quoted(s, '\'');
}

/* A growing string of SQL. */
struct sqlbuf {
	char *s;
	size_t len, cap;
};

static void
add(struct sqlbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap)
		b->s = xrealloc(b->s, b->cap = 2 * (b->len + n + 1) + 64);
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static void
add_quoted(struct sqlbuf *b, const char *s, char q)
{
	char *t = sql_quoted(s, q);

	add(b, t);
	free(t);
}

char *
sql_table(const struct load *ld)
{
	struct sqlbuf b = { NULL, 0, 0 };

	add_quoted(&b, ld->schema, '"');
	add(&b, ".");
	add_quoted(&b, ld->table, '"');
	return b.s;
}

char *
sql_target(const struct load *ld)
{
	struct sqlbuf b = { NULL, 0, 0 };
	char *t = sql_table(ld);

	add(&b, t);
	free(t);
	add(&b, " (");
	for (int i = 0; i < ld->ncolumns; i++) {
		add_quoted(&b, ld->columns[i], '"');
		add(&b, ", ");
	}
	add(&b, "\"batch_id\", \"loaded_at\")");
	return b.s;
}

char *
sql_batches(const struct run *r, int group)
{
	struct sqlbuf b = { NULL, 0, 0 };

	for (int i = 0; i < r->nloads; i++)
		if (r->loads[i].group == group) {
			char *q = sql_literal(r, r->loads[i].batch);

			add(&b, b.len ? ", " : "");
			add(&b, q);
			free(q);
		}
	return b.s;
}

char *
sql_load_records(const struct run *r)
{
	struct sqlbuf b = { NULL, 0, 0 };
	char num[64], *q;

	if (r->nloads == 0)
		return NULL;
	add(&b, "INSERT INTO lac.loads (table_name, batch_id, run_id, row_count, replaced, loaded_at) VALUES ");
	for (int i = 0; i < r->nloads; i++) {
		const struct load *ld = &r->loads[i];
		char name[512];

		snprintf(name, sizeof name, "%s.%s", ld->schema, ld->table);
		add(&b, i ? ", (" : "(");
		q = sql_literal(r, name);
		add(&b, q);
		free(q);
		add(&b, ", ");
		q = sql_literal(r, ld->batch);
		add(&b, q);
		free(q);
		add(&b, ", ");
		q = sql_literal(r, r->run_id);
		add(&b, q);
		free(q);
		snprintf(num, sizeof num, ", %ld, %ld, ", ld->rows, ld->replaced);
		add(&b, num);
		q = sql_literal(r, r->recorded_at);
		add(&b, q);
		free(q);
		add(&b, ")");
	}
	return b.s;
}

/* Whether the run loads this batch into the table SCHEMA.NAME. */
static int
loads_into(const struct run *r, const char *name, const char *batch)
{
	char have[512];

	for (int i = 0; i < r->nloads; i++) {
		snprintf(have, sizeof have, "%s.%s", r->loads[i].schema, r->loads[i].table);
		if (strcmp(have, name) == 0 && strcmp(r->loads[i].batch, batch) == 0)
			return 1;
	}
	return 0;
}

int
sql_sibling_deletes(const struct run *r, char ***stmts)
{
	int n = 0;

	*stmts = NULL;
	for (int i = 0; i < r->nloads; i++) {
		const struct load *ld = &r->loads[i];
		const struct cat_stream *s;
		char name[512];

		snprintf(name, sizeof name, "%s.%s", ld->schema, ld->table);
		const struct cat_table *self = catalog_table(catalog(), name, &s);
		if (self == NULL || !s->identity_once)
			continue;
		const char *id = s->columns[s->identity[0]].name;
		char *batch = sql_literal(r, ld->batch), *loaded = sql_table(ld);
		for (const struct cat_table *t = s->tables; t < s->tables + s->ntables; t++) {
			const char *bare = strchr(t->name, '.') + 1;	/* how the statement names its target */

			if (t == self || loads_into(r, t->name, ld->batch))
				continue;
			*stmts = xrealloc(*stmts, (n + 1) * sizeof **stmts);
			(*stmts)[n++] = xasprintf("DELETE FROM %s USING %s l WHERE %s.batch_id = %s AND l.batch_id = %s "
			    "AND %s.%s = l.%s", t->name, loaded, bare, batch, batch, bare, id, id);
		}
		free(batch);
		free(loaded);
	}
	return n;
}
