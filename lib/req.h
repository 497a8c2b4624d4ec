/*
 * One request and its response, independent of how they travel.
 *
 * A FastCGI or a CGI adapter fills struct req from the server's
 * parameters, copying every value into the request arena (nothing of
 * libfcgi's environment survives the request), and writes struct resp
 * back.  Handlers only ever see these two structs, so they run the
 * same under FastCGI, CGI and the unit tests.
 */
#ifndef REQ_H
#define REQ_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

struct arena;
struct cookie_jar;
struct url_params;

enum req_method {
	REQ_GET = 0,
	REQ_HEAD,
	REQ_POST,
	REQ_OTHER,
	REQ_METHOD__MAX
};

enum req_role {
	REQ_RESPONDER = 0,	/* a page request */
	REQ_AUTHORIZER,		/* FastCGI Authorizer: may this request pass? */
	REQ_ROLE__MAX
};

/* Reads one server parameter (an environment variable); NULL when unset. */
typedef const char	*(*req_getparam)(void *ctx, const char *name);

/*
 * Reads up to len body bytes into p and sets *got, 0 at the end;
 * ERR_SYSTEM when the connection fails, ERR_TIMEOUT_CLIENT when the body
 * has taken more than BOUND_BODY_SECONDS since the first call of the
 * request (the transport keeps that clock).
 */
typedef enum err	 (*req_readbody)(void *ctx, char *p, size_t len,
			    size_t *got);

/* Writes len bytes; ERR_SYSTEM when the client is gone. */
typedef enum err	 (*req_write)(void *ctx, const char *p, size_t len);

struct req {
	struct arena	*arena;
	enum req_role	 role;
	int64_t		 now;		/* seconds since the epoch, once */
	enum req_method	 method;
	const char	*method_name;	/* as sent, for logs ("" if none) */
	const char	*uri;		/* REQUEST_URI, raw */
	const char	*path;		/* its path, raw, without the query */
	const char	*query;		/* the raw query string, "" if none */
	const char	*script_name;	/* SCRIPT_NAME, "" if none */
	const char	*path_info;	/* PATH_INFO, NULL if none */
	const char	*cookie;	/* HTTP_COOKIE, NULL if none */
	const char	*accept;	/* HTTP_ACCEPT, "" if none */
	const char	*requested_with; /* HTTP_X_REQUESTED_WITH */
	const char	*sec_fetch_mode; /* HTTP_SEC_FETCH_MODE */
	/*
	 * Who made the request, as the browser says it (no script can set
	 * these): HTTP_SEC_FETCH_SITE ("same-origin", ...), HTTP_SEC_FETCH_USER
	 * ("?1" for a navigation the person made), HTTP_ORIGIN; "" if none.
	 */
	const char	*sec_fetch_site;
	const char	*sec_fetch_user;
	const char	*origin;
	const char	*content_type;	/* CONTENT_TYPE, "" if none */
	const char	*apache_role;	/* FCGI_APACHE_ROLE, NULL if none */
	const char	*forwarded_uri;	/* X-Forwarded-Uri / X-Original-URI */
	/*
	 * The server says the request came over TLS (HTTPS=on or
	 * REQUEST_SCHEME=https, set by the server, never from a header a
	 * client sent).  Behind a TLS-terminating proxy it is 0 although
	 * the browser is on https.
	 */
	int		 https;
	/*
	 * REDIRECT_STATUS: the status of the request this one is the error
	 * document of (Apache's ErrorDocument, nginx's error_page), 0 when
	 * none; the method is then REDIRECT_REQUEST_METHOD, the original's.
	 */
	int		 redirect_status;
	const char	*content_length; /* CONTENT_LENGTH, NULL if none */
	/* The body (POST), NUL-terminated, "" until req_body() read it. */
	const char	*body;
	size_t		 body_len;
	int		 body_read;
	req_readbody	 readbody;	/* for req_body, during the request */
	void		*io;
	struct cookie_jar *jar;		/* parsed Cookie header (router) */
	struct url_params *params;	/* parsed query (router) */
	/*
	 * Set when the request itself is unusable (a header over its
	 * bound): the router answers with it before routing.
	 */
	enum err	 input_error;
	/*
	 * A failure's reference (set by the router), in its log line and on
	 * its page, so that a person can quote it to the site's
	 * administrator; NULL when none.
	 */
	const char	*ref;
};

struct resp_header {
	const char	*name;
	const char	*value;
};

struct resp {
	int			 status;
	struct resp_header	*headers;
	size_t			 nheaders;
	size_t			 cap;
	const char		*lines;		/* ready header lines, CRLF-ended */
	size_t			 lines_len;
	struct buf		 body;
};

/*
 * Fills *r from the parameters, copying everything into the arena; the
 * body is left for req_body, and readbody and ctx must stay usable until
 * the response is sent.  Over-long values set r->input_error
 * (ERR_TOO_BIG) rather than failing: the router still needs a request
 * to answer.
 */
void		req_fill(struct req *r, struct arena *, req_getparam,
		    req_readbody, void *ctx);

/*
 * Reads the body of a POST into r->body (arena) once; returns
 * ERR_TOO_BIG past BOUND_FORM_BODY, ERR_INPUT when it is shorter than
 * CONTENT_LENGTH or holds a NUL, ERR_TIMEOUT_CLIENT when it did not
 * arrive within BOUND_BODY_SECONDS.  Only a handler that takes a body calls
 * it: a server may announce a body it does not pass on (nginx's
 * auth_request subrequest with fastcgi_pass_request_body off).
 */
enum err	req_body(struct req *);

/* Returns 1 when the client prefers JSON to HTML (an API call, not a page view). */
int		req_wants_json(const struct req *);

/* Makes an empty 200 response whose body may grow to BOUND_PAGE bytes. */
void		resp_init(struct resp *, struct arena *);

/* Adds a header; the name and value must outlive the response (arena). */
void		resp_header(struct resp *, const char *name, const char *value);

/*
 * Writes the response as CGI output ("Status:", headers, body).  For a
 * HEAD request the body is left out.  A header value holding CR or LF is
 * a bug: it is dropped and logged rather than sent.  Returns what the
 * write callback returned when it failed (the client is gone).
 */
enum err	resp_send(const struct resp *, int head_only, req_write,
		    void *ctx);

#endif /* REQ_H */
