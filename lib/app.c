#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "buf.h"
#include "cfg.h"
#include "cookie.h"
#include "crypto.h"
#include "discovery.h"
#include "file.h"
#include "http.h"
#include "identity.h"
#include "jv.h"
#include "log.h"
#include "memo.h"
#include "oidc.h"
#include "provider.h"
#include "renew.h"
#include "replay.h"
#include "req.h"
#include "rules.h"
#include "seal.h"
#include "session.h"
#include "tmpl.h"
#include "url.h"

static const char *const page_files[APP_PAGE__MAX] = {
	[APP_PAGE_CHOOSE] = "choose.html",
	[APP_PAGE_SIGNED_IN] = "signed-in.html",
	[APP_PAGE_LOGOUT] = "logout.html",
	[APP_PAGE_ERROR] = "error.html",
};

/* What the error page says when the handler did not say better. */
static const struct {
	const char	*code;		/* for JSON clients */
	const char	*heading;
	const char	*message;
} failures[ERR__MAX] = {
	[ERR_OK] = { "ok", "", "" },
	[ERR_NOMEM] = { "server_error", "Something went wrong",
	    "The sign-in service ran out of memory. Please try again." },
	[ERR_SYSTEM] = { "server_error", "Something went wrong",
	    "The sign-in service hit an internal error. Please try again." },
	[ERR_CONFIG] = { "server_error", "Sign-in is not set up correctly",
	    "The sign-in service is misconfigured. The site's administrator "
	    "will find the reason in the server's error log." },
	[ERR_INPUT] = { "invalid_request", "Bad request",
	    "The request was malformed." },
	[ERR_TOO_BIG] = { "invalid_request", "Request too large",
	    "The request, or its cookies, are larger than this service "
	    "accepts. Clearing this site's cookies may help." },
	[ERR_NOT_FOUND] = { "not_found", "Not found",
	    "There is nothing at this address." },
	[ERR_METHOD] = { "method_not_allowed", "Method not allowed",
	    "This address does not accept that kind of request." },
	[ERR_UNVERIFIED] = { "invalid_state", "Sign-in could not be completed",
	    "This sign-in response was already used, has expired, or was "
	    "started in another browser or tab that is no longer valid. "
	    "Please start again." },
	[ERR_UNAUTHENTICATED] = { "unauthenticated", "Not signed in",
	    "You need to sign in first." },
	[ERR_FORBIDDEN] = { "forbidden", "Not allowed",
	    "You are not allowed to do this." },
	[ERR_DENIED] = { "access_denied", "Sign-in was not completed",
	    "The sign-in provider did not let the sign-in go ahead." },
	[ERR_PROVIDER] = { "provider_error", "The sign-in provider failed",
	    "The sign-in provider gave an answer this service cannot use, or "
	    "could not be reached. Please try again in a moment." },
	[ERR_TIMEOUT] = { "provider_timeout", "The sign-in provider is slow",
	    "The sign-in provider did not answer in time. Please try again "
	    "in a moment." },
	[ERR_TOKEN] = { "invalid_token", "Sign-in could not be verified",
	    "The identity the sign-in provider sent failed verification, so "
	    "it was not accepted. Please try again; if it keeps happening, "
	    "the site's administrator will find the reason in the server's "
	    "error log." },
	[ERR_SESSION_TOO_BIG] = { "session_too_large", "Your account "
	    "details are too large",
	    "The sign-in provider sent more information about you than fits "
	    "in this site's cookies. The site's administrator can reduce the "
	    "claims or tokens kept (for example expose_tokens or the scope)." },
	[ERR_TIMEOUT_CLIENT] = { "request_timeout", "Request timed out",
	    "Your browser did not send the whole request in time. Please "
	    "try again." },
};

/* --- Construction. ---------------------------------------------------- */

