/*
 * lib/roca: a modulus built as RSALib builds its primes shows the
 * fingerprint; moduli of keys OpenSSL makes do not.
 */
#include "config.h"

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/core_names.h>

#include "roca.h"
#include "tap.h"

static const unsigned long small[] = {
	3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67,
	71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139,
	149, 151, 157, 163, 167,
};

/* M, the product of the small primes. */
static BIGNUM *
product(void)
{
	BIGNUM	*m = BN_new();

	BN_one(m);
	for (size_t i = 0; i < sizeof(small) / sizeof(small[0]); i++)
		BN_mul_word(m, small[i]);
	return m;
}

/* A prime as RSALib makes one: k * M + (65537^a mod M). */
static BIGNUM *
rsalib_prime(const BIGNUM *m, unsigned long a, BN_CTX *ctx)
{
	BIGNUM	*g = BN_new(), *e = BN_new(), *p = BN_new(), *k = BN_new();

	BN_set_word(g, 65537);
	BN_set_word(e, a);
	BN_mod_exp(g, g, e, m, ctx);
	/* k near 2^(1024 - bits of M), so p has about 1024 bits. */
	BN_rand(k, 1024 - BN_num_bits(m), BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);
	for (;;) {
		BN_mul(p, k, m, ctx);
		BN_add(p, p, g);
		if (BN_check_prime(p, ctx, NULL) == 1)
			break;
		BN_add_word(k, 1);
	}
	BN_free(g);
	BN_free(e);
	BN_free(k);
	return p;
}

static void
test_fingerprinted(void)
{
	BN_CTX	*ctx = BN_CTX_new();
	BIGNUM	*m = product();
	BIGNUM	*p = rsalib_prime(m, 1234567, ctx);
	BIGNUM	*q = rsalib_prime(m, 7654321, ctx);
	BIGNUM	*n = BN_new();

	BN_mul(n, p, q, ctx);
	ok(roca_fingerprint(n), "a modulus of RSALib-style primes (%d bits) "
	    "shows the fingerprint", BN_num_bits(n));
	BN_add_word(n, 2);
	ok(!roca_fingerprint(n), "n + 2 does not");
	BN_free(m);
	BN_free(p);
	BN_free(q);
	BN_free(n);
	BN_CTX_free(ctx);
}

static void
test_random_keys(void)
{
	int	clean = 1;

	for (int i = 0; i < 8; i++) {
		EVP_PKEY	*key = EVP_RSA_gen(2048);
		BIGNUM		*n = NULL;

		if (key == NULL || !EVP_PKEY_get_bn_param(key,
		    OSSL_PKEY_PARAM_RSA_N, &n)) {
			ok(0, "RSA key generation");
			EVP_PKEY_free(key);
			return;
		}
		if (roca_fingerprint(n))
			clean = 0;
		BN_free(n);
		EVP_PKEY_free(key);
	}
	ok(clean, "eight keys from OpenSSL do not show it");
	ok(!roca_fingerprint(NULL), "no modulus, no fingerprint");
}

int
main(void)
{
	test_fingerprinted();
	test_random_keys();
	return tap_done();
}
