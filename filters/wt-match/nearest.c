/*
 * Sales to transfers, nearest first, without listing every pair: a phone
 * with thousands of sales and transfers would make millions of them.
 *
 * Each unmatched sale has in a heap its best transfer as it was when
 * pushed: (distance, sale, transfer), the order the pairs are taken in.
 * Transfers are only ever taken, so a sale's best can only get worse: the
 * heap's least entry, when its transfer is still free, is the least pair of
 * all; when it is taken, the sale's best is looked for again and pushed.
 * A sale's best is found on the time line of its group's transfers (sorted
 * by key and time), walking out from the sale's time over free transfers
 * only (next-free links, path-compressed).  Transfers whose lead fell in
 * boberdoo's repeated hour may fit by their other reading instead: a group
 * has few, and they are tried one by one.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/diag.h"
#include "lib/strmap.h"
#include "lib/tz.h"
#include "wt-match/match.h"

struct best {
	int64_t distance, gap;
	int transfer;		/* -1: none */
	int daylight;		/* found by the sale's daylight reading */
};

struct entry {
	int64_t distance;
	int sale, transfer;
};

struct nearest {
	struct match *m;
	int *group_end;		/* by a group's first transfer: its end */
	int *left, *right;	/* next free transfer at or before / at or after; -1 past the ends */
	int64_t *other;		/* a transfer's other reading, or INT64_MIN */
	int **dst;		/* by a group's first transfer: its transfers with an other reading, -1 ended */
	struct entry *heap;
	size_t nheap;
};

static int64_t
abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

static int
before(const struct entry *a, const struct entry *b)
{
	if (a->distance != b->distance)
		return a->distance < b->distance;
	if (a->sale != b->sale)
		return a->sale < b->sale;
	return a->transfer < b->transfer;
}

static void
push(struct nearest *n, struct entry e)
{
	size_t i = n->nheap++;

	while (i > 0 && before(&e, &n->heap[(i - 1) / 2])) {
		n->heap[i] = n->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	n->heap[i] = e;
}

static struct entry
pop(struct nearest *n)
{
	struct entry top = n->heap[0], last = n->heap[--n->nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n->nheap)
			break;
		if (c + 1 < n->nheap && before(&n->heap[c + 1], &n->heap[c]))
			c++;
		if (!before(&n->heap[c], &last))
			break;
		n->heap[i] = n->heap[c];
		i = c;
	}
	n->heap[i] = last;
	return top;
}

/* The free transfer nearest at or after t (right) or at or before it (left), within its group; -1 none. */
static int
free_at(int *link, int t)
{
	int root = t;

	while (root >= 0 && link[root] != root)
		root = link[root];
	while (t >= 0 && link[t] != t) {	/* path compression */
		int next = link[t];

		link[t] = root;
		t = next;
	}
	return root;
}

static void
take(struct nearest *n, int t, int first, int end)
{
	n->left[t] = t > first ? t - 1 : -1;
	n->right[t] = t + 1 < end ? t + 1 : -1;
}

/* The better of two candidates in the pairs' order (distance, then transfer); the first on a tie. */
static void
consider(struct best *b, int64_t gap, int t, int daylight)
{
	int64_t d = abs64(gap);

	if (b->transfer < 0 || d < b->distance || (d == b->distance && t < b->transfer))
		*b = (struct best){ d, gap, t, daylight };
}

/* A gap from a lead to a sale that fits: the window after, a minute before. */
static int
within(const struct match *m, int64_t gap)
{
	return gap >= -MINUTE_SLACK && gap <= m->window;
}

