/*
 * lac-catalog feeds: what each feed day should have had (catalog/feeds.txt
 * and the maps' schedules), what arrived in the inbox, and the rows and
 * rejects the programs' summaries counted for each file.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/atomic.h"
#include "lib/brokermaps.h"
#include "lib/civil.h"
#include "lib/diag.h"
#include "lib/input.h"
#include "lib/summary.h"
#include "lac-catalog/summaries.h"
#include "lib/tsvout.h"
#include "lib/writer.h"
#include "feeds.h"

enum { F_DAY, F_FEED, F_EXPECTED, F_ARRIVED, F_FILE, F_MODIFIED, F_ROWS, F_REJECTED, F_SRC_FILE, F_SRC_LINE, F_N };
static const char *const columns[F_N] = {
	"day", "feed", "expected", "arrived", "file", "modified_at", "row_count", "rejected", "src_file", "src_line"
};

/* A feed: its files glob ({DAY} for the day), its schedule, and where it is declared. */
struct feed {
	char *name, *label, *glob, *declared;
	enum schedule schedule;
	long line;
};

/* The counts of one input file, from the summaries. */
struct counted {
	char *input;
	long rows, rejected;
	int file;			/* the summary last read for it */
	long file_rows, file_rejected;	/* what that summary says */
};

struct feeds {
	struct feed *f;
	int n;
	struct counted *c;
	int nc;
	char **files;		/* the inbox day's files, relative to its folder */
	int nfiles;
	int summary_no;		/* the summary being read, from 1 */
};

static void
add_feed(struct feeds *fs, const char *name, const char *label, const char *glob, enum schedule s,
    const char *declared, long line)
{
	fs->f = xrealloc(fs->f, (fs->n + 1) * sizeof *fs->f);
	fs->f[fs->n++] = (struct feed){ xstrdup(name), xstrdup(label), xstrdup(glob), xstrdup(declared), s, line };
}

/* catalog/feeds.txt: "feed NAME FILES SCHEDULE" lines. */
static int
read_declared(struct feeds *fs, const char *path)
{
	FILE *fp = fopen(path, "r");
	char *text = NULL, name[128], glob[512], when[32], extra[2];
	size_t cap = 0;
	long line = 0;
	int ok = 1;

	if (fp == NULL) {
		diag("%s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&text, &cap, fp) > 0) {
		char *hash = strchr(text, '#');

		line++;
		if (hash)
			*hash = '\0';
		int got = sscanf(text, " feed %127s %511s %31s %1s", name, glob, when, extra);
		if (got == EOF || (got <= 0 && strspn(text, " \t\r\n") == strlen(text)))
			continue;
		int s = got == 3 ? schedule_of(when) : -1;	/* when is set only when three words were read */
		if (s < 0) {
			diag_at(path, line, "expected 'feed NAME FILES daily|weekdays|none'");
			ok = 0;
			continue;
		}
		add_feed(fs, name, name, glob, (enum schedule)s, path, line);
	}
	free(text);
	fclose(fp);
	return ok ? 0 : -1;
}

/* Each map is a feed too: its files, its schedule, its name. */
static int
read_maps(struct feeds *fs, const char *dir)
{
	static const enum map_kind kinds[] = { MAP_SALES, MAP_DISPOSITIONS };

	for (int k = 0; k < 2; k++) {
		struct brokermaps ms;

		if (brokermaps_load(dir, kinds[k], &ms) < 0)
			return -1;
		for (int i = 0; i < ms.n; i++) {
			const struct brokermap *m = ms.m[i];
			char name[256];

			snprintf(name, sizeof name, "%s", path_base(m->path));
			if (strlen(name) > 4)
				name[strlen(name) - 4] = '\0';	/* cpa-2210-lonestar.map: cpa-2210-lonestar */
			if (m->files_glob)
				add_feed(fs, name, m->name ? m->name : name, m->files_glob, m->schedule, m->path, 1);
		}
		brokermaps_free(&ms);
	}
	return 0;
}

/* The files of a day's inbox folder and of its sub-folders (cpa/, wt/, dispo/), by name. */
static void
list_files(struct feeds *fs, const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096], rel[1024];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		snprintf(rel, sizeof rel, "%s%s", prefix, e->d_name);
		if (e->d_type == DT_DIR) {	/* one level of folders: a day's cpa/, wt/, dispo/ */
			char sub[1024];

			snprintf(sub, sizeof sub, "%s/", e->d_name);
			if (*prefix == '\0')
				list_files(fs, path, sub);
			continue;
		}
		fs->files = xrealloc(fs->files, (fs->nfiles + 1) * sizeof *fs->files);
		fs->files[fs->nfiles++] = xstrdup(rel);
	}
	closedir(d);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A summary row: its input's rows in and rejects, by input file name. */
