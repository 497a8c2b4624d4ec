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
#include "jv.h"
#include "log.h"
#include "memo.h"
#include "oidc.h"
#include "provider.h"
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
	if ((e = memo_new(&app->memo)) != ERR_OK)
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

/* --- Small helpers. ----------------------------------------------------- */

static enum err
send_json(struct req *r, struct resp *resp, json_object *o)
{
	resp_header(resp, "Content-Type", "application/json");
	app_security_headers(resp, NULL);
	return buf_puts(&resp->body, arena_strdup(r->arena, jv_text(o)));
}

static const char *
param(const struct req *r, const char *name)
{
	return r->params ? url_param_get(r->params, name) : NULL;
}

static const char *
random_token(struct arena *a)
{
	unsigned char	raw[BOUND_RANDOM_BYTES];
	const char	*s;

	if (crypto_random(raw, sizeof(raw)) != ERR_OK)
		log_fatalx("the random number generator failed");
	s = b64_url_encode_arena(a, raw, sizeof(raw));
	crypto_wipe(raw, sizeof(raw));
	return s;
}

/* Returns a claim as text: strings as they are, other values as JSON; NULL when absent. */
static const char *
claim_text(struct arena *a, json_object *claims, const char *name)
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
static const char *
header_safe(const char *v)
{
	if (v == NULL)
		return NULL;
	for (const char *p = v; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return NULL;
	return v;
}

/*
 * The user's name for REMOTE_USER and headers: the configured claim,
 * else sub -- whichever is non-empty and fit for a header; NULL when
 * neither is, and then nobody may pass as that user.
 */
static const char *
user_id(const struct app *app, struct arena *a, json_object *claims)
{
	const char	*v;

	v = header_safe(claim_text(a, claims, app->cfg->user_claim));
	if (v != NULL && *v != '\0')
		return v;
	v = header_safe(claim_text(a, claims, "sub"));
	return v != NULL && *v != '\0' ? v : NULL;
}

/* The user's name for people: name, else email, else preferred_username, else sub. */
static const char *
user_display(struct arena *a, const struct session *s)
{
	static const char *const order[] = {
		"name", "email", "preferred_username", "sub",
	};
	const char	*v;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if ((v = claim_text(a, s->claims, order[i])) != NULL &&
		    *v != '\0')
			return v;
	return "";
}

static const struct cfg_provider *
provider_cfg_named(const struct app *app, const char *name)
{
	return cfg_provider_find(app->cfg, name, strlen(name));
}

static const char *
provider_display(const struct app *app, const char *name)
{
	const struct cfg_provider *p = provider_cfg_named(app, name);

	return p != NULL ? p->display_name : name;
}

static const char *
login_url(struct arena *a, const struct app *app, const char *provider,
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

static const char *
home_url(struct arena *a, const struct app *app, const char *return_to)
{
	const char	*url = arena_printf(a, "%s/", app->cfg->base_path);

	if (return_to == NULL || strcmp(return_to, "/") == 0)
		return url;
	return arena_printf(a, "%s?return_to=%s", url,
	    url_encode(a, return_to, strlen(return_to)));
}

/* The context of a request's session calls, made once by its handler. */
static struct session_ctx
session_ctx_of(const struct app *app, const struct req *r)
{
	struct session_ctx	sc = { app->cfg, app->keys, r->arena, r->jar,
	    r->now };

	return sc;
}

/*
 * Reads the session; a cookie that fails verification is logged once,
 * cleared, and treated as absent.
 */
static int
load_session(const struct session_ctx *sc, struct resp *resp,
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

/*
 * Applies the access rules to a signed-in user; the page then offers to
 * sign out or to use another account instead of looping back to login.
 */
static enum err
check_rules(struct app *app, struct req *r, const char *provider,
    json_object *claims)
{
	const struct cfg_provider	*p = provider_cfg_named(app, provider);
	enum err			 e;

	if (p == NULL) {
		err_reason("session names provider %.32s, no longer "
		    "configured", provider);
		return ERR_FORBIDDEN;
	}
	e = rules_check(&app->cfg->rules, &p->rules, p->assume_email_verified,
	    claims);
	if (e == ERR_OK && user_id(app, r->arena, claims) == NULL) {
		err_reason("no usable user name: %s and sub are empty or hold "
		    "control characters", app->cfg->user_claim);
		e = ERR_FORBIDDEN;
	}
	if (e != ERR_OK) {
		err_tell("You are signed in, but this account is not "
		    "allowed to use this site. Sign out and sign in with "
		    "another account.");
		err_retry(arena_printf(r->arena, "%s/logout",
		    app->cfg->base_path));
	}
	return e;
}

/* --- Pages. ------------------------------------------------------------ */

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

static struct tmpl_ctx *
page_ctx(const struct app *app, struct req *r)
{
	struct tmpl_ctx	*ctx = tmpl_ctx_new(r->arena);

	tmpl_set(ctx, "title", app->cfg->page_title);
	tmpl_set(ctx, "base", app->cfg->base_path);
	tmpl_set(ctx, "version", PACKAGE_VERSION);
	return ctx;
}

static enum err
render(struct app *app, struct resp *resp, enum app_page page,
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
	struct tmpl_ctx	*ctx = page_ctx(app, r);
	const char	*email = claim_text(r->arena, s->claims, "email");

	tmpl_set(ctx, "user_name", user_display(r->arena, s));
	tmpl_set(ctx, "user_email", email ? email : "");
	tmpl_set_bool(ctx, "has_email", email != NULL && *email != '\0');
	tmpl_set(ctx, "user_sub", claim_text(r->arena, s->claims, "sub"));
	tmpl_set(ctx, "provider_name", provider_display(app, s->provider));
	tmpl_set(ctx, "continue_url", return_to);
	tmpl_set(ctx, "logout_url", arena_printf(r->arena, "%s/logout%s%s",
	    app->cfg->base_path, strcmp(return_to, "/") ? "?return_to=" : "",
	    strcmp(return_to, "/") ? url_encode(r->arena, return_to,
	    strlen(return_to)) : ""));
	add_claim_rows(ctx, r->arena, s->claims);
	return render(app, resp, APP_PAGE_SIGNED_IN, ctx, NULL);
}

static enum err
choose_page(struct app *app, struct req *r, struct resp *resp,
    const char *return_to)
{
	struct tmpl_ctx	*ctx = page_ctx(app, r);

	for (size_t i = 0; i < app->cfg->nproviders; i++) {
		const struct cfg_provider *p = &app->cfg->providers[i];
		struct tmpl_ctx *item = tmpl_add_item(ctx, "providers");
		tmpl_set(item, "name", p->name);
		tmpl_set(item, "display_name", p->display_name);
		tmpl_set(item, "login_url", login_url(r->arena, app, p->name,
		    return_to));
	}
	tmpl_set(ctx, "return_to", return_to);
	return render(app, resp, APP_PAGE_CHOOSE, ctx, NULL);
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
		    login_url(r->arena, app, p->name, return_to)));
		json_object_array_add(list, item);
	}
	return send_json(r, resp, o);
}

