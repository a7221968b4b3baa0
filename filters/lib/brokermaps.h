/* The maps of a folder (--maps DIR), and each input read by its own map. */
#ifndef BROKERMAPS_H
#define BROKERMAPS_H

#include "brokermap_read.h"

/* The maps of a folder that a program reads (--maps DIR). */
struct brokermaps {
	struct brokermap **m;
	int n;
};

/*
 * Every map of this kind in a folder (files *.map), each checked whole; a
 * map of the other kind, or a file of status lines that maps include, is
 * passed by.  0, or -1 (diagnosed) when a map is broken or the folder
 * cannot be read.
 */
int brokermaps_load(const char *dir, enum map_kind kind, struct brokermaps *out);
/* The maps --map FILE (one) or --maps DIR (its maps) name; 0, or -1 (diagnosed). */
int brokermaps_open(const char *file, const char *dir, enum map_kind kind, struct brokermaps *out);
/* The one map whose `files` glob matches a file's base name; NULL (diagnosed) when none or two do. */
struct brokermap *brokermaps_for(const struct brokermaps *ms, const char *path);
void brokermaps_free(struct brokermaps *ms);
/*
 * Every input read by its map: the only one (--map), or by name (--maps:
 * brokermaps_for), every input's map found before any input is read.  After
 * each input, done(ctx, its base name).  0, or -1 (diagnosed).
 */
typedef void (*brokermap_done_fn)(void *ctx, const char *input);
int brokermaps_read(const struct brokermaps *ms, int by_name, char **inputs, int ninputs, struct rejects *rj,
    brokermap_fn fn, brokermap_done_fn done, void *ctx, long *rows_in);

#endif