static void
count_row(void *ctx, const struct field *f, long n)
{
	struct feeds *fs = ctx;
	int rows_in = field_eq(&f[SUM_MEASURE], "rows_in"), i = 0;

	if (f[SUM_INPUT].n == 0 || (!rows_in && !field_eq(&f[SUM_MEASURE], "rejected")))
		return;
	while (i < fs->nc && !field_eq(&f[SUM_INPUT], fs->c[i].input))
		i++;
	if (i == fs->nc) {
		fs->c = xrealloc(fs->c, (fs->nc + 1) * sizeof *fs->c);
		fs->c[fs->nc++] = (struct counted){ .input = xstrndup(f[SUM_INPUT].p, f[SUM_INPUT].n) };
	}
	/*
	 * A file read by two runs of a program (a day's and its neighbour's) is
	 * counted once: the most any one summary says.
	 */
	struct counted *c = &fs->c[i];
	if (c->file != fs->summary_no) {
		c->file = fs->summary_no;
		c->file_rows = c->file_rejected = 0;
	}
	if (rows_in)
		c->file_rows += n;
	else
		c->file_rejected += n;
	if (c->file_rows > c->rows)
		c->rows = c->file_rows;
	if (c->file_rejected > c->rejected)
		c->rejected = c->file_rejected;
}

/* DIR/DAY/FILE, FILE the feeds table's file, written whole or not at all. */
static struct tsvout *
open_day(const char *dir, const char *day, const struct writer *w, struct atomic_file *af)
{
	const struct cat_stream *s = w->stream;
	char path[4096];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, day);
	if ((mkdir(dir, 0777) < 0 && errno != EEXIST) || (mkdir(path, 0777) < 0 && errno != EEXIST)) {
		diag("%s: %s", path, strerror(errno));
		return NULL;
	}
	char file[256];

	if (s->ntables == 0)
		snprintf(file, sizeof file, "%s.tsv", s->name);
	snprintf(path, sizeof path, "%s/%s/%s", dir, day, s->ntables ? cat_table_file(&s->tables[0], file, sizeof file) : file);
	if ((fd = atomic_open(af, path)) < 0)
		return NULL;
	struct tsvout *out = tsv_open_fd(fd, path);
	writer_header(w, out);
	return out;
}

/* The files of a day's inbox folder (fs->files), in name order. */
static void
list_day(struct feeds *fs, const char *dir)
{
	for (int i = 0; i < fs->nfiles; i++)
		free(fs->files[i]);
	fs->nfiles = 0;
	list_files(fs, dir, "");
	if (fs->nfiles > 1)
		qsort(fs->files, fs->nfiles, sizeof *fs->files, by_name);
}

/* Is a feed due on a day?  Weekdays are Monday to Friday. */
static int
due(enum schedule s, const struct civil *date)
{
	int64_t days = days_from_civil(date->y, date->mo, date->d);
	int weekday = (int)(((days % 7) + 10) % 7);	/* 1970-01-01 was a Thursday (3): 0 is Monday */

	return s == SCHEDULE_DAILY || (s == SCHEDULE_WEEKDAYS && weekday < 5);
}

/* A glob with {DAY} replaced by the day. */
static void
day_glob(const char *glob, const char *day, char *out, size_t size)
{
	const char *at = strstr(glob, "{DAY}");

	if (at)
		snprintf(out, size, "%.*s%s%s", (int)(at - glob), glob, day, at + 5);
	else
		snprintf(out, size, "%s", glob);
}

/* A file name an inbox may hold: letters, digits, '.', '_' and '-', not starting with '.'. */
static int
safe_name(const char *name)
{
	return name[0] != '.' && name[0] != '\0' && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == strlen(name);
}