enum err
app_home(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = session_ctx_of(app, r);
	const char	*return_to = url_return_to(param(r, "return_to"));
	struct session	 s;

	if (load_session(&sc, resp, &s))
		return signed_in_page(app, r, resp, &s, return_to);
	if (req_wants_json(r))
		return providers_json(app, r, resp, return_to);
	return choose_page(app, r, resp, return_to);
}

/* --- Login. ------------------------------------------------------------ */

enum err
app_login(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = session_ctx_of(app, r);
	const char		*name = arg, *return_to;
	const struct discovery	*disc;
	char			*url;
	struct provider		*p;
	struct flow		 f;
	enum err		 e;

	return_to = url_return_to(param(r, "return_to"));
	if (name == NULL)
		name = param(r, "provider");
	if (name == NULL) {
		if (app->nproviders != 1)
			return app_home(app, r, resp, NULL);
		name = app->cfg->providers[0].name;
	}
	if ((p = app_provider(app, name)) == NULL) {
		err_reason("login: no provider named \"%.*s\"",
		    BOUND_PROVIDER_NAME, name);
		err_tell("There is no sign-in provider of that name.");
		err_retry(home_url(r->arena, app, return_to));
		return ERR_NOT_FOUND;
	}
	err_retry(login_url(r->arena, app, name, return_to));
	if ((e = provider_metadata(p, r->arena, r->now, &disc)) != ERR_OK)
		return e;
	f.provider = name;
	f.state = random_token(r->arena);
	f.nonce = random_token(r->arena);
	f.verifier = random_token(r->arena);
	f.return_to = return_to;
	f.iat = r->now;
	if ((e = session_flow_start(&sc, &f, resp)) != ERR_OK)
		return e;
	if ((e = oidc_authorize_url(r->arena, app->cfg, provider_cfg(p), disc,
	    f.state, f.nonce, f.verifier, &url)) != ERR_OK)
		return e;
	resp->status = 302;
	resp_header(resp, "Location", url);
	app_security_headers(resp, NULL);
	return ERR_OK;
}

