/*
 * A byte source: a path or "-", with gzip (zlib) and zip/tar archives
 * (libarchive) detected by content, never by name.  A plain or gzip file is
 * one member; an archive has one member per regular entry, in order.
 *
 *	in = input_open(path);
 *	while ((r = input_next(in)) > 0)
 *		while ((n = input_read(in, buf, sizeof buf)) > 0)
 *			...
 */
#ifndef INPUT_H
#define INPUT_H

#include <sys/types.h>

struct input;

struct input *input_open(const char *path);
/* A path's last component: what follows its last '/', or the path itself (an input's name). */
const char *path_base(const char *path);
/* Only archive entries whose path or base name match this fnmatch(3) glob. */
void input_set_entry_glob(struct input *in, const char *glob);
/* 1: positioned on the next member; 0: no more; -1: error (diagnosed). */
int input_next(struct input *in);
/* Lineage name of the member: "x.csv", "x.csv.gz", "x.zip/entry.csv". */
const char *input_label(const struct input *in);
/* Bytes of the current member: >0 read, 0 end of member, -1 error (diagnosed). */
ssize_t input_read(struct input *in, void *buf, size_t n);
void input_close(struct input *in);

#endif
