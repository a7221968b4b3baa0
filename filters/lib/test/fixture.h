/* Test inputs written to a private temporary folder: plain, gzip and zip. */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static char fixture_dir[] = "/tmp/lac-unit-XXXXXX";

static inline const char *
fixture_path(const char *name)
{
	static char path[64][512];
	static int k, made;

	if (!made++ && mkdtemp(fixture_dir) == NULL)
		abort();
	k = (k + 1) % 64;
	snprintf(path[k], sizeof path[k], "%s/%s", fixture_dir, name);
	return path[k];
}

static inline const char *
write_plain(const char *name, const char *data, size_t n)
{
	const char *path = fixture_path(name);
	FILE *fp = fopen(path, "wb");

	fwrite(data, 1, n, fp);
	fclose(fp);
	return path;
}

static inline const char *
write_gzip(const char *name, const char *data, size_t n)
{
	const char *path = fixture_path(name);
	gzFile gz = gzopen(path, "wb");

	gzwrite(gz, data, (unsigned)n);
	gzclose(gz);
	return path;
}

/* entries: name, data, name, data, ..., NULL */
static inline const char *
write_archive(const char *name, int zip, const char *const *entries)
{
	const char *path = fixture_path(name);
	struct archive *a = archive_write_new();

	if (zip)
		archive_write_set_format_zip(a);
	else
		archive_write_set_format_pax_restricted(a);
	archive_write_open_filename(a, path);
	for (; *entries; entries += 2) {
		struct archive_entry *e = archive_entry_new();
		size_t n = strlen(entries[1]);

		archive_entry_set_pathname(e, entries[0]);
		archive_entry_set_size(e, n);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_write_header(a, e);
		archive_write_data(a, entries[1], n);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return path;
}

static inline void
fixture_cleanup(void)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", fixture_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", fixture_dir);
}

#endif
