#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/diag.h"
#include "gzout.h"

#define GZOUT_BUF (256 * 1024)

struct gzout {
	int fd;
	char *path;
	z_stream zs;
	unsigned char out[GZOUT_BUF];
	uint64_t in_bytes, out_bytes;
	int failed;
};

struct gzout *
gzout_open(const char *path, int level)
{
	struct gzout *g = xmalloc(sizeof *g);

	memset(g, 0, sizeof *g);
	g->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (g->fd < 0) {
		diag("%s: %s", path, strerror(errno));
		free(g);
		return NULL;
	}
	g->path = xstrdup(path);
	/* 15 + 16: a gzip wrapper, which Redshift's GZIP option reads. */
	if (deflateInit2(&g->zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		fatal(EXIT_DATA, "zlib initialisation failed");
	return g;
}

static int
drain(struct gzout *g, int flush)
{
	do {
		g->zs.next_out = g->out;
		g->zs.avail_out = sizeof g->out;
		if (deflate(&g->zs, flush) == Z_STREAM_ERROR)
			fatal(EXIT_DATA, "zlib deflate failed");
		size_t have = sizeof g->out - g->zs.avail_out;
		for (size_t off = 0; off < have && !g->failed;) {
			ssize_t w = write(g->fd, g->out + off, have - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				diag("%s: write error: %s", g->path, strerror(errno));
				g->failed = 1;
				break;
			}
			off += w;
		}
		g->out_bytes += have;
	} while (g->zs.avail_out == 0);
	return g->failed ? -1 : 0;
}

int
gzout_write(struct gzout *g, const void *p, size_t n)
{
	g->zs.next_in = (unsigned char *)p;
	g->zs.avail_in = n;
	g->in_bytes += n;
	return drain(g, Z_NO_FLUSH);
}

int
gzout_close(struct gzout *g, uint64_t *in_bytes, uint64_t *out_bytes)
{
	int rc;

	g->zs.avail_in = 0;
	rc = drain(g, Z_FINISH);
	deflateEnd(&g->zs);
	if (close(g->fd) < 0 && rc == 0) {
		diag("%s: close error: %s", g->path, strerror(errno));
		rc = -1;
	}
	if (in_bytes)
		*in_bytes = g->in_bytes;
	if (out_bytes)
		*out_bytes = g->out_bytes;
	free(g->path);
	free(g);
	return rc;
}
