/*
 * lib/req.c: the role, the error-document fields (REDIRECT_STATUS,
 * REDIRECT_REQUEST_METHOD) and the body read on demand, from tables of
 * server parameters.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "err.h"
#include "req.h"
#include "tap.h"

/* A fake server: NULL-terminated name/value pairs and a body. */
struct fake {
	const char	*const *params;
	const char	*body;
	size_t		 body_len;
	size_t		 offset;
	int		 reads;
	size_t		 stall_at;	/* then the deadline passes (0: never) */
};

static const char *
fake_param(void *ctx, const char *name)
{
	const struct fake	*f = ctx;

	for (const char *const *p = f->params; *p != NULL; p += 2)
		if (strcmp(p[0], name) == 0)
			return p[1];
	return NULL;
}

static enum err
fake_read(void *ctx, char *p, size_t len, size_t *got)
{
	struct fake	*f = ctx;
	size_t		 n = f->body_len - f->offset;

	f->reads++;
	if (f->stall_at != 0 && f->offset >= f->stall_at) {
		*got = 0;
		return ERR_TIMEOUT_CLIENT;
	}
	if (f->stall_at != 0 && n > f->stall_at - f->offset)
		n = f->stall_at - f->offset;
	if (n > len)
		n = len;
	memcpy(p, f->body + f->offset, n);
	f->offset += n;
	*got = n;
	return ERR_OK;
}

static void
fill(struct req *r, struct arena *a, struct fake *f, const char *const *params,
    const char *body, size_t body_len)
{
	memset(f, 0, sizeof(*f));
	f->params = params;
	f->body = body;
	f->body_len = body_len;
	req_fill(r, a, fake_param, fake_read, f);
}

static void
test_roles(struct arena *a)
{
	static const struct {
		const char	*fcgi_role;
		const char	*apache_role;
		enum req_role	 want;
	} cases[] = {
		{ NULL, NULL, REQ_RESPONDER },
		{ "RESPONDER", NULL, REQ_RESPONDER },
		{ "AUTHORIZER", NULL, REQ_AUTHORIZER },
		{ "AUTHORIZER", "AUTHENTICATOR", REQ_AUTHORIZER },
		{ NULL, "ACCESS_CHECKER", REQ_AUTHORIZER },
		{ NULL, "AUTHORIZER", REQ_AUTHORIZER },
		{ "authorizer", NULL, REQ_RESPONDER },
		{ NULL, "access_checker", REQ_RESPONDER },
		{ NULL, "SOMETHING", REQ_RESPONDER },
	};
	struct req	r;
	struct fake	f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *params[] = {
			"REQUEST_METHOD", "GET",
			"REQUEST_URI", "/private/x",
			cases[i].fcgi_role ? "FCGI_ROLE" : "X_NONE",
			cases[i].fcgi_role ? cases[i].fcgi_role : "",
			cases[i].apache_role ? "FCGI_APACHE_ROLE" : "X_NONE2",
			cases[i].apache_role ? cases[i].apache_role : "",
			NULL,
		};
		fill(&r, a, &f, params, "", 0);
		is_int(r.role, cases[i].want, "role: FCGI_ROLE=%s "
		    "FCGI_APACHE_ROLE=%s", cases[i].fcgi_role ?
		    cases[i].fcgi_role : "-", cases[i].apache_role ?
		    cases[i].apache_role : "-");
		arena_reset(a);
	}
}

static void
test_redirect(struct arena *a)
{
	static const struct {
		const char	*status;	/* REDIRECT_STATUS, NULL: none */
		const char	*method;	/* REDIRECT_REQUEST_METHOD */
		int		 want_status;
		const char	*want_method;
		enum req_method	 want_m;
	} cases[] = {
		{ NULL, NULL, 0, "GET", REQ_GET },
		{ "401", NULL, 401, "GET", REQ_GET },
		{ "401", "POST", 401, "POST", REQ_POST },
		{ "401", "HEAD", 401, "HEAD", REQ_HEAD },
		{ "401", "PUT", 401, "PUT", REQ_OTHER },
		{ "401", "", 401, "GET", REQ_GET },
		{ "200", NULL, 200, "GET", REQ_GET },
		{ NULL, "POST", 0, "GET", REQ_GET },
		/* Not a status: ignored, and so is the method. */
		{ "", "POST", 0, "GET", REQ_GET },
		{ "abc", "POST", 0, "GET", REQ_GET },
		{ "99", "POST", 0, "GET", REQ_GET },
		{ "600", "POST", 0, "GET", REQ_GET },
		{ "-401", "POST", 0, "GET", REQ_GET },
		{ "401 ", "POST", 0, "GET", REQ_GET },
		{ "4010", "POST", 0, "GET", REQ_GET },
		{ "99999999999999999999999", "POST", 0, "GET", REQ_GET },
	};
	struct req	r;
	struct fake	f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *params[] = {
			"REQUEST_METHOD", "GET",
			"REQUEST_URI", "/private/x?a=1",
			cases[i].status ? "REDIRECT_STATUS" : "X_NONE",
			cases[i].status ? cases[i].status : "",
			cases[i].method ? "REDIRECT_REQUEST_METHOD" : "X_NONE2",
			cases[i].method ? cases[i].method : "",
			NULL,
		};
		fill(&r, a, &f, params, "", 0);
		is_int(r.redirect_status, cases[i].want_status,
		    "REDIRECT_STATUS=%s: redirect_status",
		    cases[i].status ? cases[i].status : "-");
		is_str(r.method_name, cases[i].want_method,
		    "REDIRECT_STATUS=%s REDIRECT_REQUEST_METHOD=%s: method",
		    cases[i].status ? cases[i].status : "-",
		    cases[i].method ? cases[i].method : "-");
		is_int(r.method, cases[i].want_m, "... and its enum");
		is_int(r.input_error, ERR_OK, "... no input error");
		is_str(r.uri, "/private/x?a=1", "... REQUEST_URI kept");
		arena_reset(a);
	}
}

