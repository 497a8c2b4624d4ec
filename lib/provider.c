#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "buf.h"
#include "cfg.h"
#include "discovery.h"
#include "err.h"
#include "http.h"
#include "jv.h"
#include "jwk.h"
#include "jwt.h"
#include "log.h"
#include "oidc.h"
#include "provider.h"

/* Room for a failure's reason, replayed while retries are held back. */
#define REASON_COPY	256

/* The longest summary provider_check builds before cutting it to size. */
#define SUMMARY_MAX	(2 * BOUND_URL + BOUND_JWKS_KEYS * (BOUND_JWK_KID + 64))

/* The state of one cached document. */
struct cached {
	int64_t		 fetched;	/* when the document we hold came */
	int64_t		 failed;	/* when the last attempt failed */
	int		 failing;	/* the last attempt failed */
	enum err	 err;		/* and with what */
	int		 tls;		/* a TLS failure (its page text) */
	char		 reason[REASON_COPY];
};

struct provider {
	const struct cfg		*cfg;
	const struct cfg_provider	*pc;
	struct http			*http;
	struct discovery		*disc;
	struct cached			 disc_state;
	struct jwk_set			*jwks;
	char				*jwks_uri;	/* jwks came from */
	struct cached			 jwks_state;
	int64_t				 kid_refetch;	/* for an unknown kid */
	int				 kid_refetched;
	int64_t				 trouble;	/* a login failed then */
	enum err			 trouble_err;	/* ERR_OK: none since */
};

typedef enum err (*fetch_fn)(struct provider *, struct arena *);

enum err
provider_new(const struct cfg *cfg, const struct cfg_provider *pc,
    struct http *http, struct provider **out)
{
	struct provider	*p;

