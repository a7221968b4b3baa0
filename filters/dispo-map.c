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

#include "lib/brokermap.h"
#include "lib/civil.h"
#include "lib/cli.h"
#include "lib/diag.h"
#include "lib/phone.h"
#include "lib/rejects.h"
#include "lib/tally.h"
#include "lib/tsvout.h"
#include "lib/writer.h"

static const char usage[] =
"usage: dispo-map --map FILE [--unmapped FILE] [--rejects FILE] [--max-rejects N[%]] [INPUT ...]\n";

static const char help[] =
"dispo-map: broker feedback -> one disposition vocabulary\n"
"\n"
"  --map FILE          the broker's mapping file (samples/maps/*.map)\n"
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
};

struct dispo {
	struct brokermap *map;
	struct rejects rejects;
	struct tally *tally;
	struct writer *w, *uw;
	int col[D_N], ucol[U_N];
	struct tsvout *out;
	long in, mapped, unmapped;
	struct unmapped *seen;
	size_t nseen;
};

/* Count a raw status no map knows; the distinct ones are few, so a list serves. */
static void
note_unmapped(struct dispo *s, struct field raw, const char *file, long line)
{
	for (size_t i = 0; i < s->nseen; i++)
		if (strlen(s->seen[i].raw) == raw.n && memcmp(s->seen[i].raw, raw.p, raw.n) == 0) {
			s->seen[i].count++;
			return;
		}
	s->seen = xrealloc(s->seen, (s->nseen + 1) * sizeof *s->seen);
	s->seen[s->nseen].raw = strndup(raw.p, raw.n);
	s->seen[s->nseen].count = 1;
	s->seen[s->nseen].first_file = xstrdup(file);
	s->seen[s->nseen].first_line = line;
	s->nseen++;
}

#define REJECT(why, ...) do { reject_row(&s->rejects, r, row, why, __VA_ARGS__); return; } while (0)

static void
map_row(void *ctx, struct rows *r, const struct row *row)
{
	struct dispo *s = ctx;
	struct brokermap *m = s->map;
	struct field key = field_trim(brokermap_value(m, row, "key")), raw, at;
	char phone[PHONE_BUFSZ];
	const char *status, *why, *col;
	int64_t utc = 0;
	int has_at = 0;

	if (key.n == 0)
		REJECT("missing_value", "no %s", key_types[m->key_type]);
	switch (m->key_type) {
	case KEY_LEAD_ID:
		for (size_t i = 0; i < key.n; i++)
			if (key.p[i] < '0' || key.p[i] > '9' || key.n > 18)
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
		note_unmapped(s, raw, rows_label(r), row->line);
	} else
		s->mapped++;
}

/* The distinct unmapped statuses, most frequent first, for the analyst who extends the map. */
static int
write_unmapped(struct dispo *s, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	struct tsvout *w;
	const char *why, *col;

	if (fd < 0) {
		diag("%s: %s", path, strerror(errno));
		return -1;
	}
	w = tsv_open_fd(fd, path);
	writer_header(s->uw, w);
	for (size_t done = 0; done < s->nseen; done++) {
		size_t best = 0;

		for (size_t i = 1; i < s->nseen; i++)
			if (s->seen[i].count > s->seen[best].count)
				best = i;
		w_int(s->uw, s->ucol[U_PARTNER], s->map->partner_id);
		w_str(s->uw, s->ucol[U_RAW], s->seen[best].raw);
		w_int(s->uw, s->ucol[U_ROWS], s->seen[best].count);
		w_str(s->uw, s->ucol[U_FILE], s->seen[best].first_file);
		w_int(s->uw, s->ucol[U_LINE], s->seen[best].first_line);
		w_str(s->uw, s->ucol[U_MAP], s->map->path);
		if ((why = writer_row(s->uw, w, &col)) != NULL)
			diag("%s: status '%s': %s does not fit the column (%s)", path, s->seen[best].raw, col, why);
		s->seen[best].count = -s->seen[best].count;	/* written */
	}
	for (size_t i = 0; i < s->nseen; i++)
		s->seen[i].count = -s->seen[i].count;
	return tsv_close(w);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "map", required_argument, NULL, 'm' },
		{ "unmapped", required_argument, NULL, 'u' },
		CLI_REJECT_OPTIONS,
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *map_path = NULL, *unmapped_path = NULL;
	struct reject_options ro = { 0 };
	struct dispo s = { 0 };
	struct summary sum = { .len = 0 };
	int c, ok;

	cli_init(argv[0]);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		switch (c) {
		case 'm': map_path = optarg; break;
		case 'u': unmapped_path = optarg; break;
		default:
			if (!cli_common_option(c, optarg, help, &ro))
				usage_error(usage, "unknown option");
		}
	s.w = writer_open("dispositions");
	for (int i = 0; i < D_N; i++)
		s.col[i] = writer_col(s.w, out_columns[i]);
	writer_complete(s.w);
	s.uw = writer_open("unmapped");
	for (int i = 0; i < U_N; i++)
		s.ucol[i] = writer_col(s.uw, unmapped_columns[i]);
	writer_complete(s.uw);
	struct writer *writers[] = { s.w, s.uw };
	cli_header(&ro, writers, 2, usage);
	if (map_path == NULL)
		usage_error(usage, "--map is required");
	cli_open_rejects(&s.rejects, &ro, usage);
	s.tally = tally_open(ro.summary);
	if ((s.map = brokermap_load(map_path, MAP_DISPOSITIONS)) == NULL)
		exit(EXIT_USAGE);

	s.out = tsv_open_fd(STDOUT_FILENO, "stdout");
	writer_header(s.w, s.out);
	int ninputs;
	char **inputs = cli_inputs(argc, argv, &ninputs);
	ok = brokermap_read(s.map, inputs, ninputs, &s.rejects, map_row, &s, &s.in) == 0;
	if (tsv_close(s.out) < 0)
		ok = 0;
	if (unmapped_path && write_unmapped(&s, unmapped_path) < 0)
		ok = 0;

	summary_add(&sum, "rows in %ld, out %ld (mapped %ld, unmapped %ld in %zu distinct statuses)",
	    s.in, s.mapped + s.unmapped, s.mapped, s.unmapped, s.nseen);
	rejects_summarize(&s.rejects, &sum);
	summary_print(&sum);
	tally_add(s.tally, NULL, "dispositions", "rows_in", NULL, s.in);
	tally_add(s.tally, NULL, "dispositions", "rows_out", NULL, s.mapped + s.unmapped);
	tally_add(s.tally, NULL, "dispositions", "unmapped", NULL, s.unmapped);
	rejects_tally(&s.rejects, s.tally, NULL);
	int status = rejects_close(&s.rejects, s.in);
	if (tally_close(s.tally) < 0)
		ok = 0;
	writer_free(s.w);
	writer_free(s.uw);
	for (size_t i = 0; i < s.nseen; i++) {
		free(s.seen[i].raw);
		free(s.seen[i].first_file);
	}
	free(s.seen);
	brokermap_free(s.map);
	return ok ? status : EXIT_DATA;
}
