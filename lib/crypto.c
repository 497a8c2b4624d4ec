#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "crypto.h"

/*
 * Algorithm objects are fetched once and kept for the process: a fetch
 * looks the name up in the provider store under a lock, which the
 * session MAC, run on every request, should not pay.  An HMAC context
 * with its digest already set is kept per digest and duplicated per
 * call, so no call names a digest again.
 */
static const char *const digest_names[CRYPTO_DIGEST__MAX] = {
	[CRYPTO_SHA256] = "SHA256",
	[CRYPTO_SHA384] = "SHA384",
	[CRYPTO_SHA512] = "SHA512",
};

static CRYPTO_ONCE	 fetch_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MD		*digests[CRYPTO_DIGEST__MAX];
static EVP_MAC		*hmac;
static EVP_MAC_CTX	*hmac_templates[CRYPTO_DIGEST__MAX];
static EVP_KDF		*hkdf;
static EVP_CIPHER	*aes_gcm;

static void
release_algorithms(void)
{
	size_t	i;

	for (i = 0; i < CRYPTO_DIGEST__MAX; i++) {
		EVP_MAC_CTX_free(hmac_templates[i]);
		hmac_templates[i] = NULL;
		EVP_MD_free(digests[i]);
		digests[i] = NULL;
	}
	EVP_MAC_free(hmac);
	hmac = NULL;
	EVP_KDF_free(hkdf);
	hkdf = NULL;
	EVP_CIPHER_free(aes_gcm);
	aes_gcm = NULL;
}

static EVP_MAC_CTX *
hmac_template_new(const char *digest)
{
	OSSL_PARAM	 params[2];
	EVP_MAC_CTX	*ctx;

	if ((ctx = EVP_MAC_CTX_new(hmac)) == NULL)
		return NULL;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_CTX_set_params(ctx, params)) {
		EVP_MAC_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/*
 * A missing algorithm leaves its pointer NULL; the calls that need it
 * then fail with ERR_SYSTEM instead of the process dying at start.
 */
static void
fetch_algorithms(void)
{
	size_t	i;

	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	for (i = 0; i < CRYPTO_DIGEST__MAX; i++) {
		digests[i] = EVP_MD_fetch(NULL, digest_names[i], NULL);
		if (hmac != NULL)
			hmac_templates[i] = hmac_template_new(digest_names[i]);
	}
	hkdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	aes_gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	/* Runs before OpenSSL's own exit handler, registered earlier. */
	atexit(release_algorithms);
}

static int
algorithms_ready(void)
{
	return CRYPTO_THREAD_run_once(&fetch_once, fetch_algorithms);
}

enum err
crypto_random(void *buf, size_t n)
{
	unsigned char	*p = buf;
	size_t		 chunk;

	while (n > 0) {
		chunk = n > INT_MAX ? INT_MAX : n;
		if (RAND_bytes(p, (int)chunk) != 1) {
			err_reason("random number generator failed");
			return ERR_SYSTEM;
		}
		p += chunk;
		n -= chunk;
	}
	return ERR_OK;
}

int
crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

int
crypto_equal_str(const char *a, size_t alen, const char *b, size_t blen)
{
	/* The lengths are no secret here: the bytes are. */
	if (alen != blen)
		return 0;
	return blen == 0 || crypto_equal(a, b, blen);
}

void
crypto_wipe(void *p, size_t n)
{
	if (p != NULL)
		OPENSSL_cleanse(p, n);
}

enum err
crypto_hmac(enum crypto_digest d, const void *key, size_t keylen,
    const void *msg, size_t msglen, unsigned char *mac, size_t *maclen)
{
	static const unsigned char	 empty;
	EVP_MAC_CTX			*ctx = NULL;
	enum err			 e = ERR_SYSTEM;
	size_t				 len;

	if ((unsigned)d >= CRYPTO_DIGEST__MAX || !algorithms_ready() ||
	    hmac_templates[d] == NULL) {
		err_reason("HMAC unavailable");
		return ERR_SYSTEM;
	}
	/* A NULL key would mean "keep the previous key" to OpenSSL. */
	if (key == NULL)
		key = &empty;
	if ((ctx = EVP_MAC_CTX_dup(hmac_templates[d])) == NULL ||
	    !EVP_MAC_init(ctx, key, keylen, NULL) ||
	    (msglen > 0 && !EVP_MAC_update(ctx, msg, msglen)) ||
	    !EVP_MAC_final(ctx, mac, &len, EVP_MAX_MD_SIZE)) {
		err_reason("HMAC failed");
		goto out;
	}
	*maclen = len;
	e = ERR_OK;
 out:
	EVP_MAC_CTX_free(ctx);
	return e;
}

enum err
crypto_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char mac[CRYPTO_MAC_LEN])
{
	unsigned char	full[EVP_MAX_MD_SIZE];
	size_t		len;
	enum err	e;

	/* Through a full-size buffer: mac only promises 32 bytes. */
	if ((e = crypto_hmac(CRYPTO_SHA256, key, keylen, msg, msglen, full,
	    &len)) != ERR_OK)
		return e;
	memcpy(mac, full, CRYPTO_MAC_LEN);
	OPENSSL_cleanse(full, sizeof(full));
	return ERR_OK;
}

