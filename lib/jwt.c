#include "config.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <json-c/json.h>

#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "crypto.h"
#include "jv.h"
#include "jwk.h"
#include "jwt.h"
#include "tenant.h"

/* Ed448's at_hash: SHAKE256 with 114 bytes of output, of which 57 are kept. */
#define SHAKE256_ED448_LEN	114

/* Room for any hash at_hash takes; SHAKE256's 114 bytes are the most. */
#define HASH_MAX		SHAKE256_ED448_LEN

/* The most an algorithm name we would print may hold. */
#define ALG_PRINT_MAX		16

enum alg_family {
	ALG_RSA_PKCS1 = 0,
	ALG_RSA_PSS,
	ALG_ECDSA,
	ALG_EDDSA,
	ALG_HMAC,
	ALG__MAX
};

struct alg {
	const char		*name;
	enum alg_family		 family;
	const char		*md;		/* OpenSSL's; NULL for EdDSA */
	enum crypto_digest	 digest;	/* HMAC's and at_hash's */
	const char		*crv;		/* the one curve ES*, Ed* may use */
	size_t			 coordlen;	/* ECDSA: bytes of R and of S */
};

/* EdDSA's at_hash digest depends on the curve; see access_token_hash. */
static const struct alg algs[] = {
	{ "RS256", ALG_RSA_PKCS1, "SHA256", CRYPTO_SHA256, NULL, 0 },
	{ "RS384", ALG_RSA_PKCS1, "SHA384", CRYPTO_SHA384, NULL, 0 },
	{ "RS512", ALG_RSA_PKCS1, "SHA512", CRYPTO_SHA512, NULL, 0 },
	{ "PS256", ALG_RSA_PSS, "SHA256", CRYPTO_SHA256, NULL, 0 },
	{ "PS384", ALG_RSA_PSS, "SHA384", CRYPTO_SHA384, NULL, 0 },
	{ "PS512", ALG_RSA_PSS, "SHA512", CRYPTO_SHA512, NULL, 0 },
	{ "ES256", ALG_ECDSA, "SHA256", CRYPTO_SHA256, "P-256", 32 },
	{ "ES384", ALG_ECDSA, "SHA384", CRYPTO_SHA384, "P-384", 48 },
	{ "ES512", ALG_ECDSA, "SHA512", CRYPTO_SHA512, "P-521", 66 },
	{ "EdDSA", ALG_EDDSA, NULL, CRYPTO_SHA512, NULL, 0 },
	/* RFC 9864's fully-specified names: EdDSA on one curve. */
	{ "Ed25519", ALG_EDDSA, NULL, CRYPTO_SHA512, "Ed25519", 0 },
	{ "Ed448", ALG_EDDSA, NULL, CRYPTO_SHA512, "Ed448", 0 },
	{ "HS256", ALG_HMAC, "SHA256", CRYPTO_SHA256, NULL, 0 },
	{ "HS384", ALG_HMAC, "SHA384", CRYPTO_SHA384, NULL, 0 },
	{ "HS512", ALG_HMAC, "SHA512", CRYPTO_SHA512, NULL, 0 },
};

static const struct alg *
alg_find(const char *name)
{
	size_t	i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (strcmp(algs[i].name, name) == 0)
			return &algs[i];
	return NULL;
}

