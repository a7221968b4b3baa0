#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "header.h"

int
header_find(const struct row *hdr, const char *name)
{
	int at = -1;

	for (size_t i = 0; i < hdr->nf; i++)
		if (field_eq(&hdr->f[i], name)) {
			if (at >= 0)
				return HEADER_TWICE;
			at = (int)i;
		}
	return at;
}

void
header_twice(const struct row *hdr, const char *label, const char *name)
{
	int first = -1, second = -1;

	for (size_t i = 0; i < hdr->nf && second < 0; i++)
		if (field_eq(&hdr->f[i], name))
			*(first < 0 ? &first : &second) = (int)i + 1;
	diag_at(label, hdr->line, "column %s is in the header twice (columns %d and %d): which one is meant?",
	    name, first, second);
}

static void
append(char **buf, size_t *len, size_t *cap, const char *p, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, p, n);
	*len += n;
	(*buf)[*len] = '\0';
}

int
header_lookup(const struct row *hdr, const char *label, const char *const *names,
    const unsigned char *required, size_t n, int *idx)
{
	char *missing = NULL, *had = NULL;
	size_t mlen = 0, mcap = 0, hlen = 0, hcap = 0;

	int twice = 0;

	for (size_t i = 0; i < n; i++) {
		idx[i] = header_find(hdr, names[i]);
		if (idx[i] == HEADER_TWICE) {
			header_twice(hdr, label, names[i]);
			twice = 1;
		} else if (idx[i] < 0 && (required == NULL || required[i])) {
			if (mlen)
				append(&missing, &mlen, &mcap, ", ", 2);
			append(&missing, &mlen, &mcap, names[i], strlen(names[i]));
		}
	}
	if (missing == NULL)
		return twice ? -1 : 0;
	for (size_t i = 0; i < hdr->nf; i++) {
		if (hlen)
			append(&had, &hlen, &hcap, ", ", 2);
		append(&had, &hlen, &hcap, hdr->f[i].p, hdr->f[i].n);
	}
	diag_at(label, hdr->line, "missing column(s): %s; the header has: %s",
	    missing, had ? had : "(nothing)");
	free(missing);
	free(had);
	return -1;
}