/* --- Callback. --------------------------------------------------------- */

/* Keeps the provider's error text printable and short for the page. */
static const char *
provider_error_text(struct arena *a, const char *error, const char *desc)
{
	char	*s = arena_printf(a, "%.64s%s%.300s", error,
	    desc ? ": " : "", desc ? desc : "");

	for (char *p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return s;
}

static enum err
callback_error(struct app *app, struct req *r, const struct session_ctx *sc,
    struct resp *resp, const char *error)
{
	const char	*state = param(r, "state");
	struct flow	 f;

	/* Forget the attempt; its provider tells where to try again. */
	if (state != NULL && session_flow_take(sc, state, &f, resp) == ERR_OK)
		err_retry(login_url(r->arena, app, f.provider, f.return_to));
	else
		err_retry(home_url(r->arena, app, NULL));
	err_reason_clear();
	err_detail(provider_error_text(r->arena, error,
	    param(r, "error_description")));
	/* The log escapes control characters itself. */
	err_reason("provider answered error=%.64s", error);
	if (strcmp(error, "access_denied") == 0)
		err_tell("The sign-in was cancelled or refused at the "
		    "sign-in provider.");
	return ERR_DENIED;
}

static enum err
callback_params(struct req *r)
{
	static const char *const single[] = {
		"state", "code", "error", "error_description", "iss",
	};

	for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		if (url_param_count(r->params, single[i]) > 1) {
			err_reason("callback: parameter %s repeated", single[i]);
			return ERR_INPUT;
		}
	return ERR_OK;
}

static enum err
fetch_identity(struct app *app, struct req *r, struct provider *p,
    const struct flow *f, const char *code, struct oidc_tokens *tokens,
    json_object **claims)
{
	const struct cfg_provider	*pc = provider_cfg(p);
	const struct discovery		*disc;
	json_object			*userinfo;
	enum err			 e;

	if ((e = provider_metadata(p, r->arena, r->now, &disc)) != ERR_OK)
		return e;
	/* Before the code goes anywhere: is it this provider's? */
	if ((e = oidc_check_response_iss(disc, param(r, "iss"))) != ERR_OK)
		return e;
	if ((e = oidc_exchange_code(app->http, r->arena, app->cfg, pc, disc,
	    code, f->verifier, tokens)) != ERR_OK)
		return e;
	if ((e = provider_verify_id_token(p, r->arena, tokens->id_token,
	    f->nonce, tokens->access_token, r->now, claims)) != ERR_OK)
		return e;
	if (!pc->userinfo || disc->userinfo_endpoint == NULL ||
	    tokens->access_token == NULL)
		return ERR_OK;
	if ((e = oidc_userinfo(app->http, r->arena, disc,
	    tokens->access_token, &userinfo)) != ERR_OK)
		return e;
	return oidc_merge_userinfo(*claims, userinfo);
}

static enum err
callback(struct app *app, struct req *r, struct resp *resp)
{
	const struct session_ctx sc = session_ctx_of(app, r);
	const char		*error, *state, *code;
	struct oidc_tokens	 tokens;
	struct provider		*p;
	struct session		 s;
	struct flow		 f;
	json_object		*claims;
	enum err		 e;

	if ((e = callback_params(r)) != ERR_OK)
		return e;
	if ((error = param(r, "error")) != NULL)
		return callback_error(app, r, &sc, resp, error);
	err_retry(home_url(r->arena, app, NULL));
	if ((state = param(r, "state")) == NULL) {
		err_reason("callback without state");
		return ERR_UNVERIFIED;
	}
	if ((e = session_flow_take(&sc, state, &f, resp)) != ERR_OK)
		return e;
	if ((p = app_provider(app, f.provider)) == NULL) {
		err_reason("callback: provider %s no longer configured",
		    f.provider);
		return ERR_UNVERIFIED;
	}
	err_retry(login_url(r->arena, app, f.provider, f.return_to));
	if ((code = param(r, "code")) == NULL || *code == '\0') {
		err_reason("callback without code");
		return ERR_INPUT;
	}
	if ((e = fetch_identity(app, r, p, &f, code, &tokens, &claims)) !=
	    ERR_OK)
		return e;
	memset(&s, 0, sizeof(s));
	s.provider = f.provider;
	s.claims = session_identity_claims(r->arena, claims);
	if (user_id(app, r->arena, s.claims) == NULL) {
		/* Nobody could pass as this user: refuse it now, not later. */
		err_reason("identity has no usable user name: %s and sub are "
		    "empty or hold control characters", app->cfg->user_claim);
		return ERR_TOKEN;
	}
	if ((e = check_rules(app, r, s.provider, s.claims)) != ERR_OK) {
		err_tell("The sign-in worked, but this account is not "
		    "allowed to use this site. Try another account.");
		err_retry(home_url(r->arena, app, f.return_to));
		return e;
	}
	s.id_token = app->cfg->expose_id ? tokens.id_token : NULL;
	s.access_token = app->cfg->expose_access ? tokens.access_token : NULL;
	if ((e = session_store(&sc, &s, resp)) != ERR_OK)
		return e;
	log_info("login: provider=%s user=%s", f.provider,
	    user_id(app, r->arena, s.claims));
	resp->status = 302;
	resp_header(resp, "Location", f.return_to);
	app_security_headers(resp, NULL);
	return ERR_OK;
}

/* Microseconds since t0 on the monotonic clock: the callback's own time. */
static long long
elapsed_us(const struct timespec *t0)
{
	struct timespec	t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long long)(t1.tv_sec - t0->tv_sec) * 1000000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000;
}