/* Returns s when it is a short plain token fit for a log line. */
static const char *
printable(const char *s)
{
	size_t	i;

	if (s[0] == '\0')
		return "(empty)";
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= ALG_PRINT_MAX ||
		    !((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return "(unprintable)";
	}
	return s;
}

/* Compares a string from the token with the expected one in constant time. */
static int
equal_secret(const char *got, const char *want)
{
	return crypto_equal_str(got, strlen(got), want, strlen(want));
}

/* --- Parsing. ---------------------------------------------------------- */

static enum err
check_alg(json_object *header, const char **out)
{
	const char	*alg;

	if (jv_str(header, "alg", &alg) != ERR_OK) {
		err_reason("ID token header has no string \"alg\"");
		return ERR_TOKEN;
	}
	if (strcasecmp(alg, "none") == 0) {
		err_reason("ID token is unsigned (alg none)");
		return ERR_TOKEN;
	}
	if (alg_find(alg) == NULL) {
		err_reason("ID token alg %s is not supported", printable(alg));
		return ERR_TOKEN;
	}
	*out = alg;
	return ERR_OK;
}

static enum err
check_header(json_object *header, struct jwt *t)
{
	const char	*typ;
	enum err	 e;

	if (check_alg(header, &t->alg) != ERR_OK)
		return ERR_TOKEN;
	/* No extension is understood, so any critical one must fail. */
	if (json_object_object_get_ex(header, "crit", NULL)) {
		err_reason("ID token header has \"crit\"");
		return ERR_TOKEN;
	}
	e = jv_str(header, "kid", &t->kid);
	if (e == ERR_NOT_FOUND)
		t->kid = NULL;
	else if (e != ERR_OK || strlen(t->kid) > BOUND_JWK_KID) {
		err_reason("ID token kid is not a short string");
		return ERR_TOKEN;
	}
	e = jv_str(header, "typ", &typ);
	if (e == ERR_INPUT || (e == ERR_OK && strcasecmp(typ, "JWT") != 0 &&
	    strcasecmp(typ, "application/jwt") != 0)) {
		err_reason("ID token typ is not JWT");
		return ERR_TOKEN;
	}
	return ERR_OK;
}

static enum err
decode_object(struct arena *a, const char *part, size_t len,
    json_object **out)
{
	unsigned char	*raw;
	size_t		 rawlen;

	if (b64_url_decode_arena(a, part, len, &raw, &rawlen) != ERR_OK ||
	    jv_parse_object(a, (const char *)raw, rawlen, out) != ERR_OK)
		return ERR_TOKEN;
	return ERR_OK;
}

/* Splits compact at its two dots; anything but three non-empty parts fails. */
static enum err
split_parts(const char *compact, size_t len, const char **dot1,
    const char **dot2)
{
	const char	*end = compact + len;

	if ((*dot1 = memchr(compact, '.', len)) == NULL ||
	    (*dot2 = memchr(*dot1 + 1, '.', (size_t)(end - *dot1 - 1))) ==
	    NULL) {
		err_reason("ID token is not a compact JWS (fewer than three "
		    "parts)");
		return ERR_TOKEN;
	}
	if (memchr(*dot2 + 1, '.', (size_t)(end - *dot2 - 1)) != NULL) {
		err_reason("ID token is not a compact JWS (more than three "
		    "parts; encrypted tokens are not supported)");
		return ERR_TOKEN;
	}
	if (*dot1 == compact || *dot2 == *dot1 + 1 || *dot2 + 1 == end) {
		err_reason("ID token has an empty part");
		return ERR_TOKEN;
	}
	return ERR_OK;
}

enum err
jwt_parse(struct arena *a, const char *compact, size_t len, struct jwt *out)
{
	struct jwt	 t;
	const char	*dot1, *dot2, *end;
	enum err	 e = ERR_TOKEN;

	memset(&t, 0, sizeof(t));
	memset(out, 0, sizeof(*out));
	if (len > BOUND_JWT) {
		err_reason("ID token of %zu bytes is over the %d-byte bound",
		    len, BOUND_JWT);
		goto out;
	}
	if (split_parts(compact, len, &dot1, &dot2) != ERR_OK)
		goto out;
	end = compact + len;
	if (decode_object(a, compact, (size_t)(dot1 - compact),
	    &t.header) != ERR_OK) {
		err_reason("ID token header is not a base64url JSON object");
		goto out;
	}
	if (check_header(t.header, &t) != ERR_OK)
		goto out;
	if (decode_object(a, dot1 + 1, (size_t)(dot2 - dot1 - 1),
	    &t.claims) != ERR_OK) {
		err_reason("ID token payload is not a base64url JSON object");
		goto out;
	}
	if (b64_url_decode_arena(a, dot2 + 1, (size_t)(end - dot2 - 1),
	    &t.sig, &t.siglen) != ERR_OK) {
		err_reason("ID token signature is not base64url");
		goto out;
	}
	t.signing_input_len = (size_t)(dot2 - compact);
	t.signing_input = arena_strndup(a, compact, t.signing_input_len);
	*out = t;
	e = ERR_OK;
out:
	return e;
}

/* --- Signatures. ------------------------------------------------------- */

/*
 * A key's declared alg allows the token's: the same name, or EdDSA and
 * its RFC 9864 name for the key's curve (the curve is checked below).
 */
static int
key_alg_allows(const struct jwk *k, const struct alg *alg)
{
	const struct alg	*declared;

	if (k->alg == NULL || strcmp(k->alg, alg->name) == 0)
		return 1;
	declared = alg_find(k->alg);
	return declared != NULL && declared->family == ALG_EDDSA &&
	    alg->family == ALG_EDDSA;
}

static int
key_fits(const struct jwk *k, const struct alg *alg)
{
	if (!key_alg_allows(k, alg))
		return 0;
	switch (alg->family) {
	case ALG_RSA_PKCS1:
	case ALG_RSA_PSS:
		return k->kty == JWK_KTY_RSA &&
		    EVP_PKEY_get_bits(k->pkey) >= BOUND_RSA_BITS_MIN;
	case ALG_ECDSA:
		return k->kty == JWK_KTY_EC && k->crv != NULL &&
		    strcmp(k->crv, alg->crv) == 0;
	case ALG_EDDSA:
		return k->kty == JWK_KTY_OKP && k->crv != NULL &&
		    (alg->crv != NULL ? strcmp(k->crv, alg->crv) == 0 :
		    (strcmp(k->crv, "Ed25519") == 0 ||
		    strcmp(k->crv, "Ed448") == 0));
	default:
		return 0;
	}
}

/* Turns JOSE's fixed-length R || S into the DER OpenSSL verifies. */
static enum err
ecdsa_der(const unsigned char *sig, size_t coordlen, unsigned char **der,
    size_t *derlen)
{
	ECDSA_SIG	*es;
	BIGNUM		*r, *s;
	int		 len;
	enum err	 e = ERR_TOKEN;

	es = ECDSA_SIG_new();
	r = BN_bin2bn(sig, (int)coordlen, NULL);
	s = BN_bin2bn(sig + coordlen, (int)coordlen, NULL);
	if (es == NULL || r == NULL || s == NULL ||
	    ECDSA_SIG_set0(es, r, s) != 1)
		goto out;
	r = s = NULL;
	*der = NULL;
	if ((len = i2d_ECDSA_SIG(es, der)) <= 0)
		goto out;
	*derlen = (size_t)len;
	e = ERR_OK;
out:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	return e;
}

static int
pss_params(EVP_PKEY_CTX *pctx, const char *md)
{
	return EVP_PKEY_CTX_set_rsa_padding(pctx,
	    RSA_PKCS1_PSS_PADDING) > 0 &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
	    RSA_PSS_SALTLEN_DIGEST) > 0 &&
	    EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, md, NULL) > 0;
}

