/*
 * lib/app.c without a server or a provider: construction failures
 * (cookie_path, templates), and the handlers driven with fake requests
 * (anonymous, signed in with a session sealed here, a bad CSRF token,
 * the authorizer's answers, error pages as HTML and JSON).  The
 * providers point at a closed loopback port, so whatever needs them
 * fails fast with a provider error.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "app.h"
#include "errpage.h"
#include "gate.h"
#include "login.h"
#include "logout.h"
#include "arena.h"
#include "bounds.h"
#include "cfg.h"
#include "cookie.h"
#include "err.h"
#include "log.h"
#include "req.h"
#include "seal.h"
#include "session.h"
#include "tap.h"
#include "url.h"

#define SECRET	"Qw8Er2Ty6Ui0Op4As1Df5Gh9Jk3Lz7XcVbNm"
#define META	"http://127.0.0.1:1/.well-known/openid-configuration"

static char	tdir[4096];

/* --- A fake server. ------------------------------------------------------ */

struct fake {
	const char	*params[32];	/* name, value, ..., NULL */
	const char	*body;
	size_t		 off;
};

static const char *
fake_param(void *ctx, const char *name)
{
	struct fake	*f = ctx;

	for (size_t i = 0; f->params[i] != NULL; i += 2)
		if (strcmp(f->params[i], name) == 0)
			return f->params[i + 1];
	return NULL;
}

static enum err
fake_read(void *ctx, char *p, size_t len, size_t *got)
{
	struct fake	*f = ctx;
	size_t		 left = f->body ? strlen(f->body) - f->off : 0;

	if (len > left)
		len = left;
	memcpy(p, f->body + f->off, len);
	f->off += len;
	*got = len;
	return ERR_OK;
}

/* Fills r as serve() and the router would: request, cookies, query. */
static void
request(struct req *r, struct resp *resp, struct arena *a, struct fake *f)
{
	err_clear();
	req_fill(r, a, fake_param, fake_read, f);
	resp_init(resp, a);
	r->jar = arena_alloc(a, sizeof(*r->jar));
	if (cookie_parse(a, r->cookie, r->jar) != ERR_OK)
		diag("cookie_parse failed");
	r->params = arena_alloc(a, sizeof(*r->params));
	if (url_parse_form(a, r->query, strlen(r->query), r->params) != ERR_OK)
		diag("url_parse_form failed");
}

static int
has_header(const struct resp *resp, const char *name, const char *part)
{
	size_t		 nlen = strlen(name);
	const char	*line, *end;

	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0 &&
		    (part == NULL || strstr(resp->headers[i].value, part)))
			return 1;
	/* A remembered answer comes as ready header lines. */
	for (line = resp->lines; line != NULL && *line != '\0'; line = end + 2) {
		if ((end = strstr(line, "\r\n")) == NULL)
			break;
		if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':' &&
		    (part == NULL || (strstr(line, part) != NULL &&
		    strstr(line, part) < end)))
			return 1;
	}
	return 0;
}

static const char *
body(const struct resp *resp)
{
	return resp->body.data ? resp->body.data : "";
}

/* --- Construction. ----------------------------------------------------- */

static struct cfg *
load(const char *extra, const char *template_dir)
{
	char		 text[4096];
	struct cfg	*cfg = NULL;

	snprintf(text, sizeof(text),
	    "[auth]\n"
	    "redirect_uri = \"http://127.0.0.1:1/auth/callback\"\n"
	    "cookie_secret = \"" SECRET "\"\n"
	    "template_dir = \"%s\"\n"
	    "%s\n"
	    "[auth.a]\nclient_id = \"ida\"\nclient_secret = \"sa\"\n"
	    "server_metadata_url = \"" META "\"\n"
	    "display_name = \"Alpha <ID>\"\n"
	    "[auth.b]\nclient_id = \"idb\"\nclient_secret = \"sb\"\n"
	    "server_metadata_url = \"" META "\"\n", template_dir, extra);
	if (cfg_load_string(text, "test.toml", &cfg) != ERR_OK)
		diag("cfg: %s", err_reason_get());
	return cfg;
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE	*f = fopen(path, "w");

	if (f == NULL)
		return;
	fwrite(text, 1, len, f);
	fclose(f);
}

