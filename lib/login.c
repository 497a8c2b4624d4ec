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
#include "num.h"
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

/*
 * The login state the provider echoes: the flow's random token (what
 * the flow cookie is named after and bound to), then a hint sealed for
 * us alone (AES-256-GCM, bound to the token): when the attempt began,
 * its provider, whether it was to use another account deliberately, and
 * the page it was for.  When the flow cookie is gone (used, replaced by
 * newer attempts in other tabs, expired), the hint still lets the page
 * say what happened and keep the person's way; it is never trusted for
 * more (return_to is checked again).  A state without a hint (an older
 * one, or a hint that did not fit) works as before.
 */
#define STATE_HINT_MAX		1024	/* characters after the token */
#define STATE_HINT_RETURN_TO	256	/* longer: only its path, or "/" */

struct state_hint {
	int		 ok;
	int64_t		 iat;
	const char	*provider;
	int		 deliberate;	/* switch=1: another account */
	const char	*return_to;
};

static size_t
state_token_len(void)
{
	return b64_url_encoded_len(BOUND_RANDOM_BYTES);
}

static const char *
state_hint_aad(struct arena *a, const char *token)
{
	return arena_printf(a, "oidc-login state hint v1:%s", token);
}

/* The state for token: the token, then the sealed hint when it fits. */
static const char *
state_with_hint(struct app *app, struct req *r, const char *token,
    const char *provider, int deliberate, const char *return_to)
{
	const char	*plain;
	char		*sealed;
	size_t		 n;

	if ((n = strlen(return_to)) > STATE_HINT_RETURN_TO)
		return_to = (n = strcspn(return_to, "?")) <=
		    STATE_HINT_RETURN_TO ? arena_strndup(r->arena, return_to,
		    n) : "/";
	plain = arena_printf(r->arena, "%lld\n%s\n%c%s", (long long)r->now,
	    provider, deliberate ? 'd' : '-', return_to);
	if (seal_encrypt(app->keys, r->arena, state_hint_aad(r->arena, token),
	    plain, strlen(plain), &sealed) != ERR_OK ||
	    strlen(sealed) > STATE_HINT_MAX) {
		err_reason_clear();
		return token;
	}
	return arena_printf(r->arena, "%s%s", token, sealed);
}

/* Splits a state into its token and, when it has a good one, its hint. */
static const char *
state_split(struct app *app, struct req *r, const char *state,
    struct state_hint *h)
{
	size_t		 tlen = state_token_len(), n;
	const char	*token, *p, *q;
	char		*plain;
	long long	 iat;

	memset(h, 0, sizeof(*h));
	if (state == NULL || strlen(state) <= tlen)
		return state;
	token = arena_strndup(r->arena, state, tlen);
	if (strlen(state + tlen) > STATE_HINT_MAX ||
	    seal_decrypt(app->keys, r->arena, state_hint_aad(r->arena, token),
	    state + tlen, &plain, &n) != ERR_OK ||
	    (p = strchr(plain, '\n')) == NULL ||
	    (q = strchr(p + 1, '\n')) == NULL ||
	    num_parse(plain, (size_t)(p - plain), 0, BOUND_TIME_MAX, &iat) !=
	    ERR_OK) {
		err_reason_clear();
		return token;
	}
	h->provider = arena_strndup(r->arena, p + 1, (size_t)(q - p - 1));
	if (app_provider(app, h->provider) == NULL)
		return token;
	h->iat = iat;
	h->deliberate = q[1] == 'd';
	h->return_to = url_return_to(q[1] != '\0' ? q + 2 : "/");
	h->ok = 1;
	return token;
}

/*
 * Someone signed in with one provider asks to sign in with another: not
 * silently replaced (a choice page left open in another tab); the
 * signed-in page says who, and offers another account deliberately.
 */
static enum err
already_signed_in(struct app *app, struct req *r, struct resp *resp,
    const struct session *s, const char *name, const char *return_to)
{
	const char	*other = app_provider_name(app, name);

	return app_signed_in_page(app, r, resp, s, return_to,
	    "You are already signed in", arena_printf(r->arena, "To use %s "
	    "instead, choose \"Sign in with %s\" below.", other, other));
}