/* The best free transfer of group [first, end) for a sale at `at`, into b. */
static void
best_from(struct nearest *n, int first, int end, int64_t at, int daylight, struct best *b)
{
	const struct transfer *tr = n->m->transfers;
	int lo = first, hi = end;
	int64_t gap;

	while (lo < hi) {	/* the first transfer received at or after `at` */
		int mid = lo + (hi - lo) / 2;

		if (tr[mid].received < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Leftwards (leads before the sale): nearer as it goes right; equal times, the first index. */
	for (int t = lo > first ? free_at(n->left, lo - 1) : -1; t >= 0; t = t > first ? free_at(n->left, t - 1) : -1) {
		if (b->transfer >= 0 && at - tr[t].received > b->distance)
			break;
		if (at - tr[t].received > n->m->window)
			break;
		consider(b, at - tr[t].received, t, daylight);	/* within the window by its own reading */
	}
	/* Rightwards (leads up to a minute after): nearer as it goes left. */
	for (int t = lo < end ? free_at(n->right, lo) : -1; t >= 0; t = t + 1 < end ? free_at(n->right, t + 1) : -1) {
		if (tr[t].received - at > MINUTE_SLACK || (b->transfer >= 0 && tr[t].received - at > b->distance))
			break;
		consider(b, at - tr[t].received, t, daylight);
	}
	/* Leads of the repeated hour whose own reading does not fit, by their other one. */
	for (int *d = n->dst[first]; d && *d >= 0; d++) {
		int64_t own = at - tr[*d].received;

		gap = at - n->other[*d];
		if (tr[*d].sale < 0 && !within(n->m, own) && within(n->m, gap))
			consider(b, gap, *d, daylight);
	}
}

/* A sale's best free transfer: by its time, and by its daylight reading when nearer. */
static struct best
best_for(struct nearest *n, const struct sale *s, int first)
{
	struct best b = { 0, 0, -1, 0 };

	best_from(n, first, n->group_end[first], s->at, 0, &b);
	if (s->has_daylight)	/* the same order: nearer, then the first transfer */
		best_from(n, first, n->group_end[first], s->at_daylight, 1, &b);
	return b;
}

static int
by_key_received(const void *a, const void *b)
{
	const struct transfer *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->received > y->received) - (x->received < y->received);
}

/*
 * The transfers' groups (one phone and partner): where each starts in the
 * sorted transfers (*groups) and ends, the free list of each, and the
 * transfers of each that the repeated DST hour could have read otherwise.
 */
static void
index_groups(struct nearest *n, struct strmap *groups)
{
	size_t nt = n->m->ntransfers;

	strmap_init(groups);
	for (size_t a = 0, b; a < nt; a = b) {
		int ndst = 0;

		for (b = a; b < nt && strcmp(n->m->transfers[a].key, n->m->transfers[b].key) == 0; b++) {
			n->left[b] = n->right[b] = (int)b;
			if (!tz_other_reading(n->m->tz, n->m->transfers[b].received, &n->other[b]))
				n->other[b] = INT64_MIN;
			else
				ndst++;
		}
		strmap_put(groups, n->m->transfers[a].key, strlen(n->m->transfers[a].key), (int)a);
		n->group_end[a] = (int)b;
		if (ndst > 0) {
			int k = 0;

			n->dst[a] = xmalloc((ndst + 1) * sizeof *n->dst[a]);
			for (size_t t = a; t < b; t++)
				if (n->other[t] != INT64_MIN)
					n->dst[a][k++] = (int)t;
			n->dst[a][k] = -1;
		}
	}
}

void
match_all(struct match *m)
{
	size_t nt = m->ntransfers;
	struct nearest n = { .m = m };
	struct strmap groups;
	struct best *best = xmalloc((m->nsales + 1) * sizeof *best);
	int *sale_group = xmalloc((m->nsales + 1) * sizeof *sale_group);

	if (nt > 0)	/* none: the array was never allocated, and qsort takes no NULL */
		qsort(m->transfers, nt, sizeof *m->transfers, by_key_received);
	n.group_end = xmalloc((nt + 1) * sizeof *n.group_end);
	n.left = xmalloc((nt + 1) * sizeof *n.left);
	n.right = xmalloc((nt + 1) * sizeof *n.right);
	n.other = xmalloc((nt + 1) * sizeof *n.other);
	n.dst = xmalloc((nt + 1) * sizeof *n.dst);
	memset(n.dst, 0, (nt + 1) * sizeof *n.dst);
	n.heap = xmalloc((m->nsales + 1) * sizeof *n.heap);
	index_groups(&n, &groups);
	for (size_t i = 0; i < m->nsales; i++) {
		struct sale *s = &m->sales[i];

		if (s->why)
			continue;
		if ((sale_group[i] = strmap_get(&groups, s->key, strlen(s->key))) < 0) {
			s->why = "no_transfer";
			continue;
		}
		best[i] = best_for(&n, s, sale_group[i]);
		if (best[i].transfer < 0) {
			s->why = "outside_window";
			continue;
		}
		s->why = "taken";	/* until it is matched */
		push(&n, (struct entry){ best[i].distance, (int)i, best[i].transfer });
	}
	while (n.nheap > 0) {
		struct entry e = pop(&n);
		struct sale *s = &m->sales[e.sale];
		struct transfer *t = &m->transfers[e.transfer];
		int first = sale_group[e.sale];

		if (t->sale >= 0) {	/* taken since: this sale's next best, if any */
			best[e.sale] = best_for(&n, s, first);
			if (best[e.sale].transfer >= 0)
				push(&n, (struct entry){ best[e.sale].distance, e.sale, best[e.sale].transfer });
			continue;
		}
		s->transfer = e.transfer;
		s->gap = best[e.sale].gap;
		if (best[e.sale].daylight)
			s->at = s->at_daylight;	/* the sale happened at the reading that matched */
		t->sale = e.sale;
		take(&n, e.transfer, first, n.group_end[first]);
	}
	for (size_t t = 0; t < nt; t++)
		free(n.dst[t]);
	free(n.dst);
	free(n.other);
	free(n.left);
	free(n.right);
	free(n.heap);
	free(n.group_end);
	free(sale_group);
	free(best);
	strmap_free(&groups);
}