static enum err
load_pages(struct app *app)
{
	const char	*dir = app->cfg->template_dir;
	char		 path[4096];
	enum err	 e;

	for (int i = 0; i < APP_PAGE__MAX; i++)
		if ((e = tmpl_load(dir, page_files[i], &app->pages[i])) !=
		    ERR_OK)
			return e == ERR_NOMEM ? e : ERR_CONFIG;
	snprintf(path, sizeof(path), "%s/style.css", dir);
	if ((e = file_read(path, BOUND_TEMPLATE_FILE, &app->style,
	    &app->style_len)) != ERR_OK) {
		err_reason_rewrite("cannot read %s (set template_dir in "
		    "[auth] to the directory holding the templates)",
		    err_reason_get());
		return e == ERR_NOMEM ? e : ERR_CONFIG;
	}
	return ERR_OK;
}

static enum err
check_cookie_scope(const struct cfg *cfg)
{
	size_t	plen = strlen(cfg->cookie_path);

	/* The browser must send the flow cookie to the callback. */
	if (strncmp(cfg->redirect_path, cfg->cookie_path, plen) != 0 ||
	    (plen > 1 && cfg->cookie_path[plen - 1] != '/' &&
	    cfg->redirect_path[plen] != '/' &&
	    cfg->redirect_path[plen] != '\0')) {
		err_reason("%s: [auth] cookie_path \"%s\" does not cover the "
		    "path of redirect_uri \"%s\": the browser would not send "
		    "the login cookies to the callback. Use a cookie_path that "
		    "is a prefix of it, such as \"/\".", cfg->path,
		    cfg->cookie_path, cfg->redirect_path);
		return ERR_CONFIG;
	}
	return ERR_OK;
}

/* Puts what the step was in front of the reason, or of the code's name. */
static void
step_failed(const char *step, enum err e)
{
	err_reason_rewrite("%s: %s", step, err_reason_get()[0] != '\0' ?
	    err_reason_get() : err_str(e));
}

enum err
app_new(const struct cfg *cfg, struct app **out)
{
	struct app	*app;
	enum err	 e;

	*out = NULL;
	if ((e = check_cookie_scope(cfg)) != ERR_OK)
		return e;
	if ((app = calloc(1, sizeof(*app))) == NULL)
		return ERR_NOMEM;
	app->cfg = cfg;
	if ((e = seal_keys_new(&cfg->secret, cfg->previous, cfg->nprevious,
	    &app->keys)) != ERR_OK) {
		step_failed("cannot derive the cookie keys", e);
		goto fail;
	}
	if ((e = http_new(cfg->http_timeout, cfg->http_connect_timeout,
	    cfg->http_ca_file, &app->http)) != ERR_OK) {
		step_failed("cannot set up the HTTP client", e);
		goto fail;
	}
	app->providers = calloc(cfg->nproviders, sizeof(*app->providers));
	if (app->providers == NULL) {
		e = ERR_NOMEM;
		goto fail;
	}
	for (size_t i = 0; i < cfg->nproviders; i++) {
		if ((e = provider_new(cfg, &cfg->providers[i], app->http,
		    &app->providers[i])) != ERR_OK) {
			/* provider_new's own reason names the provider. */
			if (err_reason_get()[0] == '\0')
				err_reason("provider %s: %s",
				    cfg->providers[i].name, err_str(e));
			goto fail;
		}
		app->nproviders++;
	}
	if ((e = load_pages(app)) != ERR_OK)
		goto fail;
	if ((e = memo_new(&app->memo)) != ERR_OK ||
	    (e = replay_new(cfg->runtime_dir, &app->replay)) != ERR_OK)
		goto fail;
	*out = app;
	return ERR_OK;
fail:
	app_free(app);
	return e;
}

void
app_free(struct app *app)
{
	if (app == NULL)
		return;
	for (size_t i = 0; i < app->nproviders; i++)
		provider_free(app->providers[i]);
	free(app->providers);
	for (int i = 0; i < APP_PAGE__MAX; i++)
		tmpl_free(app->pages[i]);
	free(app->style);
	memo_free(app->memo);
	replay_free(app->replay);
	http_free(app->http);
	seal_keys_free(app->keys);
	free(app);
}

