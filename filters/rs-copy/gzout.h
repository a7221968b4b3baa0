/* A gzip file written with zlib's deflate, for staging parts. */
#ifndef GZOUT_H
#define GZOUT_H

#include <stddef.h>
#include <stdint.h>

struct gzout;

/* NULL (diagnosed) when the file cannot be created. */
struct gzout *gzout_open(const char *path, int level);
int gzout_write(struct gzout *g, const void *p, size_t n);
/* Finish the stream and close; 0, or -1 (diagnosed).  Sizes for the caller. */
int gzout_close(struct gzout *g, uint64_t *in_bytes, uint64_t *out_bytes);

#endif
