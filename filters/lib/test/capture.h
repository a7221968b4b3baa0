/* Run a piece of a test with stderr going to a file, and read it back. */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char captured[8192];
static int saved_stderr = -1;

static inline void
capture_start(void)
{
	char path[] = "/tmp/lac-stderr-XXXXXX";
	int fd = mkstemp(path);

	unlink(path);
	fflush(stderr);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
}

static inline const char *
capture_end(void)
{
	ssize_t n;

	fflush(stderr);
	lseek(2, 0, SEEK_SET);
	n = read(2, captured, sizeof captured - 1);
	captured[n > 0 ? n : 0] = '\0';
	dup2(saved_stderr, 2);
	close(saved_stderr);
	return captured;
}

#endif