	if (pc->server_metadata_url == NULL || pc->issuer == NULL) {
		err_reason("provider %s: no server_metadata_url or issuer",
		    pc->name);
		return ERR_CONFIG;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return ERR_NOMEM;
	p->cfg = cfg;
	p->pc = pc;
	p->http = http;
	*out = p;
	return ERR_OK;
}

void
provider_free(struct provider *p)
{
	if (p == NULL)
		return;
	discovery_free(p->disc);
	jwk_set_free(p->jwks);
	free(p->jwks_uri);
	free(p);
}

const struct cfg_provider *
provider_cfg(const struct provider *p)
{
	return p->pc;
}

/* A clock that went backwards makes a document stale, never fresher. */
static int
is_fresh(const struct cached *c, int64_t now, int64_t ttl)
{
	return now >= c->fetched && now - c->fetched < ttl;
}

static int
in_backoff(const struct cached *c, int64_t now)
{
	return c->failing && now >= c->failed &&
	    now - c->failed < BOUND_DISCOVERY_RETRY;
}

static void
note_failure(struct cached *c, enum err e, int64_t now, int own_reason)
{
	c->failing = 1;
	c->failed = now;
	c->err = e;
	c->tls = own_reason && err_tell_get() == http_tls_tell;
	snprintf(c->reason, sizeof(c->reason), "%s",
	    own_reason && err_reason_get()[0] != '\0' ? err_reason_get() :
	    "fetch failed");
}

/* What cache_refresh is asked to do for one document. */
struct refresh {
	struct cached	*c;
	int		 have;	/* a document is cached, fresh or not */
	int		 stale;
	int		 force;	/* fetch now, whatever the cache holds */
	fetch_fn	 fetch;
	const char	*what;	/* for log lines */
};

/*
 * Makes sure a document is there: fetches it when absent, stale or
 * forced, unless a failure is too recent.  A stale document is kept
 * when a refresh fails, except when forced (the caller needs new data).
 */
static enum err
cache_refresh(struct provider *p, struct arena *a, int64_t now,
    const struct refresh *r)
{
	struct cached	*c = r->c;
	int		 own_reason = err_reason_get()[0] == '\0';
	enum err	 e;

	if (r->have && !r->stale && !r->force)
		return ERR_OK;
	if (!r->force && in_backoff(c, now)) {
		if (r->have)
			return ERR_OK;
		err_reason("%s", c->reason);
		if (c->tls)
			err_tell(http_tls_tell);
		return c->err;
	}
	if ((e = r->fetch(p, a)) == ERR_OK) {
		c->fetched = now;
		c->failing = 0;
		log_debug("provider %s: %s fetched", p->pc->name, r->what);
		return ERR_OK;
	}
	note_failure(c, e, now, own_reason);
	if (!r->have || r->force)
		return e;
	log_warnx("provider %s: %s refresh failed (%s); using the cached one",
	    p->pc->name, r->what, c->reason);
	/* The stale document serves: this failure is not the request's. */
	if (own_reason)
		err_reason_clear();
	if (err_tell_get() == http_tls_tell)
		err_tell(NULL);
	return ERR_OK;
}

static enum err
fetch_discovery(struct provider *p, struct arena *a)
{
	struct http_response	 r;
	struct discovery	*d;
	enum err		 e;

	if ((e = http_get(p->http, a, p->pc->server_metadata_url, NULL,
	    BOUND_DISCOVERY_BODY, &r)) != ERR_OK)
		return e;
	if (r.status != 200) {
		err_reason("discovery: %s answered HTTP %ld",
		    p->pc->server_metadata_url, r.status);
		return ERR_PROVIDER;
	}
	if ((e = discovery_parse(r.body, r.len, p->pc->issuer,
	    !p->pc->issuer_explicit, &d)) != ERR_OK)
		return e;
	discovery_free(p->disc);
	p->disc = d;
	return ERR_OK;
}

static enum err
fetch_jwks(struct provider *p, struct arena *a)
{
	struct http_response	 r;
	struct jwk_set		*set;
	const char		*uri = p->disc->jwks_uri;
	char			*copy;
	enum err		 e;

	if ((e = http_get(p->http, a, uri, NULL, BOUND_JWKS_BODY, &r)) !=
	    ERR_OK)
		return e;
	if (r.status != 200) {
		err_reason("jwks: %s answered HTTP %ld", uri, r.status);
		return ERR_PROVIDER;
	}
	if ((e = jwk_set_parse(r.body, r.len, &set)) != ERR_OK) {
		err_reason("jwks: %s holds no usable key", uri);
		return e == ERR_NOMEM ? e : ERR_PROVIDER;
	}
	if ((copy = strdup(uri)) == NULL) {
		jwk_set_free(set);
		return ERR_NOMEM;
	}
	jwk_set_free(p->jwks);
	p->jwks = set;
	free(p->jwks_uri);
	p->jwks_uri = copy;
	return ERR_OK;
}

static enum err
discovery_get(struct provider *p, struct arena *a, int64_t now, int force)
{
	struct refresh	r = { &p->disc_state, p->disc != NULL, 0, force,
	    fetch_discovery, "discovery document" };

	r.stale = !r.have || !is_fresh(r.c, now, p->cfg->metadata_ttl);
	return cache_refresh(p, a, now, &r);
}

/* The JWKS of the current discovery document; call discovery_get first. */
static enum err
jwks_get(struct provider *p, struct arena *a, int64_t now, int force)
{
	struct refresh	r = { &p->jwks_state, p->jwks != NULL, 0, force,
	    fetch_jwks, "JWKS" };

	r.stale = !r.have || !is_fresh(r.c, now, p->cfg->metadata_ttl) ||
	    strcmp(p->jwks_uri, p->disc->jwks_uri) != 0;
	return cache_refresh(p, a, now, &r);
}

enum err
provider_metadata(struct provider *p, struct arena *a, int64_t now,
    const struct discovery **out)
{
	enum err	e;

	*out = NULL;
	if ((e = discovery_get(p, a, now, 0)) != ERR_OK)
		return e;
	*out = p->disc;
	return ERR_OK;
}

const struct discovery *
provider_cached(const struct provider *p)
{
	return p->disc;
}

static int
is_hmac_alg(const char *alg)
{
	return strncmp(alg, "HS", 2) == 0;
}

static int
kid_refetch_allowed(const struct provider *p, int64_t now)
{
	return !p->kid_refetched || now < p->kid_refetch ||
	    now - p->kid_refetch >= BOUND_JWKS_REFETCH_INTERVAL;
}

static enum err
verify_with(const struct provider *p, struct jwt *jwt,
    const struct jwk_set *set)
{
	const struct cfg_provider	*pc = p->pc;

	return jwt_verify(jwt, set, (const char *const *)pc->hmac_algs.items,
	    pc->hmac_algs.n, pc->client_secret);
}

/*
 * Checks the signature; an unknown kid means the provider may have
 * rotated its keys, so the JWKS is fetched again, though not more than
 * once per BOUND_JWKS_REFETCH_INTERVAL whatever tokens arrive.
 */
static enum err
signature_check(struct provider *p, struct arena *a, int64_t now,
    struct jwt *jwt)
{
	static const struct jwk_set	 no_keys = { NULL, 0 };
	const struct jwk_set		*set = &no_keys;
	int				 own_reason;
	enum err			 e;