static void
copy_file(const char *from, const char *to)
{
	static char	data[BOUND_TEMPLATE_FILE];
	FILE		*f = fopen(from, "r");
	size_t		 n;

	if (f == NULL) {
		diag("cannot read %s", from);
		return;
	}
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	write_file(to, data, n);
}

static void
test_new(const char *templates)
{
	static const char *const pages[] = {
		"choose.html", "signed-in.html", "logout.html", "error.html",
	};
	char		 from[8192], path[8192];
	struct app	*app = NULL;
	struct cfg	*cfg;
	char		*big;

	cfg = load("cookie_path = \"/other\"", templates);
	ok(cfg != NULL, "a cookie_path beside the callback loads");
	if (cfg != NULL) {
		err_clear();
		is_int(app_new(cfg, &app), ERR_CONFIG,
		    "a cookie_path that misses the callback: ERR_CONFIG");
		ok(strstr(err_reason_get(), "cookie_path") != NULL,
		    "and says so: %s", err_reason_get());
		cfg_free(cfg);
	}

	cfg = load("", "/nonexistent-templates");
	err_clear();
	ok(app_new(cfg, &app) != ERR_OK, "missing templates: refused");
	ok(strstr(err_reason_get(), "/nonexistent-templates") != NULL,
	    "and names the directory: %s", err_reason_get());
	cfg_free(cfg);

	/* Every page but no style.css, then a style.css over its bound. */
	if (mkdir(tdir, 0700) != 0)
		diag("mkdir %s failed", tdir);
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		snprintf(from, sizeof(from), "%s/%s", templates, pages[i]);
		snprintf(path, sizeof(path), "%s/%s", tdir, pages[i]);
		copy_file(from, path);
	}
	cfg = load("", tdir);
	err_clear();
	is_int(app_new(cfg, &app), ERR_CONFIG, "no style.css: ERR_CONFIG");
	ok(strstr(err_reason_get(), "style.css") != NULL, "and names it: %s",
	    err_reason_get());
	big = calloc(1, BOUND_TEMPLATE_FILE + 2);
	memset(big, 'x', BOUND_TEMPLATE_FILE + 1);
	snprintf(path, sizeof(path), "%s/style.css", tdir);
	write_file(path, big, BOUND_TEMPLATE_FILE + 1);
	free(big);
	is_int(app_new(cfg, &app), ERR_CONFIG,
	    "a style.css over its bound: ERR_CONFIG");
	write_file(path, "p{}", 3);
	is_int(app_new(cfg, &app), ERR_OK, "a small style.css: built");
	ok(app != NULL && app_provider(app, "a") != NULL &&
	    app_provider(app, "zz") == NULL, "providers found by name");
	app_free(app);
	app_free(NULL);
	cfg_free(cfg);
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tdir, pages[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/style.css", tdir);
	unlink(path);
	rmdir(tdir);
}

/* --- Handlers. ----------------------------------------------------------- */

struct world {
	struct app	*app;
	struct cfg	*cfg;
	struct arena	*a;
	char		*cookie;	/* a valid session as a Cookie header */
	char		*cookie_bad;	/* signed in, but refused by the rules */
};

/* A session for claims, sealed with the app's keys, as a Cookie header. */
static char *
seal_session(struct world *w, const char *claims)
{
	struct cookie_jar	 jar = { NULL, 0 };
	struct session_ctx	 sc = { w->cfg, w->app->keys, w->a, &jar,
	    time(NULL) };
	struct session		 s;
	struct resp		 resp;
	char			*out = NULL;

	memset(&s, 0, sizeof(s));
	s.provider = "a";
	s.claims = json_tokener_parse(claims);
	resp_init(&resp, w->a);
	if (session_store(&sc, &s, &resp) == ERR_OK)
		for (size_t i = 0; i < resp.nheaders; i++)
			if (strcmp(resp.headers[i].name, "Set-Cookie") == 0) {
				const char *v = resp.headers[i].value;
				out = strndup(v, strcspn(v, ";"));
				break;
			}
	json_object_put(s.claims);
	return out;
}

