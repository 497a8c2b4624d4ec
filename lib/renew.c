#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "cfg.h"
#include "discovery.h"
#include "identity.h"
#include "jv.h"
#include "log.h"
#include "login.h"
#include "oidc.h"
#include "provider.h"
#include "renew.h"
#include "req.h"
#include "session.h"
#include "url.h"

/*
 * The claims of a refresh: the new ID token's when there is one, else
 * the session's; userinfo's over them when the provider is asked.
 */
static enum err
refreshed_claims(struct app *app, struct req *r, struct provider *p,
    const struct oidc_tokens *t, const struct session *s,
    json_object **claims)
{
	const struct cfg_provider	*pc = provider_cfg(p);
	const struct discovery		*disc;
	json_object			*sub, *info;
	enum err			 e;

	if (!json_object_object_get_ex(s->claims, "sub", &sub))
		return ERR_TOKEN;
	if (t->id_token != NULL) {
		if ((e = provider_verify_refreshed(p, r->arena, t->id_token,
		    t->access_token, json_object_get_string(sub), r->now,
		    claims)) != ERR_OK)
			return e;
	} else if (jv_parse_object(r->arena, jv_text(s->claims),
	    strlen(jv_text(s->claims)), claims) != ERR_OK)
		return ERR_SYSTEM;
	if ((e = provider_metadata(p, r->arena, r->now, &disc)) != ERR_OK)
		return e;
	if (!pc->userinfo || disc->userinfo_endpoint == NULL ||
	    t->access_token == NULL)
		return ERR_OK;
	if ((e = oidc_userinfo(app->http, r->arena, disc, t->access_token,
	    &info)) != ERR_OK)
		return e;
	return oidc_merge_userinfo(*claims, info);
}

enum err
renew_with_refresh(struct app *app, struct req *r, struct session *s)
{
	struct provider		*p = app_provider(app, s->provider);
	const struct discovery	*disc;
	struct oidc_tokens	 t;
	json_object		*claims;
	const char		*dropped;
	enum err		 e;

	if (p == NULL || s->refresh_token == NULL ||
	    !provider_cfg(p)->use_refresh_token)
		return ERR_NOT_FOUND;
	if ((e = provider_metadata(p, r->arena, r->now, &disc)) != ERR_OK ||
	    (e = oidc_refresh(app->http, r->arena, provider_cfg(p), disc,
	    s->refresh_token, &t)) != ERR_OK ||
	    (e = refreshed_claims(app, r, p, &t, s, &claims)) != ERR_OK)
		return e;
	claims = session_identity_claims(r->arena, claims);
	identity_clean(r->arena, claims, &dropped);
	if ((e = app_check_access(app, r, s->provider, claims, NULL)) !=
	    ERR_OK)
		return e;
	s->claims = claims;
	if (t.id_token != NULL)
		s->id_token = t.id_token;
	s->access_token = app->cfg->expose_access ? t.access_token : NULL;
	/* Providers that rotate refresh tokens send a new one each time. */
	if (t.refresh_token != NULL)
		s->refresh_token = t.refresh_token;
	s->vouched_at = s->seen_at = r->now;
	return ERR_OK;
}

/* The session is over: cleared, and the page says why. */
static enum err
ended(struct app *app, struct req *r, const struct session_ctx *sc,
    struct resp *resp, const struct session *s, const char *return_to,
    enum err e)
{
	const struct cfg_provider *pc = app_provider_cfg(app, s->provider);

	session_clear(sc, resp);
	log_info("session ended at renewal: provider=%s: %s", s->provider,
	    err_reason_get());
	if (e == ERR_UNVERIFIED)
		err_tell(arena_printf(r->arena, "Your session has ended: %s no "
		    "longer accepts it. Sign in again to go on.",
		    pc != NULL ? pc->display_name : s->provider));
	err_retry(app_login_url(r->arena, app, s->provider, return_to));
	return e == ERR_UNVERIFIED ? ERR_UNAUTHENTICATED : e;
}

/*
 * Renews a due session for a browser: by refresh token, else (or when
 * the provider refuses it, as when two tabs raced a rotating token) by
 * a silent sign-in that comes back to return_to.
 */
static enum err
renew(struct app *app, struct req *r, const struct session_ctx *sc,
    struct resp *resp, struct session *s, const char *return_to)
{
	json_object	*sub;
	enum err	 e;

	err_retry(app_renew_url(r->arena, app, return_to));
	e = renew_with_refresh(app, r, s);
	switch (e) {
	case ERR_OK:
		if ((e = session_store(sc, s, resp)) != ERR_OK)
			return e;
		log_info("session renewed: provider=%s", s->provider);
		resp->status = 302;
		resp_header(resp, "Location", return_to);
		app_security_headers(resp, NULL);
		return ERR_OK;
	case ERR_NOT_FOUND:
	case ERR_UNVERIFIED:
		break;
	case ERR_PROVIDER:
	case ERR_TIMEOUT:
		/* Down is no free pass, and no reason to end the session. */
		return e;
	default:
		return ended(app, r, sc, resp, s, return_to, e);
	}
	if (e == ERR_UNVERIFIED)
		log_info("session renewal: refresh token refused (%s); trying "
		    "a silent sign-in", err_reason_get());
	err_reason_clear();
	if (!json_object_object_get_ex(s->claims, "sub", &sub))
		return ended(app, r, sc, resp, s, return_to, ERR_UNVERIFIED);
	return login_begin(app, r, resp, s->provider, return_to, "none",
	    json_object_get_string(sub));
}

enum err
renew_page(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	const char	*return_to = url_return_to(app_param(r, "return_to"));
	struct session	 s;
	int64_t		 until;

	switch (app_session_get(app, &sc, resp, 1, &s, &until)) {
	case APP_SESSION_RENEW:
		return renew(app, r, &sc, resp, &s, return_to);
	case APP_SESSION_NONE:
		resp->status = 302;
		resp_header(resp, "Location", app->nproviders == 1 ?
		    app_login_url(r->arena, app, NULL, return_to) :
		    app_home_url(r->arena, app, return_to));
		break;
	default:
		resp->status = 302;
		resp_header(resp, "Location", return_to);
		break;
	}
	app_security_headers(resp, NULL);
	return ERR_OK;
}
