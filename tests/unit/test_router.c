/*
 * lib/router.c by its tables: every error code's status (and when a
 * too-large request is a 431 rather than a 413), the route of each
 * method and path (a handler, or a 404, or a 405 with its Allow
 * header), and whole requests served through router_serve as a
 * transport would, to see that a 405 keeps its Allow header on the
 * error page and a refusal keeps its Set-Cookie.  The application is
 * the real one with a test configuration; its providers point at a
 * closed port, and no route asked for here needs them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "gate.h"
#include "login.h"
#include "logout.h"
#include "arena.h"
#include "buf.h"
#include "cfg.h"
#include "err.h"
#include "log.h"
#include "req.h"
#include "router.h"
#include "tap.h"

#define SECRET	"Qw8Er2Ty6Ui0Op4As1Df5Gh9Jk3Lz7XcVbNm"
#define META	"http://127.0.0.1:1/.well-known/openid-configuration"

/* --- A fake transport. ----------------------------------------------- */

struct fake {
	const char	*params[24];	/* name, value, ..., NULL */
	struct buf	 out;		/* what the router wrote */
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
	*got = 0;
	return ERR_OK;
}

static enum err
fake_write(void *ctx, const char *p, size_t len)
{
	struct fake	*f = ctx;

	return buf_append(&f->out, p, len);
}

/*
 * Sets up f for method and uri under the mount point /auth; more holds
 * further name, value pairs (NULL-ended, may be NULL).
 */
static void
fake_init(struct fake *f, struct arena *a, const char *method,
    const char *uri, const char *const *more)
{
	size_t	n = 0;

	memset(f, 0, sizeof(*f));
	f->params[n++] = "REQUEST_METHOD";
	f->params[n++] = method;
	f->params[n++] = "REQUEST_URI";
	f->params[n++] = uri;
	f->params[n++] = "SCRIPT_NAME";
	f->params[n++] = "/auth";
	for (size_t i = 0; more != NULL && more[i] != NULL && n + 3 <
	    sizeof(f->params) / sizeof(f->params[0]); i += 2) {
		f->params[n++] = more[i];
		f->params[n++] = more[i + 1];
	}
	f->params[n] = NULL;
	buf_init(&f->out, a, 1 << 20);
}

/* --- The status table. --------------------------------------------------- */

static void
test_statuses(void)
{
	static const struct {
		enum err	e;
		int		get;	/* for a GET (no body) */
		int		post;	/* for a POST (a body) */
	} table[] = {
		{ ERR_OK, 500, 500 },
		{ ERR_NOMEM, 500, 500 },
		{ ERR_SYSTEM, 500, 500 },
		{ ERR_CONFIG, 500, 500 },
		{ ERR_INPUT, 400, 400 },
		{ ERR_TOO_BIG, 431, 413 },
		{ ERR_NOT_FOUND, 404, 404 },
		{ ERR_METHOD, 405, 405 },
		{ ERR_UNVERIFIED, 400, 400 },
		{ ERR_UNAUTHENTICATED, 401, 401 },
		{ ERR_FORBIDDEN, 403, 403 },
		{ ERR_DENIED, 400, 400 },
		{ ERR_PROVIDER, 502, 502 },
		{ ERR_TIMEOUT, 504, 504 },
		{ ERR_TOKEN, 502, 502 },
		{ ERR_SESSION_TOO_BIG, 500, 500 },
		{ ERR_TIMEOUT_CLIENT, 408, 408 },
		{ ERR__MAX, 500, 500 },
	};
	struct req	get, post, head;

	memset(&get, 0, sizeof(get));
	get.method = REQ_GET;
	post = head = get;
	post.method = REQ_POST;
	head.method = REQ_HEAD;
	is_int(sizeof(table) / sizeof(table[0]), ERR__MAX + 1,
	    "the table names every error code");
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		is_int(router_status(&get, table[i].e), table[i].get,
		    "GET, %s: %d", err_str(table[i].e), table[i].get);
		is_int(router_status(&post, table[i].e), table[i].post,
		    "POST, %s: %d", err_str(table[i].e), table[i].post);
	}
	/* Without a body, only the headers or the URL can be too large. */
	is_int(router_status(&head, ERR_TOO_BIG), 431, "HEAD, too big: 431");
}

/* --- The route table. ---------------------------------------------------- */

