/*
 * jwk_set_parse of a provider's JWKS: what it keeps is at most
 * BOUND_JWKS_KEYS public keys, each of a known type with an OpenSSL
 * key of that type and a short kid.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "jwk.h"

#include "fuzz.h"

static const char *const pkey_types[JWK_KTY__MAX] = {
	[JWK_KTY_RSA] = "RSA",
	[JWK_KTY_EC] = "EC",
	[JWK_KTY_OKP] = NULL,	/* ED25519 or ED448 */
};

static void
check_key(const struct jwk *k)
{
	if ((unsigned)k->kty >= JWK_KTY__MAX || k->pkey == NULL)
		abort();
	if (k->kid != NULL && (k->kid[0] == '\0' ||
	    strlen(k->kid) > BOUND_JWK_KID))
		abort();
	if (pkey_types[k->kty] != NULL &&
	    !EVP_PKEY_is_a(k->pkey, pkey_types[k->kty]))
		abort();
	if (k->kty == JWK_KTY_RSA) {
		if (k->crv != NULL ||
		    EVP_PKEY_get_bits(k->pkey) < BOUND_RSA_BITS_MIN)
			abort();
	} else if (k->crv == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jwk_set	*set = NULL;

	fuzz_begin();
	if (jwk_set_parse((const char *)data, size, &set) != ERR_OK) {
		if (set != NULL)
			abort();
		return 0;
	}
	if (set == NULL || set->n == 0 || set->n > BOUND_JWKS_KEYS)
		abort();
	for (size_t i = 0; i < set->n; i++)
		check_key(&set->keys[i]);
	jwk_set_free(set);
	return 0;
}
