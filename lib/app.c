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

const char *
app_provider_name(const struct app *app, const char *name)
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

const char *
app_switch_url(struct arena *a, const struct app *app, const char *provider,
    const char *return_to)
{
	const char	*url = arena_printf(a, "%s/login/%s?switch=1",
	    app->cfg->base_path, provider);

	if (return_to == NULL || strcmp(return_to, "/") == 0)
		return url;
	return arena_printf(a, "%s&return_to=%s", url,
	    url_encode(a, return_to, strlen(return_to)));
}

/* Returns 1 when a prompt value lets the person pick or enter an account. */
static int
prompt_asks_account(const char *v)
{
	return v != NULL && (strstr(v, "select_account") != NULL ||
	    strstr(v, "login") != NULL);
}

const char *
app_account_prompt(struct app *app, struct req *r, const char *provider)
{
	struct provider			*p = app_provider(app, provider);
	const struct cfg_provider	*pc;
	const struct discovery		*disc;

	if (p == NULL)
		return NULL;
	pc = provider_cfg(p);
	for (size_t i = 0; i < pc->nparams; i++)
		if (strcmp(pc->params[i].name, "prompt") == 0 &&
		    prompt_asks_account(pc->params[i].value))
			return pc->params[i].value;
	/* What is cached: a refusal page must not wait on the provider. */
	if ((disc = provider_cached(p)) != NULL && disc->prompts_listed)
		return disc->prompt_select_account ? "select_account" :
		    disc->prompt_login ? "login" : NULL;
	/*
	 * No list: login is OpenID Connect Core's and widely known (an
	 * oidc-provider refuses select_account unless configured); Google
	 * knows select_account only.
	 */
	return strcmp(pc->issuer, "https://accounts.google.com") == 0 ?
	    "select_account" : "login";
}

const char *
app_signed_out_url(struct arena *a, const struct app *app)
{
	return arena_printf(a, "%s%s/signed-out", app->cfg->origin,
	    app->cfg->base_path);
}

const char *
app_provider_logout_url(struct app *app, struct req *r, const char *provider,
    const char *id_token_hint)
{
	const struct discovery	*disc;
	struct provider		*p = app_provider(app, provider);
	const char		*back;
	char			*url;
	int			 own = err_reason_get()[0] == '\0';

	if (p == NULL || app->cfg->logout != CFG_LOGOUT_PROVIDER)
		return NULL;
	if (provider_metadata(p, r->arena, r->now, &disc) != ERR_OK ||
	    oidc_logout_url(r->arena, app->cfg, provider_cfg(p), disc,
	    id_token_hint, &url) != ERR_OK) {
		/*
		 * Never keep someone signed in because a provider is down.  A
		 * reason recorded before (a refusal's) is not ours to drop.
		 */
		if (own && err_reason_get()[0] != '\0') {
			log_info("logout: local only: %s", err_reason_get());
			err_reason_clear();
		}
		return NULL;
	}
	/* Back on our signed-out page, the state names the provider. */
	back = provider_cfg(p)->post_logout_redirect_uri != NULL ?
	    provider_cfg(p)->post_logout_redirect_uri :
	    app->cfg->post_logout_redirect_uri;
	if (back != NULL && strcmp(back, app_signed_out_url(r->arena, app)) ==
	    0)
		url = arena_printf(r->arena, "%s&state=%s", url,
		    url_encode(r->arena, provider, strlen(provider)));
	return url;
}

const char *
app_logout_form_action(struct app *app, struct req *r, const char *provider)
{
	const struct discovery	*disc;
	struct provider		*p = app_provider(app, provider);
	struct url_info		 info;
	int			 own = err_reason_get()[0] == '\0';

	/* Cached, fresh or not: a page waits on the provider only without. */
	if (p == NULL || app->cfg->logout != CFG_LOGOUT_PROVIDER ||
	    ((disc = provider_cached(p)) == NULL &&
	    provider_metadata(p, r->arena, r->now, &disc) != ERR_OK) ||
	    disc->end_session_endpoint == NULL ||
	    url_parse_http(r->arena, disc->end_session_endpoint, &info) !=
	    ERR_OK) {
		if (own)
			err_reason_clear();
		return NULL;
	}
	return info.origin;
}