static const struct {
	app_handler	 fn;
	const char	*name;
} handlers[] = {
	{ app_home, "app_home" },
	{ login_start, "app_login" },
	{ login_callback, "app_callback" },
	{ logout_page, "app_logout_page" },
	{ logout_post, "app_logout" },
	{ logout_signed_out, "logout_signed_out" },
	{ app_user, "app_user" },
	{ gate_check, "app_check" },
	{ app_style, "app_style" },
	{ app_healthz, "app_healthz" },
	{ NULL, "none" },
};

static const char *
handler_name(app_handler fn)
{
	size_t	i;

	for (i = 0; handlers[i].fn != NULL; i++)
		if (handlers[i].fn == fn)
			return handlers[i].name;
	return fn == NULL ? "none" : "another handler";
}

static void
test_routes(struct app *app, struct arena *a)
{
	static const struct {
		const char	*method;
		const char	*uri;
		const char	*path_info;	/* NULL: none */
		enum err	 want;
		app_handler	 fn;
		const char	*arg;
		const char	*allow;		/* with ERR_METHOD */
	} table[] = {
		{ "GET", "/auth/", NULL, ERR_OK, app_home, NULL, NULL },
		{ "HEAD", "/auth/", NULL, ERR_OK, app_home, NULL, NULL },
		{ "GET", "/auth", NULL, ERR_OK, app_home, NULL, NULL },
		{ "GET", "/auth/?return_to=%2Fx", NULL, ERR_OK, app_home, NULL,
		    NULL },
		{ "POST", "/auth/", NULL, ERR_METHOD, NULL, NULL,
		    "GET, HEAD" },
		{ "GET", "/auth/login", NULL, ERR_OK, login_start, NULL, NULL },
		{ "GET", "/auth/login/a", NULL, ERR_OK, login_start, "a",
		    NULL },
		{ "GET", "/auth/login/a?return_to=%2F", NULL, ERR_OK,
		    login_start, "a", NULL },
		{ "POST", "/auth/login/a", NULL, ERR_METHOD, NULL, NULL,
		    "GET, HEAD" },
		{ "GET", "/auth/login/", NULL, ERR_NOT_FOUND, NULL, NULL,
		    NULL },
		{ "GET", "/auth/login/A", NULL, ERR_NOT_FOUND, NULL, NULL,
		    NULL },
		{ "GET", "/auth/login/a/b", NULL, ERR_NOT_FOUND, NULL, NULL,
		    NULL },
		{ "GET", "/auth/logout", NULL, ERR_OK, logout_page, NULL,
		    NULL },
		{ "HEAD", "/auth/logout", NULL, ERR_OK, logout_page, NULL,
		    NULL },
		{ "POST", "/auth/logout", NULL, ERR_OK, logout_post, NULL,
		    NULL },
		{ "PUT", "/auth/logout", NULL, ERR_METHOD, NULL, NULL,
		    "GET, HEAD, POST" },
		{ "GET", "/auth/signed-out", NULL, ERR_OK, logout_signed_out,
		    NULL, NULL },
		{ "POST", "/auth/signed-out", NULL, ERR_METHOD, NULL, NULL,
		    "GET, HEAD" },
		{ "GET", "/auth/user", NULL, ERR_OK, app_user, NULL, NULL },
		{ "POST", "/auth/user", NULL, ERR_METHOD, NULL, NULL,
		    "GET, HEAD" },
		{ "DELETE", "/auth/user", NULL, ERR_METHOD, NULL, NULL,
		    "GET, HEAD" },
		{ "GET", "/auth/check", NULL, ERR_OK, gate_check, NULL, NULL },
		{ "POST", "/auth/check", NULL, ERR_OK, gate_check, NULL, NULL },
		{ "PUT", "/auth/check", NULL, ERR_OK, gate_check, NULL, NULL },
		{ "GET", "/auth/style.css", NULL, ERR_OK, app_style, NULL,
		    NULL },
		{ "POST", "/auth/style.css", NULL, ERR_METHOD, NULL, NULL,
		    "GET, HEAD" },
		{ "GET", "/auth/healthz", NULL, ERR_OK, app_healthz, NULL,
		    NULL },
		{ "GET", "/auth/callback?code=c&state=s", NULL, ERR_OK,
		    login_callback, NULL, NULL },
		{ "HEAD", "/auth/callback", NULL, ERR_OK, login_callback, NULL,
		    NULL },
		{ "POST", "/auth/callback", NULL, ERR_METHOD, NULL, NULL,
		    "GET, HEAD" },
		{ "GET", "/auth/nothing", NULL, ERR_NOT_FOUND, NULL, NULL,
		    NULL },
		{ "GET", "/auth/user/", NULL, ERR_NOT_FOUND, NULL, NULL,
		    NULL },
		{ "GET", "/authx/user", NULL, ERR_OK, app_home, NULL, NULL },
		/* nginx's auth_request: the client's URI, our SCRIPT_NAME. */
		{ "GET", "/private/x", "/check", ERR_OK, gate_check, NULL,
		    NULL },
		{ "POST", "/private/x", "/user", ERR_METHOD, NULL, NULL,
		    "GET, HEAD" },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char	*more[] = { "PATH_INFO", table[i].path_info,
		    NULL };
		struct fake	 f;
		struct req	 r;
		app_handler	 fn;
		const char	*arg, *allow;
		enum err	 e;

		fake_init(&f, a, table[i].method, table[i].uri,
		    table[i].path_info != NULL ? more : NULL);
		err_clear();
		req_fill(&r, a, fake_param, fake_read, &f);
		e = router_route(app, &r, &fn, &arg, &allow);
		is_int(e, table[i].want, "%s %s%s: %s", table[i].method,
		    table[i].uri, table[i].path_info ? " (PATH_INFO)" : "",
		    table[i].want == ERR_OK ? handler_name(table[i].fn) :
		    err_str(table[i].want));
		if (e == ERR_OK && !ok(fn == table[i].fn, "  handler %s",
		    handler_name(table[i].fn)))
			diag("  got %s", handler_name(fn));
		if (e == ERR_OK)
			is_str(arg, table[i].arg, "  argument %s",
			    table[i].arg ? table[i].arg : "(none)");
		if (e == ERR_METHOD)
			is_str(allow, table[i].allow, "  Allow: %s",
			    table[i].allow ? table[i].allow : "(none)");
		else
			ok(allow == NULL, "  no Allow");
		if (e != ERR_OK)
			ok(err_reason_get()[0] != '\0', "  a reason: %s",
			    err_reason_get());
		arena_reset(a);
	}
}

