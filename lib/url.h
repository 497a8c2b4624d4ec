/*
 * Percent-coding, query and form parsing, and the return_to check.
 */
#ifndef URL_H
#define URL_H

#include <stddef.h>

#include "err.h"

struct arena;

struct url_param {
	const char	*name;		/* decoded, NUL-free */
	const char	*value;		/* decoded, NUL-free */
};

struct url_params {
	struct url_param	*v;
	size_t			 n;
};

/* Returns an arena string with every byte outside RFC 3986's unreserved set as %XX. */
char		*url_encode(struct arena *, const char *s, size_t len);

/*
 * Percent-decodes len bytes into an arena string (*out, *outlen); with
 * plus_is_space, '+' becomes ' ' (forms and queries).  Returns ERR_INPUT
 * for a malformed escape or a decoded NUL byte.
 */
enum err	url_decode(struct arena *, const char *s, size_t len,
		    int plus_is_space, char **out, size_t *outlen);

/*
 * Parses an application/x-www-form-urlencoded string (a query or a form
 * body) into *out.  Returns ERR_TOO_BIG past BOUND_PARAM_COUNT
 * parameters and ERR_INPUT for a malformed escape.  Empty pieces
 * ("a=1&&b=2") are skipped.  Memory is the arena's.
 */
enum err	url_parse_form(struct arena *, const char *s, size_t len,
		    struct url_params *out);

/* Returns the value of the first parameter named name, or NULL. */
const char	*url_param_get(const struct url_params *, const char *name);

/* Returns how many parameters are named name. */
size_t		 url_param_count(const struct url_params *, const char *name);

/*
 * Returns 1 when s is a safe same-site path to redirect to: it starts
 * with one '/' not followed by '/' or '\', holds only printable ASCII
 * without '\', has only well-formed escapes none of which encodes a
 * slash, backslash, control character or '%', and is at most
 * BOUND_RETURN_TO bytes.  Returns 0 for anything else.
 */
int		 url_return_to_ok(const char *s);

/* Returns s when url_return_to_ok(s), else "/". */
const char	*url_return_to(const char *s);

/* Appends name=value (both encoded) to a query string under construction. */
char		*url_query_add(struct arena *, const char *query,
		    const char *name, const char *value);

/* How an absolute URL we are configured with, or a provider gave, may be used. */
struct url_info {
	int	 https;		/* scheme is https (else http) */
	int	 loopback;	/* host is 127.0.0.0/8, [::1] or localhost */
	char	*origin;	/* scheme://host[:port], lower-case */
	char	*path;		/* "/" when empty; without query or fragment */
	char	*query;		/* NULL when absent */
};

/*
 * Parses an absolute http or https URL into *info (arena strings).
 * Returns ERR_INPUT, with err_reason() saying why, for anything else:
 * another scheme, no host, user:password@, a fragment, over BOUND_URL.
 */
enum err	url_parse_http(struct arena *, const char *url,
		    struct url_info *info);

/*
 * Returns ERR_OK when we may send requests to url: https, or http to a
 * loopback host (tests and demos).  ERR_INPUT with a reason otherwise.
 */
enum err	url_check_callable(struct arena *, const char *url);

#endif /* URL_H */
