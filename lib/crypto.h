/*
 * The cryptographic primitives, on OpenSSL 3's EVP interfaces:
 * HMAC-SHA256, HKDF-SHA256, digests, AES-256-GCM, randomness,
 * constant-time comparison and wiping.
 */
#ifndef CRYPTO_H
#define CRYPTO_H

#include <stddef.h>

#include "err.h"

#define CRYPTO_SHA256_LEN	32
#define CRYPTO_MAC_LEN		32	/* HMAC-SHA256 */
#define CRYPTO_KEY_LEN		32
#define CRYPTO_GCM_IV_LEN	12
#define CRYPTO_GCM_TAG_LEN	16

enum crypto_digest {
	CRYPTO_SHA256 = 0,
	CRYPTO_SHA384,
	CRYPTO_SHA512,
	CRYPTO_DIGEST__MAX
};

/* Fills buf with n cryptographically strong random bytes; ERR_SYSTEM if the RNG fails. */
enum err	crypto_random(void *buf, size_t n);

/* Returns 1 when the n bytes at a and b are equal, in time independent of their contents. */
int		crypto_equal(const void *a, const void *b, size_t n);

/*
 * Returns 1 when the strings a (alen) and b (blen) are equal: a length
 * check, then crypto_equal.  Only for values whose length is public
 * (fixed-size tokens and MACs, the nonce we sent): a length that
 * differs returns at once.
 */
int		crypto_equal_str(const char *a, size_t alen, const char *b,
		    size_t blen);

/* Wipes n bytes so the compiler cannot elide it; accepts NULL. */
void		crypto_wipe(void *, size_t n);

/* Writes the 32-byte HMAC-SHA256 of msg under key into mac. */
enum err	crypto_hmac_sha256(const void *key, size_t keylen,
		    const void *msg, size_t msglen,
		    unsigned char mac[CRYPTO_MAC_LEN]);

/*
 * An HMAC-SHA256 key prepared once, for a key used on every request
 * (the cookie MACs): each use then starts from the keyed state instead
 * of hashing the key again.
 */
struct crypto_mac_key;

/* Returns in *out a prepared key owned by the caller (crypto_mac_key_free). */
enum err	crypto_mac_key_new(const void *key, size_t keylen,
		    struct crypto_mac_key **out);

/* Frees a prepared key, wiping its state; accepts NULL. */
void		crypto_mac_key_free(struct crypto_mac_key *);

/*
 * Writes the HMAC-SHA256 of msg under a prepared key into mac, the same
 * value as crypto_hmac_sha256 with that key.  A key serves one call at
 * a time (the program serves one request at a time).
 */
enum err	crypto_mac_keyed(struct crypto_mac_key *, const void *msg,
		    size_t msglen, unsigned char mac[CRYPTO_MAC_LEN]);

/* Writes the HMAC of msg with the given digest into mac (room for 64 bytes); sets *maclen. */
enum err	crypto_hmac(enum crypto_digest, const void *key, size_t keylen,
		    const void *msg, size_t msglen, unsigned char *mac,
		    size_t *maclen);

/* Derives outlen bytes with HKDF-SHA256 (RFC 5869) from ikm, salt and info. */
enum err	crypto_hkdf_sha256(const void *ikm, size_t ikmlen,
		    const void *salt, size_t saltlen, const void *info,
		    size_t infolen, unsigned char *out, size_t outlen);

/* Writes the digest of msg into out (room for 64 bytes); sets *outlen. */
enum err	crypto_digest(enum crypto_digest, const void *msg, size_t len,
		    unsigned char *out, size_t *outlen);

/*
 * Encrypts n bytes with AES-256-GCM under key, a fresh random IV and the
 * additional data aad; out receives IV || ciphertext || tag, that is
 * n + CRYPTO_GCM_IV_LEN + CRYPTO_GCM_TAG_LEN bytes.
 */
enum err	crypto_seal_gcm(const unsigned char key[CRYPTO_KEY_LEN],
		    const void *aad, size_t aadlen, const void *in, size_t n,
		    unsigned char *out);

/*
 * Decrypts what crypto_seal_gcm wrote (n bytes) into out (room for
 * n - IV - tag bytes) and sets *outlen; ERR_INPUT if it does not
 * authenticate.  Nothing is written to out on failure.
 */
enum err	crypto_open_gcm(const unsigned char key[CRYPTO_KEY_LEN],
		    const void *aad, size_t aadlen, const unsigned char *in,
		    size_t n, unsigned char *out, size_t *outlen);

#endif /* CRYPTO_H */
