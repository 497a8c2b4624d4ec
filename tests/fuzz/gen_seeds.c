/*
 * Makes the fuzz seeds that need a key: sealed cookies and chunked
 * sessions under the secrets of fuzz.h, JWKS documents of real public
 * keys, and ID tokens signed with the keys of fuzz_keys.h, each good
 * one and each kind of bad one under a name that says which.
 *
 *	gen_seeds CORPUS_DIR	writes CORPUS_DIR/{seal,chunks,jwks,jwt}/...
 *	gen_seeds --jwks	prints the public JWKS (FUZZ_JWKS in fuzz.h)
 *
 * Run by "make fuzz-seeds".  HMAC, RSA PKCS#1 v1.5 and EdDSA outputs are
 * the same on every run; ECDSA and PSS signatures, AES-GCM IVs and the
 * weak RSA key differ, but always verify (or fail) the same way.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR_STATE openssl_ERR_STATE
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#undef ERR_STATE

#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "cfg.h"
#include "crypto.h"
#include "jwk.h"
#include "jwt.h"
#include "seal.h"

#include "fuzz.h"
#include "fuzz_keys.h"
#include "../unit/jose/keys.h"

/* --- Output. ------------------------------------------------------------ */

static const char	*corpus;
static int		 failed;

static void
write_seed(const char *target, const char *name, const void *data,
    size_t len)
{
	char	 path[1024];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", corpus, target);
	if (mkdir(path, 0777) == -1 && errno != EEXIST) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", corpus, target, name);
	if ((f = fopen(path, "wb")) == NULL ||
	    fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void
write_str(const char *target, const char *name, const char *s)
{
	write_seed(target, name, s, strlen(s));
}

/* Writes mode followed by s: the seal target's input format. */
static void
write_mode(struct arena *a, const char *name, char mode, const char *s)
{
	write_str("seal", name, arena_printf(a, "%c%s", mode, s));
}

static void
expect(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "gen_seeds: %s\n", what);
		failed = 1;
	}
}

/* --- Keys. -------------------------------------------------------------- */

enum { K_RSA, K_P256, K_P384, K_P521, K_ED25519, K_ED448, K__MAX };

static struct gkey {
	const char	*kid;
	const char	*pem;
	const char	*crv;		/* NULL for RSA */
	size_t		 coordlen;	/* EC */
	EVP_PKEY	*pkey;
} keys[K__MAX] = {
	[K_RSA] = { "rsa-1", FUZZ_PEM_RSA, NULL, 0, NULL },
	[K_P256] = { "ec-256", FUZZ_PEM_P256, "P-256", 32, NULL },
	[K_P384] = { "ec-384", FUZZ_PEM_P384, "P-384", 48, NULL },
	[K_P521] = { "ec-521", FUZZ_PEM_P521, "P-521", 66, NULL },
	[K_ED25519] = { "ed25519", FUZZ_PEM_ED25519, "Ed25519", 0, NULL },
	[K_ED448] = { "ed448", FUZZ_PEM_ED448, "Ed448", 0, NULL },
};

static void
load_keys(void)
{
	for (int i = 0; i < K__MAX; i++) {
		BIO *bio = BIO_new_mem_buf(keys[i].pem, -1);

		if (bio == NULL || (keys[i].pkey = PEM_read_bio_PrivateKey(bio,
		    NULL, NULL, NULL)) == NULL) {
			fprintf(stderr, "gen_seeds: key %s unreadable\n",
			    keys[i].kid);
			exit(1);
		}
		BIO_free(bio);
	}
}

static void
free_keys(void)
{
	for (int i = 0; i < K__MAX; i++)
		EVP_PKEY_free(keys[i].pkey);
}

/* Returns the public JWK of pkey with kid (unless NULL) and extra members. */
static char *
public_jwk(struct arena *a, EVP_PKEY *pkey, const char *crv,
    size_t coordlen, const char *kid, const char *extra)
{
	unsigned char	 buf[256];
	size_t		 len = 0;
	const char	*kidm;

	kidm = kid == NULL ? "" : arena_printf(a, ",\"kid\":\"%s\"", kid);
	if (crv == NULL)
		return arena_printf(a, "{\"kty\":\"RSA\",\"n\":\"%s\","
		    "\"e\":\"%s\"%s%s}", tkey_bn_b64(a, pkey, OSSL_PKEY_PARAM_RSA_N),
		    tkey_bn_b64(a, pkey, OSSL_PKEY_PARAM_RSA_E), kidm, extra);
	if (coordlen > 0) {
		if (EVP_PKEY_get_octet_string_param(pkey,
		    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, buf, sizeof(buf),
		    &len) != 1 || buf[0] != 0x04 || len != 1 + 2 * coordlen)
			return NULL;
		return arena_printf(a, "{\"kty\":\"EC\",\"crv\":\"%s\","
		    "\"x\":\"%s\",\"y\":\"%s\"%s%s}", crv,
		    b64_url_encode_arena(a, buf + 1, coordlen),
		    b64_url_encode_arena(a, buf + 1 + coordlen, coordlen),
		    kidm, extra);
	}
	len = sizeof(buf);
	if (EVP_PKEY_get_raw_public_key(pkey, buf, &len) != 1)
		return NULL;
	return arena_printf(a, "{\"kty\":\"OKP\",\"crv\":\"%s\",\"x\":\"%s\""
	    "%s%s}", crv, b64_url_encode_arena(a, buf, len), kidm, extra);
}

