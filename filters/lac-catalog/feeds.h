/* lac-catalog feeds: each day's feeds, expected and arrived, with their counts. */
#ifndef LAC_CATALOG_FEEDS_H
#define LAC_CATALOG_FEEDS_H

/* A run that loaded what arrived, while a feed due that day did not arrive. */
#define EXIT_INCOMPLETE 4

struct feeds_options {
	const char *feeds;	/* catalog/feeds.txt */
	const char *maps;	/* the maps' folder */
	const char *inbox;
	char **summaries;	/* the programs' --summary files of the run */
	int nsummaries;
	const char *out_dir;	/* -o DIR: DIR/DAY/FILE for each day (FILE: the feeds table's), else stdout */
};

/*
 * The feeds stream of the days on stdout; each day with a feed missing
 * named on stderr ("20261102: missing invoca_calls_20261102.csv; missing
 * Lone Star Senior Benefits (cpa-2210-lonestar)").  0; EXIT_INCOMPLETE when
 * a feed due is missing; 1 or 2 when it cannot say.
 */
int feeds_run(const struct feeds_options *o, char **days, int ndays);
/*
 * The files of each feed (declared, or a day's folder NAME/) that arrived in
 * the inbox on each day, a "FEED<TAB>DAY<TAB>PATH" line each, day by day:
 * args are the feeds, then the days.  1 (diagnosed) when a day has two of a
 * declared feed, or a name is not letters, digits, '.', '_' and '-'; 2 when
 * a feed is not declared or no feed or day is given.
 */
int feeds_arrived(const struct feeds_options *o, char **args, int nargs);

#endif
