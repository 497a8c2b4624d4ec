#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "arena.h"
#include "bounds.h"
#include "log.h"
#include "num.h"
#include "req.h"

static const struct {
	const char	*name;
	enum req_method	 method;
} methods[] = {
	{ "GET", REQ_GET },
	{ "HEAD", REQ_HEAD },
	{ "POST", REQ_POST },
};

/*
 * Copies one parameter into the arena; a value over its bound is
 * replaced by "" and marks the request unusable.
 */
static const char *
param_copy(struct req *r, req_getparam get, void *ctx, const char *name,
    size_t bound, const char *absent)
{
	const char	*v = get(ctx, name);
	size_t		 len;

	if (v == NULL)
		return absent;
	len = strnlen(v, bound + 1);
	if (len > bound) {
		if (r->input_error == ERR_OK) {
			r->input_error = ERR_TOO_BIG;
			err_reason("%s longer than %zu bytes", name, bound);
		}
		return "";
	}
	return arena_strndup(r->arena, v, len);
}

static void
fill_method(struct req *r)
{
	r->method = REQ_OTHER;
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(r->method_name, methods[i].name) == 0)
			r->method = methods[i].method;
}

static void
fill_role(struct req *r, req_getparam get, void *ctx)
{
	const char	*role = get(ctx, "FCGI_ROLE");

	r->role = role != NULL && strcmp(role, "AUTHORIZER") == 0 ?
	    REQ_AUTHORIZER : REQ_RESPONDER;
	r->apache_role = param_copy(r, get, ctx, "FCGI_APACHE_ROLE", 64,
	    NULL);
	/* mod_authnz_fcgi does not send FCGI_ROLE=AUTHORIZER. */
	if (r->apache_role != NULL &&
	    (strcmp(r->apache_role, "AUTHENTICATOR") == 0 ||
	    strcmp(r->apache_role, "AUTHORIZER") == 0 ||
	    strcmp(r->apache_role, "ACCESS_CHECKER") == 0))
		r->role = REQ_AUTHORIZER;
}

/*
 * REQUEST_URI is the raw URL the client sent, on every server; when a
 * server does not pass it, SCRIPT_NAME + PATH_INFO + QUERY_STRING is the
 * best reconstruction.
 */
static void
fill_uri(struct req *r, req_getparam get, void *ctx)
{
	const char	*q;

	r->uri = param_copy(r, get, ctx, "REQUEST_URI", BOUND_REQUEST_PATH,
	    NULL);
	r->script_name = param_copy(r, get, ctx, "SCRIPT_NAME",
	    BOUND_REQUEST_PATH, "");
	r->path_info = param_copy(r, get, ctx, "PATH_INFO",
	    BOUND_REQUEST_PATH, NULL);
	r->query = param_copy(r, get, ctx, "QUERY_STRING", BOUND_QUERY, "");
	if (r->uri == NULL || r->uri[0] == '\0')
		r->uri = arena_printf(r->arena, "%s%s%s%s", r->script_name,
		    r->path_info ? r->path_info : "", r->query[0] ? "?" : "",
		    r->query);
	q = strchr(r->uri, '?');
	r->path = q ? arena_strndup(r->arena, r->uri, (size_t)(q - r->uri)) :
	    r->uri;
	if (r->query[0] == '\0' && q != NULL) {
		if (strlen(q + 1) > BOUND_QUERY) {
			if (r->input_error == ERR_OK)
				r->input_error = ERR_TOO_BIG;
			err_reason("query longer than %d bytes", BOUND_QUERY);
		} else
			r->query = q + 1;
	}
}

enum err
req_body(struct req *r)
{
	long long	 len = 0;
	char		*body;
	size_t		 got = 0;

	if (r->body_read)
		return ERR_OK;
	r->body_read = 1;
	if (r->content_length == NULL || r->content_length[0] == '\0' ||
	    r->method != REQ_POST)
		return ERR_OK;
	/* Any number of digits is a length; only its size can be wrong. */
	if (strspn(r->content_length, "0123456789") !=
	    strlen(r->content_length)) {
		err_reason("bad CONTENT_LENGTH");
		return ERR_INPUT;
	}
	if (num_parse_str(r->content_length, 0, LLONG_MAX, &len) != ERR_OK ||
	    len > BOUND_FORM_BODY) {
		err_reason("body of %.20s bytes over %d", r->content_length,
		    BOUND_FORM_BODY);
		return ERR_TOO_BIG;
	}
	body = arena_alloc(r->arena, (size_t)len + 1);
	while (got < (size_t)len) {
		size_t n = 0;
		enum err e = r->readbody(r->io, body + got, (size_t)len - got,
		    &n);

		if (e == ERR_TIMEOUT_CLIENT) {
			err_reason("body: %zu of %lld bytes in %d s", got, len,
			    BOUND_BODY_SECONDS);
			return e;
		}
		if (e != ERR_OK || n == 0)
			break;
		got += n;
	}
	if (got != (size_t)len) {
		err_reason("body shorter than CONTENT_LENGTH");
		return ERR_INPUT;
	}
	body[got] = '\0';
	if (memchr(body, '\0', got) != NULL) {
		err_reason("NUL byte in body");
		return ERR_INPUT;
	}
	r->body = body;
	r->body_len = got;
	return ERR_OK;
}

