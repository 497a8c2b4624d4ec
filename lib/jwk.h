/*
 * JSON Web Keys (RFC 7517): a provider's JWKS turned into OpenSSL
 * public keys, kept per process and looked up by kid.
 */
#ifndef JWK_H
#define JWK_H

#include <stddef.h>

#include <openssl/evp.h>

#include "err.h"

enum jwk_kty {
	JWK_KTY_RSA = 0,
	JWK_KTY_EC,
	JWK_KTY_OKP,
	JWK_KTY__MAX
};

struct jwk {
	char		*kid;	/* NULL when the key has none */
	char		*alg;	/* NULL when the key does not say */
	enum jwk_kty	 kty;
	char		*crv;	/* "P-256", "Ed25519", ...; NULL for RSA */
	EVP_PKEY	*pkey;	/* a public key */
};

struct jwk_set {
	struct jwk	*keys;
	size_t		 n;
};

/*
 * Parses a JWKS document ({"keys": [...]}) of len bytes.  Keys that are
 * not for signatures ("use" other than "sig", "key_ops" without
 * "verify", an "alg" that is no signature algorithm for the key), of an
 * unknown type or curve, malformed (EC points are validated), or weaker
 * than we accept (RSA under 2048 bits) are skipped, and each skip is
 * logged at debug level with its reason.  At most BOUND_JWKS_KEYS keys
 * are kept.  Returns ERR_TOO_BIG over BOUND_JWKS_BODY, ERR_INPUT when
 * the document is not a JSON object with a "keys" array, or when no
 * usable key is left.  On success *out is owned by the caller
 * (jwk_set_free).
 */
enum err	jwk_set_parse(const char *json, size_t len,
		    struct jwk_set **out);

/* Frees the set and its keys; accepts NULL. */
void		jwk_set_free(struct jwk_set *);

#endif /* JWK_H */