static int
signature_length_ok(const struct jwt *t, const struct alg *alg,
    EVP_PKEY *pkey)
{
	if (alg->family == ALG_ECDSA)
		return t->siglen == 2 * alg->coordlen;
	/* RSA: the modulus size; EdDSA: 64 or 114 bytes. */
	return EVP_PKEY_get_size(pkey) > 0 &&
	    t->siglen == (size_t)EVP_PKEY_get_size(pkey);
}

/* Returns 1 when pkey verifies the token's signature under alg. */
static int
signature_verifies(const struct jwt *t, const struct alg *alg,
    EVP_PKEY *pkey)
{
	EVP_MD_CTX		*md = NULL;
	EVP_PKEY_CTX		*pctx = NULL;
	unsigned char		*der = NULL;
	const unsigned char	*sig = t->sig;
	size_t			 siglen = t->siglen;
	int			 verified = 0;

	if (!signature_length_ok(t, alg, pkey))
		goto out;
	if (alg->family == ALG_ECDSA) {
		if (ecdsa_der(t->sig, alg->coordlen, &der, &siglen) != ERR_OK)
			goto out;
		sig = der;
	}
	if ((md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit_ex(md, &pctx, alg->md, NULL, NULL, pkey,
	    NULL) != 1)
		goto out;
	if (alg->family == ALG_RSA_PSS && !pss_params(pctx, alg->md))
		goto out;
	verified = EVP_DigestVerify(md, sig, siglen,
	    (const unsigned char *)t->signing_input,
	    t->signing_input_len) == 1;
out:
	/* A failed verification leaves errors on OpenSSL's queue. */
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	return verified;
}

static int
hmac_allowed(const char *alg, const char *const *allowed, size_t n)
{
	size_t	i;

	for (i = 0; allowed != NULL && i < n; i++)
		if (allowed[i] != NULL && strcmp(allowed[i], alg) == 0)
			return 1;
	return 0;
}

static enum err
verify_hmac(const struct jwt *t, const struct alg *alg,
    const char *const *allowed, size_t n, const char *secret)
{
	unsigned char	mac[EVP_MAX_MD_SIZE];
	size_t		maclen = 0;
	enum err	e = ERR_TOKEN;

	/*
	 * Only when the provider is configured for it, and keyed by the
	 * client secret alone: never by a JWKS key, which would let a
	 * public key serve as a MAC key (algorithm confusion).
	 */
	if (!hmac_allowed(alg->name, allowed, n)) {
		err_reason("ID token alg %s is not enabled for this provider: "
		    "the token is MACed with the client secret; to accept it, "
		    "set id_token_hmac_algs = [\"%s\"] in the provider's "
		    "section (or have the provider sign with its keys, e.g. "
		    "RS256)", alg->name, alg->name);
		goto out;
	}
	if (secret == NULL || secret[0] == '\0') {
		err_reason("ID token alg %s needs a client secret", alg->name);
		goto out;
	}
	if (crypto_hmac(alg->digest, secret, strlen(secret),
	    t->signing_input, t->signing_input_len, mac, &maclen) != ERR_OK)
		goto out;
	if (t->siglen != maclen || !crypto_equal(t->sig, mac, maclen)) {
		err_reason("ID token signature does not verify (%s)",
		    alg->name);
		goto out;
	}
	e = ERR_OK;
out:
	crypto_wipe(mac, sizeof(mac));
	return e;
}

/* Says why no key verified: an unknown kid is worth a JWKS refetch. */
static enum err
no_key_verified(const struct jwt *t, const struct alg *alg, size_t with_kid,
    size_t fitting)
{
	if (t->kid != NULL && with_kid == 0) {
		err_reason("no JWKS key has the ID token's kid");
		return ERR_NOT_FOUND;
	}
	if (fitting == 0)
		err_reason("no JWKS key fits the ID token's alg %s", alg->name);
	else
		err_reason("ID token signature does not verify (%s)",
		    alg->name);
	return ERR_TOKEN;
}

static enum err
verify_with_keys(struct jwt *t, const struct alg *alg,
    const struct jwk_set *set)
{
	const struct jwk	*k, *used = NULL;
	size_t			 i, with_kid = 0, fitting = 0;

	for (i = 0; set != NULL && i < set->n && used == NULL; i++) {
		k = &set->keys[i];
		if (t->kid != NULL) {
			if (k->kid == NULL || strcmp(k->kid, t->kid) != 0)
				continue;
			with_kid++;
		}
		if (!key_fits(k, alg))
			continue;
		fitting++;
		if (signature_verifies(t, alg, k->pkey))
			used = k;
	}
	if (used == NULL)
		return no_key_verified(t, alg, with_kid, fitting);
	t->key_crv = used->crv;
	return ERR_OK;
}

enum err
jwt_verify(struct jwt *t, const struct jwk_set *set,
    const char *const *hmac_algs, size_t n, const char *hmac_secret)
{
	const struct alg	*alg;
	enum err		 e = ERR_TOKEN;

	t->key_crv = NULL;
	if ((alg = alg_find(t->alg)) == NULL || t->sig == NULL ||
	    t->signing_input == NULL) {
		err_reason("ID token was not parsed");
		goto out;
	}
	if (alg->family == ALG_HMAC)
		e = verify_hmac(t, alg, hmac_algs, n, hmac_secret);
	else
		e = verify_with_keys(t, alg, set);
out:
	return e;
}

/* --- Claims. ----------------------------------------------------------- */

static int
tenant_allowed(const char *tid, const struct jwt_expect *x)
{
	size_t	i;

	if (x->tenants == NULL)
		return 1;
	for (i = 0; i < x->ntenants; i++)
		if (x->tenants[i] != NULL &&
		    strcasecmp(x->tenants[i], tid) == 0)
			return 1;
	return 0;
}

/* Sets want to the issuer this token must have, Entra's template filled. */
static enum err
issuer_expected(const struct jwt *t, const struct jwt_expect *x, char *want,
    size_t size)
{
	const char	*tid = "";

	if (tenant_is_template(x->issuer)) {
		if (jv_str(t->claims, "tid", &tid) != ERR_OK) {
			err_reason("tid missing or not a string (the issuer "
			    "is a tenant template)");
			return ERR_TOKEN;
		}
		if (!tenant_id_ok(tid, strlen(tid))) {
			err_reason("tid is not a tenant id");
			return ERR_TOKEN;
		}
		if (!tenant_allowed(tid, x)) {
			err_reason("tenant %s is not allowed", tid);
			return ERR_TOKEN;
		}
	}
	if (tenant_issuer_fill(x->issuer, tid, want, size) != ERR_OK) {
		err_reason("expected issuer is over %d bytes", BOUND_URL);
		return ERR_TOKEN;
	}
	return ERR_OK;
}

static enum err
validate_iss(const struct jwt *t, const struct jwt_expect *x)
{
	char		 want[BOUND_URL + 1];
	const char	*iss;

	if (jv_str(t->claims, "iss", &iss) != ERR_OK) {
		err_reason("iss missing or not a string");
		return ERR_TOKEN;
	}
	if (issuer_expected(t, x, want, sizeof(want)) != ERR_OK)
		return ERR_TOKEN;
	if (strcmp(iss, want) != 0) {
		err_reason("iss is not the issuer %s", want);
		return ERR_TOKEN;
	}
	return ERR_OK;
}

static enum err
validate_aud(const struct jwt *t, const struct jwt_expect *x)
{
	json_object	*aud, *item;
	const char	*s;
	size_t		 i, n;
	int		 found = 0;

	if (!json_object_object_get_ex(t->claims, "aud", &aud) || aud == NULL) {
		err_reason("aud missing");
		return ERR_TOKEN;
	}
	if (json_object_is_type(aud, json_type_string)) {
		if (jv_str(t->claims, "aud", &s) != ERR_OK ||
		    strcmp(s, x->client_id) != 0) {
			err_reason("aud is not the client id");
			return ERR_TOKEN;
		}
		return ERR_OK;
	}
	if (!json_object_is_type(aud, json_type_array)) {
		err_reason("aud is neither a string nor an array");
		return ERR_TOKEN;
	}
	n = json_object_array_length(aud);
	if (n == 0 || n > BOUND_JWT_AUDIENCES) {
		err_reason("aud array has %zu entries (1 to %d allowed)", n,
		    BOUND_JWT_AUDIENCES);
		return ERR_TOKEN;
	}
	for (i = 0; i < n; i++) {
		item = json_object_array_get_idx(aud, i);
		if (!json_object_is_type(item, json_type_string) ||
		    strlen(json_object_get_string(item)) !=
		    (size_t)json_object_get_string_len(item)) {
			err_reason("aud array holds a non-string");
			return ERR_TOKEN;
		}
		if (strcmp(json_object_get_string(item), x->client_id) == 0)
			found = 1;
	}
	if (!found) {
		err_reason("aud does not contain the client id");
		return ERR_TOKEN;
	}
	return ERR_OK;
}

static size_t
audience_count(const struct jwt *t)
{
	json_object	*aud;

	if (json_object_object_get_ex(t->claims, "aud", &aud) &&
	    json_object_is_type(aud, json_type_array))
		return json_object_array_length(aud);
	return 1;
}

static enum err
validate_azp(const struct jwt *t, const struct jwt_expect *x)
{
	const char	*azp;
	enum err	 e;

	e = jv_str(t->claims, "azp", &azp);
	if (e == ERR_NOT_FOUND) {
		if (audience_count(t) > 1) {
			err_reason("azp missing although aud has several "
			    "audiences");
			return ERR_TOKEN;
		}
		return ERR_OK;
	}
	if (e != ERR_OK || strcmp(azp, x->client_id) != 0) {
		err_reason("azp is not the client id");
		return ERR_TOKEN;
	}
	return ERR_OK;
}

/* Reads the time claim name: ERR_NOT_FOUND when absent, ERR_TOKEN if bad. */
static enum err
time_claim(const struct jwt *t, const char *name, int64_t *out)
{
	enum err	e;

	e = jv_int(t->claims, name, 0, BOUND_TIME_MAX, out);
	if (e == ERR_NOT_FOUND)
		return e;
	if (e != ERR_OK) {
		err_reason("%s is not a valid time", name);
		return ERR_TOKEN;
	}
	return ERR_OK;
}

static enum err
validate_exp(const struct jwt *t, const struct jwt_expect *x)
{
	int64_t		exp;
	enum err	e;

	if ((e = time_claim(t, "exp", &exp)) == ERR_NOT_FOUND)
		err_reason("exp missing");
	if (e != ERR_OK)
		return ERR_TOKEN;
	if (x->now >= exp + x->skew) {
		err_reason("token expired %lld s ago",
		    (long long)(x->now - exp));
		return ERR_TOKEN;
	}
	return ERR_OK;
}

static enum err
validate_nbf(const struct jwt *t, const struct jwt_expect *x)
{
	int64_t		nbf;
	enum err	e;

	if ((e = time_claim(t, "nbf", &nbf)) == ERR_NOT_FOUND)
		return ERR_OK;
	if (e != ERR_OK)
		return ERR_TOKEN;
	if (nbf - x->skew > x->now) {
		err_reason("token not valid for another %lld s (nbf)",
		    (long long)(nbf - x->now));
		return ERR_TOKEN;
	}
	return ERR_OK;
}

static enum err
validate_iat(const struct jwt *t, const struct jwt_expect *x)
{
	int64_t		iat;
	enum err	e;

	if ((e = time_claim(t, "iat", &iat)) == ERR_NOT_FOUND)
		err_reason("iat missing");
	if (e != ERR_OK)
		return ERR_TOKEN;
	if (iat > x->now + x->skew) {
		err_reason("token issued %lld s in the future (iat)",
		    (long long)(iat - x->now));
		return ERR_TOKEN;
	}
	return ERR_OK;
}

static enum err
validate_sub(const struct jwt *t, const struct jwt_expect *x)
{
	const char	*sub;
	size_t		 len;

	if (jv_str(t->claims, "sub", &sub) != ERR_OK) {
		err_reason("sub missing or not a string");
		return ERR_TOKEN;
	}
	len = strlen(sub);
	if (len == 0 || len > BOUND_JWT_SUB) {
		err_reason("sub of %zu bytes (1 to %d allowed)", len,
		    BOUND_JWT_SUB);
		return ERR_TOKEN;
	}
	return ERR_OK;
}

static enum err
validate_nonce(const struct jwt *t, const struct jwt_expect *x)
{
	const char	*nonce;

	if (x->refreshed)
		return ERR_OK;
	if (x->nonce == NULL || x->nonce[0] == '\0') {
		err_reason("no nonce to compare the ID token's with");
		return ERR_TOKEN;
	}
	if (jv_str(t->claims, "nonce", &nonce) != ERR_OK) {
		err_reason("nonce missing or not a string");
		return ERR_TOKEN;
	}
	if (!equal_secret(nonce, x->nonce)) {
		err_reason("nonce is not the login's");
		return ERR_TOKEN;
	}
	return ERR_OK;
}

/* Hashes msg with SHAKE256 into out, SHAKE256_ED448_LEN bytes. */
static enum err
shake256(const char *msg, size_t len, unsigned char *out)
{
	EVP_MD_CTX	*ctx;
	enum err	 e = ERR_SYSTEM;

	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestInit_ex2(ctx, EVP_shake256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, msg, len) == 1 &&
	    EVP_DigestFinalXOF(ctx, out, SHAKE256_ED448_LEN) == 1)
		e = ERR_OK;
	EVP_MD_CTX_free(ctx);
	return e;
}

