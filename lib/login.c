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
#include "scheme.h"
#include "seal.h"
#include "session.h"
#include "tmpl.h"
#include "url.h"

#include "login.h"

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

enum err
login_start(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	const char		*name = arg, *return_to;
	const struct discovery	*disc;
	char			*url;
	struct provider		*p;
	struct flow		 f;
	enum err		 e;
	int			 answered;

	return_to = url_return_to(app_param(r, "return_to"));
	if (name == NULL)
		name = app_param(r, "provider");
	if (name == NULL) {
		if (app->nproviders != 1)
			return app_home(app, r, resp, NULL);
		name = app->cfg->providers[0].name;
	}
	if ((p = app_provider(app, name)) == NULL) {
		err_reason("login: no provider named \"%.*s\"",
		    BOUND_PROVIDER_NAME, name);
		err_tell("There is no sign-in provider of that name.");
		err_retry(app_home_url(r->arena, app, return_to));
		return ERR_NOT_FOUND;
	}
	err_retry(app_login_url(r->arena, app, name, return_to));
	/* Over plain http while set up for https: will the cookie come back? */
	if ((e = scheme_login_check(app, r, resp, name, return_to,
	    &answered)) != ERR_OK || answered)
		return e;
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

/*
 * The provider answered with an error.  Its words reach the page only
 * when the state is a live flow of this browser: otherwise anyone could
 * write on this site's error page with a crafted link.
 */
static enum err
callback_error(struct app *app, struct req *r, const struct session_ctx *sc,
    struct resp *resp, const char *error)
{
	const char	*state = app_param(r, "state");
	struct flow	 f;

	if (state == NULL || session_flow_take(sc, state, &f, resp) != ERR_OK) {
		err_reason_clear();
		err_reason("provider error=%.64s for no login of this browser",
		    error);
		err_tell("This sign-in answer does not belong to a sign-in "
		    "started in this browser, so it was ignored.");
		err_retry(app_home_url(r->arena, app, NULL));
		return ERR_UNVERIFIED;
	}
	/* Forget the attempt; its provider tells where to try again. */
	err_retry(app_login_url(r->arena, app, f.provider, f.return_to));
	err_detail(provider_error_text(r->arena, error,
	    app_param(r, "error_description")));
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
	if ((e = oidc_check_response_iss(disc, app_param(r, "iss"))) != ERR_OK)
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

/*
 * Stores the session with the ID token, kept (encrypted) for logout's
 * id_token_hint even when not exposed, unless only it makes the session
 * too large: then without it, said once per process.
 */
static enum err
store_session(struct app *app, const struct session_ctx *sc,
    struct session *s, const char *id_token, struct resp *resp)
{
	static int	said;
	size_t		n = resp->nheaders;
	enum err	e;

	s->id_token = id_token;
	if ((e = session_store(sc, s, resp)) != ERR_SESSION_TOO_BIG ||
	    app->cfg->expose_id || id_token == NULL)
		return e;
	resp->nheaders = n;
	if (!said++)
		log_warnx("the ID token is not kept for logout's "
		    "id_token_hint: with it the session would not fit in the "
		    "cookies (logout at the provider goes without the hint)");
	err_reason_clear();
	s->id_token = NULL;
	return session_store(sc, s, resp);
}

static enum err
callback(struct app *app, struct req *r, struct resp *resp)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	const char		*error, *state, *code, *dropped, *user;
	struct oidc_tokens	 tokens;
	struct provider		*p;
	struct session		 s;
	struct flow		 f;
	json_object		*claims;
	enum err		 e;

	if ((e = callback_params(r)) != ERR_OK)
		return e;
	if ((error = app_param(r, "error")) != NULL)
		return callback_error(app, r, &sc, resp, error);
	err_retry(app_home_url(r->arena, app, NULL));
	if ((state = app_param(r, "state")) == NULL) {
		err_reason("callback without state");
		return ERR_UNVERIFIED;
	}
	if ((e = session_flow_take(&sc, state, &f, resp)) != ERR_OK)
		return e;
	/* The flow cookie is this browser's; this host has not seen it used. */
	if ((e = replay_use(app->replay, state, r->now)) != ERR_OK)
		return e;
	if ((p = app_provider(app, f.provider)) == NULL) {
		err_reason("callback: provider %s no longer configured",
		    f.provider);
		return ERR_UNVERIFIED;
	}
	err_retry(app_login_url(r->arena, app, f.provider, f.return_to));
	if ((code = app_param(r, "code")) == NULL || *code == '\0') {
		err_reason("callback without code");
		return ERR_INPUT;
	}
	if ((e = fetch_identity(app, r, p, &f, code, &tokens, &claims)) !=
	    ERR_OK)
		return e;
	memset(&s, 0, sizeof(s));
	s.provider = f.provider;
	s.claims = session_identity_claims(r->arena, claims);
	identity_clean(r->arena, s.claims, &dropped);
	if (*dropped != '\0')
		log_info("login: provider=%s: claims withheld (a NUL, or names "
		    "that differ only in case): %s", f.provider, dropped);
	if ((e = app_check_access(app, r, s.provider, s.claims, &user)) !=
	    ERR_OK) {
		/* No session yet: trying again starts from the choice. */
		err_retry(app_home_url(r->arena, app, f.return_to));
		return e;
	}
	s.access_token = app->cfg->expose_access ? tokens.access_token : NULL;
	if ((e = store_session(app, &sc, &s, tokens.id_token, resp)) != ERR_OK)
		return e;
	log_info("login: provider=%s user=%s", f.provider, user);
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
login_callback(struct app *app, struct req *r, struct resp *resp,
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