static char *
key_jwk(struct arena *a, int k, const char *extra)
{
	return public_jwk(a, keys[k].pkey, keys[k].crv, keys[k].coordlen,
	    keys[k].kid, extra);
}

static char *
fuzz_jwks(struct arena *a)
{
	char	*s = arena_strdup(a, "{\"keys\":[");

	for (int i = 0; i < K__MAX; i++)
		s = arena_printf(a, "%s%s%s", s, i ? "," : "",
		    key_jwk(a, i, ",\"use\":\"sig\""));
	return arena_printf(a, "%s]}", s);
}

/* --- JWS. --------------------------------------------------------------- */

static const char *
alg_md(const char *alg)
{
	if (strcmp(alg + 2, "256") == 0)
		return "SHA256";
	if (strcmp(alg + 2, "384") == 0)
		return "SHA384";
	if (strcmp(alg + 2, "512") == 0)
		return "SHA512";
	return NULL;
}

static enum crypto_digest
alg_digest(const char *alg)
{
	const char	*md = alg_md(alg);

	if (md == NULL || strcmp(md, "SHA512") == 0)
		return CRYPTO_SHA512;	/* EdDSA over Ed25519 too */
	return strcmp(md, "SHA384") == 0 ? CRYPTO_SHA384 : CRYPTO_SHA256;
}

/* Turns OpenSSL's DER ECDSA signature into JOSE's R || S. */
static int
ecdsa_raw(const unsigned char *der, size_t derlen, size_t coordlen,
    unsigned char *out)
{
	const unsigned char	*p = der;
	const BIGNUM		*r, *s;
	ECDSA_SIG		*es;
	int			 ok;

	if ((es = d2i_ECDSA_SIG(NULL, &p, (long)derlen)) == NULL)
		return 0;
	ECDSA_SIG_get0(es, &r, &s);
	ok = BN_bn2binpad(r, out, (int)coordlen) == (int)coordlen &&
	    BN_bn2binpad(s, out + coordlen, (int)coordlen) == (int)coordlen;
	ECDSA_SIG_free(es);
	return ok;
}

/* Returns the b64url signature of input under alg with key k (or HMAC). */
static char *
sign(struct arena *a, const char *alg, int k, const char *input)
{
	unsigned char	 sig[1024], raw[2 * 66];
	size_t		 siglen = sizeof(sig);
	EVP_MD_CTX	*md;
	EVP_PKEY_CTX	*pctx = NULL;
	const char	*mdname;
	int		 ok;

	if (k < 0 && alg[0] != 'H')
		return arena_strdup(a, "c2lnbmF0dXJl");	/* "signature" */
	if (alg[0] == 'H') {
		if (crypto_hmac(alg_digest(alg), FUZZ_HMAC_SECRET,
		    strlen(FUZZ_HMAC_SECRET), input, strlen(input), sig,
		    &siglen) != ERR_OK)
			return NULL;
		return b64_url_encode_arena(a, sig, siglen);
	}
	mdname = strcmp(alg, "EdDSA") == 0 ? NULL : alg_md(alg);
	if ((md = EVP_MD_CTX_new()) == NULL)
		return NULL;
	ok = EVP_DigestSignInit_ex(md, &pctx, mdname, NULL, NULL,
	    keys[k].pkey, NULL) == 1;
	if (ok && alg[0] == 'P')
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx,
		    RSA_PKCS1_PSS_PADDING) > 0 &&
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx,
		    RSA_PSS_SALTLEN_DIGEST) > 0;
	ok = ok && EVP_DigestSign(md, sig, &siglen,
	    (const unsigned char *)input, strlen(input)) == 1;
	EVP_MD_CTX_free(md);
	if (!ok)
		return NULL;
	if (alg[0] == 'E' && alg[1] == 'S') {
		if (!ecdsa_raw(sig, siglen, keys[k].coordlen, raw))
			return NULL;
		return b64_url_encode_arena(a, raw, 2 * keys[k].coordlen);
	}
	return b64_url_encode_arena(a, sig, siglen);
}