enum err
app_callback(struct app *app, struct req *r, struct resp *resp,
    const char *arg)
{
	struct timespec	t0;
	enum err	e;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	e = callback(app, r, resp);
	/* bench/run compares this with other relying parties. */
	log_debug("callback: %lld us", elapsed_us(&t0));
	return e;
}

/* --- Logout. ----------------------------------------------------------- */

/* The origin the logout form may end up at: the provider's end-session endpoint. */
static const char *
logout_form_action(struct app *app, struct req *r, const char *provider)
{
	const struct discovery	*disc;
	struct provider		*p = app_provider(app, provider);
	struct url_info		 info;

	if (p == NULL || app->cfg->logout != CFG_LOGOUT_PROVIDER ||
	    provider_metadata(p, r->arena, r->now, &disc) != ERR_OK ||
	    disc->end_session_endpoint == NULL ||
	    url_parse_http(r->arena, disc->end_session_endpoint, &info) !=
	    ERR_OK) {
		err_reason_clear();
		return NULL;
	}
	return info.origin;
}

enum err
app_logout_page(struct app *app, struct req *r, struct resp *resp,
    const char *arg)
{
	const struct session_ctx sc = session_ctx_of(app, r);
	const char	*return_to = url_return_to(param(r, "return_to"));
	struct tmpl_ctx	*ctx = page_ctx(app, r);
	struct session	 s;
	const char	*form_action = NULL;

	tmpl_set(ctx, "return_to", return_to);
	tmpl_set(ctx, "logout_action", arena_printf(r->arena, "%s/logout",
	    app->cfg->base_path));
	if (load_session(&sc, resp, &s)) {
		tmpl_set_bool(ctx, "signed_in", 1);
		tmpl_set(ctx, "user_name", user_display(r->arena, &s));
		tmpl_set(ctx, "csrf", seal_csrf_token(app->keys, r->arena,
		    s.binding));
		form_action = logout_form_action(app, r, s.provider);
	}
	return render(app, resp, APP_PAGE_LOGOUT, ctx, form_action);
}