/*
 * Writes the access token's hash for at_hash into out (room for
 * HASH_MAX bytes) and sets *len: the alg's digest, SHA-512 for Ed25519
 * and SHAKE256 (114 bytes) for Ed448.
 */
static enum err
access_token_hash(const struct jwt *t, const char *token, unsigned char *out,
    size_t *len)
{
	const struct alg	*alg = alg_find(t->alg);

	if (alg == NULL)
		return ERR_TOKEN;
	if (alg->family == ALG_EDDSA) {
		if (t->key_crv != NULL && strcmp(t->key_crv, "Ed448") == 0) {
			*len = SHAKE256_ED448_LEN;
			return shake256(token, strlen(token), out);
		}
		if (t->key_crv == NULL || strcmp(t->key_crv, "Ed25519") != 0)
			return ERR_TOKEN;
	}
	return crypto_digest(alg->digest, token, strlen(token), out, len);
}

/*
 * For EdDSA the specifications were silent for years about at_hash's
 * hash: the OpenID working group reads it as the curve's (SHA-512 for
 * Ed25519, what oidc-provider does), Glewlwyd and others used SHA-256.
 * Both are a hash of the same token, neither weaker than what RS256 uses,
 * so for EdDSA alone SHA-256 is accepted too; every other mismatch is
 * refused.
 */