	/* HMAC tokens are keyed by the client secret, not the JWKS. */
	if (!is_hmac_alg(jwt->alg)) {
		if ((e = jwks_get(p, a, now, 0)) != ERR_OK)
			return e;
		set = p->jwks;
	}
	own_reason = err_reason_get()[0] == '\0';
	if ((e = verify_with(p, jwt, set)) != ERR_NOT_FOUND)
		return e;
	/* An unknown kid is handled here: its reason is not final yet. */
	if (own_reason)
		err_reason_clear();
	if (!kid_refetch_allowed(p, now)) {
		err_reason("ID token key id not in the JWKS (refetched less "
		    "than %d s ago)", BOUND_JWKS_REFETCH_INTERVAL);
		return ERR_TOKEN;
	}
	p->kid_refetched = 1;
	p->kid_refetch = now;
	log_info("provider %s: ID token key id unknown, fetching the JWKS "
	    "again", p->pc->name);
	if ((e = jwks_get(p, a, now, 1)) != ERR_OK)
		return e;
	if ((e = verify_with(p, jwt, p->jwks)) == ERR_NOT_FOUND) {
		err_reason("ID token key id not in the JWKS");
		e = ERR_TOKEN;
	}
	return e;
}

static enum err
verify(struct provider *p, struct arena *a, const char *id_token,
    const char *nonce, int refreshed, const char *access_token, int64_t now,
    json_object **claims)
{
	const struct cfg_provider	*pc = p->pc;
	struct jwt_expect		 x;
	struct jwt			 jwt;
	enum err			 e;

	*claims = NULL;
	if ((e = discovery_get(p, a, now, 0)) != ERR_OK)
		return e;
	if ((e = jwt_parse(a, id_token, strlen(id_token), &jwt)) != ERR_OK)
		return ERR_TOKEN;
	if ((e = signature_check(p, a, now, &jwt)) != ERR_OK)
		return e;
	memset(&x, 0, sizeof(x));
	x.issuer = p->disc->issuer;
	if (pc->allowed_tenants.n > 0) {
		x.tenants = (const char *const *)pc->allowed_tenants.items;
		x.ntenants = pc->allowed_tenants.n;
	}
	x.client_id = pc->client_id;
	x.nonce = nonce;
	x.refreshed = refreshed;
	x.access_token = access_token;
	x.now = now;
	x.skew = p->cfg->clock_skew;
	if ((e = jwt_check_claims(&jwt, &x)) != ERR_OK)
		return e;
	*claims = jwt.claims;
	return ERR_OK;
}

enum err
provider_verify_id_token(struct provider *p, struct arena *a,
    const char *id_token, const char *nonce, const char *access_token,
    int64_t now, json_object **claims)
{
	return verify(p, a, id_token, nonce, 0, access_token, now, claims);
}

enum err
provider_verify_refreshed(struct provider *p, struct arena *a,
    const char *id_token, const char *access_token, const char *sub,
    int64_t now, json_object **claims)
{
	const char	*got;
	enum err	 e;

	if ((e = verify(p, a, id_token, NULL, 1, access_token, now, claims)) !=
	    ERR_OK)
		return e;
	if (jv_str(*claims, "sub", &got) != ERR_OK || sub == NULL ||
	    strcmp(got, sub) != 0) {
		err_reason("refreshed ID token is for another sub than the "
		    "session's");
		*claims = NULL;
		return ERR_TOKEN;
	}
	return ERR_OK;
}

/* Appends s with anything but printable ASCII replaced: kids are untrusted. */
static enum err
put_printable(struct buf *b, const char *s)
{
	enum err	e = ERR_OK;

	for (; *s != '\0' && e == ERR_OK; s++)
		e = buf_putc(b, *s > 0x20 && *s < 0x7f ? *s : '?');
	return e;
}

static const char *
kty_name(const struct jwk *k)
{
	static const char *const names[JWK_KTY__MAX] = {
		[JWK_KTY_RSA] = "RSA",
		[JWK_KTY_EC] = "EC",
		[JWK_KTY_OKP] = "OKP",
	};

	return (unsigned)k->kty < JWK_KTY__MAX ? names[k->kty] : "?";
}

static enum err
put_key(struct buf *b, const struct jwk *k)
{
	enum err	e;

	if (k->alg != NULL)
		e = put_printable(b, k->alg);
	else if (k->crv != NULL)
		e = buf_printf(b, "%s %s", kty_name(k), k->crv);
	else
		e = buf_puts(b, kty_name(k));
	if (e == ERR_OK)
		e = buf_puts(b, k->kid != NULL ? " kid=" : " no kid");
	if (e == ERR_OK && k->kid != NULL)
		e = put_printable(b, k->kid);
	return e;
}

/* The client authentication, and where the choice came from. */
static const char *
auth_words(const struct provider *p)
{
	const struct cfg_provider	*pc = p->pc;

	return pc->token_auth != CFG_TOKEN_AUTH_AUTO ? "configured" :
	    p->disc->auth_methods_listed ? "from the provider's list" :
	    "the default: the provider lists none";
}

static const char *
userinfo_words(const struct provider *p)
{
	if (!p->pc->userinfo)
		return "off (userinfo = false)";
	return p->disc->userinfo_endpoint != NULL ? "yes" :
	    "no (none offered)";
}

static void
summarise(const struct provider *p, struct buf *b)
{
	const struct discovery	*d = p->disc;
	size_t			 n = p->jwks != NULL ? p->jwks->n : 0;
	enum err		 e;

	e = buf_printf(b, "issuer %s, %zu key%s (", d->issuer, n,
	    n == 1 ? "" : "s");
	for (size_t i = 0; i < n && e == ERR_OK; i++) {
		if (i > 0)
			e = buf_puts(b, ", ");
		if (e == ERR_OK)
			e = put_key(b, &p->jwks->keys[i]);
	}
	if (e == ERR_OK)
		e = buf_printf(b, "), client authentication %s (%s), userinfo "
		    "%s, end_session %s, identity %s",
		    oidc_token_auth_name(oidc_token_auth(p->pc, d)),
		    auth_words(p), userinfo_words(p),
		    d->end_session_endpoint != NULL ? "yes" : "no",
		    p->pc->user_claim);
	/* Past the cap the summary is cut short: it is informational. */
}

/* One warning line, for what works today but will fail or surprise. */
static void
warn(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
warn(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	if (b->len > 0)
		buf_putc(b, '\n');
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

static int
method_listed(const struct discovery *d, enum cfg_token_auth m)
{
	return (m == CFG_TOKEN_AUTH_BASIC && d->auth_basic) ||
	    (m == CFG_TOKEN_AUTH_POST && d->auth_post) ||
	    (m == CFG_TOKEN_AUTH_NONE && d->auth_none);
}

static void
check_warnings(const struct provider *p, struct buf *b)
{
	const struct cfg_provider	*pc = p->pc;
	const struct discovery		*d = p->disc;

	if (d->auth_methods_listed && pc->token_auth != CFG_TOKEN_AUTH_AUTO &&
	    !method_listed(d, pc->token_auth))
		warn(b, "token_endpoint_auth_method = \"%s\" is not in the "
		    "provider's token_endpoint_auth_methods_supported",
		    oidc_token_auth_name(pc->token_auth));
	if (d->auth_methods_listed && pc->token_auth == CFG_TOKEN_AUTH_AUTO &&
	    !d->auth_basic && !d->auth_post)
		warn(b, "the provider lists neither client_secret_basic nor "
		    "client_secret_post; set token_endpoint_auth_method to the "
		    "one your client is registered with");
	if (d->only_hmac_algs && pc->hmac_algs.n == 0)
		warn(b, "the provider signs ID tokens only with HMAC "
		    "(id_token_signing_alg_values_supported lists only HS*): "
		    "set id_token_hmac_algs = [\"HS256\"] (or the one it uses), "
		    "or have it sign with its keys (RS256)");
	if (strcmp(pc->user_claim, "email") == 0 && d->claims_listed &&
	    !d->claims_email_verified)
		warn(b, "the identity is the email, but the provider's "
		    "claims_supported has no email_verified: logins will be "
		    "refused unless it sends it. Set user_claim = \"sub\" for "
		    "this provider, or assume_email_verified = true if it "
		    "verifies every address");
}

/*
 * A JWKS that cannot be had is no failure for a provider whose ID
 * tokens are MACed with the client secret (id_token_hmac_algs): the
 * JWKS is not used for those (Glewlwyd answers 403 there).
 */
static int
jwks_optional(const struct provider *p)
{
	return p->pc->hmac_algs.n > 0;
}

enum err
provider_check(struct provider *p, struct arena *a, int64_t now,
    const char **summary, const char **warnings)
{
	struct buf	b, w;
	enum err	e;

	*summary = *warnings = "";
	if ((e = discovery_get(p, a, now, 1)) != ERR_OK)
		return e;
	buf_init(&w, a, SUMMARY_MAX);
	if ((e = jwks_get(p, a, now, 1)) != ERR_OK) {
		if (!jwks_optional(p))
			return e;
		warn(&w, "the JWKS is not available (%s); only ID tokens "
		    "MACed with the client secret (id_token_hmac_algs) can be "
		    "verified", err_reason_get());
		err_reason_clear();
	}
	buf_init(&b, a, SUMMARY_MAX);
	summarise(p, &b);
	check_warnings(p, &w);
	*summary = b.data != NULL ? b.data : "";
	*warnings = w.data != NULL ? w.data : "";
	return ERR_OK;
}

static int64_t
age(const void *doc, const struct cached *c, int64_t now)
{
	return doc != NULL ? now - c->fetched : -1;
}

void
provider_ages(const struct provider *p, int64_t now, int64_t *discovery_age,
    int64_t *jwks_age)
{
	*discovery_age = age(p->disc, &p->disc_state, now);
	*jwks_age = age(p->jwks, &p->jwks_state, now);
}

void
provider_trouble(struct provider *p, int64_t now, enum err e)
{
	if (e != ERR_PROVIDER && e != ERR_TIMEOUT)
		return;
	p->trouble = now;
	p->trouble_err = e;
}

void
provider_fine(struct provider *p)
{
	p->trouble_err = ERR_OK;
}

enum err
provider_troubled(const struct provider *p, int64_t now)
{
	if (p->trouble_err == ERR_OK || now < p->trouble ||
	    now - p->trouble >= BOUND_PROVIDER_TROUBLE)
		return ERR_OK;
	return p->trouble_err;
}