/* Returns the at_hash of FUZZ_ACCESS_TOKEN for alg (and key k's curve). */
static char *
at_hash(struct arena *a, const char *alg, int k)
{
	unsigned char	 h[114];
	size_t		 len = 0;
	EVP_MD_CTX	*md;

	if (strcmp(alg, "EdDSA") == 0 && k == K_ED448) {
		if ((md = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestInit_ex(md, EVP_shake256(), NULL) != 1 ||
		    EVP_DigestUpdate(md, FUZZ_ACCESS_TOKEN,
		    strlen(FUZZ_ACCESS_TOKEN)) != 1 ||
		    EVP_DigestFinalXOF(md, h, sizeof(h)) != 1) {
			EVP_MD_CTX_free(md);
			return NULL;
		}
		EVP_MD_CTX_free(md);
		len = sizeof(h);
	} else if (crypto_digest(alg_digest(alg), FUZZ_ACCESS_TOKEN,
	    strlen(FUZZ_ACCESS_TOKEN), h, &len) != ERR_OK)
		return NULL;
	return b64_url_encode_arena(a, h, len / 2);
}

/* The claims of a token; a NULL string or a negative time is left out. */
struct claims {
	const char	*iss;
	const char	*sub;
	const char	*aud;		/* raw JSON */
	const char	*azp;
	const char	*nonce;
	const char	*tid;
	const char	*at_hash;	/* "auto": the right one */
	const char	*extra;		/* raw members, ",\"x\":1" */
	long long	 exp;
	long long	 iat;
	long long	 nbf;
};

static struct claims
good_claims(void)
{
	struct claims	c = {
		.iss = FUZZ_ISSUER,
		.sub = "248289761001",
		.aud = "\"" FUZZ_CLIENT_ID "\"",
		.nonce = FUZZ_NONCE,
		.extra = ",\"email\":\"jane@example.com\",\"name\":\"Jane "
		    "Doe\",\"groups\":[\"staff\",\"admin\"]",
		.exp = FUZZ_NOW + 3600,
		.iat = FUZZ_NOW - 10,
		.nbf = -1,
	};

	return c;
}

static char *
add_str(struct arena *a, char *s, const char *name, const char *v)
{
	return v == NULL ? s : arena_printf(a, "%s%s\"%s\":\"%s\"", s,
	    s[1] ? "," : "", name, v);
}

static char *
add_raw(struct arena *a, char *s, const char *name, const char *v)
{
	return v == NULL ? s : arena_printf(a, "%s%s\"%s\":%s", s,
	    s[1] ? "," : "", name, v);
}

static char *
add_time(struct arena *a, char *s, const char *name, long long t)
{
	return t < 0 ? s : arena_printf(a, "%s%s\"%s\":%lld", s,
	    s[1] ? "," : "", name, t);
}

static char *
claims_json(struct arena *a, const struct claims *c, const char *alg, int k)
{
	char	*s = arena_strdup(a, "{");

	s = add_str(a, s, "iss", c->iss);
	s = add_str(a, s, "sub", c->sub);
	s = add_raw(a, s, "aud", c->aud);
	s = add_str(a, s, "azp", c->azp);
	s = add_time(a, s, "exp", c->exp);
	s = add_time(a, s, "iat", c->iat);
	s = add_time(a, s, "nbf", c->nbf);
	s = add_str(a, s, "nonce", c->nonce);
	s = add_str(a, s, "tid", c->tid);
	if (c->at_hash != NULL)
		s = add_str(a, s, "at_hash", strcmp(c->at_hash, "auto") == 0 ?
		    at_hash(a, alg, k) : c->at_hash);
	return arena_printf(a, "%s%s}", s, c->extra ? c->extra : "");
}

enum mutation { M_NONE, M_FLIP_SIG, M_CUT_SIG };

/*
 * Writes jwt/name: a token with header {"alg":alg,"typ":"JWT"} plus
 * kid (NULL: none) and header_extra, claims c, signed with key k (or
 * HMAC), then mutated.  A token meant to verify is checked here with
 * lib/jwt against FUZZ_JWKS, so the seeds and the target agree.
 */
static void
jwt_seed(struct arena *a, const struct jwk_set *set, const char *name,
    const char *alg, int k, const char *kid, const char *header_extra,
    const struct claims *c, enum mutation m)
{
	static const char *const hmac_algs[] = { "HS256", "HS384", "HS512" };
	char		*header, *claims, *input, *sig, *token;
	struct jwt	 t;
	size_t		 len;

	header = arena_printf(a, "{\"alg\":\"%s\",\"typ\":\"JWT\"%s%s%s%s}",
	    alg, kid ? ",\"kid\":\"" : "", kid ? kid : "", kid ? "\"" : "",
	    header_extra);
	claims = claims_json(a, c, alg, k);
	input = arena_printf(a, "%s.%s",
	    b64_url_encode_arena(a, header, strlen(header)),
	    b64_url_encode_arena(a, claims, strlen(claims)));
	if ((sig = sign(a, alg, k, input)) == NULL) {
		expect(0, arena_printf(a, "%s: signing failed", name));
		return;
	}
	len = strlen(sig);
	if (m == M_FLIP_SIG)
		sig[len / 2] = sig[len / 2] == 'A' ? 'B' : 'A';
	else if (m == M_CUT_SIG)
		sig[len - 4] = '\0';
	token = arena_printf(a, "%s.%s", input, sig);
	write_str("jwt", name, token);
	if (m != M_NONE || strncmp(name, "valid-", 6) != 0)
		return;
	expect(jwt_parse(a, token, strlen(token), &t) == ERR_OK &&
	    jwt_verify(&t, set, hmac_algs, 3, FUZZ_HMAC_SECRET) == ERR_OK,
	    arena_printf(a, "jwt/%s does not verify", name));
}

static void
jwt_seeds(struct arena *a, const struct jwk_set *set)
{
	static const struct {
		const char	*alg;
		int		 key;
	} good[] = {
		{ "RS256", K_RSA }, { "RS512", K_RSA }, { "PS256", K_RSA },
		{ "PS512", K_RSA }, { "ES256", K_P256 }, { "ES384", K_P384 },
		{ "ES512", K_P521 }, { "EdDSA", K_ED25519 },
		{ "EdDSA", K_ED448 }, { "HS256", -1 }, { "HS512", -1 },
	};
	struct claims	c, g = good_claims();

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int	 k = good[i].key;
		char	*name = arena_printf(a, "valid-%s%s%s", good[i].alg,
		    k == K_ED25519 || k == K_ED448 ? "-" : "",
		    k == K_ED25519 || k == K_ED448 ? keys[k].crv : "");

		c = g;
		c.at_hash = "auto";
		jwt_seed(a, set, name, good[i].alg, k,
		    k >= 0 ? keys[k].kid : NULL, "", &c, M_NONE);
	}
	jwt_seed(a, set, "valid-RS256-no-kid", "RS256", K_RSA, NULL, "", &g,
	    M_NONE);
	jwt_seed(a, set, "kid-unknown", "RS256", K_RSA, "rotated-away", "",
	    &g, M_NONE);
	jwt_seed(a, set, "alg-ES256-with-rsa-kid", "ES256", K_P256, "rsa-1",
	    "", &g, M_NONE);
	jwt_seed(a, set, "sig-flipped", "RS256", K_RSA, "rsa-1", "", &g,
	    M_FLIP_SIG);
	jwt_seed(a, set, "sig-truncated", "EdDSA", K_ED25519, "ed25519", "",
	    &g, M_CUT_SIG);
	jwt_seed(a, set, "header-crit", "RS256", K_RSA, "rsa-1",
	    ",\"crit\":[\"exp\"]", &g, M_NONE);
	jwt_seed(a, set, "header-typ-at+jwt", "RS256", K_RSA, "rsa-1",
	    ",\"typ\":\"at+jwt\"", &g, M_NONE);
	jwt_seed(a, set, "alg-none", "none", -1, NULL, "", &g, M_NONE);

	c = g;
	c.exp = FUZZ_NOW - 3600;
	jwt_seed(a, set, "claims-expired", "RS256", K_RSA, "rsa-1", "", &c,
	    M_NONE);
	c = g;
	c.nbf = FUZZ_NOW + 3600;
	jwt_seed(a, set, "claims-nbf-future", "RS256", K_RSA, "rsa-1", "", &c,
	    M_NONE);
	c = g;
	c.iat = FUZZ_NOW + 3600;
	jwt_seed(a, set, "claims-iat-future", "RS256", K_RSA, "rsa-1", "", &c,
	    M_NONE);
	c = g;
	c.iat = -1;
	jwt_seed(a, set, "claims-iat-missing", "ES256", K_P256, "ec-256", "",
	    &c, M_NONE);
	c = g;
	c.iss = "https://evil.example.com";
	jwt_seed(a, set, "claims-iss-wrong", "RS256", K_RSA, "rsa-1", "", &c,
	    M_NONE);
	c = g;
	c.aud = "\"another-client\"";
	jwt_seed(a, set, "claims-aud-wrong", "RS256", K_RSA, "rsa-1", "", &c,
	    M_NONE);
	c = g;
	c.aud = "[\"" FUZZ_CLIENT_ID "\",\"api\"]";
	c.azp = FUZZ_CLIENT_ID;
	jwt_seed(a, set, "valid-aud-array-azp", "RS256", K_RSA, "rsa-1", "",
	    &c, M_NONE);
	c = g;
	c.aud = "[\"" FUZZ_CLIENT_ID "\",\"api\"]";
	jwt_seed(a, set, "claims-aud-array-no-azp", "RS256", K_RSA, "rsa-1",
	    "", &c, M_NONE);
	c = g;
	c.azp = "api";
	jwt_seed(a, set, "claims-azp-wrong", "RS256", K_RSA, "rsa-1", "", &c,
	    M_NONE);
	c = g;
	c.nonce = "replayed-nonce";
	jwt_seed(a, set, "claims-nonce-wrong", "RS256", K_RSA, "rsa-1", "",
	    &c, M_NONE);
	c = g;
	c.sub = NULL;
	jwt_seed(a, set, "claims-sub-missing", "RS256", K_RSA, "rsa-1", "",
	    &c, M_NONE);
	c = g;
	c.at_hash = "AAAAAAAAAAAAAAAAAAAAAA";
	jwt_seed(a, set, "claims-at-hash-wrong", "ES256", K_P256, "ec-256",
	    "", &c, M_NONE);
	c = g;
	c.iss = "https://login.example.com/" FUZZ_TENANT "/v2.0";
	c.tid = FUZZ_TENANT;
	jwt_seed(a, set, "valid-tenant", "RS256", K_RSA, "rsa-1", "", &c,
	    M_NONE);
	c.iss = "https://login.example.com/other-tenant/v2.0";
	c.tid = "other-tenant";
	jwt_seed(a, set, "claims-tenant-unlisted", "RS256", K_RSA, "rsa-1",
	    "", &c, M_NONE);
}

