/*
 * dispo-map: a broker's feedback file -> the disposition stream in one
 * vocabulary, by the broker's mapping file.  A status no map knows is kept
 * as 'unmapped' and listed, never dropped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/brokermaps.h"
#include "lib/civil.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/phone.h"
#include "lib/rejects.h"
#include "lib/strmap.h"
#include "lib/tally.h"
#include "lib/tsvout.h"
#include "lib/writer.h"

static const char usage[] =
"usage: dispo-map --map FILE [--unmapped FILE] [--rejects FILE] [--max-rejects N[%]] [INPUT ...]\n"
"       dispo-map --maps DIR [--unmapped FILE] [--rejects FILE] [--max-rejects N[%]] FILE ...\n";

static const char help[] =
"dispo-map: broker feedback -> one disposition vocabulary\n"
"\n"
"  --map FILE          the broker's mapping file (samples/maps/*.map)\n"
"  --maps DIR          every dispositions map of a folder: each FILE is read by\n"
"                      the one whose files glob matches its name (none, or two,\n"
"                      stops the run before a row is read)\n"
"  --unmapped FILE     each distinct raw status no map knows, with its count\n"
"  --rejects FILE      rejected rows as TSV; '-' is stdout\n"
"  --max-rejects N[%]  exit 3 when more rows than this are rejected\n"
"  --help, --version\n"
"\n"
"Output on stdout: the catalog's dispositions stream (--header prints its\n"
"header); status is one of the map language's vocabulary, or unmapped.\n"
"Exit: 0 ok; 1 unreadable input, a mapped column missing, or rows rejected\n"
"with no --rejects file; 2 usage or a broken map; 3 too many rejects.\n";

enum { D_PARTNER, D_KEY_TYPE, D_KEY, D_RAW, D_STATUS, D_AT, D_FILE, D_LINE, D_N };
static const char *const out_columns[D_N] = {
	"partner_id", "key_type", "key", "status_raw", "status", "status_at", "src_file", "src_line"
};
enum { U_PARTNER, U_RAW, U_ROWS, U_FILE, U_LINE, U_MAP, U_N };
static const char *const unmapped_columns[U_N] = {
	"partner_id", "status_raw", "rows", "first_src_file", "first_src_line", "map"
};
static const char *const key_types[] = { "lead_id", "phone", "call_id" };

struct unmapped {
	char *raw;
	long count;
	char *first_file;
	long first_line;
	const struct brokermap *map;
};

struct dispo {
	struct rejects rejects;
	struct tally *tally;
	struct writer *w, *uw;
	int col[D_N], ucol[U_N];
	struct tsvout *out;
	long in, mapped, unmapped;
	long in_mark, out_mark, unmapped_mark;	/* the counts when the input began */
	struct unmapped *seen;
	size_t nseen;
	struct strmap seen_index;	/* "map\037raw" to its place in seen */
	char *key;
	size_t key_cap;
};

/* Count a raw status no map knows, by map: found by hash, however many distinct ones a feed brings. */
static void
note_unmapped(struct dispo *s, const struct brokermap *m, struct field raw, const char *file, long line)
{
	size_t plen = strlen(m->path), n = plen + 1 + raw.n;
	int at;

	if (n > s->key_cap)
		s->key = xrealloc(s->key, s->key_cap = 2 * n);
	memcpy(s->key, m->path, plen);
	s->key[plen] = '\037';
	memcpy(s->key + plen + 1, raw.p, raw.n);
	if ((at = strmap_get(&s->seen_index, s->key, n)) >= 0) {
		s->seen[at].count++;
		return;
	}
	if ((s->nseen & (s->nseen - 1)) == 0)	/* doubling at each power of two */
		s->seen = xrealloc(s->seen, (s->nseen ? 2 * s->nseen : 1) * sizeof *s->seen);
	s->seen[s->nseen] = (struct unmapped){ xstrndup(raw.p, raw.n), 1, xstrdup(file), line, m };
	strmap_put(&s->seen_index, s->key, n, (int)s->nseen);
	s->nseen++;
}