/* --- Whole requests. ----------------------------------------------------- */

/* Returns 1 when the head of out holds the header line "name: value". */
static int
has_line(const struct buf *out, const char *line)
{
	const char	*end = out->data ? strstr(out->data, "\r\n\r\n") : NULL;
	const char	*at;
	size_t		 len = strlen(line);

	for (at = out->data; end != NULL && at != NULL && at < end;
	    at = strstr(at, "\r\n") + 2)
		if (strncmp(at, line, len) == 0 &&
		    (at[len] == '\r' || at[len] == ';'))
			return 1;
	return 0;
}

/* The body after the head, "" when there is none. */
static const char *
body_of(const struct buf *out)
{
	const char	*end = out->data ? strstr(out->data, "\r\n\r\n") : NULL;

	return end != NULL ? end + 4 : "";
}

static void
test_served(struct app *app, struct arena *a)
{
	static const struct {
		const char	*what;
		const char	*method;
		const char	*uri;
		const char	*accept;
		const char	*cookie;
		const char	*status;	/* the Status: line */
		const char	*header;	/* a line the head must hold */
		const char	*absent;	/* one it must not */
		const char	*in_body;	/* NULL: no body at all */
	} table[] = {
		{ "POST to a page", "POST", "/auth/user", "text/html", NULL,
		    "Status: 405 Method Not Allowed", "Allow: GET, HEAD",
		    NULL, "<html" },
		{ "POST to the callback", "POST", "/auth/callback?code=c",
		    "text/html", NULL, "Status: 405 Method Not Allowed",
		    "Allow: GET, HEAD", NULL, "<html" },
		{ "PUT to logout", "PUT", "/auth/logout", "text/html", NULL,
		    "Status: 405 Method Not Allowed", "Allow: GET, HEAD, POST",
		    NULL, "<html" },
		{ "POST from an API client", "POST", "/auth/",
		    "application/json", NULL, "Status: 405 Method Not Allowed",
		    "Allow: GET, HEAD", NULL, "\"method_not_allowed\"" },
		{ "no such page", "GET", "/auth/nothing", "text/html", NULL,
		    "Status: 404 Not Found", "Content-Type: text/html",
		    "Allow", "<html" },
		{ "a refusal keeps its Set-Cookie", "GET", "/auth/check",
		    "application/json", "oidc_login=garbage.garbage",
		    "Status: 401 Unauthorized", "Set-Cookie: oidc_login=",
		    "Allow", "\"unauthenticated\"" },
		{ "a page that works", "GET", "/auth/user", "text/html", NULL,
		    "Status: 200 OK", "Content-Type: application/json",
		    "Allow", "\"is_logged_in\":false" },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char	*more[] = { "HTTP_ACCEPT", table[i].accept,
		    "HTTP_COOKIE", table[i].cookie, NULL };
		struct fake	 f;

		if (table[i].cookie == NULL)
			more[2] = NULL;
		fake_init(&f, a, table[i].method, table[i].uri, more);
		router_serve(app, a, fake_param, fake_read, fake_write, &f);
		ok(f.out.data != NULL && strncmp(f.out.data, table[i].status,
		    strlen(table[i].status)) == 0, "%s: %s", table[i].what,
		    table[i].status);
		ok(has_line(&f.out, table[i].header), "%s: %s", table[i].what,
		    table[i].header);
		if (table[i].absent != NULL)
			ok(!has_line(&f.out, table[i].absent) &&
			    strstr(f.out.data, table[i].absent) == NULL,
			    "%s: no %s", table[i].what, table[i].absent);
		ok(strstr(body_of(&f.out), table[i].in_body) != NULL,
		    "%s: the body holds %s", table[i].what, table[i].in_body);
		arena_reset(a);
	}
}