enum err
login_begin(struct app *app, struct req *r, struct resp *resp,
    const char *name, const char *return_to, const char *prompt,
    const char *renew_sub)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	const char		*sw;
	const struct discovery	*disc;
	char			*url;
	struct provider		*p;
	struct session		 s;
	struct flow		 f;
	enum err		 e;
	int			 deliberate;

	if ((p = app_provider(app, name)) == NULL) {
		err_reason("login: no provider named \"%.*s\"",
		    BOUND_PROVIDER_NAME, name);
		err_tell("There is no sign-in provider of that name.");
		err_retry(app_home_url(r->arena, app, return_to));
		return ERR_NOT_FOUND;
	}
	/* switch=1: another account, deliberately (app_switch_url). */
	deliberate = (sw = app_param(r, "switch")) != NULL &&
	    strcmp(sw, "1") == 0;
	if (!deliberate && app_load_session(&sc, resp, &s) &&
	    strcmp(s.provider, name) != 0)
		return already_signed_in(app, r, resp, &s, name, return_to);
	err_retry(app_login_url(r->arena, app, name, return_to));
	err_about(name, return_to);
	err_page(ERR_PAGE_OTHERS);
	if ((e = provider_metadata(p, r->arena, r->now, &disc)) != ERR_OK) {
		provider_trouble(p, r->now, e);
		return e;
	}
	if (deliberate && prompt == NULL)
		prompt = app_account_prompt(app, r, name);
	memset(&f, 0, sizeof(f));
	f.provider = name;
	f.state = random_token(r->arena);
	f.nonce = random_token(r->arena);
	f.verifier = random_token(r->arena);
	f.return_to = return_to;
	f.renew_sub = renew_sub;
	f.iat = r->now;
	if ((e = session_flow_start(&sc, &f, resp)) != ERR_OK)
		return e;
	if ((e = oidc_authorize_url(r->arena, app->cfg, provider_cfg(p), disc,
	    state_with_hint(app, r, f.state, name, deliberate, return_to),
	    f.nonce, f.verifier, prompt, &url)) != ERR_OK)
		return e;
	resp->status = 302;
	resp_header(resp, "Location", url);
	app_security_headers(resp, NULL);
	return ERR_OK;
}