static void
map_row(void *ctx, struct brokermap *m, struct rows *r, const struct row *row)
{
	struct dispo *s = ctx;
	struct rejects *rj = &s->rejects;
	struct field key = field_trim(brokermap_value(m, row, "key")), raw, at;
	char phone[PHONE_BUFSZ];
	const char *status, *why, *col;
	int64_t utc = 0;
	int has_at = 0;
	long lead_id;

	if (key.n == 0)
		REJECT("missing_value", "no %s", key_types[m->key_type]);
	switch (m->key_type) {
	case KEY_LEAD_ID:
		if (field_long(key, &lead_id) < 0)
			REJECT("bad_lead_id", "lead id '%.*s'", (int)key.n, key.p);
		break;
	case KEY_PHONE:
		if (phone_e164(key.p, key.n, phone) < 0)
			REJECT("bad_phone", "phone '%.*s'", (int)key.n, key.p);
		key = (struct field){ phone, PHONE_BUFSZ - 1 };
		break;
	case KEY_CALL_ID:
		key = brokermap_text(m, key);
		break;
	}
	raw = field_trim(brokermap_value(m, row, "status"));
	if (raw.n == 0)
		REJECT("missing_value", "no status");
	at = field_trim(brokermap_value(m, row, "status_at"));
	if (at.n > 0) {
		if (brokermap_time(m, at.p, at.n, &utc) < 0)
			REJECT("bad_date", "status date '%.*s' (date_format %s)", (int)at.n, at.p, m->date_format);
		has_at = 1;
	}
	status = brokermap_status(m, raw.p, raw.n);
	raw = brokermap_text(m, raw);
	w_int(s->w, s->col[D_PARTNER], m->partner_id);
	w_str(s->w, s->col[D_KEY_TYPE], key_types[m->key_type]);
	w_text(s->w, s->col[D_KEY], key.p, key.n);
	w_text(s->w, s->col[D_RAW], raw.p, raw.n);
	w_str(s->w, s->col[D_STATUS], status ? status : "unmapped");
	if (has_at)
		w_time(s->w, s->col[D_AT], utc);
	w_str(s->w, s->col[D_FILE], rows_label(r));
	w_int(s->w, s->col[D_LINE], row->line);
	if ((why = writer_row(s->w, s->out, &col)) != NULL)
		REJECT(why, "%s does not fit the column", col);
	if (status == NULL) {
		s->unmapped++;
		note_unmapped(s, m, raw, rows_label(r), row->line);
	} else
		s->mapped++;
}

/* The distinct unmapped statuses, most frequent first (then as first seen), for the analyst who extends the map. */
static const struct unmapped *sorting;

static int
most_frequent(const void *a, const void *b)
{
	const struct unmapped *x = &sorting[*(const size_t *)a], *y = &sorting[*(const size_t *)b];

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int
write_unmapped(struct dispo *s, const char *path, int complete)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	size_t *order = xmalloc((s->nseen + 1) * sizeof *order);
	struct tsvout *w;
	const char *why, *col;

	if (fd < 0) {
		diag("%s: %s", path, strerror(errno));
		free(order);
		return -1;
	}
	for (size_t i = 0; i < s->nseen; i++)
		order[i] = i;
	sorting = s->seen;
	if (s->nseen > 1)
		qsort(order, s->nseen, sizeof *order, most_frequent);
	w = tsv_open_fd(fd, path);
	writer_header(s->uw, w);
	for (size_t k = 0; k < s->nseen; k++) {
		const struct unmapped *u = &s->seen[order[k]];

		w_int(s->uw, s->ucol[U_PARTNER], u->map->partner_id);
		w_str(s->uw, s->ucol[U_RAW], u->raw);
		w_int(s->uw, s->ucol[U_ROWS], u->count);
		w_str(s->uw, s->ucol[U_FILE], u->first_file);
		w_int(s->uw, s->ucol[U_LINE], u->first_line);
		w_str(s->uw, s->ucol[U_MAP], u->map->path);
		if ((why = writer_row(s->uw, w, &col)) != NULL)
			diag("%s: status '%s': %s does not fit the column (%s)", path, u->raw, col, why);
	}
	free(order);
	return tsv_finish(w, complete);
}