struct provider *
app_provider(const struct app *app, const char *name)
{
	for (size_t i = 0; i < app->nproviders; i++)
		if (strcmp(app->cfg->providers[i].name, name) == 0)
			return app->providers[i];
	return NULL;
}

enum err
app_send_json(struct req *r, struct resp *resp, json_object *o)
{
	resp_header(resp, "Content-Type", "application/json");
	app_security_headers(resp, NULL);
	return buf_puts(&resp->body, arena_strdup(r->arena, jv_text(o)));
}

const char *
app_param(const struct req *r, const char *name)
{
	return r->params ? url_param_get(r->params, name) : NULL;
}

/* Returns a claim as text: strings as they are, other values as JSON; NULL when absent. */
const char *
app_claim_text(struct arena *a, json_object *claims, const char *name)
{
	json_object	*v;

	if (claims == NULL || !json_object_object_get_ex(claims, name, &v) ||
	    v == NULL)
		return NULL;
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return arena_strdup(a, jv_text(v));
}

/* Returns v when it may go in a header: no control characters; else NULL. */
const char *
app_header_safe(const char *v)
{
	if (v == NULL)
		return NULL;
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	return v;
}

/* The user's name for people: name, else email, else preferred_username, else sub. */
const char *
app_user_display(struct arena *a, const struct session *s)
{
	static const char *const order[] = {
		"name", "email", "preferred_username", "sub",
	};
	const char	*v;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if ((v = app_claim_text(a, s->claims, order[i])) != NULL &&
		    *v != '\0')
			return v;
	return "";
}

const struct cfg_provider *
app_provider_cfg(const struct app *app, const char *name)
{
	return cfg_provider_find(app->cfg, name, strlen(name));
}

static const char *
provider_display(const struct app *app, const char *name)
{
	const struct cfg_provider *p = app_provider_cfg(app, name);

	return p != NULL ? p->display_name : name;
}

const char *
app_login_url(struct arena *a, const struct app *app, const char *provider,
    const char *return_to)
{
	const char	*url = provider != NULL ?
	    arena_printf(a, "%s/login/%s", app->cfg->base_path, provider) :
	    arena_printf(a, "%s/login", app->cfg->base_path);

	if (return_to == NULL || strcmp(return_to, "/") == 0)
		return url;
	return arena_printf(a, "%s?return_to=%s", url,
	    url_encode(a, return_to, strlen(return_to)));
}

const char *
app_home_url(struct arena *a, const struct app *app, const char *return_to)
{
	const char	*url = arena_printf(a, "%s/", app->cfg->base_path);

	if (return_to == NULL || strcmp(return_to, "/") == 0)
		return url;
	return arena_printf(a, "%s?return_to=%s", url,
	    url_encode(a, return_to, strlen(return_to)));
}

/* The context of a request's session calls, made once by its handler. */
struct session_ctx
app_session_ctx(const struct app *app, const struct req *r)
{
	struct session_ctx	sc = { app->cfg, app->keys, r->arena, r->jar,
	    r->now };

	return sc;
}

/*
 * Reads the session; a cookie that fails verification is logged once,
 * cleared, and treated as absent.
 */
int
app_load_session(const struct session_ctx *sc, struct resp *resp,
    struct session *s)
{
	switch (session_load(sc, s)) {
	case SESSION_VALID:
		return 1;
	case SESSION_INVALID:
		log_info("session cookie rejected and cleared: %s",
		    err_reason_get());
		err_reason_clear();
		session_clear(sc, resp);
		return 0;
	default:
		return 0;
	}
}

enum app_session
app_session_get(struct app *app, const struct session_ctx *sc,
    struct resp *resp, int can_set_cookie, struct session *s, int64_t *until)
{
	enum session_due	 due;
	struct session		 touched;

