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
logout_page(struct app *app, struct req *r, struct resp *resp,
    const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	const char	*return_to = url_return_to(app_param(r, "return_to"));
	struct tmpl_ctx	*ctx = app_page_ctx(app, r);
	struct session	 s;
	const char	*form_action = NULL;

	tmpl_set(ctx, "return_to", return_to);
	tmpl_set(ctx, "logout_action", arena_printf(r->arena, "%s/logout",
	    app->cfg->base_path));
	if (app_load_session(&sc, resp, &s)) {
		tmpl_set_bool(ctx, "signed_in", 1);
		tmpl_set(ctx, "user_name", app_user_display(r->arena, &s));
		tmpl_set(ctx, "csrf", seal_csrf_token(app->keys, r->arena,
		    s.binding));
		form_action = logout_form_action(app, r, s.provider);
	}
	return app_render(app, resp, APP_PAGE_LOGOUT, ctx, form_action);
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

enum err
logout_post(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	struct url_params	 form;
	const char		*return_to, *csrf, *next = NULL;
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
		resp_header(resp, "Location", return_to);
		app_security_headers(resp, NULL);
		return ERR_OK;
	}
	csrf = url_param_get(&form, "csrf");
	if (csrf == NULL || !seal_csrf_check(app->keys, s.binding, csrf)) {
		err_reason("logout: CSRF token %s", csrf ? "invalid" :
		    "missing");
		err_tell("The sign-out form has expired or came from another "
		    "site, so you are still signed in. Please sign out again "
		    "from this site.");
		err_retry(arena_printf(r->arena, "%s/logout",
		    app->cfg->base_path));
		return ERR_FORBIDDEN;
	}
	next = provider_logout_url(app, r, &s);
	log_info("logout: provider=%s user=%s%s", s.provider,
	    user_for_log(app, &s), next ? " (at provider)" : "");
	session_clear(&sc, resp);
	resp->status = 303;
	resp_header(resp, "Location", next ? next : return_to);
	app_security_headers(resp, NULL);
	return ERR_OK;
}
