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

/* A copy of pc whose prompt asks for an account (arena). */
static const struct cfg_provider *
with_prompt(struct arena *a, const struct cfg_provider *pc, const char *prompt)
{
	struct cfg_provider	*c = arena_alloc(a, sizeof(*c));
	size_t			 n = 0;

	*c = *pc;
	c->params = arena_calloc(a, pc->nparams + 1, sizeof(*c->params));
	for (size_t i = 0; i < pc->nparams; i++)
		if (strcmp(pc->params[i].name, "prompt") != 0)
			c->params[n++] = pc->params[i];
	c->params[n].name = "prompt";
	c->params[n].value = (char *)prompt;
	c->nparams = n + 1;
	return c;
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
login_start(struct app *app, struct req *r, struct resp *resp, const char *arg)
{
	const struct session_ctx sc = app_session_ctx(app, r);
	const char		*name = arg, *return_to, *sw, *prompt;
	const struct discovery	*disc;
	const struct cfg_provider *pc;
	char			*url;
	struct provider		*p;
	struct session		 s;
	struct flow		 f;
	enum err		 e;
	int			 deliberate;

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
	pc = provider_cfg(p);
	if (deliberate && (prompt = app_account_prompt(app, r, name)) != NULL)
		pc = with_prompt(r->arena, pc, prompt);
	f.provider = name;
	f.state = random_token(r->arena);
	f.nonce = random_token(r->arena);
	f.verifier = random_token(r->arena);
	f.return_to = return_to;
	f.iat = r->now;
	if ((e = session_flow_start(&sc, &f, resp)) != ERR_OK)
		return e;
	if ((e = oidc_authorize_url(r->arena, app->cfg, pc, disc,
	    state_with_hint(app, r, f.state, name, deliberate, return_to),
	    f.nonce, f.verifier, &url)) != ERR_OK)
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
	identity_clean(r->arena, s.claims, &dropped);
	if (*dropped != '\0')
		log_info("login: provider=%s: claims withheld (a NUL, or names "
		    "that differ only in case): %s", f.provider, dropped);
	if ((e = app_check_access(app, r, s.provider, s.claims, &user)) !=
	    ERR_OK) {
		/* No session yet: another account, not the same loop. */
		app_offer_account(app, r, s.provider, f.return_to, 0);
		return e;
	}
	had = app_load_session(&sc, resp, &old);
	s.access_token = app->cfg->expose_access ? tokens.access_token : NULL;
	if ((e = store_session(app, &sc, &s, tokens.id_token, resp)) != ERR_OK)
		return e;
	provider_fine(p);
	log_info("login: provider=%s user=%s", f.provider, user);
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
