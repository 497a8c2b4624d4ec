#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "err.h"
#include "file.h"

/* Reads up to size bytes into p, resuming after signals; sets *got. */
static enum err
read_all(int fd, char *p, size_t size, size_t *got)
{
	ssize_t	n;

	*got = 0;
	while (*got < size) {
		n = read(fd, p + *got, size - *got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return ERR_SYSTEM;
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	return ERR_OK;
}

enum err
file_read(const char *path, size_t cap, char **out, size_t *len)
{
	struct stat	 st;
	char		*data = NULL;
	size_t		 got = 0;
	enum err	 e = ERR_SYSTEM;
	int		 fd, saved;

	*out = NULL;
	*len = 0;
	/* Non-blocking: opening a FIFO must not wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		err_reason("%s: cannot read: %s", path, strerror(errno));
		return ERR_SYSTEM;
	}
	if (fstat(fd, &st) == -1) {
		err_reason("%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err_reason("%s: cannot read: not a regular file", path);
		errno = EINVAL;
		goto out;
	}
	if ((data = malloc(cap + 1)) == NULL) {
		err_reason("%s: out of memory", path);
		e = ERR_NOMEM;
		goto out;
	}
	/* One byte past the cap tells a full file from a long one. */
	if (read_all(fd, data, cap + 1, &got) != ERR_OK) {
		err_reason("%s: cannot read: %s", path, strerror(errno));
		goto out;
	}
	if (got > cap) {
		err_reason("%s: over the %zu-byte limit", path, cap);
		errno = EFBIG;
		e = ERR_TOO_BIG;
		goto out;
	}
	data[got] = '\0';
	*out = data;
	*len = got;
	data = NULL;
	e = ERR_OK;
out:
	saved = errno;
	if (data != NULL) {
		crypto_wipe(data, got);
		free(data);
	}
	close(fd);
	errno = saved;
	return e;
}
