/*
 * ASan's defaults, linked into the ASan+UBSan build's programs and unit
 * tests alone (the Makefile's SAN_OBJ).
 *
 * That build's undefined-behaviour checks trap rather than call UBSan's
 * runtime (-fsanitize-undefined-trap-on-error): the runtime is a library of
 * 6 MB of globals that LeakSanitizer reads at every exit where it is on
 * (25 ms a process here, in the gold cases and the fuzz replay), and every
 * sanitized process loads it and libstdc++.  A trap is SIGILL;
 * handle_sigill has ASan report it as it reports a bad address: the stack,
 * file:line of the undefined operation first, and a non-zero exit.  An
 * ASAN_OPTIONS of the environment adds to these.
 */
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22	/* Linux 5.14; older kernels say EINVAL: harmless */
#endif

const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "handle_sigill=1";
}

/*
 * libasan's own globals are 5.6 MB never written, and LeakSanitizer reads
 * them all at exit: 1,200 page faults, one a page, 16 ms a process on these
 * machines (a fault costs 15-25 us here).  One madvise maps them all at once.
 * Run as the program's destructor: before LeakSanitizer's check, which was
 * registered first and so runs last.
 */
static int
populate_asan_globals(struct dl_phdr_info *info, size_t size, void *unused)
{
	const size_t page = 4096;
	int i;

	(void)size;
	(void)unused;
	if (strstr(info->dlpi_name, "/libasan.") == NULL)
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		size_t from, to;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
			continue;
		from = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
		to = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz + page - 1) & ~(page - 1);
		(void)madvise((void *)from, to - from, MADV_POPULATE_READ);
	}
	return 1;
}

__attribute__((destructor)) static void
before_leak_check(void)
{
	const char *options = getenv("ASAN_OPTIONS");

	if (options == NULL || strstr(options, "detect_leaks=0") == NULL)
		dl_iterate_phdr(populate_asan_globals, NULL);
}