struct crypto_mac_key {
	EVP_MAC_CTX	*ctx;	/* keyed; every use restarts from the key */
};

enum err
crypto_mac_key_new(const void *key, size_t keylen,
    struct crypto_mac_key **out)
{
	static const unsigned char	 empty;
	struct crypto_mac_key		*k;

	if (!algorithms_ready() || hmac_templates[CRYPTO_SHA256] == NULL) {
		err_reason("HMAC unavailable");
		return ERR_SYSTEM;
	}
	/* A NULL key would mean "keep the previous key" to OpenSSL. */
	if (key == NULL)
		key = &empty;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return ERR_NOMEM;
	if ((k->ctx = EVP_MAC_CTX_dup(hmac_templates[CRYPTO_SHA256])) ==
	    NULL || !EVP_MAC_init(k->ctx, key, keylen, NULL)) {
		crypto_mac_key_free(k);
		err_reason("HMAC key setup failed");
		return ERR_SYSTEM;
	}
	*out = k;
	return ERR_OK;
}

void
crypto_mac_key_free(struct crypto_mac_key *k)
{
	if (k == NULL)
		return;
	/* OpenSSL wipes the HMAC state and key it frees. */
	EVP_MAC_CTX_free(k->ctx);
	free(k);
}

enum err
crypto_mac_keyed(struct crypto_mac_key *k, const void *msg, size_t msglen,
    unsigned char mac[CRYPTO_MAC_LEN])
{
	unsigned char	full[EVP_MAX_MD_SIZE];
	size_t		len = 0;
	enum err	e = ERR_SYSTEM;

	/* A NULL key: start again from the key already set. */
	if (k == NULL || !EVP_MAC_init(k->ctx, NULL, 0, NULL) ||
	    (msglen > 0 && !EVP_MAC_update(k->ctx, msg, msglen)) ||
	    !EVP_MAC_final(k->ctx, full, &len, sizeof(full)) ||
	    len != CRYPTO_MAC_LEN) {
		err_reason("HMAC failed");
		goto out;
	}
	memcpy(mac, full, CRYPTO_MAC_LEN);
	e = ERR_OK;
 out:
	OPENSSL_cleanse(full, sizeof(full));
	return e;
}

enum err
crypto_hkdf_sha256(const void *ikm, size_t ikmlen, const void *salt,
    size_t saltlen, const void *info, size_t infolen, unsigned char *out,
    size_t outlen)
{
	OSSL_PARAM	 params[5], *p = params;
	EVP_KDF_CTX	*ctx = NULL;
	enum err	 e = ERR_SYSTEM;

	if (!algorithms_ready() || hkdf == NULL) {
		err_reason("HKDF unavailable");
		return ERR_SYSTEM;
	}
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)ikm, ikmlen);
	/* RFC 5869: an absent salt is HashLen zeros, which HKDF does itself. */
	if (saltlen > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
		    (void *)salt, saltlen);
	if (infolen > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
		    (void *)info, infolen);
	*p = OSSL_PARAM_construct_end();
	if ((ctx = EVP_KDF_CTX_new(hkdf)) == NULL ||
	    EVP_KDF_derive(ctx, out, outlen, params) != 1) {
		err_reason("HKDF failed");
		goto out;
	}
	e = ERR_OK;
 out:
	EVP_KDF_CTX_free(ctx);
	return e;
}

enum err
crypto_digest(enum crypto_digest d, const void *msg, size_t len,
    unsigned char *out, size_t *outlen)
{
	unsigned int	n;

	if ((unsigned)d >= CRYPTO_DIGEST__MAX || !algorithms_ready() ||
	    digests[d] == NULL) {
		err_reason("digest unavailable");
		return ERR_SYSTEM;
	}
	if (!EVP_Digest(msg, len, out, &n, digests[d], NULL)) {
		err_reason("digest failed");
		return ERR_SYSTEM;
	}
	*outlen = n;
	return ERR_OK;
}

