/*
 * Routing rules an analyst edits: one rule a line, first match wins.
 *
 *	# target     condition [and condition ...]
 *	exclude      Test_Lead = 1
 *	lead_call    Lead_Type = "Inbound Call"
 *	cpa_cpt      Partner_ID in 1043, 2210, 3007
 *	drip         SRC prefix DRIP_
 *	lead         always
 *
 * A condition is COLUMN = VALUE, COLUMN in V1, V2, ..., or COLUMN prefix
 * VALUE; values compare byte for byte with the field.  Words with spaces
 * are written in double quotes ("" for a quote inside).  `#` starts a
 * comment.  Errors name the file and line.
 */
#ifndef RULES_H
#define RULES_H

#include <stddef.h>

#include "lib/rows.h"

struct rules;

/* targets: the names a rule may route to; NULL (diagnosed) on any error. */
struct rules *rules_load(const char *path, const char *const *targets, size_t ntargets);
/* Find every column the rules name in this header; -1 (diagnosed) when one is missing. */
int rules_bind(struct rules *rs, const struct row *hdr, const char *label);
/* Index of the target of the first matching rule, or -1; *line: that rule's line. */
int rules_route(const struct rules *rs, const struct row *row, long *line);
/* Does a rule name this column? */
int rules_uses(const struct rules *rs, const char *name, size_t n);
void rules_free(struct rules *rs);

#endif
