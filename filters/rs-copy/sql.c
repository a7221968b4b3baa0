/* The SQL rs-copy writes: names and literals quoted, never pasted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
