/*
 * lib/scheme through the router: a login started on a site set up for
 * https (redirect_uri https) that the server received over plain http
 * first tests that a Secure cookie comes back, and explains when it does
 * not; over TLS (HTTPS=on, REQUEST_SCHEME=https), or with a plain-http
 * redirect_uri, nothing changes; headers a client sends
 * (X-Forwarded-Proto, Forwarded) count for nothing.  The provider points
 * at a closed loopback port: a login that goes on ends in a 502.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
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

struct fake {
	const char	*params[24];	/* name, value, ..., NULL */
	struct buf	 out;		/* the whole response */
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
	(void)ctx;
	(void)p;
	(void)len;
	*got = 0;
	return ERR_OK;
}

static enum err
fake_write(void *ctx, const char *p, size_t len)
{
	struct fake	*f = ctx;

	return buf_append(&f->out, p, len);
}

static struct app *
make_app(const char *redirect_uri, const char *extra, struct cfg **cfgp)
{
	const char	*src = getenv("top_srcdir");
	char		 text[2048];
	struct app	*app = NULL;

	snprintf(text, sizeof(text), "[auth]\nredirect_uri = \"%s\"\n"
	    "cookie_secret = \"" SECRET "\"\ntemplate_dir = \"%s/templates\"\n"
	    "http_timeout = 2\nhttp_connect_timeout = 1\n%s\n"
	    "[auth.a]\nclient_id = \"ida\"\nclient_secret = \"sa\"\n"
	    "server_metadata_url = \"" META "\"\n", redirect_uri,
	    src ? src : ".", extra);
	*cfgp = NULL;
	if (cfg_load_string(text, "test.toml", cfgp) != ERR_OK ||
	    app_new(*cfgp, &app) != ERR_OK) {
		diag("set-up: %s", err_reason_get());
		return NULL;
	}
	return app;
}

/*
 * Serves GET uri with the extra params (name, value, ..., NULL) and
 * returns the raw response (arena).
 */
static const char *
serve(struct app *app, struct arena *a, const char *uri, const char **extra)
{
	static struct fake	 f;
	const char		*q = strchr(uri, '?');
	size_t			 n = 0;

	memset(&f, 0, sizeof(f));
	f.params[n++] = "REQUEST_METHOD";
	f.params[n++] = "GET";
	f.params[n++] = "REQUEST_URI";
	f.params[n++] = uri;
	f.params[n++] = "QUERY_STRING";
	f.params[n++] = q ? q + 1 : "";
	for (; extra != NULL && *extra != NULL && n < 22; extra++)
		f.params[n++] = *extra;
	f.params[n] = NULL;
	buf_init(&f.out, a, 1 << 20);
	router_serve(app, a, fake_param, fake_read, fake_write, &f);
	return f.out.data ? f.out.data : "";
}

static int
has(const char *response, const char *text)
{
	return strstr(response, text) != NULL;
}

