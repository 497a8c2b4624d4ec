#include "config.h"

#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "arena.h"
#include "bounds.h"
#include "num.h"
#include "url.h"

static int
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

char *
url_encode(struct arena *a, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out, *p;

	out = p = arena_calloc(a, len + 1, 3);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_unreserved(c))
			*p++ = (char)c;
		else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return out;
}

enum err
url_decode(struct arena *a, const char *s, size_t len, int plus_is_space,
    char **out, size_t *outlen)
{
	char	*d;
	size_t	 o = 0;

	d = arena_alloc(a, len + 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			unsigned hi, lo;
			if (len - i < 3 ||
			    !num_hex_digit((unsigned char)s[i + 1], &hi) ||
			    !num_hex_digit((unsigned char)s[i + 2], &lo))
				return ERR_INPUT;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space)
			c = ' ';
		if (c == '\0')
			return ERR_INPUT;
		d[o++] = (char)c;
	}
	d[o] = '\0';
	*out = d;
	*outlen = o;
	return ERR_OK;
}

enum err
url_parse_form(struct arena *a, const char *s, size_t len,
    struct url_params *out)
{
	struct url_param	*v;
	size_t			 n = 0, i = 0;

	v = arena_calloc(a, BOUND_PARAM_COUNT, sizeof(*v));
	while (i < len) {
		const char	*piece = s + i, *amp, *eq;
		size_t		 plen, nlen, dlen;
		char		*name, *value;
		enum err	 e;

		amp = memchr(piece, '&', len - i);
		plen = amp ? (size_t)(amp - piece) : len - i;
		i += plen + 1;
		if (plen == 0)
			continue;
		if (n == BOUND_PARAM_COUNT)
			return ERR_TOO_BIG;
		eq = memchr(piece, '=', plen);
		nlen = eq ? (size_t)(eq - piece) : plen;
		if ((e = url_decode(a, piece, nlen, 1, &name, &dlen)) != ERR_OK)
			return e;
		if (eq != NULL)
			e = url_decode(a, eq + 1, plen - nlen - 1, 1, &value,
			    &dlen);
		else
			value = arena_strdup(a, "");
		if (e != ERR_OK)
			return e;
		v[n].name = name;
		v[n].value = value;
		n++;
	}
	out->v = v;
	out->n = n;
	return ERR_OK;
}

const char *
url_param_get(const struct url_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

size_t
url_param_count(const struct url_params *p, const char *name)
{
	size_t	count = 0;

	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			count++;
	return count;
}

/*
 * An escape a browser or a server behind us might decode into something
 * that changes where the path points: '/', '\', '%' (double encoding),
 * '.', or any control or non-ASCII byte.
 */
static int
escape_is_dangerous(int value)
{
	return value == '/' || value == '\\' || value == '%' ||
	    value == '.' || value < 0x20 || value >= 0x7f;
}

int
url_return_to_ok(const char *s)
{
	size_t	len;

	if (s == NULL)
		return 0;
	len = strlen(s);
	if (len == 0 || len > BOUND_RETURN_TO || s[0] != '/')
		return 0;
	if (len > 1 && (s[1] == '/' || s[1] == '\\'))
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '\\' || c == '"' ||
		    c == '<' || c == '>' || c == '`' || c == '{' ||
		    c == '}' || c == '|' || c == '^')
			return 0;
		if (c == '%') {
			unsigned hi, lo;
			if (len - i < 3 ||
			    !num_hex_digit((unsigned char)s[i + 1], &hi) ||
			    !num_hex_digit((unsigned char)s[i + 2], &lo) ||
			    escape_is_dangerous((int)(hi << 4 | lo)))
				return 0;
			i += 2;
		}
	}
	return 1;
}

const char *
url_return_to(const char *s)
{
	return url_return_to_ok(s) ? s : "/";
}

char *
url_query_add(struct arena *a, const char *query, const char *name,
    const char *value)
{
	return arena_printf(a, "%s%s%s=%s", query ? query : "",
	    query && *query ? "&" : "", url_encode(a, name, strlen(name)),
	    url_encode(a, value, strlen(value)));
}

static int
host_is_loopback(const char *host)
{
	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
		return 1;
	/* 127.0.0.0/8 written as a dotted quad; curl normalises others. */
	if (strncmp(host, "127.", 4) != 0)
		return 0;
	for (const char *p = host + 4; *p != '\0'; p++)
		if ((*p < '0' || *p > '9') && *p != '.')
			return 0;
	return 1;
}

static char *
url_part(struct arena *a, CURLU *u, CURLUPart what, unsigned flags)
{
	char	*s = NULL, *copy = NULL;

	if (curl_url_get(u, what, &s, flags) == CURLUE_OK && s != NULL)
		copy = arena_strdup(a, s);
	curl_free(s);
	return copy;
}

enum err
url_parse_http(struct arena *a, const char *url, struct url_info *info)
{
	CURLU		*u;
	char		*scheme = NULL, *host = NULL, *port, *user, *frag;
	enum err	 e = ERR_INPUT;

	memset(info, 0, sizeof(*info));
	if (strlen(url) > BOUND_URL) {
		err_reason("URL longer than %d bytes", BOUND_URL);
		return ERR_INPUT;
	}
	if ((u = curl_url()) == NULL)
		return ERR_NOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		err_reason("not an absolute URL");
		goto out;
	}
	scheme = url_part(a, u, CURLUPART_SCHEME, 0);
	host = url_part(a, u, CURLUPART_HOST, 0);
	port = url_part(a, u, CURLUPART_PORT, 0);
	user = url_part(a, u, CURLUPART_USER, 0);
	frag = url_part(a, u, CURLUPART_FRAGMENT, 0);
	if (scheme == NULL || (strcmp(scheme, "https") != 0 &&
	    strcmp(scheme, "http") != 0)) {
		err_reason("scheme is not http or https");
		goto out;
	}
	if (host == NULL || *host == '\0') {
		err_reason("URL has no host");
		goto out;
	}
	if (user != NULL) {
		err_reason("URL carries a user name");
		goto out;
	}
	if (frag != NULL) {
		err_reason("URL has a fragment");
		goto out;
	}
	for (char *p = host; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	info->https = strcmp(scheme, "https") == 0;
	info->loopback = host_is_loopback(host);
	info->origin = arena_printf(a, "%s://%s%s%s", scheme, host,
	    port ? ":" : "", port ? port : "");
	info->path = url_part(a, u, CURLUPART_PATH, 0);
	if (info->path == NULL || *info->path == '\0')
		info->path = arena_strdup(a, "/");
	info->query = url_part(a, u, CURLUPART_QUERY, 0);
	e = ERR_OK;
out:
	curl_url_cleanup(u);
	return e;
}

enum err
url_check_callable(struct arena *a, const char *url)
{
	struct url_info	info;
	enum err	e;

	if ((e = url_parse_http(a, url, &info)) != ERR_OK)
		return e;
	if (!info.https && !info.loopback) {
		err_reason("plain http is allowed only to loopback hosts");
		return ERR_INPUT;
	}
	return ERR_OK;
}
