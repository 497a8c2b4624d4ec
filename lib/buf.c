#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

#define BUF_INITIAL	256

void
buf_init(struct buf *b, struct arena *a, size_t cap)
{
	b->arena = a;
	b->cap = cap;
	b->len = 0;
	b->alloc = BUF_INITIAL;
	b->data = arena_alloc(a, b->alloc);
}

static enum err
buf_reserve(struct buf *b, size_t extra)
{
	size_t	 want;

	if (extra > b->cap || b->len > b->cap - extra)
		return ERR_TOO_BIG;
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return ERR_OK;
	size_t	 grown = b->alloc;
	while (grown < want)
		grown = grown > (b->cap + 1) / 2 ? b->cap + 1 : grown * 2;
	b->data = arena_grow(b->arena, b->data, b->alloc, grown);
	b->alloc = grown;
	return ERR_OK;
}

enum err
buf_append(struct buf *b, const void *p, size_t len)
{
	enum err	e;

	if ((e = buf_reserve(b, len)) != ERR_OK)
		return e;
	if (len > 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return ERR_OK;
}

enum err
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

enum err
buf_putc(struct buf *b, char c)
{
	return buf_append(b, &c, 1);
}

enum err
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list		again;
	int		n;
	enum err	e;

	/* First into the room there is: measuring costs as much as writing. */
	va_copy(again, ap);
	n = vsnprintf(b->data + b->len, b->alloc - b->len, fmt, ap);
	if (n < 0) {
		b->data[b->len] = '\0';
		va_end(again);
		return ERR_SYSTEM;
	}
	if ((size_t)n < b->alloc - b->len && (size_t)n <= b->cap - b->len) {
		b->len += (size_t)n;
		va_end(again);
		return ERR_OK;
	}
	/* It did not fit: the buffer as it was, then grown and written again. */
	b->data[b->len] = '\0';
	if ((e = buf_reserve(b, (size_t)n)) != ERR_OK) {
		va_end(again);
		return e;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	va_end(again);
	b->len += (size_t)n;
	return ERR_OK;
}

enum err
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list		ap;
	enum err	e;

	va_start(ap, fmt);
	e = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return e;
}

void
buf_clear(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}