/* --- JWKS. -------------------------------------------------------------- */

static char *
keys_doc(struct arena *a, const char *members)
{
	return arena_printf(a, "{\"keys\":[%s]}", members);
}

/* Returns key k's JWK with the coordinate member (x or y) altered. */
static char *
bent_point(struct arena *a, int k)
{
	unsigned char	 buf[256];
	size_t		 len = 0, n = keys[k].coordlen;

	if (EVP_PKEY_get_octet_string_param(keys[k].pkey,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, buf, sizeof(buf), &len) != 1)
		return NULL;
	buf[len - 1] ^= 1;
	return arena_printf(a, "{\"kty\":\"EC\",\"crv\":\"%s\",\"x\":\"%s\","
	    "\"y\":\"%s\",\"kid\":\"bent\"}", keys[k].crv,
	    b64_url_encode_arena(a, buf + 1, n),
	    b64_url_encode_arena(a, buf + 1 + n, n));
}

static void
jwks_seeds(struct arena *a)
{
	EVP_PKEY	*weak;
	char		*many = arena_strdup(a, ""), *kid;

	write_str("jwks", "set-fuzz-keys", fuzz_jwks(a));
	for (int k = 0; k < K__MAX; k++)
		write_str("jwks", arena_printf(a, "key-%s", keys[k].kid),
		    keys_doc(a, key_jwk(a, k, "")));
	write_str("jwks", "rsa-alg-RS256", keys_doc(a, key_jwk(a, K_RSA,
	    ",\"alg\":\"RS256\",\"use\":\"sig\"")));
	write_str("jwks", "ec-alg-RS256-mismatch", keys_doc(a,
	    key_jwk(a, K_P256, ",\"alg\":\"RS256\"")));
	write_str("jwks", "ec-alg-ES384-wrong-curve", keys_doc(a,
	    key_jwk(a, K_P256, ",\"alg\":\"ES384\"")));
	write_str("jwks", "use-enc", keys_doc(a, key_jwk(a, K_P384,
	    ",\"use\":\"enc\"")));
	write_str("jwks", "key-ops-sign-only", keys_doc(a, key_jwk(a, K_P521,
	    ",\"key_ops\":[\"sign\"]")));
	write_str("jwks", "key-ops-verify", keys_doc(a, key_jwk(a, K_P521,
	    ",\"key_ops\":[\"verify\"]")));
	write_str("jwks", "ec-point-not-on-curve", keys_doc(a,
	    bent_point(a, K_P256)));
	write_str("jwks", "ec-p521-point-not-on-curve", keys_doc(a,
	    bent_point(a, K_P521)));
	kid = arena_printf(a, "%0300d", 7);
	write_str("jwks", "kid-too-long", keys_doc(a,
	    public_jwk(a, keys[K_ED25519].pkey, "Ed25519", 0, kid, "")));
	write_str("jwks", "kid-empty", keys_doc(a,
	    public_jwk(a, keys[K_ED25519].pkey, "Ed25519", 0, "", "")));
	write_str("jwks", "kid-duplicate", keys_doc(a, arena_printf(a,
	    "%s,%s", public_jwk(a, keys[K_P256].pkey, "P-256", 32, "same", ""),
	    public_jwk(a, keys[K_RSA].pkey, NULL, 0, "same", ""))));
	for (int i = 0; i < BOUND_JWKS_KEYS + 2; i++)
		many = arena_printf(a, "%s%s%s", many, i ? "," : "",
		    public_jwk(a, keys[K_ED448].pkey, "Ed448", 0,
		    arena_printf(a, "k%d", i), ""));
	write_str("jwks", "over-32-keys", keys_doc(a, many));
	if ((weak = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024)) ==
	    NULL) {
		expect(0, "no 1024-bit RSA key");
		return;
	}
	write_str("jwks", "rsa-1024-weak", keys_doc(a,
	    public_jwk(a, weak, NULL, 0, "weak", "")));
	EVP_PKEY_free(weak);
}