/* Feeds the additional data; OpenSSL takes lengths as int. */
static int
gcm_aad(EVP_CIPHER_CTX *ctx, const void *aad, size_t aadlen)
{
	int	outl;

	if (aadlen == 0)
		return 1;
	if (aadlen > INT_MAX)
		return 0;
	return EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aadlen);
}

enum err
crypto_seal_gcm(const unsigned char key[CRYPTO_KEY_LEN], const void *aad,
    size_t aadlen, const void *in, size_t n, unsigned char *out)
{
	OSSL_PARAM	 params[2];
	EVP_CIPHER_CTX	*ctx = NULL;
	unsigned char	*iv = out, *ct = out + CRYPTO_GCM_IV_LEN;
	enum err	 e = ERR_SYSTEM;
	int		 outl, finl;

	if (!algorithms_ready() || aes_gcm == NULL) {
		err_reason("AES-256-GCM unavailable");
		return ERR_SYSTEM;
	}
	if (n > INT_MAX) {
		err_reason("AES-GCM input too large");
		return ERR_TOO_BIG;
	}
	/* 96-bit random IVs: safe far beyond the cookies one key seals. */
	if ((e = crypto_random(iv, CRYPTO_GCM_IV_LEN)) != ERR_OK)
		return e;
	e = ERR_SYSTEM;
	outl = 0;
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    !EVP_EncryptInit_ex2(ctx, aes_gcm, key, iv, NULL) ||
	    !gcm_aad(ctx, aad, aadlen) ||
	    (n > 0 && !EVP_EncryptUpdate(ctx, ct, &outl, in, (int)n)) ||
	    !EVP_EncryptFinal_ex(ctx, ct + outl, &finl)) {
		err_reason("AES-GCM encryption failed");
		goto out;
	}
	params[0] = OSSL_PARAM_construct_octet_string(
	    OSSL_CIPHER_PARAM_AEAD_TAG, ct + n, CRYPTO_GCM_TAG_LEN);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_CIPHER_CTX_get_params(ctx, params)) {
		err_reason("AES-GCM tag failed");
		goto out;
	}
	e = ERR_OK;
 out:
	EVP_CIPHER_CTX_free(ctx);
	return e;
}

enum err
crypto_open_gcm(const unsigned char key[CRYPTO_KEY_LEN], const void *aad,
    size_t aadlen, const unsigned char *in, size_t n, unsigned char *out,
    size_t *outlen)
{
	OSSL_PARAM	 params[2];
	EVP_CIPHER_CTX	*ctx = NULL;
	const unsigned char *iv = in, *ct = in + CRYPTO_GCM_IV_LEN;
	unsigned char	 tag[CRYPTO_GCM_TAG_LEN], *plain = NULL;
	size_t		 ctlen;
	enum err	 e = ERR_SYSTEM;
	int		 outl = 0, finl;

	if (n < CRYPTO_GCM_IV_LEN + CRYPTO_GCM_TAG_LEN)
		return ERR_INPUT;
	ctlen = n - CRYPTO_GCM_IV_LEN - CRYPTO_GCM_TAG_LEN;
	if (ctlen > INT_MAX)
		return ERR_TOO_BIG;
	if (!algorithms_ready() || aes_gcm == NULL) {
		err_reason("AES-256-GCM unavailable");
		return ERR_SYSTEM;
	}
	/*
	 * GCM hands out plaintext before the tag is checked: decrypt aside
	 * and copy only what authenticates.
	 */
	if ((plain = malloc(ctlen + 1)) == NULL)
		return ERR_NOMEM;
	memcpy(tag, ct + ctlen, sizeof(tag));
	params[0] = OSSL_PARAM_construct_octet_string(
	    OSSL_CIPHER_PARAM_AEAD_TAG, tag, sizeof(tag));
	params[1] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    !EVP_DecryptInit_ex2(ctx, aes_gcm, key, iv, NULL) ||
	    !gcm_aad(ctx, aad, aadlen) ||
	    (ctlen > 0 &&
	    !EVP_DecryptUpdate(ctx, plain, &outl, ct, (int)ctlen)) ||
	    !EVP_CIPHER_CTX_set_params(ctx, params)) {
		err_reason("AES-GCM decryption failed");
		goto out;
	}
	if (EVP_DecryptFinal_ex(ctx, plain + outl, &finl) != 1) {
		e = ERR_INPUT;
		goto out;
	}
	memcpy(out, plain, ctlen);
	*outlen = ctlen;
	e = ERR_OK;
 out:
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(plain, ctlen + 1);
	free(plain);
	return e;
}
