#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brokermaps.h"
#include "diag.h"

/* The maps of a folder, and each input read by its own. */

static int
by_path(const void *a, const void *b)
{
	return strcmp((*(struct brokermap *const *)a)->path, (*(struct brokermap *const *)b)->path);
}

int
brokermaps_load(const char *dir, enum map_kind kind, struct brokermaps *out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	int ok = 1;

	memset(out, 0, sizeof *out);
	if (d == NULL) {
		diag("%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		struct brokermap *m;
		int k;

		if (n < 5 || strcmp(e->d_name + n - 4, ".map") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		/* Another kind's map, or status lines for an include, are not this program's to read. */
		if ((k = brokermap_probe(path)) != (int)kind && k != -2)
			continue;
		if ((m = brokermap_load(path, kind)) == NULL) {
			ok = 0;
			continue;
		}
		out->m = xrealloc(out->m, (out->n + 1) * sizeof *out->m);
		out->m[out->n++] = m;
	}
	closedir(d);
	/* The order of the folder is the file system's: by name, every run the same. */
	if (out->n > 1)
		qsort(out->m, out->n, sizeof *out->m, by_path);
	if (!ok)
		brokermaps_free(out);
	return ok ? 0 : -1;
}

int
brokermaps_open(const char *file, const char *dir, enum map_kind kind, struct brokermaps *out)
{
	if (dir)
		return brokermaps_load(dir, kind, out);
	out->m = xmalloc(sizeof *out->m);
	if ((out->m[0] = brokermap_load(file, kind)) == NULL) {
		free(out->m);
		out->m = NULL;
		out->n = 0;
		return -1;
	}
	out->n = 1;
	return 0;
}

struct brokermap *
brokermaps_for(const struct brokermaps *ms, const char *path)
{
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
	struct brokermap *found = NULL;

	for (int i = 0; i < ms->n; i++) {
		if (ms->m[i]->files_glob == NULL || fnmatch(ms->m[i]->files_glob, name, 0) != 0)
			continue;
		if (found) {
			diag("%s: read by two maps, %s and %s", path, found->path, ms->m[i]->path);
			return NULL;
		}
		found = ms->m[i];
	}
	if (found == NULL)
		diag("%s: no map reads it (a new broker is a new map with files = ...)", path);
	return found;
}

void
brokermaps_free(struct brokermaps *ms)
{
	for (int i = 0; i < ms->n; i++)
		brokermap_free(ms->m[i]);
	free(ms->m);
	ms->m = NULL;
	ms->n = 0;
}

int
brokermaps_read(const struct brokermaps *ms, int by_name, char **inputs, int ninputs, struct rejects *rj,
    brokermap_fn fn, brokermap_done_fn done, void *ctx, long *rows_in)
{
	struct brokermap **maps = xmalloc((ninputs + 1) * sizeof *maps);
	int ok = 1;

	/* A file no map reads stops the run before a row is read: a new broker is a new map. */
	for (int i = 0; i < ninputs; i++)
		if ((maps[i] = by_name ? brokermaps_for(ms, inputs[i]) : ms->m[0]) == NULL)
			ok = 0;
	for (int i = 0; i < ninputs && ok; i++) {
		const char *slash = strrchr(inputs[i], '/');

		ok = brokermap_read(maps[i], &inputs[i], 1, rj, fn, ctx, rows_in) == 0;
		done(ctx, slash ? slash + 1 : inputs[i]);
	}
	free(maps);
	return ok ? 0 : -1;
}