	*until = 0;
	if (!app_load_session(sc, resp, s))
		return APP_SESSION_NONE;
	due = session_due(app->cfg, app_provider_cfg(app, s->provider), s,
	    sc->now, until);
	switch (due) {
	case SESSION_IDLE:
		log_info("session over: unused for %lld s (session_idle_timeout "
		    "%lld)", (long long)(sc->now - s->seen_at),
		    app->cfg->idle_timeout);
		session_clear(sc, resp);
		return APP_SESSION_NONE;
	case SESSION_RENEW:
		return APP_SESSION_RENEW;
	case SESSION_TOUCH:
		if (!can_set_cookie)
			return APP_SESSION_TOUCH;
		touched = *s;
		touched.seen_at = sc->now;
		if (session_store(sc, &touched, resp) == ERR_OK)
			*s = touched;
		err_reason_clear();
		*until = sc->now;
		return APP_SESSION_OK;
	case SESSION_FRESH:
		break;
	}
	return APP_SESSION_OK;
}

const char *
app_renew_url(struct arena *a, const struct app *app, const char *return_to)
{
	return arena_printf(a, "%s/renew?return_to=%s", app->cfg->base_path,
	    url_encode(a, return_to, strlen(return_to)));
}

/* The user's name for people, from claims: as app_user_display. */
static const char *
display_of(struct arena *a, json_object *claims)
{
	static const char *const order[] = {
		"name", "email", "preferred_username", "sub",
	};
	const char	*v;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if ((v = app_claim_text(a, claims, order[i])) != NULL &&
		    *v != '\0' && app_header_safe(v) != NULL)
			return v;
	return "";
}

enum err
app_check_access(struct app *app, struct req *r, const char *provider,
    json_object *claims, const char **user)
{
	const struct cfg_provider	*p = app_provider_cfg(app, provider);
	const char			*id = NULL, *who;
	enum err			 e;

	if (user != NULL)
		*user = NULL;
	if (p == NULL) {
		err_reason("session names provider %.32s, no longer "
		    "configured", provider);
		return ERR_FORBIDDEN;
	}
	who = display_of(r->arena, claims);
	if ((e = identity_user(claims, p->user_claim, p->assume_email_verified,
	    &id)) != ERR_OK) {
		err_tell(arena_printf(r->arena, "This account%s%s%s cannot be "
		    "used to sign in here: %s did not give the identity this "
		    "site relies on in a form it can trust. Try another "
		    "account, or ask the site's administrator.", *who ? " (" :
		    "", who, *who ? ")" : "", p->display_name));
		err_detail(arena_strdup(r->arena, err_reason_get()));
		err_retry(arena_printf(r->arena, "%s/logout",
		    app->cfg->base_path));
		return e;
	}
	if ((e = rules_check(&app->cfg->rules, &p->rules,
	    p->assume_email_verified, claims)) != ERR_OK) {
		err_tell(arena_printf(r->arena, "You are signed in as %s, but "
		    "this account is not allowed to use this site. Sign out and "
		    "sign in with another account.", *who ? who : id));
		err_retry(arena_printf(r->arena, "%s/logout",
		    app->cfg->base_path));
		return e;
	}
	if (user != NULL)
		*user = id;
	return ERR_OK;
}

void
app_security_headers(struct resp *resp, const char *form_action)
{
	struct arena	*a = resp->body.arena;

	resp_header(resp, "Cache-Control", "no-store");
	resp_header(resp, "Pragma", "no-cache");
	resp_header(resp, "Content-Security-Policy", arena_printf(a,
	    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
	    "form-action 'self'%s%s; frame-ancestors 'none'; base-uri 'none'",
	    form_action ? " " : "", form_action ? form_action : ""));
	resp_header(resp, "X-Frame-Options", "DENY");
	resp_header(resp, "X-Content-Type-Options", "nosniff");
	resp_header(resp, "Referrer-Policy", "no-referrer");
}

