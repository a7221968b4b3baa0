#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "archive_dl.h"
#include "diag.h"
#include "input.h"

#define PEEK_SIZE 512		/* enough for the tar magic at offset 257 */
#define BLOCK_SIZE (256 * 1024)

enum layout { PLAIN, ARCHIVE };

struct input {
	int fd;
	int fd_eof;
	char *name;		/* base name of the path, or "stdin" */
	char *label;
	char *glob;
	enum layout layout;
	int members;		/* members handed out so far */
	int failed;

	/* Bytes already read from the fd while sniffing the content. */
	unsigned char fdpeek[PEEK_SIZE];
	size_t fdpeek_len, fdpeek_pos;

	/* gzip, when the fd starts with its magic. */
	int gzip;
	z_stream zs;
	unsigned char *zin;
	int zmember_done;

	/* Decoded bytes read while sniffing for an archive. */
	unsigned char head[PEEK_SIZE];
	size_t head_len, head_pos;

	const struct archive_api *ar_api;	/* loaded at the first archive */
	struct archive *ar;
	unsigned char *arbuf;
};

static ssize_t
fd_read(struct input *in, void *buf, size_t n)
{
	ssize_t r;

	if (in->fdpeek_pos < in->fdpeek_len) {
		size_t avail = in->fdpeek_len - in->fdpeek_pos;

		if (n > avail)
			n = avail;
		memcpy(buf, in->fdpeek + in->fdpeek_pos, n);
		in->fdpeek_pos += n;
		return n;
	}
	if (in->fd_eof)
		return 0;
	do
		r = read(in->fd, buf, n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		diag_at(in->name, 0, "read error: %s", strerror(errno));
		return -1;
	}
	if (r == 0)
		in->fd_eof = 1;
	return r;
}

/* Bytes may still come from the fd: sniffed ones, or unread ones. */
static int
fd_more(const struct input *in)
{
	return in->fdpeek_pos < in->fdpeek_len || !in->fd_eof;
}

static ssize_t
gz_read(struct input *in, void *buf, size_t n)
{
	z_stream *zs = &in->zs;

	for (;;) {
		int ret;
		size_t produced;

		if (zs->avail_in == 0 && fd_more(in)) {
			ssize_t r = fd_read(in, in->zin, BLOCK_SIZE);

			if (r < 0)
				return -1;
			zs->next_in = in->zin;
			zs->avail_in = r;
		}
		if (in->zmember_done) {
			if (zs->avail_in == 0 && !fd_more(in))
				return 0;
			if (zs->avail_in == 0)
				continue;
			/* Concatenated gzip members form one stream (gzip(1) does the same). */
			if (zs->next_in[0] != 0x1f) {
				diag_at(in->name, 0, "trailing garbage after gzip data");
				return -1;
			}
			inflateReset(zs);
			in->zmember_done = 0;
		}
		zs->next_out = buf;
		zs->avail_out = n;
		ret = inflate(zs, Z_NO_FLUSH);
		produced = n - zs->avail_out;
		if (ret == Z_STREAM_END)
			in->zmember_done = 1;
		else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			diag_at(in->name, 0, "corrupt gzip data: %s",
			    zs->msg ? zs->msg : "inflate failed");
			return -1;
		}
		if (produced > 0)
			return produced;
		if (!in->zmember_done && zs->avail_in == 0 && !fd_more(in)) {
			diag_at(in->name, 0, "truncated gzip data (unexpected end of file)");
			return -1;
		}
	}
}

static ssize_t
lower_read(struct input *in, void *buf, size_t n)
{
	return in->gzip ? gz_read(in, buf, n) : fd_read(in, buf, n);
}

/* Decoded bytes: the sniffed head first, then the rest of the stream. */
static ssize_t
stack_read(struct input *in, void *buf, size_t n)
{
	if (in->head_pos < in->head_len) {
		size_t avail = in->head_len - in->head_pos;

		if (n > avail)
			n = avail;
		memcpy(buf, in->head + in->head_pos, n);
		in->head_pos += n;
		return n;
	}
	return lower_read(in, buf, n);
}

static ssize_t
fill(struct input *in, unsigned char *dst, size_t cap,
    ssize_t (*rd)(struct input *, void *, size_t))
{
	size_t got = 0;

	while (got < cap) {
		ssize_t r = rd(in, dst + got, cap - got);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += r;
	}
	return got;
}

static int
is_archive(const unsigned char *h, size_t n)
{
	if (n >= 4 && memcmp(h, "PK\3\4", 4) == 0)
		return 1;
	if (n >= 4 && memcmp(h, "PK\5\6", 4) == 0)	/* empty zip */
		return 1;
	if (n >= 262 && memcmp(h + 257, "ustar", 5) == 0)
		return 1;
	if (n >= 6 && memcmp(h, "7z\274\257\047\034", 6) == 0)
		return 1;
	return 0;
}

static la_ssize_t
archive_cb(struct archive *a, void *client, const void **buf)
{
	struct input *in = client;
	ssize_t r = stack_read(in, in->arbuf, BLOCK_SIZE);

	(void)a;
	*buf = in->arbuf;
	if (r < 0) {
		in->failed = 1;
		return -1;
	}
	return r;
}

