#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "atomic.h"
#include "check.h"
#include "diag.h"
#include "fixture.h"

static int
entries(void)
{
	DIR *d = opendir(fixture_dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.' || (e->d_name[1] && e->d_name[1] != '.');
	closedir(d);
	return n;
}

int
main(void)
{
	struct atomic_file af;
	const char *path = fixture_path("unit.tsv");
	struct stat st;
	int fd;

	diag_init("test_atomic");
	fd = atomic_open(&af, path);
	CHECK(fd >= 0);
	CHECK(write(fd, "x\n", 2) == 2);
	CHECK(stat(path, &st) < 0);		/* nothing visible before the commit */
	CHECK(entries() == 1);			/* only the hidden temporary */
	close(fd);
	CHECK(atomic_commit(&af) == 0);
	CHECK(stat(path, &st) == 0 && st.st_size == 2 && (st.st_mode & 0777) == 0644);
	CHECK(entries() == 1);

	fd = atomic_open(&af, path);
	CHECK(write(fd, "partial", 7) == 7);
	close(fd);
	atomic_abort(&af);
	CHECK(stat(path, &st) == 0 && st.st_size == 2);	/* the old file stands */
	CHECK(entries() == 1);

	/* A program that exits without committing leaves nothing behind. */
	pid_t pid = fork();
	if (pid == 0) {
		struct atomic_file child;

		fd = atomic_open(&child, fixture_path("other.tsv"));
		if (write(fd, "half", 4) != 4)
			_exit(2);
		exit(1);
	}
	int status;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
	CHECK(entries() == 1);
	fixture_cleanup();
	return check_done();
}
