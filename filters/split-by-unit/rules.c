#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/header.h"
#include "rules.h"

enum op { OP_EQUALS, OP_IN, OP_PREFIX };

struct condition {
	char *column;
	int index;		/* in the bound header */
	enum op op;
	char **values;
	size_t *lens;
	size_t nvalues;
};

struct rule {
	int target;
	long line;
	struct condition *conds;
	size_t nconds;		/* 0: always */
};

struct rules {
	char *path;
	struct rule *rules;
	size_t nrules;
};

struct lexer {
	const char *p;
	const char *path;
	long line;
	char word[1024];
	int quoted;
};

/* Next token into lx->word: 1, 0 at end of line, -1 on error (diagnosed). */
static int
next_token(struct lexer *lx)
{
	size_t n = 0;

	while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r')
		lx->p++;
	lx->quoted = 0;
	if (*lx->p == '\0' || *lx->p == '\n' || *lx->p == '#')
		return 0;
	if (*lx->p == ',') {
		lx->p++;
		strcpy(lx->word, ",");
		return 1;
	}
	if (*lx->p == '"') {
		lx->quoted = 1;
		for (lx->p++;; lx->p++) {
			if (*lx->p == '\0' || *lx->p == '\n') {
				diag_at(lx->path, lx->line, "unterminated quoted value");
				return -1;
			}
			if (*lx->p == '"') {
				if (lx->p[1] != '"')
					break;
				lx->p++;
			}
			if (n + 1 >= sizeof lx->word)
				goto toolong;
			lx->word[n++] = *lx->p;
		}
		lx->p++;
	} else {
		while (*lx->p && !strchr(" \t\r\n,#", *lx->p)) {
			if (n + 1 >= sizeof lx->word)
				goto toolong;
			lx->word[n++] = *lx->p++;
		}
	}
	lx->word[n] = '\0';
	return 1;
toolong:
	diag_at(lx->path, lx->line, "word longer than %zu bytes", sizeof lx->word - 1);
	return -1;
}

static int
add_value(struct condition *c, const char *v)
{
	c->values = xrealloc(c->values, (c->nvalues + 1) * sizeof *c->values);
	c->lens = xrealloc(c->lens, (c->nvalues + 1) * sizeof *c->lens);
	c->values[c->nvalues] = xstrdup(v);
	c->lens[c->nvalues] = strlen(v);
	c->nvalues++;
	return 0;
}

static int
parse_condition(struct lexer *lx, struct condition *c)
{
	int t;

	memset(c, 0, sizeof *c);
	c->index = -1;
	c->column = xstrdup(lx->word);
	if ((t = next_token(lx)) <= 0) {
		if (t == 0)
			diag_at(lx->path, lx->line, "'%s' needs an operator: =, in or prefix", c->column);
		return -1;
	}
	if (strcmp(lx->word, "=") == 0)
		c->op = OP_EQUALS;
	else if (strcmp(lx->word, "in") == 0)
		c->op = OP_IN;
	else if (strcmp(lx->word, "prefix") == 0)
		c->op = OP_PREFIX;
	else {
		diag_at(lx->path, lx->line, "unknown operator '%s' (use =, in or prefix)", lx->word);
		return -1;
	}
	for (;;) {
		if ((t = next_token(lx)) < 0)
			return -1;
		if (t == 0 || (!lx->quoted && strcmp(lx->word, ",") == 0)) {
			diag_at(lx->path, lx->line, "'%s' is missing a value", c->column);
			return -1;
		}
		add_value(c, lx->word);
		if (c->op != OP_IN)
			return 0;
		/* A list goes on while a comma follows. */
		const char *save = lx->p;
		if ((t = next_token(lx)) < 0)
			return -1;
		if (t == 0 || lx->quoted || strcmp(lx->word, ",") != 0) {
			lx->p = save;
			return 0;
		}
	}
}

static int
parse_rule(struct lexer *lx, struct rule *r, const char *const *targets, size_t ntargets)
{
	int t;

	memset(r, 0, sizeof *r);
	r->line = lx->line;
	r->target = -1;
	for (size_t i = 0; i < ntargets; i++)
		if (strcmp(lx->word, targets[i]) == 0)
			r->target = (int)i;
	if (r->target < 0) {
		char list[512] = "";

		for (size_t i = 0; i < ntargets; i++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
			    i ? ", " : "", targets[i]);
		diag_at(lx->path, lx->line, "unknown target '%s' (one of: %s)", lx->word, list);
		return -1;
	}
	if ((t = next_token(lx)) <= 0) {
		if (t == 0)
			diag_at(lx->path, lx->line, "rule for '%s' has no condition (write 'always' to match every row)",
			    targets[r->target]);
		return -1;
	}
	if (!lx->quoted && strcmp(lx->word, "always") == 0) {
		if ((t = next_token(lx)) != 0) {
			if (t > 0)
				diag_at(lx->path, lx->line, "'always' takes no condition, found '%s'", lx->word);
			return -1;
		}
		return 0;
	}
	for (;;) {
		r->conds = xrealloc(r->conds, (r->nconds + 1) * sizeof *r->conds);
		if (parse_condition(lx, &r->conds[r->nconds++]) < 0)
			return -1;
		if ((t = next_token(lx)) <= 0)
			return t;
		if (lx->quoted || strcmp(lx->word, "and") != 0) {
			diag_at(lx->path, lx->line, "expected 'and' or end of line, found '%s'", lx->word);
			return -1;
		}
		if ((t = next_token(lx)) <= 0) {
			if (t == 0)
				diag_at(lx->path, lx->line, "'and' must be followed by a condition");
			return -1;
		}
	}
}