typedef enum err (*handler)(struct app *, struct req *, struct resp *,
    const char *);

static const struct call {
	const char	*what;
	handler		 fn;
	const char	*arg;
	const char	*method;
	const char	*query;
	int		 session;	/* 0 none, 1 good, 2 refused, 3 garbage */
	const char	*extra[6];	/* more params: name, value, ... */
	const char	*body;
	enum err	 want;
	int		 status;	/* 0: not checked */
	const char	*header;	/* a header that must be there */
	const char	*header_part;
	const char	*in_body;	/* text the body must hold */
} calls[] = {
	{ "home anonymous", app_home, NULL, "GET", "return_to=%2Fx", 0, {0},
	    NULL, ERR_OK, 0, "Content-Security-Policy", "default-src 'none'",
	    "Alpha &lt;ID&gt;" },
	{ "home JSON", app_home, NULL, "GET", "", 0,
	    { "HTTP_ACCEPT", "application/json" }, NULL, ERR_OK, 0,
	    "Content-Type", "application/json", "\"providers\"" },
	{ "home JSON, signed in: the providers' names", app_home, NULL, "GET",
	    "", 1, { "HTTP_ACCEPT", "application/json" }, NULL, ERR_OK, 0,
	    "Content-Type", "application/json", "\"Alpha <ID>\"" },
	{ "home signed in: a one-click sign-out", app_home, NULL, "GET", "",
	    1, {0}, NULL, ERR_OK, 0, NULL, NULL, "name=\"csrf\"" },
	{ "home signed in", app_home, NULL, "GET", "return_to=%2Fy", 1, {0},
	    NULL, ERR_OK, 0, "Cache-Control", "no-store", "Ann &lt;b&gt;" },
	{ "home, garbage session", app_home, NULL, "GET", "", 3, {0}, NULL,
	    ERR_OK, 0, "Set-Cookie", "Max-Age=0", NULL },
	{ "login, two providers, none named", login_start, NULL, "GET", "", 0,
	    {0}, NULL, ERR_OK, 0, NULL, NULL, "/auth/login/a" },
	{ "login, unknown provider", login_start, "zz", "GET", "", 0, {0},
	    NULL, ERR_NOT_FOUND, 0, NULL, NULL, NULL },
	{ "login, signed in already", login_start, "b", "GET",
	    "return_to=%2Fy", 1, {0}, NULL, ERR_OK, 200, NULL, NULL,
	    "You are already signed in" },
	{ "login, signed in, the same provider: signs in again", login_start,
	    "a", "GET", "", 1, {0}, NULL, ERR_PROVIDER, 0, NULL, NULL, NULL },
	{ "login, signed in already: another account offered", login_start,
	    "b", "GET", "", 1, {0}, NULL, ERR_OK, 200, NULL, NULL,
	    "Another Alpha &lt;ID&gt; account" },
	{ "login, signed in, another account deliberately", login_start, "a",
	    "GET", "switch=1", 1, {0}, NULL, ERR_PROVIDER, 0, NULL, NULL,
	    NULL },
	{ "login, provider down", login_start, "a", "GET", "", 0, {0}, NULL,
	    ERR_PROVIDER, 0, NULL, NULL, NULL },
	{ "login by query, provider down", login_start, NULL, "GET",
	    "provider=b", 0, {0}, NULL, ERR_PROVIDER, 0, NULL, NULL, NULL },
	{ "callback with error, no flow of this browser", login_callback,
	    NULL, "GET",
	    "error=access_denied&error_description=no%0athanks&state=s", 0,
	    {0}, NULL, ERR_UNVERIFIED, 0, NULL, NULL, NULL },
	{ "callback without state", login_callback, NULL, "GET", "code=c", 0,
	    {0}, NULL, ERR_UNVERIFIED, 0, NULL, NULL, NULL },
	{ "callback, state twice", login_callback, NULL, "GET",
	    "state=a&state=b&code=c", 0, {0}, NULL, ERR_INPUT, 0, NULL, NULL,
	    NULL },
	{ "callback, unknown state", login_callback, NULL, "GET",
	    "state=abc&code=c", 0, {0}, NULL, ERR_UNVERIFIED, 0, NULL, NULL,
	    NULL },
	{ "callback, a spent answer, signed in", login_callback, NULL, "GET",
	    "state=abc&code=c", 1, {0}, NULL, ERR_OK, 302, "Location", "/",
	    NULL },
	{ "callback, a spent error answer, signed in", login_callback, NULL,
	    "GET", "state=abc&error=access_denied", 1, {0}, NULL, ERR_OK, 302,
	    NULL, NULL, NULL },
	{ "callback, a state with a forged hint", login_callback, NULL, "GET",
	    "state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbogus&code=c", 0,
	    {0}, NULL, ERR_UNVERIFIED, 0, NULL, NULL, NULL },
	{ "logout page anonymous", logout_page, NULL, "GET",
	    "return_to=%2Fz", 0, {0}, NULL, ERR_OK, 0, "X-Frame-Options",
	    "DENY", "not signed in" },
	{ "logout page signed in", logout_page, NULL, "GET", "", 1, {0},
	    NULL, ERR_OK, 0, NULL, NULL, "name=\"csrf\"" },
	{ "logout, not a form", logout_post, NULL, "POST", "", 0,
	    { "CONTENT_TYPE", "text/plain", "CONTENT_LENGTH", "1" }, "x",
	    ERR_INPUT, 0, NULL, NULL, NULL },
	{ "logout, malformed form", logout_post, NULL, "POST", "", 0,
	    { "CONTENT_TYPE", "application/x-www-form-urlencoded" }, "a=%", ERR_INPUT, 0, NULL, NULL, NULL },
	{ "logout anonymous", logout_post, NULL, "POST", "", 0,
	    { "CONTENT_TYPE", "application/x-www-form-urlencoded" }, "return_to=%2Fq", ERR_OK, 303,
	    "Location", "/auth/signed-out?return_to=%2Fq", NULL },
	{ "logout, no CSRF token, a page of this site", logout_post, NULL,
	    "POST", "", 1, { "CONTENT_TYPE",
	    "application/x-www-form-urlencoded", "HTTP_ORIGIN",
	    "http://127.0.0.1:1" }, "return_to=%2Fq", ERR_OK, 303, "Location",
	    "/auth/signed-out?return_to=%2Fq", NULL },
	{ "logout, no CSRF token, Sec-Fetch-Site same-origin", logout_post,
	    NULL, "POST", "", 1, { "CONTENT_TYPE",
	    "application/x-www-form-urlencoded", "HTTP_SEC_FETCH_SITE",
	    "same-origin" }, "return_to=%2F", ERR_OK, 303, "Set-Cookie",
	    "Max-Age=0", NULL },
	{ "logout, no CSRF token, another origin", logout_post, NULL, "POST",
	    "", 1, { "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "HTTP_ORIGIN", "http://127.0.0.1:2" }, "return_to=%2F",
	    ERR_FORBIDDEN, 0, NULL, NULL, NULL },
	{ "logout, no CSRF token, same-site", logout_post, NULL, "POST", "",
	    1, { "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "HTTP_SEC_FETCH_SITE", "same-site" }, "return_to=%2F",
	    ERR_FORBIDDEN, 0, NULL, NULL, NULL },
	{ "logout page, a click on this site", logout_page, NULL, "GET",
	    "return_to=%2Fz", 1, { "HTTP_SEC_FETCH_SITE", "same-origin",
	    "HTTP_SEC_FETCH_USER", "?1", "HTTP_SEC_FETCH_MODE", "navigate" },
	    NULL, ERR_OK, 303, "Location", "/auth/signed-out?return_to=%2Fz",
	    NULL },
	{ "logout page, a click elsewhere", logout_page, NULL, "GET", "", 1,
	    { "HTTP_SEC_FETCH_SITE", "cross-site", "HTTP_SEC_FETCH_USER",
	    "?1", "HTTP_SEC_FETCH_MODE", "navigate" }, NULL, ERR_OK, 200,
	    NULL, NULL, "name=\"csrf\"" },
	{ "logout page, same origin, no click", logout_page, NULL, "GET", "",
	    1, { "HTTP_SEC_FETCH_SITE", "same-origin", "HTTP_SEC_FETCH_MODE",
	    "navigate" }, NULL, ERR_OK, 200, NULL, NULL, "name=\"csrf\"" },
	{ "signed out", logout_signed_out, NULL, "GET", "return_to=%2Fz", 0,
	    {0}, NULL, ERR_OK, 200, NULL, NULL, "You are signed out" },
	{ "signed out, from the provider", logout_signed_out, NULL, "GET",
	    "state=a", 0, {0}, NULL, ERR_OK, 200, NULL, NULL,
	    "stay signed in at Alpha &lt;ID&gt;" },
	{ "signed out, an unknown state", logout_signed_out, NULL, "GET",
	    "state=%3Cb%3E", 0, {0}, NULL, ERR_OK, 200, NULL, NULL,
	    "</h1>\n<p class=\"lead\">You are no longer signed in" },
	{ "signed out, but signed in again", logout_signed_out, NULL, "GET",
	    "", 1, {0}, NULL, ERR_OK, 200, NULL, NULL, "You are signed in" },
	{ "logout, no CSRF token", logout_post, NULL, "POST", "", 1,
	    { "CONTENT_TYPE", "application/x-www-form-urlencoded" }, "return_to=%2F", ERR_FORBIDDEN, 0,
	    NULL, NULL, NULL },
	{ "logout, bad CSRF token", logout_post, NULL, "POST", "", 1,
	    { "CONTENT_TYPE", "application/x-www-form-urlencoded" }, "csrf=x", ERR_FORBIDDEN, 0, NULL, NULL,
	    NULL },
	{ "user anonymous", app_user, NULL, "GET", "", 0, {0}, NULL, ERR_OK,
	    0, NULL, NULL, "\"is_logged_in\":false" },
	{ "user signed in", app_user, NULL, "GET", "", 1, {0}, NULL, ERR_OK,
	    0, NULL, NULL, "\"provider\":\"a\"" },
	{ "check anonymous", gate_check, NULL, "GET", "", 0, {0}, NULL,
	    ERR_UNAUTHENTICATED, 0, NULL, NULL, NULL },
	{ "check signed in", gate_check, NULL, "GET", "", 1, {0}, NULL, ERR_OK,
	    0, "X-Auth-Request-Email", "ann@example.org", NULL },
	{ "check, refused by the rules", gate_check, NULL, "GET", "", 2, {0},
	    NULL, ERR_FORBIDDEN, 0, NULL, NULL, NULL },
	{ "style", app_style, NULL, "GET", "", 0, {0}, NULL, ERR_OK, 0,
	    "Content-Type", "text/css", NULL },
	{ "healthz, providers down", app_healthz, NULL, "GET", "", 0, {0},
	    NULL, ERR_OK, 503, NULL, NULL, "\"unavailable\"" },
	{ "authorizer signed in", gate_authorize, NULL, "GET", "", 1, {0},
	    NULL, ERR_OK, 0, "Variable-OIDC_CLAIM_groups", "staff,x", NULL },
	{ "authorizer, claim names", gate_authorize, NULL, "GET", "", 1, {0},
	    NULL, ERR_OK, 0, "Variable-REMOTE_USER", "ann@example.org", NULL },
	{ "authorizer, the provider's name", gate_authorize, NULL, "GET", "",
	    1, {0}, NULL, ERR_OK, 0, "Variable-OIDC_PROVIDER_NAME",
	    "Alpha <ID>", NULL },
	{ "authorizer anonymous page", gate_authorize, NULL, "GET", "", 0,
	    { "REQUEST_URI", "/private/p?q=1" }, NULL, ERR_OK, 302,
	    "Location", "return_to=%2Fprivate%2Fp%3Fq%3D1", NULL },
	{ "authorizer anonymous XHR", gate_authorize, NULL, "GET", "", 0,
	    { "HTTP_X_REQUESTED_WITH", "XMLHttpRequest" }, NULL,
	    ERR_UNAUTHENTICATED, 0, NULL, NULL, NULL },
	{ "authorizer anonymous POST", gate_authorize, NULL, "POST", "", 0,
	    {0}, NULL, ERR_UNAUTHENTICATED, 0, NULL, NULL, NULL },
	{ "authorizer anonymous fetch", gate_authorize, NULL, "GET", "", 0,
	    { "HTTP_SEC_FETCH_MODE", "cors" }, NULL, ERR_UNAUTHENTICATED, 0,
	    NULL, NULL, NULL },
	{ "authorizer, refused by the rules", gate_authorize, NULL, "GET", "",
	    2, {0}, NULL, ERR_FORBIDDEN, 0, NULL, NULL, NULL },
	{ "error document anonymous", gate_refused, NULL, "GET", "", 0,
	    { "HTTP_X_FORWARDED_URI", "//evil.example" }, NULL, ERR_OK, 302,
	    "Location", "/auth/", NULL },
	{ "error document signed in", gate_refused, NULL, "GET", "", 1, {0},
	    NULL, ERR_FORBIDDEN, 0, NULL, NULL, NULL },
	{ "error document, refused by the rules", gate_refused, NULL, "GET",
	    "", 2, {0}, NULL, ERR_FORBIDDEN, 0, NULL, NULL, NULL },
};

static void
run_call(struct world *w, const struct call *c)
{
	struct fake	 f;
	struct req	 r;
	struct resp	 resp;
	size_t		 n = 0;
	char		 clen[32];
	enum err	 e;

	memset(&f, 0, sizeof(f));
	f.params[n++] = "REQUEST_METHOD";
	f.params[n++] = c->method;
	f.params[n++] = "QUERY_STRING";
	f.params[n++] = c->query;
	f.params[n++] = "SCRIPT_NAME";
	f.params[n++] = "/auth";
	for (size_t i = 0; i + 1 < 6 && c->extra[i] != NULL; i += 2) {
		f.params[n++] = c->extra[i];
		f.params[n++] = c->extra[i + 1];
	}
	if (c->session != 0) {
		f.params[n++] = "HTTP_COOKIE";
		f.params[n++] = c->session == 1 ? w->cookie : c->session == 2 ?
		    w->cookie_bad : "oidc_login=garbage.garbage";
	}
	if (c->body != NULL && fake_param(&f, "CONTENT_LENGTH") == NULL) {
		snprintf(clen, sizeof(clen), "%zu", strlen(c->body));
		f.params[n++] = "CONTENT_LENGTH";
		f.params[n++] = clen;
	}
	f.body = c->body;
	f.params[n] = NULL;
	request(&r, &resp, w->a, &f);
	e = c->fn(w->app, &r, &resp, c->arg);
	is_int(e, c->want, "%s: %s", c->what, err_str(c->want));
	if (c->status != 0)
		is_int(resp.status, c->status, "%s: status %d", c->what,
		    c->status);
	if (c->header != NULL)
		ok(has_header(&resp, c->header, c->header_part),
		    "%s: %s holds %s", c->what, c->header,
		    c->header_part ? c->header_part : "anything");
	if (c->in_body != NULL)
		ok(strstr(body(&resp), c->in_body) != NULL, "%s: body holds %s",
		    c->what, c->in_body);
	/* A failure becomes a page, as the router makes it. */
	if (e != ERR_OK) {
		errpage_send(w->app, &r, &resp, 400, e);
		ok(resp.body.len > 0, "%s: an error page", c->what);
	}
	arena_reset(w->a);
}

static void
test_error_pages(struct world *w)
{
	static const struct {
		const char	*accept;
		enum err	 e;
		const char	*want;
	} table[] = {
		{ "text/html", ERR_INPUT, "<html" },
		{ "application/json", ERR_INPUT, "\"invalid_request\"" },
		{ "text/html", ERR__MAX, "Something went wrong" },
		{ "text/html", ERR_OK, "Something went wrong" },
		{ "application/json", ERR_TIMEOUT, "\"provider_timeout\"" },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		struct fake	f;
		struct req	r;
		struct resp	resp;

		memset(&f, 0, sizeof(f));
		f.params[0] = "REQUEST_METHOD";
		f.params[1] = "GET";
		f.params[2] = "HTTP_ACCEPT";
		f.params[3] = table[i].accept;
		request(&r, &resp, w->a, &f);
		err_detail("detail <b>");
		resp_header(&resp, "X-Dropped", "1");
		errpage_send(w->app, &r, &resp, 502, table[i].e);
		is_int(resp.status, 502, "error page %zu: status kept", i);
		ok(strstr(body(&resp), table[i].want) != NULL,
		    "error page %zu: %s", i, table[i].want);
		ok(!has_header(&resp, "X-Dropped", NULL),
		    "error page %zu: the handler's headers are dropped", i);
		if (strcmp(table[i].accept, "text/html") == 0)
			ok(strstr(body(&resp), "detail <b>") == NULL,
			    "error page %zu: the detail is escaped", i);
		arena_reset(w->a);
	}
}

/* Renders the error page of e for a GET with headers (name, value, ..., NULL). */
static const char *
error_body(struct world *w, struct req *r, struct resp *resp, int status,
    enum err e, const char *accept)
{
	struct fake	f;

	memset(&f, 0, sizeof(f));
	f.params[0] = "REQUEST_METHOD";
	f.params[1] = "GET";
	f.params[2] = "HTTP_ACCEPT";
	f.params[3] = accept;
	f.params[4] = "SCRIPT_NAME";
	f.params[5] = "/auth";
	req_fill(r, w->a, fake_param, fake_read, &f);
	resp_init(resp, w->a);
	r->jar = arena_alloc(w->a, sizeof(*r->jar));
	cookie_parse(w->a, NULL, r->jar);
	r->params = arena_alloc(w->a, sizeof(*r->params));
	url_parse_form(w->a, "", 0, r->params);
	r->ref = "Ref-1234";
	errpage_send(w->app, r, resp, status, e);
	return body(resp);
}

/* The ways on of the error page: no dead end. */
static void
test_ways_on(struct world *w)
{
	struct req	 r;
	struct resp	 resp;
	const char	*html;

	err_clear();
	err_about("a", "/x");
	err_retry("/auth/login/a?return_to=%2Fx");
	err_page(ERR_PAGE_OTHERS);
	html = error_body(w, &r, &resp, 504, ERR_TIMEOUT, "text/html");
	ok(strstr(html, "<h1>Alpha &lt;ID&gt; is not answering</h1>") != NULL,
	    "a slow provider: named in the heading");
	ok(strstr(html, "href=\"/auth/login/b?return_to=%2Fx\"") != NULL,
	    "a slow provider: the other one offered, keeping return_to");
	ok(strstr(html, "Continue with Alpha") == NULL,
	    "a slow provider: not itself among the others");
	ok(strstr(html, "href=\"http://127.0.0.1:1/\">Go to the home page") !=
	    NULL, "home: the site's, not the sign-in page");
	ok(strstr(html, "<code>Ref-1234</code>") != NULL, "the reference");
	ok(strstr(html, "Error 504") != NULL, "the status");
	arena_reset(w->a);

	err_clear();
	err_about("a", "/");
	err_retry("/auth/login/a");
	err_retry_label("Sign in again");
	err_page(ERR_PAGE_CALM | ERR_PAGE_OTHERS);
	err_detail("access_denied: End-User aborted interaction");
	html = error_body(w, &r, &resp, 400, ERR_DENIED, "text/html");
	is_int(resp.status, 400, "a cancel: still a 400 for machines");
	ok(strstr(html, "<h1>You did not sign in</h1>") != NULL &&
	    strstr(html, "Error 400") == NULL, "a cancel: a calm page");
	ok(strstr(html, ">Sign in again</a>") != NULL,
	    "a cancel: sign in again");
	ok(strstr(html, "<summary>Details</summary>") != NULL &&
	    strstr(html, "Alpha &lt;ID&gt; said:") != NULL,
	    "a cancel: the provider's words folded away");
	arena_reset(w->a);

	err_clear();
	err_about("a", "/");
	html = error_body(w, &r, &resp, 502, ERR_PROVIDER, "application/json");
	ok(strstr(html, "\"provider\":\"a\"") != NULL &&
	    strstr(html, "\"reference\":\"Ref-1234\"") != NULL,
	    "JSON: the provider and the reference");
	arena_reset(w->a);

	/* A refusal's reason survives looking for the provider's sign-out. */
	err_clear();
	err_reason("access rule: the refusal");
	ok(app_provider_logout_url(w->app, &r, "a", NULL) == NULL,
	    "no provider sign-out (logout_mode local)");
	app_offer_account(w->app, &r, "a", "/p", 0);
	is_str(err_reason_get(), "access rule: the refusal",
	    "the refusal's reason is kept for its log line");

	/* An account the rules refuse, at the gate. */
	err_clear();
	err_tell("Refused.");
	app_offer_account(w->app, &r, "a", "/p", 1);
	is_str(err_retry_get(), "/auth/login/a?switch=1&return_to=%2Fp",
	    "a refused account: another one, deliberately");
	is_str(err_retry_label_get(), "Use another account",
	    "  ... in those words");
	{
		const char *url, *label;

		ok(err_action_get(0, &url, &label) &&
		    strcmp(url, "/auth/logout") == 0 &&
		    strcmp(label, "Sign out") == 0,
		    "  ... or signing out");
	}
	err_clear();
}

/*
 * With logout at the provider, looking for its sign-out (the provider
 * is down) must not take the refusal's reason, which the log line needs.
 */
static void
test_refusal_reason(const char *templates)
{
	struct cfg	*cfg = load("http_timeout = 2\nhttp_connect_timeout = 1",
	    templates);
	struct app	*app = NULL;
	struct arena	*a = arena_new();
	struct fake	 f;
	struct req	 r;

	if (cfg == NULL || app_new(cfg, &app) != ERR_OK) {
		ok(0, "an app with logout at the provider");
		goto out;
	}
	memset(&f, 0, sizeof(f));
	f.params[0] = "REQUEST_METHOD";
	f.params[1] = "GET";
	err_clear();
	req_fill(&r, a, fake_param, fake_read, &f);
	err_reason("access rule: the refusal");
	ok(app_provider_logout_url(app, &r, "a", NULL) == NULL,
	    "a provider down: no sign-out at it");
	app_offer_account(app, &r, "a", "/p", 0);
	is_str(err_reason_get(), "access rule: the refusal",
	    "  ... and the refusal's reason is kept for its log line");
	err_clear();
out:
	app_free(app);
	cfg_free(cfg);
	arena_free(a);
}

int
main(void)
{
	const char	*src = getenv("top_srcdir");
	char		 templates[4096];
	struct world	 w;

	log_set_level(LOG_LEVEL_ERROR);
	snprintf(templates, sizeof(templates), "%s/templates",
	    src ? src : ".");
	snprintf(tdir, sizeof(tdir), "/tmp/oidc-login-test_app.%ld",
	    (long)getpid());
	test_new(templates);

	memset(&w, 0, sizeof(w));
	w.cfg = load("logout_mode = \"local\"\nhttp_timeout = 2\n"
	    "http_connect_timeout = 1\n"
	    "allowed_email_domains = [\"example.org\"]", templates);
	if (w.cfg == NULL || app_new(w.cfg, &w.app) != ERR_OK) {
		diag("app_new: %s", err_reason_get());
		cfg_free(w.cfg);
		return tap_done();
	}
	w.a = arena_new();
	w.cookie = seal_session(&w, "{\"sub\":\"ann\",\"email\":"
	    "\"ann@example.org\",\"name\":\"Ann <b>\",\"groups\":[\"staff\","
	    "\"x\",1],\"email_verified\":true,\"bad name\":\"x\","
	    "\"lf\":\"a\\nb\",\"obj\":{\"k\":1}}");
	w.cookie_bad = seal_session(&w, "{\"sub\":\"eve\",\"email\":"
	    "\"eve@evil.example\"}");
	ok(w.cookie != NULL && w.cookie_bad != NULL, "sessions sealed");
	if (w.cookie != NULL && w.cookie_bad != NULL)
		for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			run_call(&w, &calls[i]);
	test_error_pages(&w);
	test_ways_on(&w);
	test_refusal_reason(templates);
	free(w.cookie);
	free(w.cookie_bad);
	arena_free(w.a);
	app_free(w.app);
	cfg_free(w.cfg);
	return tap_done();
}
