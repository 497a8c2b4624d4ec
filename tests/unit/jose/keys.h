/*
 * Test keys for the JOSE tests: generated with OpenSSL when the test
 * runs, exported as public JWKs, and a small compact-JWS signer that
 * turns OpenSSL's DER ECDSA signatures into JOSE's fixed R || S.
 * Everything here is the tests' own code path, independent of lib/jwt.c.
 */
#ifndef JOSE_KEYS_H
#define JOSE_KEYS_H

#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "arena.h"
#include "b64.h"

struct tkey {
	const char	*kid;
	const char	*type;		/* EVP_PKEY_Q_keygen's type */
	const char	*crv;		/* JOSE crv (and keygen's EC curve) */
	size_t		 coordlen;	/* EC: bytes of x, y, R and S */
	EVP_PKEY	*pkey;
};

/* Generates k->pkey; returns 0 on failure. */
static int __attribute__((unused))
tkey_generate(struct tkey *k)
{
	if (strcmp(k->type, "RSA") == 0)
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	else if (strcmp(k->type, "EC") == 0)
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", k->crv);
	else
		k->pkey = EVP_PKEY_Q_keygen(NULL, NULL, k->type);
	return k->pkey != NULL;
}

static __attribute__((unused)) char *
tkey_bn_b64(struct arena *a, EVP_PKEY *pkey, const char *param)
{
	BIGNUM		*bn = NULL;
	unsigned char	 buf[1024];
	int		 len;

	if (EVP_PKEY_get_bn_param(pkey, param, &bn) != 1)
		return NULL;
	len = BN_bn2bin(bn, buf);
	BN_free(bn);
	return b64_url_encode_arena(a, buf, (size_t)len);
}

/*
 * Returns the public JWK of k as JSON, with kid (unless NULL) and the
 * members in extra (",\"alg\":\"RS256\"" or "").
 */
static __attribute__((unused)) char *
tkey_jwk(struct arena *a, const struct tkey *k, const char *kid,
    const char *extra)
{
	unsigned char	 buf[256];
	size_t		 len = 0;
	char		*kidm;

	kidm = kid == NULL ? "" : arena_printf(a, ",\"kid\":\"%s\"", kid);
	if (strcmp(k->type, "RSA") == 0)
		return arena_printf(a, "{\"kty\":\"RSA\",\"n\":\"%s\","
		    "\"e\":\"%s\"%s%s}", tkey_bn_b64(a, k->pkey, "n"),
		    tkey_bn_b64(a, k->pkey, "e"), kidm, extra);
	if (strcmp(k->type, "EC") == 0) {
		if (EVP_PKEY_get_octet_string_param(k->pkey, "encoded-pub-key",
		    buf, sizeof(buf), &len) != 1 || buf[0] != 0x04 ||
		    len != 1 + 2 * k->coordlen)
			return NULL;
		return arena_printf(a, "{\"kty\":\"EC\",\"crv\":\"%s\","
		    "\"x\":\"%s\",\"y\":\"%s\"%s%s}", k->crv,
		    b64_url_encode_arena(a, buf + 1, k->coordlen),
		    b64_url_encode_arena(a, buf + 1 + k->coordlen, k->coordlen),
		    kidm, extra);
	}
	len = sizeof(buf);
	if (EVP_PKEY_get_raw_public_key(k->pkey, buf, &len) != 1)
		return NULL;
	return arena_printf(a, "{\"kty\":\"OKP\",\"crv\":\"%s\",\"x\":\"%s\""
	    "%s%s}", k->crv, b64_url_encode_arena(a, buf, len), kidm, extra);
}

/* Returns OpenSSL's digest name for a JWS alg ("RS256" → "SHA256"). */
static __attribute__((unused)) const char *
tkey_md(const char *alg)
{
	if (strcmp(alg, "EdDSA") == 0 || strcmp(alg, "Ed25519") == 0 ||
	    strcmp(alg, "Ed448") == 0)
		return NULL;
	if (strcmp(alg + 2, "256") == 0)
		return "SHA256";
	if (strcmp(alg + 2, "384") == 0)
		return "SHA384";
	return "SHA512";
}

/* DER ECDSA → R || S, each coordlen bytes; returns the length or 0. */
static size_t __attribute__((unused))
tkey_ecdsa_raw(const unsigned char *der, size_t derlen, size_t coordlen,
    unsigned char *out)
{
	ECDSA_SIG	*es;
	const BIGNUM	*r, *s;
	size_t		 n = 0;

	if ((es = d2i_ECDSA_SIG(NULL, &der, (long)derlen)) == NULL)
		return 0;
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, out, (int)coordlen) == (int)coordlen &&
	    BN_bn2binpad(s, out + coordlen, (int)coordlen) == (int)coordlen)
		n = 2 * coordlen;
	ECDSA_SIG_free(es);
	return n;
}

/*
 * Signs header and payload (JSON texts) as a compact JWS with alg: with
 * k's key, or for HS* with the hkeylen bytes at hkey.  NULL on failure.
 */
static __attribute__((unused)) char *
jws_sign(struct arena *a, const char *header, const char *payload,
    const char *alg, const struct tkey *k, const void *hkey, size_t hkeylen)
{
	EVP_MD_CTX	*md = NULL;
	EVP_PKEY_CTX	*pctx = NULL;
	unsigned char	 sig[1024], raw[256];
	size_t		 siglen = sizeof(sig);
	char		*input, *out = NULL;

	input = arena_printf(a, "%s.%s",
	    b64_url_encode_arena(a, header, strlen(header)),
	    b64_url_encode_arena(a, payload, strlen(payload)));
	if (alg[0] == 'H') {
		if (EVP_Q_mac(NULL, "HMAC", NULL, tkey_md(alg), NULL, hkey,
		    hkeylen, (unsigned char *)input, strlen(input), sig,
		    sizeof(sig), &siglen) == NULL)
			return NULL;
		goto done;
	}
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit_ex(md, &pctx, tkey_md(alg), NULL, NULL,
	    k->pkey, NULL) != 1)
		goto fail;
	if (alg[0] == 'P' &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
	    RSA_PSS_SALTLEN_DIGEST) <= 0))
		goto fail;
	if (EVP_DigestSign(md, sig, &siglen, (unsigned char *)input,
	    strlen(input)) != 1)
		goto fail;
	if (alg[0] == 'E' && alg[1] == 'S') {
		if ((siglen = tkey_ecdsa_raw(sig, siglen, k->coordlen,
		    raw)) == 0)
			goto fail;
		memcpy(sig, raw, siglen);
	}
done:
	out = arena_printf(a, "%s.%s", input,
	    b64_url_encode_arena(a, sig, siglen));
fail:
	EVP_MD_CTX_free(md);
	return out;
}

/* Returns k's public key as PEM (SubjectPublicKeyInfo), arena-owned. */
static __attribute__((unused)) char *
tkey_pem(struct arena *a, const struct tkey *k)
{
	BIO	*bio;
	char	*data, *pem = NULL;
	long	 len;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (PEM_write_bio_PUBKEY(bio, k->pkey) == 1 &&
	    (len = BIO_get_mem_data(bio, &data)) > 0)
		pem = arena_strndup(a, data, (size_t)len);
	BIO_free(bio);
	return pem;
}

#endif /* JOSE_KEYS_H */
