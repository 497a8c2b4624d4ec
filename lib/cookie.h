/*
 * The Cookie request header, parsed into a jar, and Set-Cookie values.
 *
 * Parsing is lenient about other sites' odd cookies (they are skipped)
 * and strict about size (the header and the count are bounded).
 * Formatting is strict: a name, value or path that could split or
 * extend the header is refused, never escaped.
 */
#ifndef COOKIE_H
#define COOKIE_H

#include <stddef.h>

#include "err.h"

struct arena;

struct cookie {
	const char	*name;		/* arena string */
	const char	*value;		/* arena string, unquoted */
};

struct cookie_jar {
	struct cookie	*v;		/* arena array, in header order */
	size_t		 n;
};

/*
 * Parses a Cookie header into *out (arena; NULL or "" gives an empty
 * jar).  Returns ERR_TOO_BIG over BOUND_COOKIE_HEADER bytes or
 * BOUND_COOKIE_COUNT cookies.  Pairs without '=', with an empty name,
 * a name over BOUND_COOKIE_NAME or one holding characters outside RFC
 * 6265's token set are skipped; a value in double quotes is unquoted;
 * whitespace around name and value is trimmed.
 */
enum err	cookie_parse(struct arena *, const char *header,
		    struct cookie_jar *out);

/* Returns the value of the first cookie called name (the jar's), or NULL. */
const char	*cookie_get(const struct cookie_jar *, const char *name);

struct cookie_attrs {
	const char	*path;		/* required */
	long long	 max_age;	/* seconds; 0 deletes; -1: no Max-Age */
	int		 secure;	/* adds Secure */
	int		 http_only;	/* adds HttpOnly */
	const char	*same_site;	/* "Lax", "Strict", "None" or NULL */
};

/*
 * Returns in *out the Set-Cookie header value (arena) for name=value
 * with attrs.  ERR_INPUT when name is not an RFC 6265 token (or is over
 * BOUND_COOKIE_NAME), value holds anything outside cookie-octet, path
 * is missing or holds ';' or a CTL, max_age is below -1 or over
 * BOUND_SESSION_MAX_AGE_MAX, same_site is unknown, SameSite=None lacks
 * Secure, or a __Secure-/__Host- prefix lacks what browsers require
 * (Secure; for __Host- also Path=/).  ERR_TOO_BIG when value is over
 * BOUND_COOKIE_CHUNK.  A deletion (max_age 0) also sends
 * Expires=Thu, 01 Jan 1970 00:00:00 GMT.
 */
enum err	cookie_format(struct arena *, const char *name,
		    const char *value, const struct cookie_attrs *,
		    char **out);

#endif /* COOKIE_H */
