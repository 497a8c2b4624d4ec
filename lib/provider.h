/*
 * One configured provider at run time: its discovery document and JWKS,
 * cached per process with the configured TTL, and ID token verification
 * against them.
 *
 * Nothing is fetched at start-up: a provider that is down then must not
 * stop the process, only the logins that need it.  Fetches happen on
 * demand; failures are not retried sooner than BOUND_DISCOVERY_RETRY
 * seconds, and a stale document is used while a refresh fails.
 */
#ifndef PROVIDER_H
#define PROVIDER_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "err.h"

struct arena;
struct cfg;
struct cfg_provider;
struct discovery;
struct http;
struct provider;

/*
 * Makes the run-time state of pc (which, like cfg and http, must
 * outlive it).  Fetches nothing.  *out is owned by the caller
 * (provider_free).
 */
enum err	provider_new(const struct cfg *, const struct cfg_provider *pc,
		    struct http *, struct provider **out);

/* Frees the provider and its cached documents; accepts NULL. */
void		provider_free(struct provider *);

/* Returns the provider's configuration (owned by the cfg). */
const struct cfg_provider *provider_cfg(const struct provider *);

/*
 * Sets *out to the metadata (owned by p, valid until the next
 * provider_* call), fetched when absent or older than the metadata TTL.
 * A failed fetch is not retried for BOUND_DISCOVERY_RETRY seconds (the
 * same error is returned meanwhile); a stale document, when there is
 * one, is used instead of failing.  ERR_PROVIDER or ERR_TIMEOUT.
 */
enum err	provider_metadata(struct provider *, struct arena *,
		    int64_t now, const struct discovery **out);

/*
 * Returns the metadata cached, fresh or stale (owned by p, valid until
 * the next provider_* call), or NULL; never fetches: for what a page
 * may say without waiting on the provider.
 */
const struct discovery *provider_cached(const struct provider *);

/*
 * Verifies an ID token completely: signature with the provider's JWKS
 * (refetched once on an unknown kid, at most once per
 * BOUND_JWKS_REFETCH_INTERVAL), then every claim against the issuer,
 * allowed tenants, client id, nonce and access token (at_hash).  On
 * success *claims is the payload (arena-owned).  ERR_TOKEN with a
 * reason when the token fails; ERR_PROVIDER or ERR_TIMEOUT when a
 * document could not be fetched.
 */
enum err	provider_verify_id_token(struct provider *, struct arena *,
		    const char *id_token, const char *nonce,
		    const char *access_token, int64_t now,
		    json_object **claims);

/*
 * Verifies the ID token of a refresh (OpenID Connect Core 12.2) as
 * strictly as at login -- signature, iss, aud, azp, times, at_hash --
 * but without a nonce, and requires its sub to be the session's sub.
 * On success *claims is its payload (arena).  ERR_TOKEN with a reason
 * otherwise, ERR_PROVIDER or ERR_TIMEOUT when a document is missing.
 */
enum err	provider_verify_refreshed(struct provider *, struct arena *,
		    const char *id_token, const char *access_token,
		    const char *sub, int64_t now, json_object **claims);

/*
 * Fetches the discovery document and the JWKS now, ignoring (and then
 * refreshing) the cache, for --check-config.  Sets *summary to one line
 * (issuer, keys, client authentication and where its choice came from,
 * userinfo, end_session, identity claim) and *warnings to what works now
 * but will fail or surprise, one per line ("" when none); both arena.
 * A JWKS that cannot be fetched is a warning only when the provider's
 * ID tokens are MACed (id_token_hmac_algs).
 */
enum err	provider_check(struct provider *, struct arena *, int64_t now,
		    const char **summary, const char **warnings);

/*
 * What this process saw of the provider lately, for the pages (a
 * provider-choice page that marks one not answering): a login that
 * failed for the provider's sake (ERR_PROVIDER, ERR_TIMEOUT) is noted
 * with provider_trouble, a login that completed with provider_fine.
 * provider_troubled returns the error of a failure noted less than
 * BOUND_PROVIDER_TROUBLE seconds ago and not followed by a success,
 * else ERR_OK.  Nothing is fetched.
 */
void		provider_trouble(struct provider *, int64_t now, enum err);
void		provider_fine(struct provider *);
enum err	provider_troubled(const struct provider *, int64_t now);

/* Sets the ages in seconds of the cached discovery and JWKS (-1: none). */
void		provider_ages(const struct provider *, int64_t now,
		    int64_t *discovery_age, int64_t *jwks_age);

#endif /* PROVIDER_H */
