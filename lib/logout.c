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
#include "crypto.h"
#include "discovery.h"
#include "http.h"
#include "identity.h"
#include "jv.h"
#include "log.h"
#include "memo.h"
#include "oidc.h"
#include "provider.h"
#include "replay.h"
#include "req.h"
#include "seal.h"
#include "session.h"
#include "tmpl.h"
#include "url.h"

#include "logout.h"

/*
 * A page of this very site made the request: the browser says so in
 * headers no script can set (a form's POST from a page with
 * Referrer-Policy no-referrer carries "Origin: null", hence
 * Sec-Fetch-Site first).  A cross-site form never passes.
 */
static int
from_this_site(const struct app *app, const struct req *r)
{
	return strcmp(r->sec_fetch_site, "same-origin") == 0 ||
	    (r->origin[0] != '\0' && strcmp(r->origin, app->cfg->origin) == 0);
}

/*
 * The person clicked a link to /logout on a page of this site: that
 * click is the confirmation, and a second one would only be in the way.
 */
static int
clicked_here(const struct app *app, const struct req *r)
{
	return strcmp(r->sec_fetch_site, "same-origin") == 0 &&
	    strcmp(r->sec_fetch_user, "?1") == 0 &&
	    strcmp(r->sec_fetch_mode, "navigate") == 0;
}

/* The signed-out page's URL, keeping return_to (arena). */
static const char *
signed_out_path(struct arena *a, const struct app *app, const char *return_to)
{
	const char	*url = arena_printf(a, "%s/signed-out",
	    app->cfg->base_path);

	if (strcmp(return_to, "/") == 0)
		return url;
	return arena_printf(a, "%s?return_to=%s", url,
	    url_encode(a, return_to, strlen(return_to)));
}

/* The identity for the log line, or a placeholder when it is unusable. */
static const char *
user_for_log(struct app *app, const struct session *s)
{
	const struct cfg_provider *p = app_provider_cfg(app, s->provider);
	const char	*user = NULL;

	if (p == NULL || identity_user(s->claims, p->user_claim,
	    p->assume_email_verified, &user) != ERR_OK)
		user = "(no usable identity)";
	err_reason_clear();
	return user;
}

/*
 * Ends the session: the cookies cleared, then the provider's sign-out
 * when it has one (its own question, and back to post_logout_redirect_uri),
 * else our signed-out page.
 */
static enum err
sign_out(struct app *app, struct req *r, struct resp *resp,
    const struct session_ctx *sc, const struct session *s,
    const char *return_to)
{
	const char	*next = app_provider_logout_url(app, r, s->provider,
	    s->id_token);

	log_info("logout: provider=%s user=%s%s", s->provider,
	    user_for_log(app, s), next ? " (at provider)" : "");
	session_clear(sc, resp);
	resp->status = 303;
	resp_header(resp, "Location", next ? next :
	    signed_out_path(r->arena, app, return_to));
	app_security_headers(resp, NULL);
	return ERR_OK;
}

enum err
logout_page(struct app *app, struct req *r, struct resp *resp,
    const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	const char	*return_to = url_return_to(app_param(r, "return_to"));
	struct tmpl_ctx	*ctx = app_page_ctx(app, r);
	struct session	 s;
	const char	*form_action = NULL, *who;

	tmpl_set(ctx, "return_to", return_to);
	tmpl_set(ctx, "logout_action", arena_printf(r->arena, "%s/logout",
	    app->cfg->base_path));
	tmpl_set(ctx, "signin_url", app_home_url(r->arena, app, return_to));
	if (!app_load_session(&sc, resp, &s)) {
		tmpl_set(ctx, "heading", "You are not signed in");
		return app_render(app, resp, APP_PAGE_LOGOUT, ctx, NULL);
	}
	if (clicked_here(app, r))
		return sign_out(app, r, resp, &sc, &s, return_to);
	who = app_provider_name(app, s.provider);
	tmpl_set(ctx, "heading", "Sign out");
	tmpl_set_bool(ctx, "signed_in", 1);
	tmpl_set(ctx, "user_name", app_user_display(r->arena, &s));
	tmpl_set(ctx, "provider_name", who);
	tmpl_set(ctx, "csrf", seal_csrf_token(app->keys, r->arena, s.binding));
	form_action = app_logout_form_action(app, r, s.provider);
	if (form_action != NULL)
		tmpl_set(ctx, "provider_logout", arena_printf(r->arena, "You "
		    "will also be signed out of %s, which may ask you to "
		    "confirm.", who));
	return app_render(app, resp, APP_PAGE_LOGOUT, ctx, form_action);
}

enum err
logout_post(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	struct url_params	 form;
	const char		*return_to, *csrf;
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
	/*
	 * Without a session this form proves nothing (a cross-site POST
	 * carries no SameSite=Lax cookie): nothing changes.
	 */
	if (!app_load_session(&sc, resp, &s)) {
		log_debug("logout: no session; nothing to do");
		resp->status = 303;
		resp_header(resp, "Location", signed_out_path(r->arena, app,
		    return_to));
		app_security_headers(resp, NULL);
		return ERR_OK;
	}
	/* A page of this site may post without a token (a static page). */
	csrf = url_param_get(&form, "csrf");
	if ((csrf == NULL || !seal_csrf_check(app->keys, s.binding, csrf)) &&
	    !from_this_site(app, r)) {
		err_reason("logout: CSRF token %s", csrf ? "invalid" :
		    "missing");
		err_tell("The sign-out form has expired or came from another "
		    "site, so you are still signed in. Please sign out again "
		    "from this site.");
		err_retry(arena_printf(r->arena, "%s/logout",
		    app->cfg->base_path));
		err_retry_label("Sign out");
		return ERR_FORBIDDEN;
	}
	return sign_out(app, r, resp, &sc, &s, return_to);
}

enum err
logout_signed_out(struct app *app, struct req *r, struct resp *resp,
    const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	const char	*return_to = url_return_to(app_param(r, "return_to"));
	const char	*state = app_param(r, "state");
	struct tmpl_ctx	*ctx;
	struct session	 s;

	/* Signed in again meanwhile (another tab): say so, not the opposite. */
	if (app_load_session(&sc, resp, &s))
		return app_signed_in_page(app, r, resp, &s, return_to, NULL,
		    NULL);
	ctx = app_page_ctx(app, r);
	tmpl_set(ctx, "heading", "You are signed out");
	tmpl_set_bool(ctx, "signed_out", 1);
	tmpl_set(ctx, "return_to", return_to);
	tmpl_set(ctx, "signin_url", app_home_url(r->arena, app, return_to));
	/* The provider whose sign-out sent the browser here, by its state. */
	if (state != NULL && app_provider_cfg(app, state) != NULL)
		tmpl_set(ctx, "provider_note", arena_printf(r->arena, "If you "
		    "chose to stay signed in at %s, it may sign you in here "
		    "again without asking for your password.",
		    app_provider_name(app, state)));
	return app_render(app, resp, APP_PAGE_LOGOUT, ctx, NULL);
}