/*
 * An error document for another request.  Apache runs its ErrorDocument
 * as a GET whatever the original method was, and names that one in
 * REDIRECT_REQUEST_METHOD: an API call must still be told from a page
 * view.  Only the server sets these; a client's headers arrive as HTTP_*.
 */
static void
fill_redirect(struct req *r, req_getparam get, void *ctx)
{
	const char	*status = get(ctx, "REDIRECT_STATUS");
	const char	*method;
	long long	 n;

	if (status == NULL || num_parse_str(status, 100, 599, &n) != ERR_OK)
		return;
	r->redirect_status = (int)n;
	method = param_copy(r, get, ctx, "REDIRECT_REQUEST_METHOD",
	    BOUND_METHOD, NULL);
	if (method != NULL && method[0] != '\0') {
		r->method_name = method;
		fill_method(r);
	}
}

/*
 * Whether the server received the request over TLS: HTTPS=on (lighttpd's
 * mod_openssl, Apache's mod_ssl, nginx's fastcgi_params) or
 * REQUEST_SCHEME=https (Apache 2.4, lighttpd, nginx).  Headers a client
 * sends arrive as HTTP_* and count for nothing here.
 */
static int
fill_https(req_getparam get, void *ctx)
{
	const char	*https = get(ctx, "HTTPS");
	const char	*scheme = get(ctx, "REQUEST_SCHEME");

	return (https != NULL && (strcasecmp(https, "on") == 0 ||
	    strcmp(https, "1") == 0)) ||
	    (scheme != NULL && strcasecmp(scheme, "https") == 0);
}

void
req_fill(struct req *r, struct arena *a, req_getparam get,
    req_readbody readbody, void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->input_error = ERR_OK;
	r->now = (int64_t)time(NULL);
	r->method_name = param_copy(r, get, ctx, "REQUEST_METHOD",
	    BOUND_METHOD, "");
	fill_method(r);
	fill_role(r, get, ctx);
	fill_uri(r, get, ctx);
	r->https = fill_https(get, ctx);
	r->cookie = param_copy(r, get, ctx, "HTTP_COOKIE",
	    BOUND_COOKIE_HEADER, NULL);
	r->accept = param_copy(r, get, ctx, "HTTP_ACCEPT", BOUND_HEADER_VALUE,
	    "");
	r->requested_with = param_copy(r, get, ctx, "HTTP_X_REQUESTED_WITH",
	    BOUND_HEADER_VALUE, "");
	r->sec_fetch_mode = param_copy(r, get, ctx, "HTTP_SEC_FETCH_MODE",
	    BOUND_HEADER_VALUE, "");
	r->sec_fetch_site = param_copy(r, get, ctx, "HTTP_SEC_FETCH_SITE",
	    BOUND_HEADER_VALUE, "");
	r->sec_fetch_user = param_copy(r, get, ctx, "HTTP_SEC_FETCH_USER",
	    BOUND_HEADER_VALUE, "");
	r->origin = param_copy(r, get, ctx, "HTTP_ORIGIN", BOUND_HEADER_VALUE,
	    "");
	r->content_type = param_copy(r, get, ctx, "CONTENT_TYPE",
	    BOUND_HEADER_VALUE, "");
	r->forwarded_uri = param_copy(r, get, ctx, "HTTP_X_FORWARDED_URI",
	    BOUND_REQUEST_PATH, NULL);
	if (r->forwarded_uri == NULL)
		r->forwarded_uri = param_copy(r, get, ctx,
		    "HTTP_X_ORIGINAL_URI", BOUND_REQUEST_PATH, NULL);
	/* Read on demand (req_body): nginx's auth_request sends none. */
	r->content_length = param_copy(r, get, ctx, "CONTENT_LENGTH",
	    BOUND_NUMBER_TEXT, NULL);
	r->body = "";
	r->readbody = readbody;
	r->io = ctx;
	fill_redirect(r, get, ctx);
}

