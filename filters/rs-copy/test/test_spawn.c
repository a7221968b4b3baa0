#include "capture.h"
#include "check.h"
#include "diag.h"
#include "rs-copy/spawn.h"

int
main(void)
{
	char *ok[] = { "true", NULL }, *no[] = { "sh", "-c", "exit 7", NULL };
	char *killed[] = { "sh", "-c", "kill -TERM $$", NULL }, *missing[] = { "no-such-program-here", NULL };
	char *quoted[] = { "aws", "s3", "cp", "a b", "it's", "", "s3://b/p/x.gz", NULL };

	diag_init("test_spawn");
	CHECK(spawn_wait(ok) == 0);
	CHECK(spawn_wait(no) == 7);
	CHECK(spawn_wait(killed) == 128 + 15);
	capture_start();
	CHECK(spawn_wait(missing) == -1);
	CHECK_STR(capture_end(), "test_spawn: cannot run no-such-program-here: No such file or directory\n");

	/* The command as a shell would take it back: words with spaces and quotes quoted. */
	fflush(stdout);
	int saved = dup(1);
	char path[] = "/tmp/lac-spawn-XXXXXX", text[256] = "";
	int fd = mkstemp(path);
	dup2(fd, 1);
	spawn_print(quoted);
	fflush(stdout);
	dup2(saved, 1);
	lseek(fd, 0, SEEK_SET);
	ssize_t n = read(fd, text, sizeof text - 1);
	text[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(path);
	CHECK_STR(text, "aws s3 cp 'a b' 'it'\\''s' '' s3://b/p/x.gz\n");
	return check_done();
}