void
app_offer_account(struct app *app, struct req *r, const char *provider,
    const char *return_to, int signed_in)
{
	const char	*who = app_provider_name(app, provider);
	const char	*prompt = app_account_prompt(app, r, provider);
	const char	*out, *out_label, *told = err_tell_get();

	err_about(provider, return_to);
	/* Signed in, our sign-out also ends the provider's session. */
	if (signed_in) {
		out = arena_printf(r->arena, "%s/logout", app->cfg->base_path);
		out_label = "Sign out";
	} else {
		out = app_provider_logout_url(app, r, provider, NULL);
		out_label = arena_printf(r->arena, "Sign out of %s", who);
	}
	if (prompt != NULL || out == NULL) {
		err_retry(app_switch_url(r->arena, app, provider, return_to));
		err_retry_label("Use another account");
		if (out != NULL)
			err_action(out, out_label);
	} else {
		/* The provider would pick the same account again: out first. */
		err_retry(out);
		err_retry_label(out_label);
	}
	if (prompt != NULL)
		return;
	err_tell(arena_printf(r->arena, "%s%s%s may sign you in with the same "
	    "account again: %s", told ? told : "", told ? " " : "", who,
	    out != NULL ? "sign out first." : "sign out at the provider "
	    "first, or use a private window."));
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

/*
 * The account as a person recognises it: the name and, when it says
 * more, the e-mail address ("Ann Example (ann@example.org)").
 */
static const char *
account_words(struct arena *a, json_object *claims)
{
	const char	*who = display_of(a, claims);
	const char	*mail = app_claim_text(a, claims, "email");

	if (*who == '\0')
		return "an account it did not name";
	if (mail == NULL || *mail == '\0' || app_header_safe(mail) == NULL ||
	    strcmp(mail, who) == 0)
		return who;
	return arena_printf(a, "%s (%s)", who, mail);
}

/*
 * Applies the identity and access rules to a signed-in user.  The words
 * name the account, so that a person sees which one was refused; the
 * ways on are the caller's (app_offer_account): looping back to the
 * same login would refuse the same account again.
 */
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
	who = account_words(r->arena, claims);
	if ((e = identity_user(claims, p->user_claim, p->assume_email_verified,
	    &id)) != ERR_OK) {
		err_tell(arena_printf(r->arena, "%s signed you in as %s, but "
		    "did not give the identity this site relies on in a form "
		    "it can trust, so this account cannot be used here. Use "
		    "another account, or ask the site's administrator.",
		    p->display_name, who));
		err_detail(arena_strdup(r->arena, err_reason_get()));
		return e;
	}
	if ((e = rules_check(&app->cfg->rules, &p->rules,
	    p->assume_email_verified, claims)) != ERR_OK) {
		err_tell(arena_printf(r->arena, "%s signed you in as %s, but "
		    "this account is not allowed to use %s.", p->display_name,
		    who, app->cfg->page_title));
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
	tmpl_set(ctx, "home_url", app->cfg->home_url);
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

/*
 * A claim's value for people: a string as it is, a list of strings as
 * "a, b", anything else as JSON.
 */
static const char *
claim_words(struct arena *a, json_object *v)
{
	struct buf	b;

	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	if (!json_object_is_type(v, json_type_array))
		return arena_strdup(a, jv_text(v));
	buf_init(&b, a, BOUND_PAGE);
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *item = json_object_array_get_idx(v, i);

		if (!json_object_is_type(item, json_type_string))
			return arena_strdup(a, jv_text(v));
		if ((i > 0 && buf_puts(&b, ", ") != ERR_OK) ||
		    buf_puts(&b, json_object_get_string(item)) != ERR_OK)
			return arena_strdup(a, jv_text(v));
	}
	return b.data != NULL ? b.data : "";
}

static void
add_claim_rows(struct tmpl_ctx *ctx, struct arena *a, json_object *claims)
{
	json_object_object_foreach(claims, name, value) {
		struct tmpl_ctx *row = tmpl_add_item(ctx, "claims");
		tmpl_set(row, "name", name);
		tmpl_set(row, "value", claim_words(a, value));
	}
}

/* "Use another account": another one at each provider, deliberately. */
static void
add_other_accounts(struct app *app, struct req *r, struct tmpl_ctx *ctx,
    const char *current, const char *return_to)
{
	tmpl_set_bool(ctx, "has_others", app->cfg->nproviders > 0);
	for (size_t i = 0; i < app->cfg->nproviders; i++) {
		const struct cfg_provider *p = &app->cfg->providers[i];
		struct tmpl_ctx *item = tmpl_add_item(ctx, "others");

		tmpl_set(item, "url", app_switch_url(r->arena, app, p->name,
		    return_to));
		tmpl_set(item, "label", strcmp(p->name, current) == 0 ?
		    arena_printf(r->arena, "Another %s account",
		    p->display_name) : arena_printf(r->arena, "Sign in with %s",
		    p->display_name));
	}
}

enum err
app_signed_in_page(struct app *app, struct req *r, struct resp *resp,
    const struct session *s, const char *return_to, const char *heading,
    const char *notice)
{
	struct tmpl_ctx	*ctx = app_page_ctx(app, r);
	const char	*email = app_claim_text(r->arena, s->claims, "email");

	tmpl_set(ctx, "heading", heading ? heading : "You are signed in");
	tmpl_set(ctx, "notice", notice);
	tmpl_set(ctx, "user_name", app_user_display(r->arena, s));
	tmpl_set(ctx, "user_email", email ? email : "");
	tmpl_set_bool(ctx, "has_email", email != NULL && *email != '\0' &&
	    strcmp(email, app_user_display(r->arena, s)) != 0);
	tmpl_set(ctx, "user_sub", app_claim_text(r->arena, s->claims, "sub"));
	tmpl_set(ctx, "provider_name", app_provider_name(app, s->provider));
	tmpl_set(ctx, "continue_url", return_to);
	tmpl_set(ctx, "return_to", return_to);
	/* Signing out here is one click: the button is the confirmation. */
	tmpl_set(ctx, "logout_action", arena_printf(r->arena, "%s/logout",
	    app->cfg->base_path));
	tmpl_set(ctx, "csrf", s->binding != NULL ?
	    seal_csrf_token(app->keys, r->arena, s->binding) : NULL);
	tmpl_set(ctx, "logout_url", arena_printf(r->arena, "%s/logout%s%s",
	    app->cfg->base_path, strcmp(return_to, "/") ? "?return_to=" : "",
	    strcmp(return_to, "/") ? url_encode(r->arena, return_to,
	    strlen(return_to)) : ""));
	add_other_accounts(app, r, ctx, s->provider, return_to);
	add_claim_rows(ctx, r->arena, s->claims);
	return app_render(app, resp, APP_PAGE_SIGNED_IN, ctx,
	    app_logout_form_action(app, r, s->provider));
}

/*
 * What the pages say of a provider a login failed at lately (this
 * process's memory, nothing fetched), or NULL.
 */
static const char *
trouble_words(struct app *app, struct req *r, size_t i)
{
	switch (provider_troubled(app->providers[i], r->now)) {
	case ERR_TIMEOUT:
		return "Not answering at the moment";
	case ERR_PROVIDER:
		return "Not working at the moment";
	default:
		return NULL;
	}
}

size_t
app_add_providers(struct app *app, struct req *r, struct tmpl_ctx *ctx,
    const char *list, const char *skip, const char *return_to)
{
	size_t	n = 0;

	for (size_t i = 0; i < app->cfg->nproviders; i++) {
		const struct cfg_provider *p = &app->cfg->providers[i];
		struct tmpl_ctx *item;

		if (skip != NULL && strcmp(p->name, skip) == 0)
			continue;
		item = tmpl_add_item(ctx, list);
		tmpl_set(item, "name", p->name);
		tmpl_set(item, "display_name", p->display_name);
		tmpl_set(item, "login_url", app_login_url(r->arena, app, p->name,
		    return_to));
		tmpl_set(item, "trouble", trouble_words(app, r, i));
		n++;
	}
	return n;
}

static enum err
choose_page(struct app *app, struct req *r, struct resp *resp,
    const char *return_to)
{
	struct tmpl_ctx	*ctx = app_page_ctx(app, r);

	app_add_providers(app, r, ctx, "providers", NULL, return_to);
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

	/* The providers, signed in or not: a page names them for people. */
	if (req_wants_json(r))
		return providers_json(app, r, resp, return_to);
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
		return app_signed_in_page(app, r, resp, &s, return_to, NULL,
		    NULL);
	}
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