struct input *
input_open(const char *path)
{
	struct input *in = xmalloc(sizeof *in);
	ssize_t r;

	memset(in, 0, sizeof *in);
	if (strcmp(path, "-") == 0) {
		in->fd = STDIN_FILENO;
		in->name = xstrdup("stdin");
	} else {
		in->fd = open(path, O_RDONLY);
		if (in->fd < 0) {
			diag("%s: %s", path, strerror(errno));
			free(in);
			return NULL;
		}
		in->name = xstrdup(path_base(path));
	}
	in->label = xstrdup(in->name);

	r = fill(in, in->fdpeek, PEEK_SIZE, fd_read);
	if (r < 0)
		goto fail;
	in->fdpeek_len = r;
	if (r >= 2 && in->fdpeek[0] == 0x1f && in->fdpeek[1] == 0x8b) {
		in->gzip = 1;
		in->zin = xmalloc(BLOCK_SIZE);
		if (inflateInit2(&in->zs, 15 + 16) != Z_OK)
			fatal(EXIT_DATA, "zlib initialisation failed");
		r = fill(in, in->head, PEEK_SIZE, gz_read);
		if (r < 0)
			goto fail;
		in->head_len = r;
	} else {
		memcpy(in->head, in->fdpeek, in->fdpeek_len);
		in->head_len = in->fdpeek_len;
		in->fdpeek_pos = in->fdpeek_len;
	}

	if (is_archive(in->head, in->head_len)) {
		const struct archive_api *ar;

		in->layout = ARCHIVE;
		if ((ar = in->ar_api = archive_api(in->name)) == NULL)
			goto fail;
		in->arbuf = xmalloc(BLOCK_SIZE);
		in->ar = ar->read_new();
		ar->read_support_format_zip(in->ar);
		ar->read_support_format_tar(in->ar);
		ar->read_support_format_7zip(in->ar);
		ar->read_support_filter_all(in->ar);
		if (ar->read_open(in->ar, in, NULL, archive_cb, NULL) != ARCHIVE_OK) {
			diag_at(in->name, 0, "unreadable archive: %s",
			    ar->error_string(in->ar));
			goto fail;
		}
	}
	return in;
fail:
	input_close(in);
	return NULL;
}

void
input_set_entry_glob(struct input *in, const char *glob)
{
	free(in->glob);
	in->glob = glob ? xstrdup(glob) : NULL;
}

const char *
path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int
entry_wanted(const struct input *in, const char *path)
{
	/* Finder's resource forks are metadata that macOS zips carry along. */
	if (strncmp(path, "__MACOSX/", 9) == 0)
		return 0;
	if (in->glob == NULL)
		return 1;
	return fnmatch(in->glob, path, 0) == 0 || fnmatch(in->glob, path_base(path), 0) == 0;
}

int
input_next(struct input *in)
{
	struct archive_entry *e;
	int r;

	if (in->failed)
		return -1;
	if (in->layout == PLAIN)
		return in->members++ == 0;

	while ((r = in->ar_api->read_next_header(in->ar, &e)) == ARCHIVE_OK ||
	    r == ARCHIVE_WARN) {
		const char *path = in->ar_api->entry_pathname(e);
		size_t n;

		if (in->ar_api->entry_filetype(e) != AE_IFREG || path == NULL ||
		    !entry_wanted(in, path))
			continue;
		n = strlen(in->name) + strlen(path) + 2;
		free(in->label);
		in->label = xmalloc(n);
		snprintf(in->label, n, "%s/%s", in->name, path);
		in->members++;
		return 1;
	}
	if (r != ARCHIVE_EOF) {
		if (!in->failed)
			diag_at(in->name, 0, "corrupt archive: %s",
			    in->ar_api->error_string(in->ar));
		in->failed = 1;
		return -1;
	}
	if (in->members == 0) {
		if (in->glob)
			diag_at(in->name, 0, "no archive entry matches '%s'", in->glob);
		else
			diag_at(in->name, 0, "archive holds no regular file");
		in->failed = 1;
		return -1;
	}
	return 0;
}

const char *
input_label(const struct input *in)
{
	return in->label;
}

ssize_t
input_read(struct input *in, void *buf, size_t n)
{
	la_ssize_t r;

	if (in->layout == PLAIN)
		return stack_read(in, buf, n);
	r = in->ar_api->read_data(in->ar, buf, n);
	if (r < 0) {
		if (!in->failed)
			diag_at(in->label, 0, "corrupt archive entry: %s",
			    in->ar_api->error_string(in->ar));
		in->failed = 1;
		return -1;
	}
	return r;
}

void
input_close(struct input *in)
{
	if (in == NULL)
		return;
	if (in->ar)
		in->ar_api->read_free(in->ar);
	if (in->gzip)
		inflateEnd(&in->zs);
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	free(in->zin);
	free(in->arbuf);
	free(in->glob);
	free(in->label);
	free(in->name);
	free(in);
}