static const char *
provider_logout_url(struct app *app, struct req *r, const struct session *s)
{
	const struct discovery	*disc;
	struct provider		*p = app_provider(app, s->provider);
	char			*url;

	if (p == NULL || app->cfg->logout != CFG_LOGOUT_PROVIDER)
		return NULL;
	if (provider_metadata(p, r->arena, r->now, &disc) != ERR_OK ||
	    oidc_logout_url(r->arena, app->cfg, provider_cfg(p), disc,
	    s->id_token, &url) != ERR_OK) {
		/* Never keep someone signed in because a provider is down. */
		if (err_reason_get()[0] != '\0')
			log_info("logout: local only: %s", err_reason_get());
		err_reason_clear();
		return NULL;
	}
	return url;
}

enum err
app_logout(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = session_ctx_of(app, r);
	struct url_params	 form;
	const char		*return_to, *csrf, *next = NULL, *user;
	struct session		 s;
	enum err		 e;

	if (strncmp(r->content_type, "application/x-www-form-urlencoded",
	    33) != 0) {
		err_reason("logout: content type is not a form");
		return ERR_INPUT;
	}
	if ((e = req_body(r)) != ERR_OK)
		return e;
	if ((e = url_parse_form(r->arena, r->body, r->body_len, &form)) !=
	    ERR_OK) {
		err_reason("logout: malformed form");
		return e;
	}
	return_to = url_return_to(url_param_get(&form, "return_to"));
	if (load_session(&sc, resp, &s)) {
		csrf = url_param_get(&form, "csrf");
		if (csrf == NULL || !seal_csrf_check(app->keys, s.binding,
		    csrf)) {
			err_reason("logout: CSRF token %s",
			    csrf ? "invalid" : "missing");
			err_tell("The sign-out form has expired or "
			    "came from another site, so you are still signed "
			    "in. Please sign out again from this site.");
			err_retry(arena_printf(r->arena, "%s/logout",
			    app->cfg->base_path));
			return ERR_FORBIDDEN;
		}
		next = provider_logout_url(app, r, &s);
		user = user_id(app, r->arena, s.claims);
		log_info("logout: provider=%s user=%s%s", s.provider,
		    user ? user : "(no user name)",
		    next ? " (at provider)" : "");
	}
	session_clear(&sc, resp);
	resp->status = 303;
	resp_header(resp, "Location", next ? next : return_to);
	app_security_headers(resp, NULL);
	return ERR_OK;
}

/* --- /user and /check. ------------------------------------------------- */