struct tmpl_ctx *
app_page_ctx(const struct app *app, struct req *r)
{
	struct tmpl_ctx	*ctx = tmpl_ctx_new(r->arena);

	tmpl_set(ctx, "title", app->cfg->page_title);
	tmpl_set(ctx, "base", app->cfg->base_path);
	tmpl_set(ctx, "version", PACKAGE_VERSION);
	return ctx;
}

enum err
app_render(struct app *app, struct resp *resp, enum app_page page,
    struct tmpl_ctx *ctx, const char *form_action)
{
	buf_clear(&resp->body);
	resp_header(resp, "Content-Type", "text/html; charset=utf-8");
	app_security_headers(resp, form_action);
	return tmpl_render(app->pages[page], ctx, &resp->body);
}

static void
add_claim_rows(struct tmpl_ctx *ctx, struct arena *a, json_object *claims)
{
	json_object_object_foreach(claims, name, value) {
		struct tmpl_ctx *row = tmpl_add_item(ctx, "claims");
		tmpl_set(row, "name", name);
		tmpl_set(row, "value", json_object_is_type(value,
		    json_type_string) ? json_object_get_string(value) :
		    arena_strdup(a, jv_text(value)));
	}
}

static enum err
signed_in_page(struct app *app, struct req *r, struct resp *resp,
    const struct session *s, const char *return_to)
{
	struct tmpl_ctx	*ctx = app_page_ctx(app, r);
	const char	*email = app_claim_text(r->arena, s->claims, "email");

	tmpl_set(ctx, "user_name", app_user_display(r->arena, s));
	tmpl_set(ctx, "user_email", email ? email : "");
	tmpl_set_bool(ctx, "has_email", email != NULL && *email != '\0');
	tmpl_set(ctx, "user_sub", app_claim_text(r->arena, s->claims, "sub"));
	tmpl_set(ctx, "provider_name", provider_display(app, s->provider));
	tmpl_set(ctx, "continue_url", return_to);
	tmpl_set(ctx, "logout_url", arena_printf(r->arena, "%s/logout%s%s",
	    app->cfg->base_path, strcmp(return_to, "/") ? "?return_to=" : "",
	    strcmp(return_to, "/") ? url_encode(r->arena, return_to,
	    strlen(return_to)) : ""));
	add_claim_rows(ctx, r->arena, s->claims);
	return app_render(app, resp, APP_PAGE_SIGNED_IN, ctx, NULL);
}

static enum err
choose_page(struct app *app, struct req *r, struct resp *resp,
    const char *return_to)
{
	struct tmpl_ctx	*ctx = app_page_ctx(app, r);

	for (size_t i = 0; i < app->cfg->nproviders; i++) {
		const struct cfg_provider *p = &app->cfg->providers[i];
		struct tmpl_ctx *item = tmpl_add_item(ctx, "providers");
		tmpl_set(item, "name", p->name);
		tmpl_set(item, "display_name", p->display_name);
		tmpl_set(item, "login_url", app_login_url(r->arena, app, p->name,
		    return_to));
	}
	tmpl_set(ctx, "return_to", return_to);
	return app_render(app, resp, APP_PAGE_CHOOSE, ctx, NULL);
}

static enum err
providers_json(struct app *app, struct req *r, struct resp *resp,
    const char *return_to)
{
	json_object	*o = jv_new_object(r->arena), *list;

	list = json_object_new_array();
	json_object_object_add(o, "providers", list);
	for (size_t i = 0; i < app->cfg->nproviders; i++) {
		const struct cfg_provider *p = &app->cfg->providers[i];
		json_object *item = json_object_new_object();
		json_object_object_add(item, "name",
		    json_object_new_string(p->name));
		json_object_object_add(item, "display_name",
		    json_object_new_string(p->display_name));
		json_object_object_add(item, "login_url", json_object_new_string(
		    app_login_url(r->arena, app, p->name, return_to)));
		json_object_array_add(list, item);
	}
	return app_send_json(r, resp, o);
}

