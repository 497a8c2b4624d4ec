/*
 * lib/file.c: a regular file read whole up to its cap; anything else
 * (missing, a directory, a FIFO, a device, one byte too many) refused
 * with a reason that names the path.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "tap.h"

static char	dir[] = "/tmp/test_file.XXXXXX";

static const char *
path_of(const char *name)
{
	static char	path[sizeof(dir) + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void
write_file(const char *name, const char *data, size_t len)
{
	FILE	*f = fopen(path_of(name), "w");

	if (f == NULL) {
		diag("cannot write %s", name);
		return;
	}
	fwrite(data, 1, len, f);
	fclose(f);
}

/* Reads name with cap; returns the code, checks the reason on failure. */
static enum err
read_name(const char *name, size_t cap, char **text, size_t *len)
{
	enum err	e;

	err_clear();
	e = file_read(path_of(name), cap, text, len);
	if (e != ERR_OK)
		ok(strstr(err_reason_get(), path_of(name)) != NULL &&
		    *text == NULL, "  %s: no text, a reason with the path: %s",
		    name, err_reason_get());
	return e;
}

static void
test_files(void)
{
	char	*text;
	size_t	 len;

	write_file("small", "a\0b\n", 4);
	is_int(read_name("small", 10, &text, &len), ERR_OK, "a small file");
	ok(len == 4 && memcmp(text, "a\0b\n", 4) == 0 && text[4] == '\0',
	    "  whole, as it is, NUL-terminated");
	free(text);

	write_file("empty", "", 0);
	is_int(read_name("empty", 10, &text, &len), ERR_OK, "an empty file");
	ok(len == 0 && text != NULL && text[0] == '\0', "  an empty text");
	free(text);

	write_file("cap", "0123456789", 10);
	is_int(read_name("cap", 10, &text, &len), ERR_OK,
	    "a file of exactly its cap");
	is_int(len, 10, "  all of it");
	free(text);
	is_int(read_name("cap", 9, &text, &len), ERR_TOO_BIG,
	    "one byte over the cap: ERR_TOO_BIG");
	ok(strstr(err_reason_get(), "9-byte") != NULL, "  the reason says "
	    "the cap");

	is_int(read_name("missing", 10, &text, &len), ERR_SYSTEM,
	    "a missing file: ERR_SYSTEM");
	is_int(errno, ENOENT, "  errno kept");
	ok(strstr(err_reason_get(), strerror(ENOENT)) != NULL,
	    "  the reason says why");
}

static void
test_not_regular(void)
{
	char	*text;
	size_t	 len;

	if (mkdir(path_of("sub"), 0700) != 0)
		diag("mkdir failed");
	is_int(read_name("sub", 10, &text, &len), ERR_SYSTEM,
	    "a directory: ERR_SYSTEM");
	ok(strstr(err_reason_get(), "not a regular file") != NULL,
	    "  not a regular file");
	rmdir(path_of("sub"));

	/* Opening a FIFO without a writer must not block. */
	if (mkfifo(path_of("fifo"), 0600) != 0)
		diag("mkfifo failed");
	is_int(read_name("fifo", 10, &text, &len), ERR_SYSTEM,
	    "a FIFO: ERR_SYSTEM, at once");
	unlink(path_of("fifo"));

	err_clear();
	is_int(file_read("/dev/null", 10, &text, &len), ERR_SYSTEM,
	    "a device: ERR_SYSTEM");
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		tap_skip_all("mkdtemp failed");
		return 0;
	}
	test_files();
	test_not_regular();
	unlink(path_of("small"));
	unlink(path_of("empty"));
	unlink(path_of("cap"));
	rmdir(dir);
	return tap_done();
}