static void
test_body(struct arena *a)
{
	static char	big[BOUND_FORM_BODY + 2];
	char		len_big[32], len_max[32];
	static const char nul_body[] = "a=b\0c";
	const struct {
		const char	*method;
		const char	*length;	/* CONTENT_LENGTH, NULL: none */
		const char	*body;
		size_t		 body_len;
		enum err	 want;
		const char	*want_body;	/* NULL: do not compare */
	} cases[] = {
		{ "POST", "7", "csrf=ab", 7, ERR_OK, "csrf=ab" },
		{ "POST", "0", "", 0, ERR_OK, "" },
		{ "POST", NULL, "ignored", 7, ERR_OK, "" },
		{ "POST", "", "ignored", 7, ERR_OK, "" },
		{ "GET", "7", "csrf=ab", 7, ERR_OK, "" },
		{ "HEAD", "7", "csrf=ab", 7, ERR_OK, "" },
		{ "POST", "3", "abcdef", 6, ERR_OK, "abc" },
		/* Announced, not sent (nginx's auth_request). */
		{ "POST", "7", "", 0, ERR_INPUT, NULL },
		{ "POST", "7", "csr", 3, ERR_INPUT, NULL },
		{ "POST", "5", nul_body, 5, ERR_INPUT, NULL },
		{ "POST", "x", "", 0, ERR_INPUT, NULL },
		{ "POST", "-1", "", 0, ERR_INPUT, NULL },
		{ "POST", "7 ", "csrf=ab", 7, ERR_INPUT, NULL },
		/* Too large is 413 at any length, not a malformed 400. */
		{ "POST", "99999999999999999999", "", 0, ERR_TOO_BIG, NULL },
		{ "POST", "200000", "", 0, ERR_TOO_BIG, NULL },
		{ "POST", "1000000", "", 0, ERR_TOO_BIG, NULL },
		{ "POST", len_big, big, sizeof(big) - 1, ERR_TOO_BIG, NULL },
		{ "POST", len_max, big, BOUND_FORM_BODY, ERR_OK, NULL },
	};
	struct req	r;
	struct fake	f;

	memset(big, 'a', sizeof(big) - 1);
	snprintf(len_big, sizeof(len_big), "%d", BOUND_FORM_BODY + 1);
	snprintf(len_max, sizeof(len_max), "%d", BOUND_FORM_BODY);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *params[] = {
			"REQUEST_METHOD", cases[i].method,
			"REQUEST_URI", "/auth/logout",
			cases[i].length ? "CONTENT_LENGTH" : "X_NONE",
			cases[i].length ? cases[i].length : "",
			NULL,
		};
		fill(&r, a, &f, params, cases[i].body, cases[i].body_len);
		is_int(r.input_error, ERR_OK, "%s CONTENT_LENGTH=%.24s: "
		    "filling never reads the body", cases[i].method,
		    cases[i].length ? cases[i].length : "-");
		is_int(f.reads, 0, "... no read yet");
		is_str(r.body, "", "... body empty before req_body");
		is_int(req_body(&r), cases[i].want, "... req_body");
		if (cases[i].want_body != NULL)
			is_str(r.body, cases[i].want_body, "... the body");
		if (cases[i].want == ERR_OK)
			is_int(r.body_len, strlen(r.body), "... its length");
		else
			is_str(r.body, "", "... no body on failure");
		arena_reset(a);
	}

	/* Read once: a second call neither reads again nor fails. */
	{
		const char *params[] = {
			"REQUEST_METHOD", "POST",
			"CONTENT_LENGTH", "7",
			NULL,
		};
		fill(&r, a, &f, params, "csrf=ab", 7);
		is_int(req_body(&r), ERR_OK, "first req_body");
		int reads = f.reads;
		is_int(req_body(&r), ERR_OK, "second req_body");
		is_int(f.reads, reads, "the second reads nothing");
		is_str(r.body, "csrf=ab", "the body stays");
		arena_reset(a);
	}

	/*
	 * A body that stops coming: the transport's deadline passes after
	 * 4 of 7 bytes, and that is a 408 (ERR_TIMEOUT_CLIENT), not a short
	 * body (400) nor a read error.
	 */
	{
		const char *params[] = {
			"REQUEST_METHOD", "POST",
			"CONTENT_LENGTH", "7",
			NULL,
		};
		fill(&r, a, &f, params, "csrf=ab", 7);
		f.stall_at = 4;
		err_clear();
		is_int(req_body(&r), ERR_TIMEOUT_CLIENT,
		    "a body past its deadline: ERR_TIMEOUT_CLIENT");
		is_str(r.body, "", "... no body");
		ok(strstr(err_reason_get(), "4 of 7 bytes") != NULL,
		    "... the reason says how much came: %s", err_reason_get());
		arena_reset(a);
	}
}

int
main(void)
{
	struct arena	*a = arena_new();

	test_roles(a);
	test_redirect(a);
	test_body(a);
	arena_free(a);
	return tap_done();
}