enum err
app_home(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	const char	*return_to = url_return_to(app_param(r, "return_to"));
	struct session	 s;
	int64_t		 until;

	switch (app_session_get(app, &sc, resp, 1, &s, &until)) {
	case APP_SESSION_RENEW:
		resp->status = 302;
		resp_header(resp, "Location", app_renew_url(r->arena, app,
		    app_home_url(r->arena, app, return_to)));
		app_security_headers(resp, NULL);
		return ERR_OK;
	case APP_SESSION_NONE:
		break;
	default:
		return signed_in_page(app, r, resp, &s, return_to);
	}
	if (req_wants_json(r))
		return providers_json(app, r, resp, return_to);
	return choose_page(app, r, resp, return_to);
}

enum err
app_user(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	json_object	*o = jv_new_object(r->arena), *tokens;
	struct session	 s;
	int64_t		 until;
	enum app_session state;

	state = app_session_get(app, &sc, resp, 1, &s, &until);
	/* A responder may renew with a refresh token and set the cookie. */
	if (state == APP_SESSION_RENEW && renew_with_refresh(app, r, &s) ==
	    ERR_OK && session_store(&sc, &s, resp) == ERR_OK)
		state = APP_SESSION_OK;
	err_reason_clear();
	if (state == APP_SESSION_NONE || state == APP_SESSION_RENEW) {
		json_object_object_add(o, "is_logged_in",
		    json_object_new_boolean(0));
		if (state == APP_SESSION_RENEW)
			json_object_object_add(o, "renew_url",
			    json_object_new_string(app_renew_url(r->arena,
			    app, "/")));
		return app_send_json(r, resp, o);
	}
	json_object_object_add(o, "is_logged_in", json_object_new_boolean(1));
	json_object_object_add(o, "provider",
	    json_object_new_string(s.provider));
	json_object_object_foreach(s.claims, name, value) {
		if (strcmp(name, "is_logged_in") == 0 ||
		    strcmp(name, "provider") == 0 ||
		    strcmp(name, "tokens") == 0)
			continue;
		json_object_object_add(o, name, json_object_get(value));
	}
	/* The ID token is kept for logout; shown only when exposed. */
	if (!app->cfg->expose_id)
		s.id_token = NULL;
	if (s.id_token != NULL || s.access_token != NULL) {
		tokens = json_object_new_object();
		if (s.id_token != NULL)
			json_object_object_add(tokens, "id",
			    json_object_new_string(s.id_token));
		if (s.access_token != NULL)
			json_object_object_add(tokens, "access",
			    json_object_new_string(s.access_token));
		json_object_object_add(o, "tokens", tokens);
	}
	return app_send_json(r, resp, o);
}

enum err
app_style(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	resp_header(resp, "Content-Type", "text/css; charset=utf-8");
	resp_header(resp, "Cache-Control", "public, max-age=3600");
	resp_header(resp, "X-Content-Type-Options", "nosniff");
	return buf_append(&resp->body, app->style, app->style_len);
}

static json_object *
age_json(int64_t age)
{
	return age < 0 ? NULL : json_object_new_int64(age);
}

/*
 * One provider's health: its discovery document (fetched now when absent
 * or stale, with the provider cache's own retry limit) and the ages of
 * what is cached.
 */
static int
provider_health(struct app *app, struct req *r, size_t i, json_object *list)
{
	const struct discovery	*disc;
	json_object		*item = json_object_new_object();
	int64_t			 dage, jage;
	int			 usable;

	err_reason_clear();
	usable = provider_metadata(app->providers[i], r->arena, r->now,
	    &disc) == ERR_OK;
	provider_ages(app->providers[i], r->now, &dage, &jage);
	json_object_object_add(item, "name",
	    json_object_new_string(app->cfg->providers[i].name));
	json_object_object_add(item, "discovery",
	    json_object_new_string(usable ? "ok" : "failed"));
	json_object_object_add(item, "discovery_age", age_json(dage));
	json_object_object_add(item, "jwks",
	    json_object_new_string(jage < 0 ? "not fetched yet" : "ok"));
	json_object_object_add(item, "jwks_age", age_json(jage));
	if (!usable && err_reason_get()[0] != '\0')
		json_object_object_add(item, "error",
		    json_object_new_string(err_reason_get()));
	json_object_array_add(list, item);
	err_reason_clear();
	return usable;
}

