/*
 * The OpenID Connect messages: the authorization request, the code
 * exchange, userinfo and the RP-initiated logout request.  The builders
 * and parsers are pure, so they can be tested and fuzzed without a
 * provider; only oidc_exchange_code and oidc_userinfo call one.
 */
#ifndef OIDC_H
#define OIDC_H

#include <stddef.h>

#include <json-c/json.h>

#include "cfg.h"
#include "err.h"

struct arena;
struct cfg;
struct cfg_provider;
struct discovery;
struct http;

/* What the token endpoint gave us; strings are arena-owned. */
struct oidc_tokens {
	const char	*id_token;
	const char	*access_token;	/* NULL when absent */
	const char	*refresh_token;	/* NULL when absent */
	const char	*token_type;	/* NULL when absent */
};

/*
 * Returns in *out (an arena string) the authorization URL: the
 * endpoint, then response_type=code, client_id, redirect_uri, scope
 * (with offline_access when the provider keeps refresh tokens and
 * offers that scope), prompt when this login gives one (it replaces a
 * configured prompt), state, nonce, code_challenge (S256 of verifier)
 * and code_challenge_method, then the provider's extra parameters in
 * order, every value percent-encoded.  ERR_CONFIG when an extra
 * parameter names one the flow owns.
 */
enum err	oidc_authorize_url(struct arena *, const struct cfg *,
		    const struct cfg_provider *, const struct discovery *,
		    const char *state, const char *nonce, const char *verifier,
		    const char *prompt, char **out);

/*
 * Parses a token endpoint response body of len bytes (at most
 * BOUND_TOKEN_BODY) into *out (strings owned by the arena).  Returns
 * ERR_PROVIDER, with a reason, for anything but a JSON object with a
 * string id_token and no "error": an OAuth error (its code, sanitised,
 * in the reason), no id_token, an access_token that is not a string,
 * or a token_type other than Bearer next to an access token.
 */
enum err	oidc_token_response_parse(struct arena *, const char *body,
		    size_t len, struct oidc_tokens *out);

/*
 * Checks the "iss" of an authorization response (RFC 9207), when the
 * provider sent one (iss not NULL): it must be d's issuer, or with an
 * Entra template issuer that issuer for some tenant id.  Returns ERR_OK,
 * or ERR_UNVERIFIED with a reason: the response comes from another
 * provider (a mix-up attack), and its code must not be redeemed here.
 */
enum err	oidc_check_response_iss(const struct discovery *d,
		    const char *iss);

/*
 * Returns how the client authenticates at the token endpoint: as
 * configured, else from the document's
 * token_endpoint_auth_methods_supported (client_secret_basic when it is
 * listed or there is no list, else client_secret_post when listed;
 * with neither listed, basic, which the provider will refuse clearly).
 */
enum cfg_token_auth oidc_token_auth(const struct cfg_provider *,
		    const struct discovery *);

/* Returns the name of a client authentication method, as OAuth writes it. */
const char	*oidc_token_auth_name(enum cfg_token_auth);

/*
 * Exchanges code (with the PKCE verifier) at the token endpoint, the
 * client authenticating as oidc_token_auth says, and parses the
 * answer into *out (arena-owned).  ERR_UNVERIFIED when the provider
 * says invalid_grant (the code was used or expired), ERR_PROVIDER for
 * another status than 200 or a bad body, ERR_TIMEOUT when it is slow.
 */
enum err	oidc_exchange_code(struct http *, struct arena *,
		    const struct cfg *, const struct cfg_provider *,
		    const struct discovery *, const char *code,
		    const char *verifier, struct oidc_tokens *out);

/*
 * Renews tokens with a refresh token at the token endpoint (the client
 * authenticating as for the code).  The answer may lack an ID token.
 * ERR_UNVERIFIED when the provider refuses the refresh token
 * (invalid_grant: revoked, expired, the user gone), ERR_PROVIDER or
 * ERR_TIMEOUT when it fails.
 */
enum err	oidc_refresh(struct http *, struct arena *,
		    const struct cfg_provider *, const struct discovery *,
		    const char *refresh_token, struct oidc_tokens *out);

/*
 * Calls the userinfo endpoint with the access token and sets *claims to
 * its JSON object (arena-owned).  ERR_NOT_FOUND when the provider has
 * no userinfo endpoint; ERR_PROVIDER for no access token, a status
 * other than 200, a signed (application/jwt) answer or a body that is
 * not a JSON object; ERR_TIMEOUT when the provider is slow.
 */
enum err	oidc_userinfo(struct http *, struct arena *,
		    const struct discovery *, const char *access_token,
		    json_object **claims);

/*
 * Merges the userinfo claims over the ID token's, in id_claims; the ID
 * token's protocol claims (iss, aud, exp, nonce, tid, ...) are kept.
 * Returns ERR_TOKEN, with a reason, unless userinfo has a string "sub"
 * equal to the ID token's; id_claims is unchanged then.
 */
enum err	oidc_merge_userinfo(json_object *id_claims,
		    json_object *userinfo);

/*
 * Returns in *out (an arena string) the RP-initiated logout URL: the
 * end_session_endpoint with id_token_hint (unless NULL), client_id and
 * post_logout_redirect_uri (the provider's, else the global one, else
 * none).  ERR_NOT_FOUND when the provider has no end_session_endpoint.
 */
enum err	oidc_logout_url(struct arena *, const struct cfg *,
		    const struct cfg_provider *, const struct discovery *,
		    const char *id_token_hint, char **out);

#endif /* OIDC_H */