/* --- Sealed cookies. ---------------------------------------------------- */

#define SESSION_PAYLOAD \
	"{\"p\":\"google\",\"c\":{\"sub\":\"248289761001\"," \
	"\"email\":\"jane@example.com\"}}"
#define FLOW_PAYLOAD \
	"{\"p\":\"google\",\"s\":\"" FUZZ_STATE "\"," \
	"\"n\":\"" FUZZ_NONCE "\",\"v\":\"verifier-0123456789\",\"r\":\"/app\"}"

static struct seal_keys *
keys_of(const char *secret)
{
	struct cfg_secret	 cur;
	struct seal_keys	*k = NULL;

	cur.bytes = (unsigned char *)secret;
	cur.len = strlen(secret);
	if (seal_keys_new(&cur, NULL, 0, &k) != ERR_OK)
		exit(1);
	return k;
}

static char *
seal(struct arena *a, const struct seal_keys *k, enum seal_purpose p,
    const char *name, int64_t iat, int64_t max_age, const char *payload)
{
	char	*v = NULL;

	if (seal_seal(k, a, p, name, iat, max_age, payload, strlen(payload),
	    &v) != ERR_OK)
		exit(1);
	return v;
}

/* Returns a sealed value whose version byte says 2 (the MAC left as is). */
static char *
version_2(struct arena *a, const char *sealed)
{
	const char	*dot = strchr(sealed, '.');
	unsigned char	*body;
	size_t		 len;

	if (b64_url_decode_arena(a, sealed, (size_t)(dot - sealed), &body,
	    &len) != ERR_OK)
		exit(1);
	body[0] = 2;
	return arena_printf(a, "%s%s", b64_url_encode_arena(a, body, len),
	    dot);
}