/* A day operand as a date; said ("a day is YYYYMMDD") and -1 when it is none. */
static int
parse_day(const char *s, struct civil *day)
{
	if (strlen(s) == 8 && civil_parse("%Y%m%d", s, 8, day) == 0)
		return 0;
	diag("a day is YYYYMMDD, not '%s'", s);
	return -1;
}

/* A row for each file of a feed that arrived on a day, and one for each feed due that did not (said in *said). */
static void
write_day(struct feeds *fs, struct writer *w, const int *col, struct tsvout *out, const char *day, const char *dir,
    const char *iso, const struct civil *date, struct summary *said)
{
	char glob[600];

	for (int i = 0; i < fs->n; i++) {
		const struct feed *f = &fs->f[i];
		int arrived = 0, expected = due(f->schedule, date);

		day_glob(f->glob, day, glob, sizeof glob);
		for (int j = 0; j < fs->nfiles; j++) {
			const char *name = path_base(fs->files[j]);

			if (fnmatch(glob, name, 0) != 0)
				continue;
			arrived = 1;
			w_str(w, col[F_DAY], iso);
			w_str(w, col[F_FEED], f->name);
			w_int(w, col[F_EXPECTED], expected);
			w_int(w, col[F_ARRIVED], 1);
			w_str(w, col[F_FILE], fs->files[j]);
			/* When it arrived (its last change): a file after the day's first run came late. */
			char path[8192];
			struct stat st;
			snprintf(path, sizeof path, "%s/%s", dir, fs->files[j]);
			if (stat(path, &st) == 0)
				w_time(w, col[F_MODIFIED], st.st_mtime);
			for (int c = 0; c < fs->nc; c++)
				if (strcmp(fs->c[c].input, name) == 0) {
					w_int(w, col[F_ROWS], fs->c[c].rows);
					w_int(w, col[F_REJECTED], fs->c[c].rejected);
				}
			w_str(w, col[F_SRC_FILE], f->declared);
			w_int(w, col[F_SRC_LINE], f->line);
			writer_row(w, out, &(const char *){ NULL });
		}
		if (arrived || !expected)
			continue;
		w_str(w, col[F_DAY], iso);
		w_str(w, col[F_FEED], f->name);
		w_int(w, col[F_EXPECTED], 1);
		w_int(w, col[F_ARRIVED], 0);
		w_str(w, col[F_SRC_FILE], f->declared);
		w_int(w, col[F_SRC_LINE], f->line);
		writer_row(w, out, &(const char *){ NULL });
		if (strcmp(f->name, f->label) == 0 && strchr(glob, '*') == NULL)
			summary_add(said, "%smissing %s", said->len ? "; " : "", glob);
		else if (strcmp(f->name, f->label) == 0)
			summary_add(said, "%smissing the %s export (%s)", said->len ? "; " : "", f->name, glob);
		else
			summary_add(said, "%smissing %s (%s)", said->len ? "; " : "", f->label, f->name);
	}
}

static void
free_feeds(struct feeds *fs)
{
	for (int i = 0; i < fs->n; i++) {
		free(fs->f[i].name);
		free(fs->f[i].label);
		free(fs->f[i].glob);
		free(fs->f[i].declared);
	}
	for (int i = 0; i < fs->nc; i++)
		free(fs->c[i].input);
	for (int i = 0; i < fs->nfiles; i++)
		free(fs->files[i]);
	free(fs->f);
	free(fs->c);
	free(fs->files);
}