/* One input's counts into the --summary tally. */
static void
input_done(void *ctx, const char *input)
{
	struct dispo *s = ctx;

	tally_add(s->tally, input, NULL, "rows_in", NULL, s->in - s->in_mark);
	tally_add(s->tally, input, "dispositions", "rows_out", NULL, s->mapped + s->unmapped - s->out_mark);
	tally_add(s->tally, input, "dispositions", "unmapped", NULL, s->unmapped - s->unmapped_mark);
	rejects_tally(&s->rejects, s->tally, input);
	s->in_mark = s->in;
	s->out_mark = s->mapped + s->unmapped;
	s->unmapped_mark = s->unmapped;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_MAP_OPTIONS,
		{ "unmapped", required_argument, NULL, 'u' },
		CLI_REJECT_OPTIONS,
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *unmapped_path = NULL;
	struct brokermaps maps = { NULL, 0 };
	struct reject_options ro = { .stdout_is_stream = 1 };
	struct dispo s = { 0 };
	struct summary sum = { .len = 0 };
	int c, ok;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		switch (c) {
		case 'u': unmapped_path = optarg; break;
		default:
			if (!cli_common_option(c, optarg, help, &ro))
				usage_error(usage, "unknown option");
		}
	s.w = writer_bind("dispositions", out_columns, D_N, s.col);
	s.uw = writer_bind("unmapped", unmapped_columns, U_N, s.ucol);
	struct writer *writers[] = { s.w, s.uw };
	cli_header(&ro, writers, 2, usage);
	if ((ro.map == NULL) == (ro.maps == NULL))
		usage_error(usage, "give --map FILE or --maps DIR");
	cli_open_rejects(&s.rejects, &ro, usage);
	s.tally = tally_open(ro.summary);
	if (brokermaps_open(ro.map, ro.maps, MAP_DISPOSITIONS, &maps) < 0)
		exit(EXIT_USAGE);
	strmap_init(&s.seen_index);

	s.out = tsv_open_fd(STDOUT_FILENO, "stdout");
	writer_header(s.w, s.out);
	int ninputs = argc - optind;
	char **inputs = ro.maps ? argv + optind : cli_inputs(argc, argv, &ninputs);
	ok = brokermaps_read(&maps, ro.maps != NULL, inputs, ninputs, &s.rejects, map_row, input_done, &s,
	    &s.in) == 0;
	int status = rejects_status(&s.rejects, s.in), complete = ok && status != EXIT_REJECTS;
	if (tsv_finish(s.out, complete) < 0)
		ok = complete = 0;
	if (unmapped_path && write_unmapped(&s, unmapped_path, complete) < 0)
		ok = 0;

	summary_add(&sum, "rows in %ld, out %ld (mapped %ld, unmapped %ld in %zu distinct statuses)",
	    s.in, s.mapped + s.unmapped, s.mapped, s.unmapped, s.nseen);
	rejects_summarize(&s.rejects, &sum);
	summary_print(&sum);
	if (rejects_finish(&s.rejects, complete) < 0 || tally_close(s.tally, complete) < 0)
		ok = 0;
	writer_free(s.w);
	writer_free(s.uw);
	for (size_t i = 0; i < s.nseen; i++) {
		free(s.seen[i].raw);
		free(s.seen[i].first_file);
	}
	free(s.seen);
	free(s.key);
	strmap_free(&s.seen_index);
	brokermaps_free(&maps);
	return ok ? status : EXIT_DATA;
}
