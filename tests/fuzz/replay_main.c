/*
 * The main() of a fuzz target built without libFuzzer: runs
 * LLVMFuzzerTestOneInput once over every file named on the command
 * line and every file of every directory named there (in name order),
 * so make check replays the committed corpus with any compiler, under
 * valgrind if wanted.  Like libFuzzer it prints "Running: FILE" before
 * each input, so a crash names its input, and it ignores -flag=value
 * arguments, so the same command line serves both builds.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* The largest input replayed; libFuzzer's own -max_len is far smaller. */
#define REPLAY_MAX_INPUT	(4 * 1024 * 1024)

static int	run_path(const char *);

static int
run_file(const char *path)
{
	FILE		*f;
	struct stat	 st;
	uint8_t		*data;
	size_t		 len;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) == -1 || st.st_size < 0 ||
	    st.st_size > REPLAY_MAX_INPUT) {
		fprintf(stderr, "%s: unreadable or over %d bytes\n", path,
		    REPLAY_MAX_INPUT);
		fclose(f);
		return -1;
	}
	/*
	 * Exactly the file's size (malloc(0) may return NULL), so a read
	 * past the input is caught by ASan or valgrind.
	 */
	if ((data = malloc(st.st_size > 0 ? (size_t)st.st_size : 1)) == NULL) {
		fclose(f);
		return -1;
	}
	len = fread(data, 1, (size_t)st.st_size, f);
	fclose(f);
	if (len != (size_t)st.st_size) {
		fprintf(stderr, "%s: short read\n", path);
		free(data);
		return -1;
	}
	fprintf(stderr, "Running: %s\n", path);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_dir(const char *dir)
{
	DIR		 *d;
	struct dirent	 *de;
	char		**names = NULL, **grown, *path;
	size_t		  n = 0, alloc = 0, i;
	int		  rc = 0;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			if ((grown = realloc(names, alloc * sizeof(*names))) ==
			    NULL) {
				rc = -1;
				goto out;
			}
			names = grown;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = -1;
			goto out;
		}
		n++;
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), compare_names);
	for (i = 0; i < n && rc == 0; i++) {
		size_t	plen = strlen(dir) + 1 + strlen(names[i]) + 1;

		if ((path = malloc(plen)) == NULL) {
			rc = -1;
			break;
		}
		snprintf(path, plen, "%s/%s", dir, names[i]);
		rc = run_path(path);
		free(path);
	}
 out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

static int
run_path(const char *path)
{
	struct stat	st;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return run_dir(path);
	return run_file(path);
}

int
main(int argc, char *argv[])
{
	int	i, inputs = 0;

	for (i = 1; i < argc; i++) {
		/* libFuzzer's flags mean nothing here. */
		if (argv[i][0] == '-')
			continue;
		if (run_path(argv[i]) != 0)
			return 1;
		inputs++;
	}
	if (inputs == 0) {
		fprintf(stderr, "usage: %s [-flag=value ...] file|dir ...\n",
		    argv[0]);
		return 2;
	}
	return 0;
}
