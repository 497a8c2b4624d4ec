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

#include "gate.h"
#include "renew.h"

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

/*
 * Remembers the headers from first on as the answer for session s, until
 * it would change (expiry, idle window, re-validation); not at all when
 * that is now.
 */
static void
remember(struct app *app, const struct resp *resp, enum memo_kind kind,
    const struct session *s, int64_t until, int64_t now, size_t first)
{
	if (until <= now)
		return;
	memo_put(app->memo, kind, s->sealed, strlen(s->sealed), until,
	    resp->headers + first, resp->nheaders - first);
}

static void
identity_header(struct resp *resp, const char *name, const char *value)
{
	if ((value = app_header_safe(value)) != NULL && *value != '\0')
		resp_header(resp, name, value);
}

/*
 * The session's user, as at the login: claims a server could confuse are
 * dropped again (a session may predate that rule), then the identity
 * and the access rules are checked.
 */
static enum err
signed_in_user(struct app *app, struct req *r, struct session *s,
    const char **user)
{
	const char	*dropped;
	enum err	 e;

	identity_clean(r->arena, s->claims, &dropped);
	if ((e = app_check_access(app, r, s->provider, s->claims, user)) !=
	    ERR_OK)
		/* A refused account: another one, or signing out, not a loop. */
		app_offer_account(app, r, s->provider, url_return_to(
		    r->forwarded_uri ? r->forwarded_uri : r->uri), 1);
	return e;
}

/* The e-mail for X-Auth-Request-Email: only one the provider verified. */
static const char *
verified_email(struct app *app, const struct session *s)
{
	const struct cfg_provider *p = app_provider_cfg(app, s->provider);
	json_object	*v;

	if (p == NULL || !identity_email_verified(s->claims,
	    p->assume_email_verified) ||
	    !json_object_object_get_ex(s->claims, "email", &v))
		return NULL;
	return json_object_get_string(v);
}

/*
 * A session that must be renewed before the gate honours it: a browser
 * navigation goes through /renew and comes back; anything else gets a
 * 401 whose X-Auth-Request-Renew header says where to renew.
 */
static enum err
send_to_renew(struct app *app, struct req *r, struct resp *resp,
    const char *who)
{
	const char	*original, *url;

	original = url_return_to(r->forwarded_uri ? r->forwarded_uri : r->uri);
	url = app_renew_url(r->arena, app, original);
	if (!app_is_navigation(r)) {
		err_reason("%s: the session must be renewed with its provider",
		    who);
		err_tell("Your session must be renewed with the sign-in "
		    "provider: open this site in the browser to go on.");
		resp_header(resp, "X-Auth-Request-Renew", url);
		return ERR_UNAUTHENTICATED;
	}
	resp->status = 302;
	resp_header(resp, "Location", url);
	app_security_headers(resp, NULL);
	return ERR_OK;
}

/*
 * /check's answer for a session due for renewal or a slide of its idle
 * window: a 401 with where to renew; nginx's error page for it (the
 * recipe's @oidc_login, gate_refused) sends a browser there.
 */
static enum err
due_refusal(struct app *app, struct req *r, struct resp *resp,
    const char *who)
{
	const char	*original;

	original = url_return_to(r->forwarded_uri ? r->forwarded_uri : r->uri);
	resp_header(resp, "X-Auth-Request-Renew",
	    app_renew_url(r->arena, app, original));
	err_reason("%s: the session is due for renewal", who);
	return ERR_UNAUTHENTICATED;
}

