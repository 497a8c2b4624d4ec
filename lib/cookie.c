#include "config.h"

#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "cookie.h"

/* Room for every attribute we write, beyond name, value and path. */
#define ATTRS_ROOM	160

/* An RFC 2616 token character, as RFC 6265 requires of a cookie name. */
static int
is_token_char(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return 0;
	return strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

/* RFC 6265 cookie-octet: printable ASCII but DQUOTE, comma, ';', '\'. */
static int
is_cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) ||
	    (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	    (c >= 0x5d && c <= 0x7e);
}

static int
is_token(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len > BOUND_COOKIE_NAME)
		return 0;
	for (i = 0; i < len; i++)
		if (!is_token_char((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}

/*
 * Finds the next ';'-separated segment from p on, trimmed, and returns
 * where the following one starts (end when there is none).
 */
static const char *
next_segment(const char *p, const char *end, const char **seg,
    size_t *seglen)
{
	const char	*semi;

	semi = memchr(p, ';', (size_t)(end - p));
	if (semi == NULL)
		semi = end;
	*seg = p;
	*seglen = (size_t)(semi - p);
	trim(seg, seglen);
	return semi == end ? end : semi + 1;
}

static size_t
count_segments(const char *p, const char *end)
{
	const char	*seg;
	size_t		 len, n = 0;

	while (p < end) {
		p = next_segment(p, end, &seg, &len);
		if (len > 0)
			n++;
	}
	return n;
}

/* Fills c from one segment; returns 0 when the pair is to be skipped. */
static int
parse_pair(struct arena *a, const char *seg, size_t len, struct cookie *c)
{
	const char	*eq, *name, *value;
	size_t		 namelen, valuelen;

	if ((eq = memchr(seg, '=', len)) == NULL)
		return 0;
	name = seg;
	namelen = (size_t)(eq - seg);
	value = eq + 1;
	valuelen = len - namelen - 1;
	trim(&name, &namelen);
	trim(&value, &valuelen);
	if (!is_token(name, namelen))
		return 0;
	if (valuelen >= 2 && value[0] == '"' && value[valuelen - 1] == '"') {
		value++;
		valuelen -= 2;
	}
	c->name = arena_strndup(a, name, namelen);
	c->value = arena_strndup(a, value, valuelen);
	return 1;
}

enum err
cookie_parse(struct arena *a, const char *header, struct cookie_jar *out)
{
	struct cookie_jar	 jar = { NULL, 0 };
	const char		*p, *end, *seg;
	size_t			 len, count;

	out->v = NULL;
	out->n = 0;
	if (header == NULL)
		return ERR_OK;
	len = strnlen(header, BOUND_COOKIE_HEADER + 1);
	if (len > BOUND_COOKIE_HEADER) {
		err_reason("Cookie header over %d bytes", BOUND_COOKIE_HEADER);
		return ERR_TOO_BIG;
	}
	end = header + len;
	/* Odd pairs count too: the work is bounded before anything is kept. */
	count = count_segments(header, end);
	if (count > BOUND_COOKIE_COUNT) {
		err_reason("Cookie header with %zu cookies, over %d", count,
		    BOUND_COOKIE_COUNT);
		return ERR_TOO_BIG;
	}
	if (count == 0)
		return ERR_OK;
	jar.v = arena_calloc(a, count, sizeof(*jar.v));
	for (p = header; p < end; ) {
		p = next_segment(p, end, &seg, &len);
		if (len > 0 && parse_pair(a, seg, len, &jar.v[jar.n]))
			jar.n++;
	}
	*out = jar;
	return ERR_OK;
}

const char *
cookie_get(const struct cookie_jar *jar, const char *name)
{
	size_t	i;

	if (jar == NULL || name == NULL)
		return NULL;
	for (i = 0; i < jar->n; i++)
		if (strcmp(jar->v[i].name, name) == 0)
			return jar->v[i].value;
	return NULL;
}

static int
is_cookie_value(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!is_cookie_octet((unsigned char)s[i]))
			return 0;
	return 1;
}

/* RFC 6265 path-value: any CHAR but CTLs and ';'. */
static int
is_path_value(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len > BOUND_REQUEST_PATH)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == ';')
			return 0;
	}
	return 1;
}