int
feeds_run(const struct feeds_options *o, char **days, int ndays)
{
	struct feeds fs = { 0 };
	int col[F_N], missing_any = 0, ok = 1;
	struct writer *w = writer_bind("feeds", columns, F_N, col);
	struct tsvout *out;

	if (read_declared(&fs, o->feeds) < 0 || read_maps(&fs, o->maps) < 0)
		return EXIT_USAGE;
	for (int i = 0; i < o->nsummaries; i++) {
		fs.summary_no = i + 1;
		if (summary_rows(o->summaries[i], count_row, &fs) < 0)
			ok = 0;
	}
	if (o->out_dir == NULL) {
		out = tsv_open_fd(1, "stdout");
		writer_header(w, out);
	}
	for (int k = 0; k < ndays; k++) {
		char dir[4096], iso[UTC_BUFSZ];
		struct civil day;
		struct summary said = { .len = 0 };
		struct atomic_file af;

		if (parse_day(days[k], &day) < 0) {
			ok = 0;
			continue;
		}
		if (o->out_dir && (out = open_day(o->out_dir, days[k], w, &af)) == NULL) {
			ok = 0;
			break;
		}
		format_date(civil_seconds(&day), iso);
		snprintf(dir, sizeof dir, "%s/%s", o->inbox, days[k]);
		list_day(&fs, dir);
		write_day(&fs, w, col, out, days[k], dir, iso, &day, &said);
		if (said.len) {
			diag("%s: %s", days[k], said.buf);
			missing_any = 1;
		}
		if (o->out_dir && atomic_finish_streams(&out, &af, 1, ok) < 0)
			ok = 0;
	}
	if (o->out_dir == NULL && tsv_finish(out, ok) < 0)
		ok = 0;
	writer_free(w);
	free_feeds(&fs);
	return !ok ? EXIT_DATA : missing_any ? EXIT_INCOMPLETE : 0;
}

/* A feed operand: the declared feed of that name into *f, or NULL for a day's folder ("cpa/"); -1: neither. */
static int
find_feed(const struct feeds *fs, const char *name, const struct feed **f)
{
	size_t n = strlen(name);

	*f = NULL;
	if (n > 1 && strchr(name, '/') == name + n - 1)
		return 0;
	for (int i = 0; i < fs->n; i++)
		if (strcmp(fs->f[i].name, name) == 0) {
			*f = &fs->f[i];
			return 0;
		}
	return -1;
}

/* The files of one feed in the day's listing (fs->files of dir), printed; 0, or 1 said. */
static int
day_files(const struct feeds *fs, const char *dir, const char *day, const char *name, const struct feed *f)
{
	const char *found = NULL;
	char glob[600];

	if (f)
		day_glob(f->glob, day, glob, sizeof glob);
	else
		snprintf(glob, sizeof glob, "%s*", name);
	for (int j = 0; j < fs->nfiles; j++) {
		if (fnmatch(glob, fs->files[j], FNM_PATHNAME) != 0)
			continue;
		if (!safe_name(path_base(fs->files[j]))) {
			diag("%s/%s: refused: inbox file names are letters, digits, '.', '_' and '-'", dir, fs->files[j]);
			return EXIT_DATA;
		}
		if (found && f) {	/* a declared feed is one file a day; a folder, any */
			diag("%s: two %s files: %s and %s", day, name, found, fs->files[j]);
			return EXIT_DATA;
		}
		found = fs->files[j];
		printf("%s\t%s\t%s/%s\n", name, day, dir, found);
	}
	return 0;
}

int
feeds_arrived(const struct feeds_options *o, char **args, int nargs)
{
	struct feeds fs = { 0 };
	struct civil day;
	int nfeeds = 0, status = 0;

	/* The feeds, then the days: the days start at the first operand that starts with a digit. */
	while (nfeeds < nargs && !isdigit((unsigned char)args[nfeeds][0]))
		nfeeds++;
	if (nfeeds == 0 || nfeeds == nargs) {
		diag("arrived takes feeds, then days (YYYYMMDD)");
		return EXIT_USAGE;
	}
	for (int k = nfeeds; k < nargs; k++)
		if (parse_day(args[k], &day) < 0)
			return EXIT_DATA;
	if (read_declared(&fs, o->feeds) < 0)
		return EXIT_USAGE;
	const struct feed **f = xmalloc(nfeeds * sizeof *f);
	for (int i = 0; i < nfeeds && status == 0; i++)
		if (find_feed(&fs, args[i], &f[i]) < 0) {
			diag("%s declares no feed '%s' (a folder of the day is NAME/)", o->feeds, args[i]);
			status = EXIT_USAGE;
		}
	/* Day by day, each day's folder listed once for all the feeds. */
	for (int k = nfeeds; k < nargs && status == 0; k++) {
		char dir[4096];

		snprintf(dir, sizeof dir, "%s/%s", o->inbox, args[k]);
		list_day(&fs, dir);
		for (int i = 0; i < nfeeds && status == 0; i++)
			status = day_files(&fs, dir, args[k], args[i], f[i]);
	}
	free(f);
	free_feeds(&fs);
	return status;
}