static char *
repeat(struct arena *a, char c, size_t n)
{
	char	*s = arena_alloc(a, n + 1);

	memset(s, c, n);
	return s;
}

static char *
token(struct arena *a, const struct seal_keys *k, const char *aad)
{
	char	*v = NULL;

	if (seal_encrypt(k, a, aad, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", 28,
	    &v) != ERR_OK)
		exit(1);
	return v;
}

static void
seal_seeds(struct arena *a, const struct seal_keys *cur,
    const struct seal_keys *prev, const struct seal_keys *other)
{
	const int64_t	 t = FUZZ_NOW - 100;
	char		*v, *binding;

	v = seal(a, cur, SEAL_SESSION, FUZZ_COOKIE, t, 3600, SESSION_PAYLOAD);
	write_mode(a, "session-valid", '0', v);
	write_mode(a, "session-version-2", '0', version_2(a, v));
	v[strlen(v) - 5] = v[strlen(v) - 5] == 'A' ? 'B' : 'A';
	write_mode(a, "session-bad-mac", '0', v);
	write_mode(a, "session-rotated-secret", '0', seal(a, prev,
	    SEAL_SESSION, FUZZ_COOKIE, t, 3600, SESSION_PAYLOAD));
	write_mode(a, "session-unknown-key", '0', seal(a, other, SEAL_SESSION,
	    FUZZ_COOKIE, t, 3600, SESSION_PAYLOAD));
	write_mode(a, "session-expired", '0', seal(a, cur, SEAL_SESSION,
	    FUZZ_COOKIE, FUZZ_NOW - 7200, 3600, SESSION_PAYLOAD));
	write_mode(a, "session-max-age-0", '0', seal(a, cur, SEAL_SESSION,
	    FUZZ_COOKIE, FUZZ_NOW, 0, SESSION_PAYLOAD));
	write_mode(a, "session-issued-in-future", '0', seal(a, cur,
	    SEAL_SESSION, FUZZ_COOKIE, FUZZ_NOW + 3600, 3600,
	    SESSION_PAYLOAD));
	write_mode(a, "session-other-name", '0', seal(a, cur, SEAL_SESSION,
	    "other_cookie", t, 3600, SESSION_PAYLOAD));
	write_mode(a, "session-sealed-as-flow", '0', seal(a, cur, SEAL_FLOW,
	    FUZZ_COOKIE, t, 3600, SESSION_PAYLOAD));
	write_mode(a, "session-empty-payload", '0', seal(a, cur, SEAL_SESSION,
	    FUZZ_COOKIE, t, 3600, ""));
	write_mode(a, "malformed-no-dot", '0', "AQAAAAAAAAAAAAAAAAAAAAAAAAAA");
	write_mode(a, "malformed-mac-short", '0',
	    "AQAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA");
	write_mode(a, "flow-valid", '1', seal(a, cur, SEAL_FLOW,
	    FUZZ_FLOW_COOKIE, FUZZ_NOW - 60, BOUND_FLOW_MAX_AGE,
	    FLOW_PAYLOAD));
	write_mode(a, "flow-expired", '1', seal(a, cur, SEAL_FLOW,
	    FUZZ_FLOW_COOKIE, FUZZ_NOW - 1200, BOUND_FLOW_MAX_AGE,
	    FLOW_PAYLOAD));
	write_mode(a, "flow-sealed-as-session", '1', seal(a, cur,
	    SEAL_SESSION, FUZZ_FLOW_COOKIE, t, 600, FLOW_PAYLOAD));
	write_mode(a, "round-trip-session", '2', SESSION_PAYLOAD);
	write_mode(a, "round-trip-empty", '2', "");
	write_mode(a, "round-trip-two-chunks", '2', repeat(a, 'x', 4500));
	write_mode(a, "round-trip-too-big", '2', repeat(a, 'x', 4700));
	write_mode(a, "round-trip-flow", '3', FLOW_PAYLOAD);
	write_mode(a, "round-trip-flow-too-big", '3', repeat(a, 'y', 2300));
	write_mode(a, "token-valid", '4', token(a, cur, FUZZ_TOKEN_AAD));
	write_mode(a, "token-other-aad", '4', token(a, cur, "ta"));
	write_mode(a, "token-previous-secret", '4', token(a, prev,
	    FUZZ_TOKEN_AAD));
	write_mode(a, "token-unknown-key", '4', token(a, other,
	    FUZZ_TOKEN_AAD));
	v = token(a, cur, FUZZ_TOKEN_AAD);
	v[strlen(v) - 6] = '\0';
	write_mode(a, "token-truncated", '4', v);
	write_mode(a, "token-not-base64url", '4', "not+base64/url==");
	binding = "c2Vzc2lvbi1tYWMtMDEyMzQ1Njc4OWFiY2RlZmdoaWpr";
	write_mode(a, "csrf-valid", '6', arena_printf(a, "%s %s", binding,
	    seal_csrf_token(cur, a, binding)));
	write_mode(a, "csrf-previous-secret", '6', arena_printf(a, "%s %s",
	    binding, seal_csrf_token(prev, a, binding)));
	write_mode(a, "csrf-other-binding", '6', arena_printf(a, "other %s",
	    seal_csrf_token(cur, a, binding)));
	write_mode(a, "csrf-missing-token", '6', binding);
}