enum err
app_user(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = session_ctx_of(app, r);
	json_object	*o = jv_new_object(r->arena), *tokens;
	struct session	 s;

	if (!load_session(&sc, resp, &s)) {
		json_object_object_add(o, "is_logged_in",
		    json_object_new_boolean(0));
		return send_json(r, resp, o);
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
	return send_json(r, resp, o);
}

/*
 * Gives the gate's answer remembered for this exact session cookie, when
 * there is one: the MAC, the claims and the rules were checked when it
 * was remembered, and its expiry is checked now.
 */
static int
remembered(struct app *app, const struct session_ctx *sc, struct resp *resp,
    enum memo_kind kind)
{
	struct memo_answer	 answer;
	const char		*sealed;

	if (!session_peek(sc, &sealed) ||
	    !memo_get(app->memo, kind, sealed, strlen(sealed), sc->now,
	    &answer))
		return 0;
	resp->lines = answer.lines;
	resp->lines_len = answer.len;
	return 1;
}

/* Remembers the headers from first on as the answer for session s. */
static void
remember(struct app *app, const struct resp *resp, enum memo_kind kind,
    const struct session *s, size_t first)
{
	memo_put(app->memo, kind, s->sealed, strlen(s->sealed), s->exp,
	    resp->headers + first, resp->nheaders - first);
}

static void
identity_header(struct resp *resp, const char *name, const char *value)
{
	if ((value = header_safe(value)) != NULL && *value != '\0')
		resp_header(resp, name, value);
}

enum err
app_check(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = session_ctx_of(app, r);
	struct session	s;
	enum err	e;
	size_t		first;

	if (remembered(app, &sc, resp, MEMO_CHECK))
		return ERR_OK;
	if (!load_session(&sc, resp, &s)) {
		err_reason("check: no valid session");
		return ERR_UNAUTHENTICATED;
	}
	if ((e = check_rules(app, r, s.provider, s.claims)) != ERR_OK)
		return e;
	first = resp->nheaders;
	identity_header(resp, "X-Auth-Request-User",
	    user_id(app, r->arena, s.claims));
	identity_header(resp, "X-Auth-Request-Email",
	    claim_text(r->arena, s.claims, "email"));
	identity_header(resp, "X-Auth-Request-Name",
	    claim_text(r->arena, s.claims, "name"));
	identity_header(resp, "X-Auth-Request-Provider", s.provider);
	resp_header(resp, "Cache-Control", "no-store");
	remember(app, resp, MEMO_CHECK, &s, first);
	return ERR_OK;
}

enum err
app_style(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	resp_header(resp, "Content-Type", "text/css; charset=utf-8");
	resp_header(resp, "Cache-Control", "public, max-age=3600");
	resp_header(resp, "X-Content-Type-Options", "nosniff");
	return buf_append(&resp->body, app->style, app->style_len);
}

/* --- Health. ------------------------------------------------------------ */

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
	return send_json(r, resp, o);
}

/* --- The Authorizer role. ---------------------------------------------- */

