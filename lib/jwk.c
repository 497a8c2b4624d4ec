#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <json-c/json.h>

#include "b64.h"
#include "bounds.h"
#include "jv.h"
#include "jwk.h"
#include "log.h"
#include "roca.h"

/* The longest EC coordinate: P-521 takes 66 bytes. */
#define EC_COORD_MAX	66

/* A curve a JWK may name, with OpenSSL's name for it. */
struct curve {
	const char	*crv;		/* JOSE name */
	enum jwk_kty	 kty;
	const char	*ossl;		/* OpenSSL group (EC), key type (OKP) */
	size_t		 len;		/* bytes of a coordinate or a raw key */
};

static const struct curve curves[] = {
	{ "P-256", JWK_KTY_EC, "prime256v1", 32 },
	{ "P-384", JWK_KTY_EC, "secp384r1", 48 },
	{ "P-521", JWK_KTY_EC, "secp521r1", EC_COORD_MAX },
	{ "Ed25519", JWK_KTY_OKP, "ED25519", 32 },
	{ "Ed448", JWK_KTY_OKP, "ED448", 57 },
};

/*
 * The "alg" a signature key may declare.  A key declaring anything
 * else (an encryption algorithm, another curve's ES*) can never verify
 * an ID token, so it is not worth one of the BOUND_JWKS_KEYS slots.
 */
static const struct {
	const char	*alg;
	enum jwk_kty	 kty;
	const char	*crv;		/* NULL: any curve of kty */
} key_algs[] = {
	{ "RS256", JWK_KTY_RSA, NULL },
	{ "RS384", JWK_KTY_RSA, NULL },
	{ "RS512", JWK_KTY_RSA, NULL },
	{ "PS256", JWK_KTY_RSA, NULL },
	{ "PS384", JWK_KTY_RSA, NULL },
	{ "PS512", JWK_KTY_RSA, NULL },
	{ "ES256", JWK_KTY_EC, "P-256" },
	{ "ES384", JWK_KTY_EC, "P-384" },
	{ "ES512", JWK_KTY_EC, "P-521" },
	{ "EdDSA", JWK_KTY_OKP, NULL },
	{ "Ed25519", JWK_KTY_OKP, "Ed25519" },
	{ "Ed448", JWK_KTY_OKP, "Ed448" },
};

static const char *const kty_names[JWK_KTY__MAX] = {
	[JWK_KTY_RSA] = "RSA",
	[JWK_KTY_EC] = "EC",
	[JWK_KTY_OKP] = "OKP",
};

static const struct curve *
curve_find(enum jwk_kty kty, const char *crv)
{
	size_t	i;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (curves[i].kty == kty && strcmp(curves[i].crv, crv) == 0)
			return &curves[i];
	return NULL;
}

static int
alg_fits_key(const char *alg, enum jwk_kty kty, const char *crv)
{
	size_t	i;

	for (i = 0; i < sizeof(key_algs) / sizeof(key_algs[0]); i++) {
		if (strcmp(key_algs[i].alg, alg) != 0 || key_algs[i].kty != kty)
			continue;
		if (key_algs[i].crv == NULL ||
		    strcmp(key_algs[i].crv, crv) == 0)
			return 1;
	}
	return 0;
}

/*
 * Decodes the base64url member name of key into out (cap bytes); the
 * text is measured before it is decoded.
 */
static enum err
member_bytes(json_object *key, const char *name, unsigned char *out,
    size_t cap, size_t *outlen)
{
	const char	*s;
	size_t		 len;
	enum err	 e;

	if ((e = jv_str(key, name, &s)) != ERR_OK) {
		err_reason("\"%s\" %s", name,
		    e == ERR_NOT_FOUND ? "missing" : "not a string");
		return ERR_INPUT;
	}
	len = strlen(s);
	if (len == 0 || len > b64_url_encoded_len(cap)) {
		err_reason("\"%s\" of %zu characters", name, len);
		return ERR_INPUT;
	}
	if (b64_url_decode(s, len, out, outlen) != ERR_OK) {
		err_reason("\"%s\" is not base64url", name);
		return ERR_INPUT;
	}
	return ERR_OK;
}

