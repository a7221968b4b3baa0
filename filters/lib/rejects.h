/*
 * The reject stream and the counters behind every summary line.  A rejected
 * row is written as TSV (src_file, src_line, program, reason, message,
 * record) to the --rejects file; the first few are also diagnosed on stderr.
 *
 * Exit policy, the same for every program: rejected rows are not lost when
 * a --rejects file keeps them, so the exit stays 0; without one they are,
 * so the exit is 1; with --max-rejects N (or N%) more rejects than that is
 * a broken feed, exit 3.
 */
#ifndef REJECTS_H
#define REJECTS_H

#include "rows.h"
#include "summary.h"
#include "tsvout.h"

#define REJECT_REASONS_MAX 32

struct writer;
struct tally;

struct rejects {
	struct tsvout *w;
	struct writer *row;	/* the catalog's rejects stream */
	int col[6];
	long total;
	long limit;		/* -1: none */
	int limit_pct;		/* limit is a percentage of rows in */
	size_t nreasons;
	struct {
		const char *code;
		long n, tallied;
	} reasons[REJECT_REASONS_MAX];
};

/* path NULL: diagnostics only.  0, or -1 (diagnosed). */
int rejects_open(struct rejects *rj, const char *path);
/* "--max-rejects" argument: "N" or "N%"; 0, or -1 when malformed. */
int rejects_set_limit(struct rejects *rj, const char *arg);
/* code: a literal, snake_case; message: printf format. */
void reject(struct rejects *rj, const char *file, long line, const char *raw, size_t rawlen,
    const char *code, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void reject_row(struct rejects *rj, struct rows *r, const struct row *row, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/*
 * Reject the row and return, in a function that handles one row: its
 * reject stream, reader and row in scope as rj, r and row.
 */
#define REJECT(why, ...) do { reject_row(rj, r, row, why, __VA_ARGS__); return; } while (0)
/* ", rejected N (code=n ...)" onto a summary. */
void rejects_summarize(const struct rejects *rj, struct summary *s);
/* The rejects by reason since the last call, into a --summary tally, for this input. */
void rejects_tally(struct rejects *rj, struct tally *t, const char *input);
/*
 * The exit policy applied to rows_in: 0; EXIT_DATA when rows were rejected
 * with no file to keep them; EXIT_REJECTS over --max-rejects (diagnosed).
 */
int rejects_status(const struct rejects *rj, long rows_in);
/* Close the file, with its end line when complete; 0, or -1 on a write error (diagnosed). */
int rejects_finish(struct rejects *rj, int complete);

#endif
