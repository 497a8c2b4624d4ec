/*
 * The ID token: a compact JWS (RFC 7515) whose signature and claims are
 * checked as OpenID Connect Core §3.1.3.7 asks, fail-closed.
 */
#ifndef JWT_H
#define JWT_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "err.h"

struct arena;
struct jwk_set;

struct jwt {
	json_object	*header;	/* the JOSE header, arena-owned */
	json_object	*claims;	/* the payload, arena-owned */
	const char	*alg;		/* header "alg" */
	const char	*kid;		/* header "kid", NULL when absent */
	const char	*signing_input;	/* header "." payload */
	size_t		 signing_input_len;
	unsigned char	*sig;
	size_t		 siglen;
	const char	*key_crv;	/* jwt_verify's key's crv (at_hash) */
};

/*
 * Parses the len bytes at compact (never NULL) as a compact JWS:
 * exactly three base64url parts, at most BOUND_JWT bytes, a header that
 * is a JSON object with a string "alg" we support (never "none") and no
 * "crit", and a payload that is a JSON object.  Everything is the arena's.  Returns ERR_TOKEN, with
 * err_reason() saying why, for anything else.
 */
enum err	jwt_parse(struct arena *, const char *compact, size_t len,
		    struct jwt *out);

/*
 * Verifies the signature.  Asymmetric algorithms use the keys of set
 * whose kty, crv, alg and use fit the header's alg; with a kid, only the
 * key(s) with that kid; without one, every fitting key is tried in turn
 * (providers that omit kid usually publish one key, and a signature
 * that verifies under any published key is the provider's), and a
 * signature of the wrong length fails.  HS256, HS384 and HS512 are
 * accepted only when listed in hmac_algs (n of them), and then keyed by
 * hmac_secret, never by a JWKS key.  Records the verifying key's curve
 * in key_crv.  Returns ERR_OK, ERR_NOT_FOUND when the header has a kid
 * no key of set has (so the caller may refetch the JWKS once), or
 * ERR_TOKEN.
 */
enum err	jwt_verify(struct jwt *, const struct jwk_set *set,
		    const char *const *hmac_algs, size_t n,
		    const char *hmac_secret);

/* What the claims must say. */
struct jwt_expect {
	const char	*issuer;	/* may hold "{tenantid}" (Entra) */
	const char	*const *tenants; /* allowed tid values; NULL: any */
	size_t		 ntenants;
	const char	*client_id;
	const char	*nonce;
	/*
	 * A token from a refresh (OpenID Connect Core 12.2): no nonce is
	 * checked, as none is sent; the caller compares sub with the
	 * session's.
	 */
	int		 refreshed;
	const char	*access_token;	/* for at_hash; NULL: not checked */
	int64_t		 now;
	int64_t		 skew;
};

/*
 * Checks iss, aud, azp, exp, nbf, iat, sub, nonce and at_hash (when
 * present and access_token is given; an EdDSA token's at_hash needs the
 * key_crv jwt_verify recorded).  Returns ERR_OK when every check holds,
 * or ERR_TOKEN with err_reason() naming the first claim that failed.
 */
enum err	jwt_check_claims(const struct jwt *, const struct jwt_expect *);

#endif /* JWT_H */