int
req_wants_json(const struct req *r)
{
	const char	*json, *html;

	if (strcasecmp(r->requested_with, "XMLHttpRequest") == 0)
		return 1;
	json = strstr(r->accept, "application/json");
	html = strstr(r->accept, "text/html");
	return json != NULL && (html == NULL || json < html);
}

void
resp_init(struct resp *resp, struct arena *a)
{
	resp->status = 200;
	resp->nheaders = 0;
	resp->lines = NULL;
	resp->lines_len = 0;
	resp->cap = 16;
	resp->headers = arena_calloc(a, resp->cap, sizeof(*resp->headers));
	buf_init(&resp->body, a, BOUND_PAGE);
}

void
resp_header(struct resp *resp, const char *name, const char *value)
{
	if (resp->nheaders == resp->cap) {
		resp->headers = arena_grow(resp->body.arena, resp->headers,
		    resp->cap * sizeof(*resp->headers),
		    resp->cap * 2 * sizeof(*resp->headers));
		resp->cap *= 2;
	}
	resp->headers[resp->nheaders].name = name;
	resp->headers[resp->nheaders].value = value;
	resp->nheaders++;
}

static const char *
status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	default: return "Unknown";
	}
}

static int
has_line_break(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

/*
 * Appends "name: value" and a CRLF.  Plain copies: the authorizer sends
 * a dozen headers on every request, and printf would cost it more than
 * its MAC check.
 */
/* Copies name ": " value CRLF to p; returns the end. */
static char *
put_header_line(char *p, const char *name, size_t nlen, const char *value,
    size_t vlen)
{
	memcpy(p, name, nlen);
	p += nlen;
	*p++ = ':';
	*p++ = ' ';
	memcpy(p, value, vlen);
	p += vlen;
	*p++ = '\r';
	*p++ = '\n';
	return p;
}

/*
 * The head is measured, then written in one piece: this runs for every
 * request the gate answers, and one allocation and one write beat a
 * growing buffer.
 */
enum err
resp_send(const struct resp *resp, int head_only, req_write write, void *ctx)
{
	struct arena	*a = resp->body.arena;
	const char	*text = status_text(resp->status);
	char		 code[NUM_FORMAT_SIZE], length[NUM_FORMAT_SIZE], *head, *p;
	size_t		*nlen, *vlen, size, codelen, textlen, lengthlen;
	enum err	 e;

	nlen = arena_calloc(a, resp->nheaders + 1, sizeof(*nlen));
	vlen = arena_calloc(a, resp->nheaders + 1, sizeof(*vlen));
	codelen = num_format(code, (unsigned int)resp->status);
	textlen = strlen(text);
	size = sizeof("Status:  \r\n") - 1 + codelen + textlen;
	for (size_t i = 0; i < resp->nheaders; i++) {
		const struct resp_header *h = &resp->headers[i];

		if (has_line_break(h->name) || has_line_break(h->value)) {
			log_errx("header %s dropped: line break in value",
			    has_line_break(h->name) ? "(bad name)" : h->name);
			continue;
		}
		nlen[i] = strlen(h->name);
		vlen[i] = strlen(h->value);
		size += nlen[i] + vlen[i] + 4;
	}
	lengthlen = num_format(length, resp->body.len);
	size += resp->lines_len;
	size += sizeof("Content-Length: \r\n\r\n") - 1 + lengthlen;
	p = head = arena_alloc(a, size);
	memcpy(p, "Status: ", 8);
	memcpy(p + 8, code, codelen);
	p += 8 + codelen;
	*p++ = ' ';
	memcpy(p, text, textlen);
	p += textlen;
	*p++ = '\r';
	*p++ = '\n';
	for (size_t i = 0; i < resp->nheaders; i++)
		if (nlen[i] != 0)
			p = put_header_line(p, resp->headers[i].name, nlen[i],
			    resp->headers[i].value, vlen[i]);
	if (resp->lines_len > 0) {
		memcpy(p, resp->lines, resp->lines_len);
		p += resp->lines_len;
	}
	p = put_header_line(p, "Content-Length", 14, length, lengthlen);
	*p++ = '\r';
	*p++ = '\n';
	if ((e = write(ctx, head, (size_t)(p - head))) != ERR_OK)
		return e;
	if (!head_only && resp->body.len > 0)
		return write(ctx, resp->body.data, resp->body.len);
	return ERR_OK;
}
