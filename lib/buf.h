/*
 * A growable byte buffer with a mandatory cap, allocated in an arena.
 *
 * The cap is set when the buffer is made and an append past it fails
 * with ERR_TOO_BIG, leaving the buffer unchanged: a response body, a
 * rendered page or a provider's answer can never grow without bound.
 * The contents are always NUL-terminated (the NUL is not counted).
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

struct arena;

struct buf {
	struct arena	*arena;
	char		*data;	/* NUL-terminated; never NULL after buf_init */
	size_t		 len;
	size_t		 alloc;
	size_t		 cap;	/* largest len allowed */
};

/* Makes b an empty buffer in the arena that may hold at most cap bytes. */
void		buf_init(struct buf *b, struct arena *, size_t cap);

/* Appends len bytes; returns ERR_TOO_BIG (b unchanged) past the cap. */
enum err	buf_append(struct buf *b, const void *, size_t len);

/* Appends a NUL-terminated string; ERR_TOO_BIG past the cap. */
enum err	buf_puts(struct buf *b, const char *);

/* Appends one byte; ERR_TOO_BIG past the cap. */
enum err	buf_putc(struct buf *b, char);

/* Appends formatted text; ERR_TOO_BIG (b unchanged) past the cap. */
enum err	buf_printf(struct buf *b, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

/* The same, with a va_list (which it leaves for the caller to end). */
enum err	buf_vprintf(struct buf *b, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

/* Empties the buffer, keeping its memory and cap. */
void		buf_clear(struct buf *b);

#endif /* BUF_H */
