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
const char *__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "handle_sigill=1";
}
