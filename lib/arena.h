/*
 * The per-request allocator.
 *
 * Everything a request needs is allocated here and released at once by
 * arena_reset() when the request ends, so no handler frees anything and
 * nothing leaks across the millions of requests a FastCGI process
 * serves.  Objects owned by other libraries (json-c, OpenSSL) are tied
 * to the arena with arena_defer().
 *
 * Allocation does not fail: when memory runs out, or one request asks
 * for more than BOUND_ARENA_TOTAL (a missing bound, hence a bug), the
 * process logs and exits, and the web server starts a fresh one.  That
 * fails closed and spares every caller an impossible error path.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Returns a new, empty arena owned by the caller (free with arena_free). */
struct arena	*arena_new(void);

/* Runs the deferred cleanups, wipes and releases everything; accepts NULL. */
void		 arena_free(struct arena *);

/* Runs the deferred cleanups, wipes what was used and keeps the first block. */
void		 arena_reset(struct arena *);

/* Returns zeroed, suitably aligned memory owned by the arena. */
void		*arena_alloc(struct arena *, size_t);

/* Returns n zeroed elements of the given size; the product is overflow-checked. */
void		*arena_calloc(struct arena *, size_t n, size_t size);

/*
 * Returns memory of newsize bytes holding the first oldsize bytes of p
 * (which may be NULL); grows in place when p was the last allocation.
 */
void		*arena_grow(struct arena *, void *p, size_t oldsize,
		    size_t newsize);

/* Returns an arena copy of the NUL-terminated string. */
char		*arena_strdup(struct arena *, const char *);

/* Returns an arena copy of len bytes, NUL-terminated. */
char		*arena_strndup(struct arena *, const char *, size_t len);

/* Returns a formatted arena string. */
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
char		*arena_vprintf(struct arena *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));

/* Arranges for fn(arg) to run at the next reset or free, latest first. */
void		 arena_defer(struct arena *, void (*fn)(void *), void *arg);

/* Returns the bytes handed out since the last reset. */
size_t		 arena_used(const struct arena *);

#endif /* ARENA_H */