/* Returns the Cookie header of a session sealed from payload, chunked. */
static char *
chunked(struct arena *a, const struct seal_keys *k, const char *payload,
    struct seal_chunk **chunks, size_t *n)
{
	char	*sealed = seal(a, k, SEAL_SESSION, FUZZ_COOKIE, FUZZ_NOW - 100,
	    3600, payload), *h = arena_strdup(a, "");

	if (seal_split(a, FUZZ_COOKIE, sealed, chunks, n) != ERR_OK)
		exit(1);
	for (size_t i = 0; i < *n; i++)
		h = arena_printf(a, "%s%s%s=%s", h, i ? "; " : "",
		    (*chunks)[i].name, (*chunks)[i].value);
	return h;
}

static void
chunk_seeds(struct arena *a, const struct seal_keys *cur)
{
	struct seal_chunk	*c;
	size_t			 n;
	char			*big, *h, *x;

	x = repeat(a, 'x', BOUND_COOKIE_CHUNK);
	big = arena_printf(a, "{\"p\":\"okta\",\"c\":{\"sub\":\"1\","
	    "\"groups\":\"%s\"}}", repeat(a, 'g', 3500));
	h = chunked(a, cur, big, &c, &n);
	expect(n == 3, "the big session is not two chunks");
	write_str("chunks", "two-chunks-valid", h);
	write_str("chunks", "two-chunks-reversed", arena_printf(a,
	    "%s=%s; %s=%s; %s=%s", c[2].name, c[2].value, c[1].name,
	    c[1].value, c[0].name, c[0].value));
	write_str("chunks", "two-chunks-swapped", arena_printf(a,
	    "%s=%s; %s=%s; %s=%s", c[0].name, c[0].value, c[1].name,
	    c[2].value, c[2].name, c[1].value));
	write_str("chunks", "chunk-missing", arena_printf(a, "%s=%s; %s=%s",
	    c[0].name, c[0].value, c[1].name, c[1].value));
	write_str("chunks", "count-over-bound", arena_printf(a,
	    "oidc_login=5; %s=%s; %s=%s", c[1].name, c[1].value, c[2].name,
	    c[2].value));
	write_str("chunks", "chunks-over-bound", arena_printf(a,
	    "oidc_login=2; oidc_login_1=%s; oidc_login_2=%s", x, x));
	h = chunked(a, cur, SESSION_PAYLOAD, &c, &n);
	write_str("chunks", "single-valid", arena_printf(a,
	    "theme=dark; %s; _ga=GA1.2.3", h));
	write_str("chunks", "single-quoted", arena_printf(a,
	    "oidc_login=\"%s\"", c[0].value));
	write_str("chunks", "duplicate-base-first-wins", arena_printf(a,
	    "oidc_login=garbage.value; %s", h));
	write_str("chunks", "expired", arena_printf(a, "oidc_login=%s",
	    seal(a, cur, SEAL_SESSION, FUZZ_COOKIE, FUZZ_NOW - 7200, 3600,
	    SESSION_PAYLOAD)));
	write_str("chunks", "count-one", "oidc_login=1; oidc_login_1=abc");
	write_str("chunks", "count-not-a-number", "oidc_login=two");
	write_str("chunks", "count-negative", "oidc_login=-2");
	write_str("chunks", "no-session-cookie", "theme=dark; lang=en");
}