/* A HEAD that is refused keeps its Allow header and sends no body. */
static void
test_head(struct app *app, struct arena *a)
{
	const char	*more[] = { "HTTP_ACCEPT", "text/html", NULL };
	struct fake	 f;

	fake_init(&f, a, "HEAD", "/auth/logout/x", more);
	router_serve(app, a, fake_param, fake_read, fake_write, &f);
	ok(f.out.data != NULL && strncmp(f.out.data, "Status: 404", 11) == 0,
	    "HEAD of no page: 404");
	is_str(body_of(&f.out), "", "  without a body");
	arena_reset(a);

	fake_init(&f, a, "HEAD", "/auth/callback", more);
	router_serve(app, a, fake_param, fake_read, fake_write, &f);
	ok(f.out.data != NULL && strncmp(f.out.data, "Status: 400", 11) == 0,
	    "HEAD of the callback without state: 400");
	arena_reset(a);
}

/* --- Set-up. ------------------------------------------------------------- */

static struct cfg *
load(const char *template_dir)
{
	char		 text[4096];
	struct cfg	*cfg = NULL;

	snprintf(text, sizeof(text),
	    "[auth]\n"
	    "redirect_uri = \"http://127.0.0.1:1/auth/callback\"\n"
	    "cookie_secret = \"" SECRET "\"\n"
	    "template_dir = \"%s\"\n"
	    "logout_mode = \"local\"\n"
	    "[auth.a]\nclient_id = \"ida\"\nclient_secret = \"sa\"\n"
	    "server_metadata_url = \"" META "\"\n"
	    "[auth.b]\nclient_id = \"idb\"\nclient_secret = \"sb\"\n"
	    "server_metadata_url = \"" META "\"\n", template_dir);
	if (cfg_load_string(text, "test.toml", &cfg) != ERR_OK)
		diag("cfg: %s", err_reason_get());
	return cfg;
}

int
main(void)
{
	const char	*src = getenv("top_srcdir");
	char		 templates[1024];
	struct arena	*a;
	struct app	*app = NULL;
	struct cfg	*cfg;

	log_set_level(LOG_LEVEL_ERROR);
	test_statuses();
	snprintf(templates, sizeof(templates), "%s/templates",
	    src ? src : ".");
	err_clear();
	if ((cfg = load(templates)) == NULL || app_new(cfg, &app) != ERR_OK) {
		ok(0, "a test application: %s", err_reason_get());
		cfg_free(cfg);
		return tap_done();
	}
	a = arena_new();
	test_routes(app, a);
	test_served(app, a);
	test_head(app, a);
	arena_free(a);
	app_free(app);
	cfg_free(cfg);
	return tap_done();
}
