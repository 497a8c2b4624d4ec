#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "crypto.h"
#include "log.h"

#define ARENA_ALIGN	16
/* arena_vprintf's first try; longer results are formatted twice. */
#define ARENA_PRINTF_STACK	1024

struct block {
	struct block	*next;
	size_t		 size;	/* usable bytes in data */
	size_t		 used;
	unsigned char	*data;
};

struct deferred {
	struct deferred	*next;
	void		(*fn)(void *);
	void		*arg;
};

struct arena {
	struct block	*head;		/* current block; the first is last */
	struct deferred	*deferred;
	size_t		 total;		/* bytes handed out since reset */
	void		*last;		/* the latest allocation, for grow */
	size_t		 last_size;
};

static struct block *
block_new(size_t size)
{
	struct block	*b;

	b = malloc(sizeof(*b) + size + ARENA_ALIGN);
	if (b == NULL)
		log_fatalx("out of memory (arena block of %zu bytes)", size);
	b->next = NULL;
	b->size = size;
	b->used = 0;
	b->data = (unsigned char *)(((uintptr_t)(b + 1) + ARENA_ALIGN - 1) &
	    ~(uintptr_t)(ARENA_ALIGN - 1));
	return b;
}

struct arena *
arena_new(void)
{
	struct arena	*a;

	a = calloc(1, sizeof(*a));
	if (a == NULL)
		log_fatalx("out of memory (arena)");
	a->head = block_new(BOUND_ARENA_BLOCK);
	return a;
}

static void
run_deferred(struct arena *a)
{
	struct deferred	*d;

	/* Deferred records live in the arena itself: read next first. */
	while ((d = a->deferred) != NULL) {
		a->deferred = d->next;
		d->fn(d->arg);
	}
}

void
arena_reset(struct arena *a)
{
	struct block	*b, *next;

	if (a == NULL)
		return;
	run_deferred(a);
	/* Tokens and codes pass through here: wipe, do not just drop. */
	for (b = a->head; b->next != NULL; b = next) {
		next = b->next;
		crypto_wipe(b->data, b->used);
		free(b);
	}
	crypto_wipe(b->data, b->used);
	b->used = 0;
	a->head = b;
	a->total = 0;
	a->last = NULL;
	a->last_size = 0;
}

void
arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	arena_reset(a);
	free(a->head);
	free(a);
}

static size_t
round_up(size_t n)
{
	return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

void *
arena_alloc(struct arena *a, size_t size)
{
	struct block	*b;
	size_t		 need;
	void		*p;

	if (size == 0)
		size = 1;
	if (size > BOUND_ARENA_TOTAL || a->total + size > BOUND_ARENA_TOTAL)
		log_fatalx("request memory over its bound (%zu + %zu bytes)",
		    a->total, size);
	need = round_up(size);
	b = a->head;
	if (b->size - b->used < need) {
		b = block_new(need > BOUND_ARENA_BLOCK ? need :
		    BOUND_ARENA_BLOCK);
		b->next = a->head;
		a->head = b;
	}
	p = b->data + b->used;
	b->used += need;
	a->total += need;
	memset(p, 0, size);
	a->last = p;
	a->last_size = need;
	return p;
}

void *
arena_calloc(struct arena *a, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		log_fatalx("request memory over its bound (%zu x %zu)",
		    n, size);
	return arena_alloc(a, n * size);
}

void *
arena_grow(struct arena *a, void *p, size_t oldsize, size_t newsize)
{
	struct block	*b = a->head;
	size_t		 need;
	void		*q;

	if (p != NULL && p == a->last && newsize >= oldsize) {
		need = round_up(newsize == 0 ? 1 : newsize);
		if (need <= a->last_size)
			return p;
		if (need - a->last_size <= b->size - b->used &&
		    a->total + (need - a->last_size) <= BOUND_ARENA_TOTAL) {
			b->used += need - a->last_size;
			a->total += need - a->last_size;
			memset((unsigned char *)p + oldsize, 0,
			    newsize - oldsize);
			a->last_size = need;
			return p;
		}
	}
	q = arena_alloc(a, newsize);
	if (p != NULL)
		memcpy(q, p, oldsize < newsize ? oldsize : newsize);
	return q;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char	*p;

	if (len == SIZE_MAX)
		log_fatalx("request memory over its bound (string)");
	p = arena_alloc(a, len + 1);
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/*
 * Formats once into a stack buffer, the usual case: measuring first
 * costs glibc as much as formatting.  Longer results are measured by
 * that first pass and formatted again in place.
 */
char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	char	 small[ARENA_PRINTF_STACK];
	va_list	 ap2;
	char	*p;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap2);
	va_end(ap2);
	if (n < 0)
		log_fatalx("arena_vprintf: bad format");
	if ((size_t)n < sizeof(small)) {
		p = arena_strndup(a, small, (size_t)n);
		/* What was formatted may be a token: no copy left behind. */
		crypto_wipe(small, (size_t)n);
		return p;
	}
	crypto_wipe(small, sizeof(small));
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
	struct deferred	*d;

	d = arena_alloc(a, sizeof(*d));
	d->fn = fn;
	d->arg = arg;
	d->next = a->deferred;
	a->deferred = d;
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}
