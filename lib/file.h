/*
 * Reading a small file whole: the configuration, the templates, the
 * style sheet.  One reader with one set of rules, so that every file
 * the program reads is read the same way: a regular file only (not a
 * directory, a FIFO or a device, which could block or never end), at
 * most a given number of bytes, reads interrupted by a signal resumed.
 */
#ifndef FILE_H
#define FILE_H

#include <stddef.h>

#include "err.h"

/*
 * Reads the regular file path, at most cap bytes, into *out (NUL-
 * terminated, owned by the caller: free it, after crypto_wipe when it
 * may hold a secret) and sets *len.  Returns ERR_SYSTEM when it cannot
 * be opened or read or is not a regular file (errno kept), ERR_TOO_BIG
 * past cap, ERR_NOMEM; each with the reason recorded, naming the path.
 * What was read of a file that fails is wiped before it is freed.
 */
enum err	file_read(const char *path, size_t cap, char **out,
		    size_t *len);

#endif /* FILE_H */
