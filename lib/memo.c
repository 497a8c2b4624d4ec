#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "crypto.h"
#include "memo.h"
#include "req.h"

/*
 * Bytes at the end of a sealed value compared in constant time: more
 * than its base64url MAC (43 characters for HMAC-SHA256).
 */
#define MEMO_SECRET_TAIL	64

struct entry {
	enum memo_kind		 kind;
	char			*sealed;	/* a bearer credential: wiped */
	size_t			 len;
	int64_t			 exp;
	char			*lines;		/* "Name: value\r\n"... */
	size_t			 lines_len;
};

struct memo {
	struct entry	entries[BOUND_MEMO_ENTRIES];
	size_t		next;	/* the oldest entry, replaced next */
};

static void
entry_clear(struct entry *e)
{
	if (e->sealed != NULL) {
		crypto_wipe(e->sealed, e->len);
		free(e->sealed);
	}
	free(e->lines);
	memset(e, 0, sizeof(*e));
}

enum err
memo_new(struct memo **out)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return ERR_NOMEM;
	return ERR_OK;
}

void
memo_free(struct memo *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < BOUND_MEMO_ENTRIES; i++)
		entry_clear(&m->entries[i]);
	free(m);
}

/*
 * The sealed value ends in its MAC, the one secret part: that tail is
 * compared first, in constant time.  The body before it (claims, times)
 * is compared only behind a matching MAC, so its timing can tell nothing
 * to anyone who does not already hold the whole cookie.
 */
static int
same_value(const char *a, const char *b, size_t len)
{
	size_t	tail = len < MEMO_SECRET_TAIL ? len : MEMO_SECRET_TAIL;

	if (!crypto_equal(a + len - tail, b + len - tail, tail))
		return 0;
	return memcmp(a, b, len - tail) == 0;
}

int
memo_get(struct memo *m, enum memo_kind kind, const char *sealed,
    size_t len, int64_t now, struct memo_answer *answer)
{
	const struct entry	*hit = NULL;

	/* Every candidate is compared in full: no early exit on a match. */
	for (size_t i = 0; i < BOUND_MEMO_ENTRIES; i++) {
		const struct entry *e = &m->entries[i];

		if (e->sealed != NULL && e->kind == kind && e->len == len &&
		    same_value(e->sealed, sealed, len))
			hit = e;
	}
	if (hit == NULL || now >= hit->exp)
		return 0;
	answer->lines = hit->lines;
	answer->len = hit->lines_len;
	return 1;
}

/* Writes the headers as lines into e; ERR_INPUT when one holds a line break. */
static enum err
make_lines(struct entry *e, const struct resp_header *headers, size_t n)
{
	size_t	size = 0;
	char	*p;

	for (size_t i = 0; i < n; i++) {
		if (strpbrk(headers[i].name, "\r\n") != NULL ||
		    strpbrk(headers[i].value, "\r\n") != NULL)
			return ERR_INPUT;
		size += strlen(headers[i].name) + strlen(headers[i].value) + 4;
	}
	if ((p = e->lines = malloc(size + 1)) == NULL)
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		size_t nlen = strlen(headers[i].name);
		size_t vlen = strlen(headers[i].value);

		memcpy(p, headers[i].name, nlen);
		p += nlen;
		memcpy(p, ": ", 2);
		memcpy(p + 2, headers[i].value, vlen);
		p += 2 + vlen;
		memcpy(p, "\r\n", 2);
		p += 2;
	}
	*p = '\0';
	e->lines_len = size;
	return ERR_OK;
}

void
memo_put(struct memo *m, enum memo_kind kind, const char *sealed,
    size_t len, int64_t exp, const struct resp_header *headers, size_t n)
{
	struct entry	*e = &m->entries[m->next];

	m->next = (m->next + 1) % BOUND_MEMO_ENTRIES;
	entry_clear(e);
	if ((e->sealed = malloc(len == 0 ? 1 : len)) == NULL)
		return;
	memcpy(e->sealed, sealed, len);
	e->len = len;
	e->kind = kind;
	e->exp = exp;
	if (make_lines(e, headers, n) != ERR_OK)
		entry_clear(e);
}