enum err
login_start(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const char	*name = arg, *return_to, *sw, *login;
	enum err	 e;
	int		 answered;

	return_to = url_return_to(app_param(r, "return_to"));
	if (name == NULL)
		name = app_param(r, "provider");
	if (name == NULL) {
		if (app->nproviders != 1)
			return app_home(app, r, resp, NULL);
		name = app->cfg->providers[0].name;
	}
	/* Over plain http while set up for https: will the cookie come back? */
	sw = app_param(r, "switch");
	login = sw != NULL && strcmp(sw, "1") == 0 ?
	    app_switch_url(r->arena, app, name, return_to) :
	    app_login_url(r->arena, app, name, return_to);
	if (app_provider(app, name) != NULL &&
	    ((e = scheme_login_check(app, r, resp, login, &answered)) !=
	    ERR_OK || answered))
		return e;
	return login_begin(app, r, resp, name, return_to, NULL, NULL);
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
 * The answers of a provider to prompt=none (OpenID Connect Core 3.1.2.6)
 * that mean it would have to ask the user: its session is over.
 */
static int
is_interaction_error(const char *error)
{
	static const char *const errors[] = {
		"login_required", "consent_required", "interaction_required",
		"account_selection_required",
	};

	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (strcmp(error, errors[i]) == 0)
			return 1;
	return 0;
}

/*
 * A silent renewal the provider would not do without the user: the
 * session at the provider is over, so this one ends too.
 */
static enum err
renewal_refused(struct app *app, struct req *r, const struct session_ctx *sc,
    struct resp *resp, const struct flow *f, const char *error)
{
	const struct cfg_provider *pc = app_provider_cfg(app, f->provider);

	session_clear(sc, resp);
	err_reason("session ended: the provider refused to renew it silently "
	    "(error=%.64s)", error);
	/* A 401 is logged only at debug level: this one is no routine. */
	log_info("%s: provider=%s", err_reason_get(), f->provider);
	err_tell(arena_printf(r->arena, "Your session has ended: %s no longer "
	    "vouches for it without asking you. Sign in again to go on.",
	    pc != NULL ? pc->display_name : f->provider));
	return ERR_UNAUTHENTICATED;
}

/*
 * The answer's login is gone from this browser: used, replaced by newer
 * attempts in other tabs (only BOUND_FLOWS_LIVE are kept), expired, or
 * another browser's.  A browser signed in meanwhile goes on to where it
 * was going (the reload of a callback after signing in); otherwise the
 * words say what most likely happened, and the next login keeps the
 * page it was for.
 */
static enum err
stale_answer(struct app *app, struct req *r, const struct session_ctx *sc,
    struct resp *resp, const char *token, const struct state_hint *h,
    const char *return_to, int used)
{
	struct session	s;

	if (app_load_session(sc, resp, &s)) {
		log_info("callback: %s; signed in already, going on",
		    err_reason_get()[0] ? err_reason_get() : "a spent answer");
		err_reason_clear();
		resp->status = 302;
		resp_header(resp, "Location", return_to ? return_to :
		    h->ok ? h->return_to : "/");
		app_security_headers(resp, NULL);
		return ERR_OK;
	}
	/* Not the person's fault, most often a tab too many: no alarm. */
	err_page(ERR_PAGE_CALM);
	err_retry_label("Sign in again");
	if (!h->ok) {
		err_tell("This sign-in is no longer valid: it was already "
		    "used, has expired, or was started in another browser. "
		    "Please sign in again.");
		err_retry(app_home_url(r->arena, app, return_to));
		return ERR_UNVERIFIED;
	}
	err_about(h->provider, return_to ? return_to : h->return_to);
	err_retry(app_login_url(r->arena, app, h->provider,
	    return_to ? return_to : h->return_to));
	if (used || (token != NULL && replay_seen(app->replay, token)))
		err_tell("This sign-in was already completed. If you signed "
		    "out since, please sign in again.");
	else if (r->now - h->iat >= BOUND_FLOW_MAX_AGE)
		err_tell(arena_printf(r->arena, "This sign-in was started more "
		    "than %d minutes ago, so it has expired. Please sign in "
		    "again.", BOUND_FLOW_MAX_AGE / 60));
	else
		err_tell(arena_printf(r->arena, "This sign-in is no longer "
		    "valid: newer ones were started since in other tabs or "
		    "windows of this browser (only the last %d are kept), or "
		    "it was started in another browser. Please sign in again.",
		    BOUND_FLOWS_LIVE));
	return ERR_UNVERIFIED;
}

/*
 * The provider answered with an error.  Its words reach the page only
 * when the state is a live flow of this browser: otherwise anyone could
 * write on this site's error page with a crafted link.  A cancel is the
 * person's choice: a calm page.
 */
static enum err
callback_error(struct app *app, struct req *r, const struct session_ctx *sc,
    struct resp *resp, const char *error, const char *token,
    const struct state_hint *h)
{
	struct flow	 f;
	struct provider	*p;

	if (token == NULL || session_flow_take(sc, token, &f, resp) != ERR_OK) {
		err_reason_clear();
		err_reason("provider error=%.64s for no login of this browser",
		    error);
		/* Its words are not shown: they may be anybody's. */
		return stale_answer(app, r, sc, resp, token, h, NULL, 0);
	}
	/* Forget the attempt; its provider tells where to try again. */
	err_retry(app_login_url(r->arena, app, f.provider, f.return_to));
	if (f.renew_sub != NULL && is_interaction_error(error))
		return renewal_refused(app, r, sc, resp, &f, error);
	err_about(f.provider, f.return_to);
	err_detail(provider_error_text(r->arena, error,
	    app_param(r, "error_description")));
	/* The log escapes control characters itself. */
	err_reason("provider answered error=%.64s", error);
	if (strcmp(error, "access_denied") == 0) {
		err_page(ERR_PAGE_CALM | ERR_PAGE_OTHERS);
		err_retry_label("Sign in again");
	} else {
		err_page(ERR_PAGE_OTHERS);
		if ((strcmp(error, "server_error") == 0 ||
		    strcmp(error, "temporarily_unavailable") == 0) &&
		    (p = app_provider(app, f.provider)) != NULL)
			provider_trouble(p, r->now, ERR_PROVIDER);
	}
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
 * When cleaning withheld the identity claim itself, says why from the
 * claims as they came (a NUL in it, or a twin differing only in case)
 * rather than that it is missing.
 */
static enum err
identity_withheld(struct app *app, struct req *r, struct provider *p,
    json_object *raw, json_object *clean)
{
	const struct cfg_provider	*pc = provider_cfg(p);
	const char			*user;

	if (json_object_object_get_ex(clean, pc->user_claim, NULL) ||
	    !json_object_object_get_ex(raw, pc->user_claim, NULL))
		return ERR_OK;
	if (identity_user(raw, pc->user_claim, pc->assume_email_verified,
	    &user) == ERR_OK)
		err_reason("identity refused: claim %.64s has a twin whose "
		    "name differs only in case, which servers would merge",
		    pc->user_claim);
	err_tell("This account cannot be used to sign in here: the sign-in "
	    "provider did not give the identity this site relies on in a "
	    "form it can trust.");
	err_detail(arena_strdup(r->arena, err_reason_get()));
	return ERR_FORBIDDEN;
}

/*
 * The new session's times.  A sign-in starts them; a silent renewal must
 * find the same user, and keeps when the session began, so renewing
 * never stretches its absolute lifetime.
 */
static enum err
keep_times(struct app *app, struct req *r, const struct session_ctx *sc,
    struct resp *resp, const struct flow *f, struct session *s)
{
	struct session	 old;
	json_object	*v;
	const char	*sub = NULL;

	s->login_at = s->seen_at = s->vouched_at = r->now;
	if (f->renew_sub == NULL)
		return ERR_OK;
	if (json_object_object_get_ex(s->claims, "sub", &v))
		sub = json_object_get_string(v);
	if (sub == NULL || strcmp(sub, f->renew_sub) != 0) {
		session_clear(sc, resp);
		err_reason("session ended: a silent renewal signed in another "
		    "user at the provider");
		log_info("%s: provider=%s", err_reason_get(), f->provider);
		err_tell("Your session has ended: the sign-in provider now has "
		    "another account signed in. Sign in again to go on.");
		return ERR_UNAUTHENTICATED;
	}
	if (session_load(sc, &old) == SESSION_VALID && old.provider != NULL &&
	    strcmp(old.provider, f->provider) == 0)
		s->login_at = old.login_at;
	err_reason_clear();
	return ERR_OK;
}

/* Returns 1 when x and y are the same person at the same provider. */
static int
same_account(struct arena *a, const struct session *x, const struct session *y)
{
	const char	*sx = app_claim_text(a, x->claims, "sub");
	const char	*sy = app_claim_text(a, y->claims, "sub");

	return strcmp(x->provider, y->provider) == 0 && sx != NULL &&
	    sy != NULL && strcmp(sx, sy) == 0;
}

/*
 * The end of a login: on to return_to, unless it replaced the session of
 * another account without the person asking for that (switch=1): two
 * sign-ins raced in two tabs, or the provider signed in someone else.
 * Then the person is told, not silently switched.
 */
static enum err
signed_in(struct app *app, struct req *r, struct resp *resp,
    const struct session *s, const struct session *old, const struct flow *f,
    const struct state_hint *h)
{
	/*
	 * Not deliberate: the hint says so, or without one, a session made
	 * after this attempt began cannot have been the one it meant to leave.
	 */
	int	deliberate = h->ok ? h->deliberate : old != NULL &&
	    old->iat < f->iat;

	if (old != NULL && !deliberate && !same_account(r->arena, old, s))
		return app_signed_in_page(app, r, resp, s, f->return_to,
		    "You are now signed in", arena_printf(r->arena, "This "
		    "replaces your sign-in as %s with %s.",
		    app_user_display(r->arena, old),
		    app_provider_name(app, old->provider)));
	resp->status = 302;
	resp_header(resp, "Location", f->return_to);
	app_security_headers(resp, NULL);
	return ERR_OK;
}

static enum err
callback(struct app *app, struct req *r, struct resp *resp)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	const char		*error, *state, *code, *dropped, *user;
	struct oidc_tokens	 tokens;
	struct state_hint	 hint;
	struct provider		*p;
	struct session		 s, old;
	struct flow		 f;
	json_object		*claims;
	enum err		 e;
	int			 had;

	if ((e = callback_params(r)) != ERR_OK)
		return e;
	/* The flow's token; the rest of the state is a hint (state_split). */
	state = state_split(app, r, app_param(r, "state"), &hint);
	if ((error = app_param(r, "error")) != NULL)
		return callback_error(app, r, &sc, resp, error, state, &hint);
	err_retry(app_home_url(r->arena, app, NULL));
	if (state == NULL) {
		err_reason("callback without state");
		return ERR_UNVERIFIED;
	}
	if ((e = session_flow_take(&sc, state, &f, resp)) != ERR_OK)
		return e == ERR_UNVERIFIED ? stale_answer(app, r, &sc, resp,
		    state, &hint, NULL, 0) : e;
	/* The flow cookie is this browser's; this host has not seen it used. */
	if ((e = replay_use(app->replay, state, r->now)) != ERR_OK)
		return e == ERR_UNVERIFIED ? stale_answer(app, r, &sc, resp,
		    state, &hint, f.return_to, 1) : e;
	if ((p = app_provider(app, f.provider)) == NULL) {
		err_reason("callback: provider %s no longer configured",
		    f.provider);
		return ERR_UNVERIFIED;
	}
	err_retry(app_login_url(r->arena, app, f.provider, f.return_to));
	err_about(f.provider, f.return_to);
	if ((code = app_param(r, "code")) == NULL || *code == '\0') {
		err_reason("callback without code");
		return ERR_INPUT;
	}
	if ((e = fetch_identity(app, r, p, &f, code, &tokens, &claims)) !=
	    ERR_OK) {
		/* The provider's failure: say which, offer the others. */
		provider_trouble(p, r->now, e);
		err_page(ERR_PAGE_OTHERS);
		if (e == ERR_UNVERIFIED)
			err_retry_label("Sign in again");
		return e;
	}
	memset(&s, 0, sizeof(s));
	s.provider = f.provider;
	s.claims = session_identity_claims(r->arena, claims);
	if ((e = keep_times(app, r, &sc, resp, &f, &s)) != ERR_OK)
		return e;
	identity_clean(r->arena, s.claims, &dropped);
	if (*dropped != '\0')
		log_info("login: provider=%s: claims withheld (a NUL, or names "
		    "that differ only in case): %s", f.provider, dropped);
	if ((e = identity_withheld(app, r, p, claims, s.claims)) != ERR_OK) {
		app_offer_account(app, r, s.provider, f.return_to, 0);
		return e;
	}
	if ((e = app_check_access(app, r, s.provider, s.claims, &user)) !=
	    ERR_OK) {
		/* A rule may have failed only because cleaning withheld it. */
		if (*dropped != '\0')
			err_reason_rewrite("%s (withheld as unsafe: %s)",
			    err_reason_get(), dropped);
		/* No session yet: another account, not the same loop. */
		app_offer_account(app, r, s.provider, f.return_to, 0);
		return e;
	}
	had = app_load_session(&sc, resp, &old);
	s.access_token = app->cfg->expose_access ? tokens.access_token : NULL;
	if (provider_cfg(p)->use_refresh_token)
		s.refresh_token = tokens.refresh_token;
	s.id_token = tokens.id_token;
	if ((e = session_store(&sc, &s, resp)) != ERR_OK)
		return e;
	provider_fine(p);
	log_info("%s: provider=%s user=%s", f.renew_sub != NULL ? "renewed "
	    "silently" : "login", f.provider, user);
	return signed_in(app, r, resp, &s, had ? &old : NULL, &f, &hint);
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