static void
test_https_site(void)
{
	static const char *tls_on[] = { "HTTPS", "on", NULL };
	static const char *tls_scheme[] = { "REQUEST_SCHEME", "https", NULL };
	static const char *plain[] = { "REQUEST_SCHEME", "http", NULL };
	static const char *cookie[] = { "HTTP_COOKIE",
	    "__Host-oidc_login_tls=1", NULL };
	static const char *forged[] = { "REQUEST_SCHEME", "http",
	    "HTTP_X_FORWARDED_PROTO", "https", "HTTP_FORWARDED",
	    "proto=https;host=app.example", "HTTP_X_FORWARDED_SSL", "on",
	    NULL };
	struct cfg	*cfg;
	struct app	*app = make_app("https://app.example/auth/callback", "",
	    &cfg);
	struct arena	*a = arena_new();
	const char	*res;

	if (app == NULL) {
		ok(0, "https site: set-up");
		arena_free(a);
		return;
	}
	res = serve(app, a, "/auth/login/a?return_to=%2Fx", plain);
	ok(has(res, "Status: 302 Found\r\n") && has(res, "\r\nLocation: "
	    "/auth/login/a?return_to=%2Fx&cookie_check=1\r\n"),
	    "plain http: first the test, to the same login URL, marked");
	ok(has(res, "Set-Cookie: __Host-oidc_login_tls=1; Path=/; Max-Age=60")
	    && has(res, "; Secure") && has(res, "; HttpOnly") &&
	    has(res, "; SameSite=Lax"), "plain http: a Secure test cookie");
	ok(has(res, "Cache-Control: no-store") &&
	    !has(res, "_flow_"), "plain http: no-store, no flow cookie yet");
	arena_reset(a);

	res = serve(app, a, "/auth/login?return_to=%2Fx", plain);
	ok(has(res, "\r\nLocation: /auth/login/a?return_to=%2Fx&"
	    "cookie_check=1\r\n"), "plain http, /login: tested as login/a");
	arena_reset(a);

	res = serve(app, a, "/auth/login/a?return_to=%2Fx&cookie_check=1",
	    plain);
	ok(has(res, "Status: 400 "), "the cookie did not come back: 400");
	ok(has(res, "opened over plain http"), "the page says why");
	ok(has(res, "https://app.example/auth/login/a?return_to=%2Fx"),
	    "and links to the https login");
	ok(!has(res, "Location:"), "no redirect: no loop");
	ok(strstr(err_reason_get(), "did not send back the Secure test cookie")
	    != NULL, "the log reason: %s", err_reason_get());
	arena_reset(a);

	res = serve(app, a, "/auth/login/a?return_to=%2Fx&cookie_check=1",
	    cookie);
	ok(has(res, "Status: 502 "), "the cookie came back: the login goes "
	    "on (to the provider, down here: 502)");
	ok(has(res, "Set-Cookie: __Host-oidc_login_tls=; Path=/; Max-Age=0"),
	    "the test cookie is deleted");
	arena_reset(a);

	res = serve(app, a, "/auth/login/a", tls_on);
	ok(has(res, "Status: 502 ") && !has(res, "_tls="),
	    "HTTPS=on: no test, straight to the provider");
	arena_reset(a);
	res = serve(app, a, "/auth/login/a", tls_scheme);
	ok(has(res, "Status: 502 ") && !has(res, "_tls="),
	    "REQUEST_SCHEME=https: no test");
	arena_reset(a);

	res = serve(app, a, "/auth/login/a?return_to=%2Fx", forged);
	ok(has(res, "\r\nLocation: /auth/login/a?return_to=%2Fx&"
	    "cookie_check=1\r\n"), "X-Forwarded-Proto, Forwarded, "
	    "X-Forwarded-Ssl: not trusted, tested all the same");
	arena_reset(a);
	res = serve(app, a, "/auth/login/a?cookie_check=1", forged);
	ok(has(res, "Status: 400 "), "... and refused without the cookie");
	arena_reset(a);

	res = serve(app, a, "/auth/", plain);
	ok(has(res, "Status: 200 ") && !has(res, "_tls="),
	    "the choice page is not tested");
	arena_reset(a);
	res = serve(app, a, "/auth/login/zz", plain);
	ok(has(res, "Status: 404 ") && !has(res, "_tls="),
	    "an unknown provider: 404, not tested");
	arena_reset(a);

	arena_free(a);
	app_free(app);
	cfg_free(cfg);
}

static void
test_other_sites(void)
{
	static const char *plain[] = { "REQUEST_SCHEME", "http", NULL };
	struct cfg	*cfg;
	struct app	*app;
	struct arena	*a = arena_new();
	const char	*res;

	app = make_app("https://app.example/auth/callback",
	    "cookie_path = \"/auth\"", &cfg);
	res = app ? serve(app, a, "/auth/login/a", plain) : "";
	ok(has(res, "Set-Cookie: __Secure-oidc_login_tls=1; Path=/auth; "
	    "Max-Age=60"), "cookie_path /auth: a __Secure- test cookie");
	ok(has(res, "\r\nLocation: /auth/login/a?cookie_check=1\r\n"),
	    "... and the marked URL");
	app_free(app);
	cfg_free(cfg);
	arena_reset(a);

	app = make_app("http://127.0.0.1:8080/auth/callback", "", &cfg);
	res = app ? serve(app, a, "/auth/login/a", plain) : "";
	ok(has(res, "Status: 502 ") && !has(res, "_tls="),
	    "redirect_uri plain http: no test");
	app_free(app);
	cfg_free(cfg);
	arena_free(a);
}

int
main(void)
{
	log_set_level(LOG_LEVEL_ERROR);
	test_https_site();
	test_other_sites();
	return tap_done();
}