static int
claim_name_is_plain(const char *name)
{
	size_t	len = strlen(name);

	if (len == 0 || len > 64)
		return 0;
	for (const char *p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

/* "Variable-OIDC_CLAIM_" and the name, built without printf: per request. */
static const char *
claim_variable(struct arena *a, const char *name)
{
	static const char	 prefix[] = "Variable-OIDC_CLAIM_";
	size_t			 plen = sizeof(prefix) - 1, len = strlen(name);
	char			*s = arena_alloc(a, plen + len + 1);

	memcpy(s, prefix, plen);
	memcpy(s + plen, name, len + 1);
	return s;
}

/* A claim as an environment value: arrays of strings joined by commas. */
static const char *
claim_env_value(struct arena *a, json_object *v)
{
	struct buf	b;

	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	if (!json_object_is_type(v, json_type_array))
		return arena_strdup(a, jv_text(v));
	buf_init(&b, a, BOUND_HEADER_VALUE);
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *item = json_object_array_get_idx(v, i);
		if ((i > 0 && buf_putc(&b, ',') != ERR_OK) ||
		    buf_puts(&b, json_object_is_type(item, json_type_string) ?
		    json_object_get_string(item) : jv_text(item)) != ERR_OK)
			return NULL;
	}
	return b.data;
}

static int
is_navigation(const struct req *r)
{
	if (r->method != REQ_GET && r->method != REQ_HEAD)
		return 0;
	if (req_wants_json(r))
		return 0;
	return r->sec_fetch_mode[0] == '\0' ||
	    strcmp(r->sec_fetch_mode, "navigate") == 0;
}

/*
 * No session for a protected URL: a browser navigation goes to the login
 * page and comes back to the URL it asked for; anything else (XHR, JSON,
 * other methods) gets a 401 it can act on.
 */
static enum err
send_to_login(struct app *app, struct req *r, struct resp *resp,
    const char *who)
{
	const char	*original;

	if (!is_navigation(r)) {
		err_reason("%s: no valid session", who);
		return ERR_UNAUTHENTICATED;
	}
	original = url_return_to(r->forwarded_uri ? r->forwarded_uri : r->uri);
	resp->status = 302;
	resp_header(resp, "Location", app->nproviders == 1 ?
	    login_url(r->arena, app, NULL, original) :
	    home_url(r->arena, app, original));
	app_security_headers(resp, NULL);
	return ERR_OK;
}

enum err
app_authorize(struct app *app, struct req *r, struct resp *resp,
    const char *arg)
{
	const struct session_ctx sc = session_ctx_of(app, r);
	struct session	 s;
	enum err	 e;
	size_t		 first;

	if (remembered(app, &sc, resp, MEMO_AUTHORIZER))
		return ERR_OK;
	if (!load_session(&sc, resp, &s))
		return send_to_login(app, r, resp, "authorizer");
	if ((e = check_rules(app, r, s.provider, s.claims)) != ERR_OK)
		return e;
	first = resp->nheaders;
	identity_header(resp, "Variable-REMOTE_USER",
	    user_id(app, r->arena, s.claims));
	identity_header(resp, "Variable-OIDC_PROVIDER", s.provider);
	json_object_object_foreach(s.claims, name, value) {
		if (!claim_name_is_plain(name))
			continue;
		identity_header(resp, claim_variable(r->arena, name),
		    claim_env_value(r->arena, value));
	}
	remember(app, resp, MEMO_AUTHORIZER, &s, first);
	return ERR_OK;
}

enum err
app_refused(struct app *app, struct req *r, struct resp *resp,
    const char *arg)
{
	const struct session_ctx sc = session_ctx_of(app, r);
	struct session	 s;
	enum err	 e;

	if (!load_session(&sc, resp, &s))
		return send_to_login(app, r, resp, "error document");
	/* Signed in: sending the user to the login page again would loop. */
	if ((e = check_rules(app, r, s.provider, s.claims)) != ERR_OK)
		return e;
	err_reason("error document for a %d although signed in",
	    r->redirect_status);
	err_tell("You are signed in, but this page is not open to "
	    "your account.");
	err_retry(arena_printf(r->arena, "%s/logout",
	    app->cfg->base_path));
	return ERR_FORBIDDEN;
}

/* --- Errors. ------------------------------------------------------------- */

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
		    strcmp(resp->headers[i].name, "Allow") == 0)
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
	    !is_navigation(r)) || (status == 401 && !is_navigation(r))) {
		json_object *o = jv_new_object(r->arena);
		json_object_object_add(o, "error",
		    json_object_new_string(failures[e].code));
		json_object_object_add(o, "message",
		    json_object_new_string(message));
		if (detail != NULL)
			json_object_object_add(o, "detail",
			    json_object_new_string(detail));
		if (send_json(r, resp, o) != ERR_OK)
			buf_clear(&resp->body);
		return;
	}
	ctx = page_ctx(app, r);
	tmpl_set(ctx, "status", arena_printf(r->arena, "%d", status));
	tmpl_set(ctx, "heading", failures[e].heading);
	tmpl_set(ctx, "message", message);
	tmpl_set(ctx, "detail", detail ? detail : "");
	tmpl_set(ctx, "retry_url", retry ? retry : "");
	tmpl_set(ctx, "home_url", home_url(r->arena, app, NULL));
	if (render(app, resp, APP_PAGE_ERROR, ctx, NULL) != ERR_OK) {
		/* A page that does not fit still gets its status. */
		buf_clear(&resp->body);
		buf_puts(&resp->body, failures[e].heading);
	}
}