/* Builds a public key of the given type from the parameters in bld. */
static EVP_PKEY *
pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
	OSSL_PARAM	*params;
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*pkey = NULL;

	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (params == NULL || ctx == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

static int
pkey_public_valid(EVP_PKEY *pkey)
{
	EVP_PKEY_CTX	*ctx;
	int		 valid;

	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	valid = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;
	EVP_PKEY_CTX_free(ctx);
	return valid;
}

static enum err
rsa_key(json_object *key, EVP_PKEY **out)
{
	unsigned char	 nbuf[BOUND_RSA_BITS_MAX / 8];
	unsigned char	 ebuf[BOUND_RSA_EXPONENT_BYTES];
	size_t		 nlen, elen;
	BIGNUM		*n = NULL, *e = NULL;
	OSSL_PARAM_BLD	*bld = NULL;
	EVP_PKEY	*pkey = NULL;
	enum err	 rc = ERR_INPUT;
	int		 bits;

	if (member_bytes(key, "n", nbuf, sizeof(nbuf), &nlen) != ERR_OK ||
	    member_bytes(key, "e", ebuf, sizeof(ebuf), &elen) != ERR_OK)
		goto out;
	n = BN_bin2bn(nbuf, (int)nlen, NULL);
	e = BN_bin2bn(ebuf, (int)elen, NULL);
	if (n == NULL || e == NULL) {
		err_reason("out of memory");
		goto out;
	}
	bits = BN_num_bits(n);
	if (bits < BOUND_RSA_BITS_MIN) {
		err_reason("RSA key of %d bits is too weak", bits);
		goto out;
	}
	/* An even modulus or exponent, or e = 1, is no RSA key. */
	if (!BN_is_odd(n) || !BN_is_odd(e) || BN_is_one(e)) {
		err_reason("RSA parameters are invalid");
		goto out;
	}
	/* A provider that publishes one should hear of it: a warning. */
	if (roca_fingerprint(n)) {
		err_reason("RSA key has the ROCA fingerprint (CVE-2017-15361): "
		    "made by a vulnerable Infineon library, it can be "
		    "factored");
		log_warnx("JWKS: %s; skipped", err_reason_get());
		goto out;
	}
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1 ||
	    (pkey = pkey_fromdata("RSA", bld)) == NULL) {
		err_reason("OpenSSL refused the RSA key");
		goto out;
	}
	*out = pkey;
	rc = ERR_OK;
out:
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return rc;
}

static enum err
ec_key(json_object *key, const struct curve *c, EVP_PKEY **out)
{
	unsigned char	 point[1 + 2 * EC_COORD_MAX];
	size_t		 xlen, ylen;
	OSSL_PARAM_BLD	*bld = NULL;
	EVP_PKEY	*pkey = NULL;
	enum err	 rc = ERR_INPUT;

	/* The uncompressed point: 0x04 || x || y, each exactly c->len. */
	point[0] = 0x04;
	if (member_bytes(key, "x", point + 1, c->len, &xlen) != ERR_OK ||
	    member_bytes(key, "y", point + 1 + c->len, c->len, &ylen) != ERR_OK)
		goto out;
	if (xlen != c->len || ylen != c->len) {
		err_reason("%s coordinates must be %zu bytes",
		    c->crv, c->len);
		goto out;
	}
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    c->ossl, 0) != 1 ||
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, 1 + 2 * c->len) != 1 ||
	    (pkey = pkey_fromdata("EC", bld)) == NULL ||
	    !pkey_public_valid(pkey)) {
		err_reason("point is not on %s", c->crv);
		goto out;
	}
	*out = pkey;
	pkey = NULL;
	rc = ERR_OK;
out:
	EVP_PKEY_free(pkey);
	OSSL_PARAM_BLD_free(bld);
	return rc;
}