struct rules *
rules_load(const char *path, const char *const *targets, size_t ntargets)
{
	struct rules *rs = xmalloc(sizeof *rs);
	struct lexer lx = { .path = path };
	char *line = NULL;
	size_t cap = 0;
	long always_line = 0;
	FILE *fp;
	int t, ok = 1;

	memset(rs, 0, sizeof *rs);
	rs->path = xstrdup(path);
	if ((fp = fopen(path, "r")) == NULL) {
		diag("%s: %s", path, strerror(errno));
		rules_free(rs);
		return NULL;
	}
	ssize_t len;

	while ((len = getline(&line, &cap, fp)) > 0) {
		lx.line++;
		lx.p = line;
		if (memchr(line, '\0', len)) {
			diag_at(path, lx.line, "a NUL byte: not a text file");
			ok = 0;
			continue;
		}
		if ((t = next_token(&lx)) == 0)
			continue;
		if (t < 0) {
			ok = 0;
			continue;
		}
		if (always_line) {
			diag_at(path, lx.line, "rule can never match: 'always' on line %ld catches every row",
			    always_line);
			ok = 0;
			continue;
		}
		rs->rules = xrealloc(rs->rules, (rs->nrules + 1) * sizeof *rs->rules);
		struct rule *r = &rs->rules[rs->nrules++];
		if (parse_rule(&lx, r, targets, ntargets) < 0)
			ok = 0;
		else if (r->nconds == 0)
			always_line = lx.line;
	}
	if (ferror(fp)) {
		diag("%s: read error: %s", path, strerror(errno));
		ok = 0;
	}
	fclose(fp);
	free(line);
	if (ok && rs->nrules == 0) {
		diag("%s: no rules", path);
		ok = 0;
	}
	if (!ok) {
		rules_free(rs);
		return NULL;
	}
	return rs;
}

int
rules_bind(struct rules *rs, const struct row *hdr, const char *label)
{
	int ok = 1;

	for (size_t i = 0; i < rs->nrules; i++)
		for (size_t j = 0; j < rs->rules[i].nconds; j++) {
			struct condition *c = &rs->rules[i].conds[j];

			c->index = header_find(hdr, c->column);
			if (c->index == HEADER_TWICE) {
				header_twice(hdr, label, c->column);
				ok = 0;
			} else if (c->index < 0) {
				diag("%s:%ld: column '%s' is not in the header of %s",
				    rs->path, rs->rules[i].line, c->column, label);
				ok = 0;
			}
		}
	return ok ? 0 : -1;
}

static int
holds(const struct condition *c, const struct row *row)
{
	const struct field *f = &row->f[c->index];

	for (size_t i = 0; i < c->nvalues; i++) {
		if (c->op == OP_PREFIX) {
			if (f->n >= c->lens[i] && memcmp(f->p, c->values[i], c->lens[i]) == 0)
				return 1;
		} else if (f->n == c->lens[i] && memcmp(f->p, c->values[i], f->n) == 0)
			return 1;
	}
	return 0;
}

int
rules_route(const struct rules *rs, const struct row *row, long *line)
{
	for (size_t i = 0; i < rs->nrules; i++) {
		const struct rule *r = &rs->rules[i];
		size_t j;

		for (j = 0; j < r->nconds && holds(&r->conds[j], row); j++)
			;
		if (j == r->nconds) {
			*line = r->line;
			return r->target;
		}
	}
	return -1;
}

int
rules_uses(const struct rules *rs, const char *name, size_t n)
{
	for (size_t i = 0; i < rs->nrules; i++)
		for (size_t j = 0; j < rs->rules[i].nconds; j++)
			if (strlen(rs->rules[i].conds[j].column) == n && memcmp(rs->rules[i].conds[j].column, name, n) == 0)
				return 1;
	return 0;
}

void
rules_free(struct rules *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->nrules; i++) {
		for (size_t j = 0; j < rs->rules[i].nconds; j++) {
			struct condition *c = &rs->rules[i].conds[j];

			for (size_t k = 0; k < c->nvalues; k++)
				free(c->values[k]);
			free(c->values);
			free(c->lens);
			free(c->column);
		}
		free(rs->rules[i].conds);
	}
	free(rs->rules);
	free(rs->path);
	free(rs);
}
