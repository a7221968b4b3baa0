#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "lib/diag.h"
#include "spawn.h"

extern char **environ;

int
spawn_wait(char *const argv[])
{
	pid_t pid;
	int status, err;

	fflush(stdout);
	if ((err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ)) != 0) {
		diag("cannot run %s: %s", argv[0], strerror(err));
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			diag("waiting for %s: %s", argv[0], strerror(errno));
			return -1;
		}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

void
spawn_print(char *const argv[])
{
	for (int i = 0; argv[i]; i++) {
		const char *a = argv[i];
		int plain = *a != '\0';

		for (const char *p = a; *p; p++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@,+%", *p))
				plain = 0;
		fputs(i ? " " : "", stdout);
		if (plain)
			fputs(a, stdout);
		else {
			putchar('\'');
			for (const char *p = a; *p; p++)
				if (*p == '\'')
					fputs("'\\''", stdout);
				else
					putchar(*p);
			putchar('\'');
		}
	}
	putchar('\n');
}