static enum err
okp_key(json_object *key, const struct curve *c, EVP_PKEY **out)
{
	unsigned char	 raw[EC_COORD_MAX];
	size_t		 len;
	EVP_PKEY	*pkey;

	if (member_bytes(key, "x", raw, c->len, &len) != ERR_OK)
		return ERR_INPUT;
	if (len != c->len) {
		err_reason("%s key must be %zu bytes", c->crv,
		    c->len);
		return ERR_INPUT;
	}
	pkey = EVP_PKEY_new_raw_public_key_ex(NULL, c->ossl, NULL, raw, len);
	if (pkey == NULL) {
		err_reason("OpenSSL refused the %s key", c->crv);
		return ERR_INPUT;
	}
	*out = pkey;
	return ERR_OK;
}

static enum err
key_type(json_object *key, enum jwk_kty *kty)
{
	const char	*s;
	int		 i;

	if (jv_str(key, "kty", &s) != ERR_OK) {
		err_reason("\"kty\" missing or not a string");
		return ERR_INPUT;
	}
	for (i = 0; i < JWK_KTY__MAX; i++) {
		if (strcmp(kty_names[i], s) == 0) {
			*kty = (enum jwk_kty)i;
			return ERR_OK;
		}
	}
	err_reason("unsupported kty");
	return ERR_INPUT;
}

/* A key that says what it is for must say it is for verifying signatures. */
static enum err
key_purpose(json_object *key)
{
	json_object	*ops;
	const char	*use;
	enum err	 e;

	e = jv_str(key, "use", &use);
	if (e == ERR_INPUT || (e == ERR_OK && strcmp(use, "sig") != 0)) {
		err_reason("\"use\" is not \"sig\"");
		return ERR_INPUT;
	}
	if (json_object_object_get_ex(key, "key_ops", &ops) && ops != NULL &&
	    !jv_has_string(key, "key_ops", "verify")) {
		err_reason("\"key_ops\" lacks \"verify\"");
		return ERR_INPUT;
	}
	return ERR_OK;
}

/* Reads the optional string member name into *out (NULL when absent). */
static enum err
key_label(json_object *key, const char *name, const char **out)
{
	enum err	e;
	size_t		len;

	*out = NULL;
	e = jv_str(key, name, out);
	if (e == ERR_NOT_FOUND)
		return ERR_OK;
	/* Every label we compare ("kid", "alg") is shorter than a kid. */
	if (e != ERR_OK || (len = strlen(*out)) == 0 || len > BOUND_JWK_KID) {
		err_reason("\"%s\" is not a short string", name);
		return ERR_INPUT;
	}
	return ERR_OK;
}

static enum err
key_material(json_object *key, enum jwk_kty kty, const char **crv,
    EVP_PKEY **pkey)
{
	const struct curve	*c;

	*crv = NULL;
	if (kty == JWK_KTY_RSA)
		return rsa_key(key, pkey);
	if (jv_str(key, "crv", crv) != ERR_OK) {
		err_reason("\"crv\" missing or not a string");
		return ERR_INPUT;
	}
	if ((c = curve_find(kty, *crv)) == NULL) {
		err_reason("unsupported crv for kty %s",
		    kty_names[kty]);
		return ERR_INPUT;
	}
	if (kty == JWK_KTY_EC)
		return ec_key(key, c, pkey);
	return okp_key(key, c, pkey);
}

static char *
dup_or_null(const char *s)
{
	char	*d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		log_fatalx("out of memory (JWKS)");
	return d;
}

/*
 * Fills out from one member of the "keys" array.  ERR_INPUT means the
 * key is skipped, and the reason says for what.
 */
static enum err
key_parse(json_object *key, struct jwk *out)
{
	const char	*kid, *alg, *crv;
	EVP_PKEY	*pkey = NULL;
	enum jwk_kty	 kty;
	enum err	 e;

	if (!json_object_is_type(key, json_type_object)) {
		err_reason("not a JSON object");
		return ERR_INPUT;
	}
	if ((e = key_type(key, &kty)) != ERR_OK ||
	    (e = key_purpose(key)) != ERR_OK ||
	    (e = key_label(key, "kid", &kid)) != ERR_OK ||
	    (e = key_label(key, "alg", &alg)) != ERR_OK ||
	    (e = key_material(key, kty, &crv, &pkey)) != ERR_OK)
		goto out;
	if (alg != NULL && !alg_fits_key(alg, kty, crv == NULL ? "" : crv)) {
		err_reason("\"alg\" is no signature algorithm "
		    "for this key");
		e = ERR_INPUT;
		goto out;
	}
	out->kty = kty;
	out->kid = dup_or_null(kid);
	out->alg = dup_or_null(alg);
	out->crv = dup_or_null(crv);
	out->pkey = pkey;
	pkey = NULL;
	e = ERR_OK;
out:
	EVP_PKEY_free(pkey);
	/* A refused key leaves OpenSSL errors behind that are not ours. */
	ERR_clear_error();
	return e;
}