enum err
app_healthz(struct app *app, struct req *r, struct resp *resp,
    const char *arg)
{
	json_object	*o = jv_new_object(r->arena), *list;
	size_t		 usable = 0;

	json_object_object_add(o, "version",
	    json_object_new_string(PACKAGE_VERSION));
	list = json_object_new_array();
	json_object_object_add(o, "providers", list);
	for (size_t i = 0; i < app->nproviders; i++)
		usable += (size_t)provider_health(app, r, i, list);
	json_object_object_add(o, "status",
	    json_object_new_string(usable > 0 ? "ok" : "unavailable"));
	/* A health report, not a failure: load balancers read the status. */
	resp->status = usable > 0 ? 200 : 503;
	return app_send_json(r, resp, o);
}

int
app_is_navigation(const struct req *r)
{
	if (r->method != REQ_GET && r->method != REQ_HEAD)
		return 0;
	if (req_wants_json(r))
		return 0;
	return r->sec_fetch_mode[0] == '\0' ||
	    strcmp(r->sec_fetch_mode, "navigate") == 0;
}

/*
 * An error page replaces what the handler made, but keeps its Set-Cookie
 * headers (a cleared session stays cleared) and the router's Allow (a
 * 405 must say which methods the address takes).
 */
static void
keep_for_error_page(struct resp *resp)
{
	size_t	n = 0;

	for (size_t i = 0; i < resp->nheaders; i++)
		if (strcmp(resp->headers[i].name, "Set-Cookie") == 0 ||
		    strcmp(resp->headers[i].name, "Allow") == 0 ||
		    strcmp(resp->headers[i].name, "X-Auth-Request-Renew") == 0)
			resp->headers[n++] = resp->headers[i];
	resp->nheaders = n;
	buf_clear(&resp->body);
}

void
app_error_page(struct app *app, struct req *r, struct resp *resp, int status,
    enum err e)
{
	const char	*message = err_tell_get(), *detail = err_detail_get();
	const char	*retry = err_retry_get();
	struct tmpl_ctx	*ctx;

	if ((unsigned)e >= ERR__MAX || e == ERR_OK)
		e = ERR_SYSTEM;
	if (message == NULL)
		message = failures[e].message;
	keep_for_error_page(resp);
	resp->status = status;
	if (req_wants_json(r) || (r->role == REQ_AUTHORIZER &&
	    !app_is_navigation(r)) || (status == 401 && !app_is_navigation(r))) {
		json_object *o = jv_new_object(r->arena);
		json_object_object_add(o, "error",
		    json_object_new_string(failures[e].code));
		json_object_object_add(o, "message",
		    json_object_new_string(message));
		if (detail != NULL)
			json_object_object_add(o, "detail",
			    json_object_new_string(detail));
		if (app_send_json(r, resp, o) != ERR_OK)
			buf_clear(&resp->body);
		return;
	}
	ctx = app_page_ctx(app, r);
	tmpl_set(ctx, "status", arena_printf(r->arena, "%d", status));
	tmpl_set(ctx, "heading", failures[e].heading);
	tmpl_set(ctx, "message", message);
	tmpl_set(ctx, "detail", detail ? detail : "");
	tmpl_set(ctx, "retry_url", retry ? retry : "");
	tmpl_set(ctx, "home_url", app_home_url(r->arena, app, NULL));
	if (app_render(app, resp, APP_PAGE_ERROR, ctx, NULL) != ERR_OK) {
		/* A page that does not fit still gets its status. */
		buf_clear(&resp->body);
		buf_puts(&resp->body, failures[e].heading);
	}
}