enum err
gate_check(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	struct session	 s;
	const char	*user;
	int64_t		 until;
	enum err	 e;
	size_t		 first;

	if (remembered(app, &sc, resp, MEMO_CHECK))
		return ERR_OK;
	/*
	 * Like the Authorizer's, /check's 200 cannot set a cookie: nginx
	 * hands only the first Set-Cookie of a subrequest on (all of them
	 * joined by commas from 1.23), which would break a chunked session.
	 */
	switch (app_session_get(app, &sc, resp, 0, &s, &until)) {
	case APP_SESSION_NONE:
		err_reason("check: no valid session");
		return ERR_UNAUTHENTICATED;
	case APP_SESSION_RENEW:
		return due_refusal(app, r, resp, "check");
	case APP_SESSION_TOUCH:
		if (app_is_navigation(r))
			return due_refusal(app, r, resp, "check");
		until = r->now;
		break;
	default:
		break;
	}
	if ((e = signed_in_user(app, r, &s, &user)) != ERR_OK)
		return e;
	first = resp->nheaders;
	identity_header(resp, "X-Auth-Request-User", user);
	identity_header(resp, "X-Auth-Request-Email", verified_email(app, &s));
	identity_header(resp, "X-Auth-Request-Name",
	    app_claim_text(r->arena, s.claims, "name"));
	identity_header(resp, "X-Auth-Request-Provider", s.provider);
	resp_header(resp, "Cache-Control", "no-store");
	remember(app, resp, MEMO_CHECK, &s, until, r->now, first);
	return ERR_OK;
}

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

	if (!app_is_navigation(r)) {
		err_reason("%s: no valid session", who);
		return ERR_UNAUTHENTICATED;
	}
	original = url_return_to(r->forwarded_uri ? r->forwarded_uri : r->uri);
	resp->status = 302;
	resp_header(resp, "Location", app->nproviders == 1 ?
	    app_login_url(r->arena, app, NULL, original) :
	    app_home_url(r->arena, app, original));
	app_security_headers(resp, NULL);
	return ERR_OK;
}

enum err
gate_authorize(struct app *app, struct req *r, struct resp *resp,
    const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	struct session	 s;
	const char	*user;
	int64_t		 until;
	enum err	 e;
	size_t		 first;

	if (remembered(app, &sc, resp, MEMO_AUTHORIZER))
		return ERR_OK;
	/* An Authorizer's 200 cannot set a cookie on every server. */
	switch (app_session_get(app, &sc, resp, 0, &s, &until)) {
	case APP_SESSION_NONE:
		return send_to_login(app, r, resp, "authorizer");
	case APP_SESSION_RENEW:
		return send_to_renew(app, r, resp, "authorizer");
	case APP_SESSION_TOUCH:
		/* A page view slides the idle window; a call need not. */
		if (app_is_navigation(r))
			return send_to_renew(app, r, resp, "authorizer");
		until = r->now;
		break;
	default:
		break;
	}
	if ((e = signed_in_user(app, r, &s, &user)) != ERR_OK)
		return e;
	first = resp->nheaders;
	identity_header(resp, "Variable-REMOTE_USER", user);
	identity_header(resp, "Variable-OIDC_PROVIDER", s.provider);
	/* As X-Auth-Request-Email: a server hands on this, not the raw claim. */
	identity_header(resp, "Variable-OIDC_EMAIL", verified_email(app, &s));
	identity_header(resp, "Variable-OIDC_PROVIDER_NAME",
	    app_provider_name(app, s.provider));
	json_object_object_foreach(s.claims, name, value) {
		if (!claim_name_is_plain(name))
			continue;
		identity_header(resp, claim_variable(r->arena, name),
		    claim_env_value(r->arena, value));
	}
	remember(app, resp, MEMO_AUTHORIZER, &s, until, r->now, first);
	return ERR_OK;
}

enum err
gate_refused(struct app *app, struct req *r, struct resp *resp,
    const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	struct session	 s;
	enum err	 e;
	int64_t		 until;

	/* The gate refused a due session (see due_refusal): renew it. */
	switch (app_session_get(app, &sc, resp, 0, &s, &until)) {
	case APP_SESSION_NONE:
		return send_to_login(app, r, resp, "error document");
	case APP_SESSION_RENEW:
	case APP_SESSION_TOUCH:
		return send_to_renew(app, r, resp, "error document");
	default:
		break;
	}
	/* Signed in: sending the user to the login page again would loop. */
	if ((e = signed_in_user(app, r, &s, NULL)) != ERR_OK)
		return e;
	err_reason("error document for a %d although signed in",
	    r->redirect_status);
	err_tell(arena_printf(r->arena, "You are signed in as %s with %s, but "
	    "this page is not open to your account.",
	    app_user_display(r->arena, &s), app_provider_name(app,
	    s.provider)));
	app_offer_account(app, r, s.provider, url_return_to(r->uri), 1);
	return ERR_FORBIDDEN;
}