int
main(int argc, char *argv[])
{
	struct arena		*a;
	struct jwk_set		*set = NULL;
	struct seal_keys	*cur, *prev, *other;
	struct cfg_secret	 c, p;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_seeds CORPUS_DIR | --jwks\n");
		return 2;
	}
	a = arena_new();
	load_keys();
	if (strcmp(argv[1], "--jwks") == 0) {
		printf("%s\n", fuzz_jwks(a));
		goto out;
	}
	corpus = argv[1];
	if (strcmp(FUZZ_JWKS, fuzz_jwks(a)) != 0) {
		fprintf(stderr, "gen_seeds: FUZZ_JWKS is not the public half "
		    "of fuzz_keys.h; update it from gen_seeds --jwks\n");
		failed = 1;
		goto out;
	}
	if (jwk_set_parse(FUZZ_JWKS, strlen(FUZZ_JWKS), &set) != ERR_OK)
		exit(1);
	c.bytes = (unsigned char *)FUZZ_SECRET;
	c.len = strlen(FUZZ_SECRET);
	p.bytes = (unsigned char *)FUZZ_SECRET_PREVIOUS;
	p.len = strlen(FUZZ_SECRET_PREVIOUS);
	if (seal_keys_new(&c, &p, 1, &cur) != ERR_OK)
		exit(1);
	prev = keys_of(FUZZ_SECRET_PREVIOUS);
	other = keys_of(FUZZ_SECRET_OTHER);
	jwt_seeds(a, set);
	jwks_seeds(a);
	seal_seeds(a, cur, prev, other);
	chunk_seeds(a, cur);
	seal_keys_free(cur);
	seal_keys_free(prev);
	seal_keys_free(other);
	jwk_set_free(set);
 out:
	free_keys();
	arena_free(a);
	return failed;
}
