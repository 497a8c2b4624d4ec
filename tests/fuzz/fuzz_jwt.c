/*
 * An ID token: jwt_parse, jwt_verify against FUZZ_JWKS (RSA, P-256,
 * P-384, P-521, Ed25519, Ed448) with HS256/384/512 allowed under
 * FUZZ_HMAC_SECRET, and jwt_check_claims.  The claims are checked
 * whether the signature verified or not, so the fuzzer, which cannot
 * sign, still reaches every claim check; a token with "tid" is also
 * checked against an Entra-style issuer template.  gen_seeds signs the
 * seeds with the keys of fuzz_keys.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "jwk.h"
#include "jwt.h"

#include "fuzz.h"

static const char *const hmac_algs[] = { "HS256", "HS384", "HS512" };
static const char *const tenants[] = { FUZZ_TENANT };

static struct jwk_set	*set;

static void
free_set(void)
{
	jwk_set_free(set);
	set = NULL;
}

static const struct jwk_set *
fuzz_jwks(void)
{
	if (set == NULL) {
		if (jwk_set_parse(FUZZ_JWKS, strlen(FUZZ_JWKS), &set) !=
		    ERR_OK || set->n != 6)
			abort();
		atexit(free_set);
	}
	return set;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = fuzz_begin();
	struct jwt		 t;
	struct jwt_expect	 x = {
		.issuer = FUZZ_ISSUER,
		.client_id = FUZZ_CLIENT_ID,
		.nonce = FUZZ_NONCE,
		.access_token = FUZZ_ACCESS_TOKEN,
		.now = FUZZ_NOW,
		.skew = 60,
	};
	enum err		 e;

	if (jwt_parse(a, (const char *)data, size, &t) != ERR_OK)
		return 0;
	if (t.header == NULL || t.claims == NULL || t.alg == NULL)
		abort();
	e = jwt_verify(&t, fuzz_jwks(), hmac_algs,
	    sizeof(hmac_algs) / sizeof(hmac_algs[0]), FUZZ_HMAC_SECRET);
	if (e != ERR_OK && e != ERR_NOT_FOUND && e != ERR_TOKEN)
		abort();
	jwt_check_claims(&t, &x);
	if (json_object_object_get_ex(t.claims, "tid", NULL)) {
		x.issuer = FUZZ_TENANT_ISSUER;
		x.tenants = tenants;
		x.ntenants = 1;
		jwt_check_claims(&t, &x);
		x.tenants = NULL;
		x.ntenants = 0;
		jwt_check_claims(&t, &x);
	}
	return 0;
}
