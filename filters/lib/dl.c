#include <dlfcn.h>
#include <string.h>

#include "diag.h"
#include "dl.h"

void *
dl_load(const char *soname, const struct dl_symbol *symbols, size_t nsymbols, void *api,
    const char *doing, const char *library, const char *file)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL) {
		diag_at(file, 0, "%s without %s: %s", doing, library, dlerror());
		return NULL;
	}
	for (size_t i = 0; i < nsymbols; i++) {
		void *fn = dlsym(lib, symbols[i].name);

		if (fn == NULL) {
			diag_at(file, 0, "%s: %s has no %s", doing, soname, symbols[i].name);
			dlclose(lib);
			return NULL;
		}
		/* POSIX: a function's address from dlsym is stored as a data pointer. */
		memcpy((char *)api + symbols[i].offset, &fn, sizeof fn);
	}
	return lib;
}