static int
eddsa_sha256_matches(const struct jwt *t, const struct jwt_expect *x,
    const char *got)
{
	const struct alg	*alg = alg_find(t->alg);
	unsigned char		 hash[HASH_MAX];
	char			 want[HASH_MAX];
	size_t			 len;

	if (alg == NULL || alg->family != ALG_EDDSA ||
	    crypto_digest(CRYPTO_SHA256, x->access_token,
	    strlen(x->access_token), hash, &len) != ERR_OK)
		return 0;
	b64_url_encode(hash, len / 2, want);
	return equal_secret(got, want);
}

static enum err
validate_at_hash(const struct jwt *t, const struct jwt_expect *x)
{
	unsigned char	 hash[HASH_MAX];
	char		 want[HASH_MAX];	/* base64 of half of it */
	const char	*got;
	size_t		 len;
	enum err	 e;

	if (x->access_token == NULL)
		return ERR_OK;
	if ((e = jv_str(t->claims, "at_hash", &got)) == ERR_NOT_FOUND)
		return ERR_OK;
	if (e != ERR_OK) {
		err_reason("at_hash is not a string");
		return ERR_TOKEN;
	}
	if (access_token_hash(t, x->access_token, hash, &len) != ERR_OK) {
		err_reason("at_hash cannot be computed for alg %s",
		    printable(t->alg));
		return ERR_TOKEN;
	}
	/* The left half of the hash, base64url-encoded. */
	b64_url_encode(hash, len / 2, want);
	if (equal_secret(got, want) || eddsa_sha256_matches(t, x, got))
		return ERR_OK;
	err_reason("at_hash does not match the access token");
	return ERR_TOKEN;
}

/* The claims, checked in this order; the first failure is the reason. */
static enum err (*const validators[])(const struct jwt *,
    const struct jwt_expect *) = {
	validate_iss,
	validate_aud,
	validate_azp,
	validate_exp,
	validate_nbf,
	validate_iat,
	validate_sub,
	validate_nonce,
	validate_at_hash,
};

static int
expect_sane(const struct jwt_expect *x)
{
	return x->issuer != NULL && x->client_id != NULL &&
	    x->now >= 0 && x->now <= BOUND_TIME_MAX &&
	    x->skew >= 0 && x->skew <= BOUND_CLOCK_SKEW_MAX;
}

enum err
jwt_check_claims(const struct jwt *t, const struct jwt_expect *x)
{
	size_t		i;
	enum err	e = ERR_TOKEN;

	if (t->claims == NULL || !expect_sane(x)) {
		err_reason("ID token claims cannot be checked (bad arguments)");
		goto out;
	}
	for (i = 0; i < sizeof(validators) / sizeof(validators[0]); i++)
		if (validators[i](t, x) != ERR_OK)
			goto out;
	e = ERR_OK;
out:
	return e;
}