static int
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Checks everything a browser would otherwise drop or misread. */
static enum err
check_format(const char *name, const char *value,
    const struct cookie_attrs *attrs)
{
	size_t	namelen, valuelen, pathlen;

	if (name == NULL || value == NULL || attrs == NULL ||
	    attrs->path == NULL) {
		err_reason("cookie name, value or path missing");
		return ERR_INPUT;
	}
	namelen = strnlen(name, BOUND_COOKIE_NAME + 1);
	if (!is_token(name, namelen)) {
		err_reason("cookie name is not a token");
		return ERR_INPUT;
	}
	valuelen = strnlen(value, BOUND_COOKIE_CHUNK + 1);
	if (valuelen > BOUND_COOKIE_CHUNK) {
		err_reason("cookie %s: value over %d bytes", name,
		    BOUND_COOKIE_CHUNK);
		return ERR_TOO_BIG;
	}
	if (!is_cookie_value(value, valuelen)) {
		err_reason("cookie %s: value holds a forbidden character",
		    name);
		return ERR_INPUT;
	}
	pathlen = strnlen(attrs->path, BOUND_REQUEST_PATH + 1);
	if (!is_path_value(attrs->path, pathlen)) {
		err_reason("cookie %s: bad path", name);
		return ERR_INPUT;
	}
	if (attrs->max_age < -1 ||
	    attrs->max_age > BOUND_SESSION_MAX_AGE_MAX) {
		err_reason("cookie %s: Max-Age %lld out of range", name,
		    attrs->max_age);
		return ERR_INPUT;
	}
	if (attrs->same_site != NULL &&
	    strcmp(attrs->same_site, "Lax") != 0 &&
	    strcmp(attrs->same_site, "Strict") != 0 &&
	    strcmp(attrs->same_site, "None") != 0) {
		err_reason("cookie %s: unknown SameSite value", name);
		return ERR_INPUT;
	}
	/* Browsers silently drop these; failing here names the cause. */
	if (!attrs->secure && ((attrs->same_site != NULL &&
	    strcmp(attrs->same_site, "None") == 0) ||
	    has_prefix(name, "__Secure-") || has_prefix(name, "__Host-"))) {
		err_reason("cookie %s: needs Secure", name);
		return ERR_INPUT;
	}
	if (has_prefix(name, "__Host-") && strcmp(attrs->path, "/") != 0) {
		err_reason("cookie %s: a __Host- cookie needs Path=/", name);
		return ERR_INPUT;
	}
	return ERR_OK;
}

enum err
cookie_format(struct arena *a, const char *name, const char *value,
    const struct cookie_attrs *attrs, char **out)
{
	struct buf	b;
	enum err	e;

	if ((e = check_format(name, value, attrs)) != ERR_OK)
		return e;
	buf_init(&b, a, strlen(name) + strlen(value) + strlen(attrs->path) +
	    ATTRS_ROOM);
	if ((e = buf_printf(&b, "%s=%s; Path=%s", name, value,
	    attrs->path)) != ERR_OK)
		goto out;
	if (attrs->max_age >= 0 &&
	    (e = buf_printf(&b, "; Max-Age=%lld", attrs->max_age)) != ERR_OK)
		goto out;
	/* Max-Age=0 alone is ignored by some old clients. */
	if (attrs->max_age == 0 &&
	    (e = buf_puts(&b, "; Expires=Thu, 01 Jan 1970 00:00:00 GMT")) !=
	    ERR_OK)
		goto out;
	if (attrs->secure && (e = buf_puts(&b, "; Secure")) != ERR_OK)
		goto out;
	if (attrs->http_only && (e = buf_puts(&b, "; HttpOnly")) != ERR_OK)
		goto out;
	if (attrs->same_site != NULL &&
	    (e = buf_printf(&b, "; SameSite=%s", attrs->same_site)) != ERR_OK)
		goto out;
	*out = b.data;
 out:
	return e;
}
