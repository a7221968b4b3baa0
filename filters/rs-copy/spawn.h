/* Run a program without a shell (no quoting to get wrong), and wait for it. */
#ifndef SPAWN_H
#define SPAWN_H

/* The exit status, 128 + N when killed by signal N, or -1 (diagnosed) when it could not start. */
int spawn_wait(char *const argv[]);
/* The command as one shell-quoted line, for --dry-run and diagnostics. */
void spawn_print(char *const argv[]);

#endif
