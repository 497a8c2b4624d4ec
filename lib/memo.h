/*
 * A per-process memo of the gate's answers (the Authorizer role and
 * /check) for sessions already verified.
 *
 * A browser sends the same session cookie with every request; once its
 * MAC, expiry, claims and the access rules have been checked, the answer
 * (the identity headers) depends on nothing but that exact cookie value
 * and the clock.  So the answer is kept, keyed by the whole sealed value
 * (its MAC compared in constant time), and given again while the session
 * has not expired.  The configuration is read once per process, so rules cannot
 * change under an entry; a changed cookie secret means a new process.
 * Only answers that let a request through are kept, never tokens.
 */
#ifndef MEMO_H
#define MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct resp_header;

enum memo_kind {
	MEMO_AUTHORIZER = 0,
	MEMO_CHECK,
	MEMO_KIND__MAX
};

struct memo;

/* One remembered answer: its header lines, CRLF-terminated, owned by the memo. */
struct memo_answer {
	const char	*lines;
	size_t		 len;
};

/* Returns a new, empty memo owned by the caller (memo_free). */
enum err	memo_new(struct memo **out);

/* Wipes the remembered cookie values and frees everything; accepts NULL. */
void		memo_free(struct memo *);

/*
 * Looks for the answer remembered for this kind and sealed cookie value
 * while now is before its expiry; returns 1 and fills *answer (valid
 * until the next memo_put), else 0.
 */
int		memo_get(struct memo *, enum memo_kind, const char *sealed,
		    size_t len, int64_t now, struct memo_answer *answer);

/*
 * Remembers n headers as the answer for this kind and sealed value until
 * exp, replacing the oldest entry, as ready-made header lines.  Headers
 * holding a line break, or a copy that cannot be made, are simply not
 * remembered: the memo only ever saves work.
 */
void		memo_put(struct memo *, enum memo_kind, const char *sealed,
		    size_t len, int64_t exp, const struct resp_header *headers,
		    size_t n);

#endif /* MEMO_H */