/*
 * Keeps the usable keys of the array, at most BOUND_JWKS_KEYS; sets
 * *skipped when a key was not, and *last_i to the last such key's
 * index.  While fresh (no reason was recorded before the parse), each
 * key's reason is recorded in turn, logged, and the last one left for
 * the one line a JWKS without a usable key gets.
 */
static void
keys_parse(json_object *keys, struct jwk_set *set, int fresh, int *skipped,
    size_t *last_i)
{
	size_t	i, count;

	count = json_object_array_length(keys);
	for (i = 0; i < count && set->n < BOUND_JWKS_KEYS; i++) {
		if (fresh)
			err_reason_clear();
		if (key_parse(json_object_array_get_idx(keys, i),
		    &set->keys[set->n]) == ERR_OK) {
			set->n++;
			continue;
		}
		log_debug("JWKS key #%zu skipped: %s", i,
		    fresh ? err_reason_get() : "(reason not recorded)");
		*skipped = 1;
		*last_i = i;
	}
	if (i < count)
		log_debug("JWKS: %zu keys after the first %d usable ones "
		    "ignored", count - i, BOUND_JWKS_KEYS);
}

enum err
jwk_set_parse(const char *json, size_t len, struct jwk_set **out)
{
	json_object	*doc = NULL, *keys;
	struct jwk_set	*set = NULL;
	size_t		 last_i = 0;
	int		 fresh = err_reason_get()[0] == '\0', skipped = 0;
	enum err	 e;

	*out = NULL;
	if (len > BOUND_JWKS_BODY) {
		err_reason("JWKS of %zu bytes is over the %d-byte bound", len,
		    BOUND_JWKS_BODY);
		e = ERR_TOO_BIG;
		goto out;
	}
	if ((e = jv_parse_object_owned(json, len, &doc)) != ERR_OK) {
		err_reason("JWKS is not a JSON object");
		goto out;
	}
	if (!json_object_object_get_ex(doc, "keys", &keys) ||
	    !json_object_is_type(keys, json_type_array)) {
		err_reason("JWKS has no \"keys\" array");
		e = ERR_INPUT;
		goto out;
	}
	if ((set = calloc(1, sizeof(*set))) == NULL ||
	    (set->keys = calloc(BOUND_JWKS_KEYS, sizeof(*set->keys))) == NULL)
		log_fatalx("out of memory (JWKS)");
	keys_parse(keys, set, fresh, &skipped, &last_i);
	if (set->n == 0 && !skipped) {
		err_reason("JWKS has an empty \"keys\" array");
		e = ERR_INPUT;
		goto out;
	}
	if (set->n == 0) {
		if (fresh)
			err_reason_rewrite("JWKS has no usable signature key "
			    "(key #%zu: %s)", last_i, err_reason_get());
		e = ERR_INPUT;
		goto out;
	}
	/* A skipped key beside usable ones is no failure. */
	if (fresh)
		err_reason_clear();
	*out = set;
	set = NULL;
	e = ERR_OK;
out:
	jwk_set_free(set);
	json_object_put(doc);
	return e;
}

void
jwk_set_free(struct jwk_set *set)
{
	size_t	i;

	if (set == NULL)
		return;
	for (i = 0; set->keys != NULL && i < set->n; i++) {
		free(set->keys[i].kid);
		free(set->keys[i].alg);
		free(set->keys[i].crv);
		EVP_PKEY_free(set->keys[i].pkey);
	}
	free(set->keys);
	free(set);
}
