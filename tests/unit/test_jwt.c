#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "err.h"
#include "jose/keys.h"
#include "jose/vectors.h"
#include "jv.h"
#include "jwk.h"
#include "jwt.h"
#include "tap.h"

#define NOW		1700000000LL
#define SKEW		60
#define ISSUER		"https://issuer.example"
#define CLIENT		"client-1"
#define NONCE		"n-0S6_WzA2Mj"
#define ACCESS		"access-token-1"
#define SECRET		"client-secret-0123456789abcdef"

#define ENTRA		"https://login.microsoftonline.com/"
#define TID		"9188040d-6c67-4c5b-b112-36a304b66dad"
#define ENTRA_ISSUER	ENTRA "{tenantid}/v2.0"

/* The keys the tests sign with; all of them are in the JWKS. */
enum {
	K_RSA = 0, K_P256, K_P384, K_P521, K_ED25519, K_ED448, K_P256B,
	K__MAX
};

static struct tkey keys[K__MAX] = {
	[K_RSA] = { "rsa", "RSA", NULL, 0, NULL },
	[K_P256] = { "p256", "EC", "P-256", 32, NULL },
	[K_P384] = { "p384", "EC", "P-384", 48, NULL },
	[K_P521] = { "p521", "EC", "P-521", 66, NULL },
	[K_ED25519] = { "ed25519", "ED25519", "Ed25519", 0, NULL },
	[K_ED448] = { "ed448", "ED448", "Ed448", 0, NULL },
	[K_P256B] = { "p256b", "EC", "P-256", 32, NULL },
};

static const char *const all_hmac[] = { "HS256", "HS384", "HS512" };

/* --- Helpers. ---------------------------------------------------------- */

static struct jwk_set *
jwks(const char *json)
{
	struct jwk_set	*set = NULL;

	if (jwk_set_parse(json, strlen(json), &set) != ERR_OK)
		return NULL;
	return set;
}

/*
 * The JWKS of every test key under its kid, and the RSA key once more as
 * "rsa-rs256", declaring alg RS256.
 */
static struct jwk_set *
all_keys(struct arena *a)
{
	char	*doc;
	size_t	 i;

	doc = arena_printf(a, "{\"keys\":[%s",
	    tkey_jwk(a, &keys[K_RSA], "rsa-rs256", ",\"alg\":\"RS256\""));
	for (i = 0; i < K__MAX; i++)
		doc = arena_printf(a, "%s,%s", doc,
		    tkey_jwk(a, &keys[i], keys[i].kid, ",\"use\":\"sig\""));
	return jwks(arena_printf(a, "%s]}", doc));
}

/* The base64url left half of the access token's hash: md, or SHAKE256. */
static char *
at_hash(struct arena *a, const char *md, const char *token)
{
	unsigned char	 h[114];
	size_t		 len = sizeof(h);
	EVP_MD_CTX	*ctx;

	if (strcmp(md, "SHAKE256") == 0) {
		ctx = EVP_MD_CTX_new();
		EVP_DigestInit_ex2(ctx, EVP_shake256(), NULL);
		EVP_DigestUpdate(ctx, token, strlen(token));
		EVP_DigestFinalXOF(ctx, h, 114);
		EVP_MD_CTX_free(ctx);
		len = 114;
	} else
		EVP_Q_digest(NULL, md, NULL, token, strlen(token), h, &len);
	return b64_url_encode_arena(a, h, len / 2);
}

/* The hash at_hash takes for alg (and the key's curve, for EdDSA). */
static const char *
at_hash_md(const char *alg, const char *crv)
{
	if (strcmp(alg, "EdDSA") == 0 || strncmp(alg, "Ed", 2) == 0)
		return strcmp(crv, "Ed448") == 0 ? "SHAKE256" : "SHA512";
	if (strcmp(alg + 2, "256") == 0)
		return "SHA256";
	if (strcmp(alg + 2, "384") == 0)
		return "SHA384";
	return "SHA512";
}

/*
 * The base claims, with patch (a JSON object: its members replace the
 * base's, null ones delete them) and at_hash (unless NULL) applied.
 */
static char *
claims_json(struct arena *a, const char *patch, const char *ath)
{
	json_object	*base, *p;
	char		*out;

	base = json_object_new_object();
	json_object_object_add(base, "iss", json_object_new_string(ISSUER));
	json_object_object_add(base, "aud", json_object_new_string(CLIENT));
	json_object_object_add(base, "exp", json_object_new_int64(NOW + 300));
	json_object_object_add(base, "iat", json_object_new_int64(NOW - 10));
	json_object_object_add(base, "sub", json_object_new_string("user-1"));
	json_object_object_add(base, "nonce", json_object_new_string(NONCE));
	if (ath != NULL)
		json_object_object_add(base, "at_hash",
		    json_object_new_string(ath));
	if (patch != NULL && (p = json_tokener_parse(patch)) != NULL) {
		json_object_object_foreach(p, key, val) {
			if (val == NULL)
				json_object_object_del(base, key);
			else
				json_object_object_add(base, key,
				    json_object_get(val));
		}
		json_object_put(p);
	}
	out = arena_strdup(a, json_object_to_json_string_ext(base,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(base);
	return out;
}

/* A compact token from header and payload texts and a signature part. */
static char *
compact(struct arena *a, const char *header, const char *payload,
    const char *sig)
{
	return arena_printf(a, "%s.%s.%s",
	    b64_url_encode_arena(a, header, strlen(header)),
	    b64_url_encode_arena(a, payload, strlen(payload)), sig);
}

static void
expect_init(struct jwt_expect *x)
{
	memset(x, 0, sizeof(*x));
	x->issuer = ISSUER;
	x->client_id = CLIENT;
	x->nonce = NONCE;
	x->access_token = ACCESS;
	x->now = NOW;
	x->skew = SKEW;
}

static enum err
parse(struct arena *a, const char *tok, struct jwt *t)
{
	err_reason_clear();
	return jwt_parse(a, tok, strlen(tok), t);
}

/* --- Every algorithm, its right key, and broken signatures. ----------- */

struct alg_case {
	const char	*alg;
	int		 key;		/* -1: HMAC with SECRET */
};

static const struct alg_case alg_cases[] = {
	{ "RS256", K_RSA }, { "RS384", K_RSA }, { "RS512", K_RSA },
	{ "PS256", K_RSA }, { "PS384", K_RSA }, { "PS512", K_RSA },
	{ "ES256", K_P256 }, { "ES384", K_P384 }, { "ES512", K_P521 },
	{ "EdDSA", K_ED25519 }, { "EdDSA", K_ED448 },
	{ "Ed25519", K_ED25519 }, { "Ed448", K_ED448 },
	{ "HS256", -1 }, { "HS384", -1 }, { "HS512", -1 },
};

static void
test_alg(struct arena *a, const struct jwk_set *set, const struct alg_case *c)
{
	const struct tkey	*k = c->key < 0 ? NULL : &keys[c->key];
	const char		*kid = k == NULL ? "hmac" : k->kid;
	const char		*crv = k == NULL ? NULL : k->crv;
	struct jwt_expect	 x;
	struct jwt		 t;
	char			*tok, *hdr;

	hdr = arena_printf(a, "{\"alg\":\"%s\",\"kid\":\"%s\",\"typ\":\"JWT\"}",
	    c->alg, kid);
	tok = jws_sign(a, hdr, claims_json(a, NULL, at_hash(a,
	    at_hash_md(c->alg, crv), ACCESS)), c->alg, k, SECRET,
	    strlen(SECRET));
	if (!ok(tok != NULL, "%s/%s: signed", c->alg, kid) ||
	    !ok(parse(a, tok, &t) == ERR_OK, "%s/%s: parses", c->alg, kid))
		return;
	is_int(jwt_verify(&t, set, all_hmac, 3, SECRET), ERR_OK,
	    "%s/%s: verifies", c->alg, kid);
	is_str(t.key_crv, crv, "%s/%s: key curve recorded", c->alg, kid);
	expect_init(&x);
	is_int(jwt_check_claims(&t, &x), ERR_OK, "%s/%s: claims and at_hash "
	    "hold (%s)", c->alg, kid, err_reason_get());

	t.sig[t.siglen / 2] ^= 0x01;
	is_int(jwt_verify(&t, set, all_hmac, 3, SECRET), ERR_TOKEN,
	    "%s/%s: a flipped signature bit fails", c->alg, kid);
	t.sig[t.siglen / 2] ^= 0x01;
	t.siglen--;
	is_int(jwt_verify(&t, set, all_hmac, 3, SECRET), ERR_TOKEN,
	    "%s/%s: a signature one byte short fails", c->alg, kid);
	t.siglen++;
	t.signing_input_len--;
	is_int(jwt_verify(&t, set, all_hmac, 3, SECRET), ERR_TOKEN,
	    "%s/%s: a changed signing input fails", c->alg, kid);
	t.signing_input_len++;
	is_int(jwt_verify(&t, set, all_hmac, 3, SECRET), ERR_OK,
	    "%s/%s: restored, verifies again", c->alg, kid);
}

static void
test_algs(struct arena *a, const struct jwk_set *set)
{
	size_t	i;

	for (i = 0; i < sizeof(alg_cases) / sizeof(alg_cases[0]); i++)
		test_alg(a, set, &alg_cases[i]);
}

/* --- Algorithm and key mismatches, key selection. ---------------------- */

struct pick_case {
	const char	*name;
	const char	*alg;		/* in the header */
	const char	*sign_alg;	/* how it is really signed */
	int		 key;
	const char	*kid;		/* in the header; NULL: none */
	enum err	 want;
	const char	*why;
};

static const struct pick_case pick_cases[] = {
	{ "ES256 signed by a P-384 key", "ES256", "ES256", K_P384, "p384",
	    ERR_TOKEN, "no JWKS key fits" },
	{ "ES256 naming a P-384 key", "ES256", "ES256", K_P256, "p384",
	    ERR_TOKEN, "no JWKS key fits" },
	{ "ES384 signed by a P-256 key", "ES384", "ES384", K_P256, "p256",
	    ERR_TOKEN, "no JWKS key fits" },
	{ "ES512 naming a P-256 key", "ES512", "ES512", K_P521, "p256",
	    ERR_TOKEN, "no JWKS key fits" },
	{ "RS256 naming an EC key", "RS256", "RS256", K_RSA, "p256",
	    ERR_TOKEN, "no JWKS key fits" },
	{ "RS256 naming an OKP key", "RS256", "RS256", K_RSA, "ed25519",
	    ERR_TOKEN, "no JWKS key fits" },
	{ "EdDSA naming an RSA key", "EdDSA", "EdDSA", K_ED25519, "rsa",
	    ERR_TOKEN, "no JWKS key fits" },
	{ "EdDSA by Ed448 naming the Ed25519 key", "EdDSA", "EdDSA",
	    K_ED448, "ed25519", ERR_TOKEN, "does not verify" },
	{ "Ed25519 naming the Ed448 key", "Ed25519", "Ed25519", K_ED448,
	    "ed448", ERR_TOKEN, "no JWKS key fits" },
	{ "Ed448 naming the Ed25519 key", "Ed448", "Ed448", K_ED25519,
	    "ed25519", ERR_TOKEN, "no JWKS key fits" },
	{ "no kid, Ed448 (one fitting key)", "Ed448", "Ed448", K_ED448, NULL,
	    ERR_OK, NULL },
	{ "PS256 naming a key with alg RS256", "PS256", "PS256", K_RSA,
	    "rsa-rs256", ERR_TOKEN, "no JWKS key fits" },
	{ "RS256 naming a key with alg RS256", "RS256", "RS256", K_RSA,
	    "rsa-rs256", ERR_OK, NULL },
	{ "PS256 header, PKCS#1 v1.5 signature", "PS256", "RS256", K_RSA,
	    "rsa", ERR_TOKEN, "does not verify" },
	{ "RS256 header, PSS signature", "RS256", "PS256", K_RSA, "rsa",
	    ERR_TOKEN, "does not verify" },
	{ "RS384 header, RS256 signature", "RS384", "RS256", K_RSA, "rsa",
	    ERR_TOKEN, "does not verify" },
	{ "ES256 header, ES384-style signature", "ES256", "ES384", K_P256,
	    "p256", ERR_TOKEN, "does not verify" },
	{ "unknown kid", "RS256", "RS256", K_RSA, "rsa-2", ERR_NOT_FOUND,
	    "kid" },
	{ "kid of another case", "RS256", "RS256", K_RSA, "RSA",
	    ERR_NOT_FOUND, "kid" },
	{ "no kid, RS256 (two fitting keys)", "RS256", "RS256", K_RSA, NULL,
	    ERR_OK, NULL },
	{ "no kid, ES256 by the second P-256 key", "ES256", "ES256", K_P256B,
	    NULL, ERR_OK, NULL },
	{ "no kid, EdDSA by Ed448", "EdDSA", "EdDSA", K_ED448, NULL, ERR_OK,
	    NULL },
	{ "no kid, ES384 signed by P-256", "ES384", "ES384", K_P256, NULL,
	    ERR_TOKEN, "does not verify" },
};

static void
test_picks(struct arena *a, const struct jwk_set *set)
{
	const struct pick_case	*c;
	struct jwt		 t;
	char			*hdr, *tok;
	size_t			 i;

	for (i = 0; i < sizeof(pick_cases) / sizeof(pick_cases[0]); i++) {
		c = &pick_cases[i];
		hdr = c->kid == NULL ?
		    arena_printf(a, "{\"alg\":\"%s\"}", c->alg) :
		    arena_printf(a, "{\"alg\":\"%s\",\"kid\":\"%s\"}", c->alg,
		    c->kid);
		tok = jws_sign(a, hdr, claims_json(a, NULL, NULL), c->sign_alg,
		    &keys[c->key], NULL, 0);
		if (!ok(tok != NULL && parse(a, tok, &t) == ERR_OK,
		    "%s: signed and parsed", c->name))
			continue;
		err_reason_clear();
		is_int(jwt_verify(&t, set, NULL, 0, NULL), c->want, "%s",
		    c->name);
		if (c->why != NULL)
			ok(strstr(err_reason_get(), c->why) != NULL,
			    "%s: reason (%s)", c->name, err_reason_get());
	}
}

static void
test_selection(struct arena *a)
{
	struct jwk_set	*one, *other;
	struct jwt	 t;
	char		*tok;

	/* One key without kid, a token without kid. */
	one = jwks(arena_printf(a, "{\"keys\":[%s]}",
	    tkey_jwk(a, &keys[K_P256], NULL, "")));
	tok = jws_sign(a, "{\"alg\":\"ES256\"}", claims_json(a, NULL, NULL),
	    "ES256", &keys[K_P256], NULL, 0);
	if (ok(one != NULL && parse(a, tok, &t) == ERR_OK, "one-key JWKS"))
		is_int(jwt_verify(&t, one, NULL, 0, NULL), ERR_OK,
		    "no kid, one key: verifies");
	/* The kid the token names is absent from a kid-less JWKS. */
	tok = jws_sign(a, "{\"alg\":\"ES256\",\"kid\":\"p256\"}",
	    claims_json(a, NULL, NULL), "ES256", &keys[K_P256], NULL, 0);
	if (parse(a, tok, &t) == ERR_OK)
		is_int(jwt_verify(&t, one, NULL, 0, NULL), ERR_NOT_FOUND,
		    "kid against a JWKS without kids: not found (refetch)");

	/* Keys that fit, but none of them signed. */
	other = jwks(arena_printf(a, "{\"keys\":[%s]}",
	    tkey_jwk(a, &keys[K_P256B], NULL, "")));
	tok = jws_sign(a, "{\"alg\":\"ES256\"}", claims_json(a, NULL, NULL),
	    "ES256", &keys[K_P256], NULL, 0);
	if (ok(other != NULL && parse(a, tok, &t) == ERR_OK, "other JWKS")) {
		is_int(jwt_verify(&t, other, NULL, 0, NULL), ERR_TOKEN,
		    "no kid, the signer's key absent: fails");
		is_int(jwt_verify(&t, NULL, NULL, 0, NULL), ERR_TOKEN,
		    "no kid, no JWKS: fails");
	}
	jwk_set_free(one);
	jwk_set_free(other);
}

/* ECDSA as DER (a classic interop bug) is not JOSE's R || S. */
static void
test_ecdsa_der(struct arena *a, const struct jwk_set *set)
{
	ECDSA_SIG	*es;
	BIGNUM		*r, *s;
	unsigned char	*der = NULL;
	struct jwt	 t;
	char		*tok;
	int		 len;

	tok = jws_sign(a, "{\"alg\":\"ES256\",\"kid\":\"p256\"}",
	    claims_json(a, NULL, NULL), "ES256", &keys[K_P256], NULL, 0);
	if (!ok(parse(a, tok, &t) == ERR_OK && t.siglen == 64,
	    "ES256 token for DER"))
		return;
	es = ECDSA_SIG_new();
	r = BN_bin2bn(t.sig, 32, NULL);
	s = BN_bin2bn(t.sig + 32, 32, NULL);
	ECDSA_SIG_set0(es, r, s);
	len = i2d_ECDSA_SIG(es, &der);
	t.sig = arena_alloc(a, (size_t)len);
	memcpy(t.sig, der, (size_t)len);
	t.siglen = (size_t)len;
	is_int(jwt_verify(&t, set, NULL, 0, NULL), ERR_TOKEN,
	    "ES256 with a DER signature fails");
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
}

/* --- HMAC and algorithm confusion. -------------------------------------- */

static void
test_hmac(struct arena *a, const struct jwk_set *set)
{
	static const char *const hs384[] = { "HS384" };
	static const char *const lower[] = { "hs256" };
	static const char *const hs256[] = { "HS256" };
	struct jwt	 t;
	char		*tok;

	tok = jws_sign(a, "{\"alg\":\"HS256\",\"kid\":\"rsa\"}",
	    claims_json(a, NULL, NULL), "HS256", NULL, SECRET, strlen(SECRET));
	if (!ok(parse(a, tok, &t) == ERR_OK, "HS256 token parses"))
		return;
	is_int(jwt_verify(&t, set, hs256, 1, SECRET), ERR_OK,
	    "HS256 allowed, right secret (kid ignored)");
	is_int(jwt_verify(&t, set, NULL, 0, SECRET), ERR_TOKEN,
	    "HS256 not allowed: fails");
	is_int(jwt_verify(&t, set, hs384, 1, SECRET), ERR_TOKEN,
	    "only HS384 allowed: HS256 fails");
	is_int(jwt_verify(&t, set, lower, 1, SECRET), ERR_TOKEN,
	    "\"hs256\" allowed: HS256 fails");
	is_int(jwt_verify(&t, set, hs256, 1, NULL), ERR_TOKEN,
	    "HS256 without a secret fails");
	is_int(jwt_verify(&t, set, hs256, 1, ""), ERR_TOKEN,
	    "HS256 with an empty secret fails");
	is_int(jwt_verify(&t, set, hs256, 1, SECRET "x"), ERR_TOKEN,
	    "HS256 with another secret fails");
	is_int(jwt_verify(&t, set, hs256, 0, SECRET), ERR_TOKEN,
	    "HS256 listed past n: fails");
}

static void
test_confusion(struct arena *a, const struct jwk_set *set)
{
	static const char *const hs256[] = { "HS256" };
	const char	*secrets[3];
	unsigned char	 n[512];
	BIGNUM		*bn = NULL;
	struct jwt	 t;
	char		*tok;
	size_t		 i, lens[3];

	secrets[0] = tkey_pem(a, &keys[K_RSA]);
	lens[0] = strlen(secrets[0]);
	EVP_PKEY_get_bn_param(keys[K_RSA].pkey, "n", &bn);
	lens[1] = (size_t)BN_bn2bin(bn, n);
	BN_free(bn);
	secrets[1] = (const char *)n;
	secrets[2] = tkey_jwk(a, &keys[K_RSA], "rsa", ",\"use\":\"sig\"");
	lens[2] = strlen(secrets[2]);
	for (i = 0; i < 3; i++) {
		tok = jws_sign(a, "{\"alg\":\"HS256\",\"kid\":\"rsa\"}",
		    claims_json(a, NULL, NULL), "HS256", NULL, secrets[i],
		    lens[i]);
		if (!ok(parse(a, tok, &t) == ERR_OK, "confusion %zu parses", i))
			continue;
		is_int(jwt_verify(&t, set, NULL, 0, NULL), ERR_TOKEN,
		    "HS256 keyed by RSA public key form %zu, HS off: fails", i);
		is_int(jwt_verify(&t, set, hs256, 1, SECRET), ERR_TOKEN,
		    "HS256 keyed by RSA public key form %zu, HS on: fails", i);
	}
}

/* --- Parsing. ------------------------------------------------------------ */

struct parse_case {
	const char	*name;
	const char	*header;	/* JSON text, base64url-encoded here */
	const char	*payload;	/* likewise; NULL: the base claims */
	const char	*sig;		/* the third part, as is */
	const char	*raw;		/* instead of the above: the token */
	enum err	 want;
	const char	*why;
};

#define RS	"{\"alg\":\"RS256\"}"
#define SIG	"c2lnbmF0dXJl"

static const struct parse_case parse_cases[] = {
	{ "good", RS, NULL, SIG, NULL, ERR_OK, NULL },
	{ "typ JWT", "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", NULL, SIG, NULL,
	    ERR_OK, NULL },
	{ "typ jwt", "{\"alg\":\"RS256\",\"typ\":\"jwt\"}", NULL, SIG, NULL,
	    ERR_OK, NULL },
	{ "typ application/JWT", "{\"alg\":\"RS256\",\"typ\":"
	    "\"application/JWT\"}", NULL, SIG, NULL, ERR_OK, NULL },
	{ "unknown header members", "{\"alg\":\"RS256\",\"x5t\":\"abc\","
	    "\"jku\":\"https://evil.example/jwks\"}", NULL, SIG, NULL, ERR_OK,
	    NULL },
	{ "alg none", "{\"alg\":\"none\"}", NULL, SIG, NULL, ERR_TOKEN,
	    "alg none" },
	{ "alg None", "{\"alg\":\"None\"}", NULL, SIG, NULL, ERR_TOKEN,
	    "alg none" },
	{ "alg NONE", "{\"alg\":\"NONE\"}", NULL, SIG, NULL, ERR_TOKEN,
	    "alg none" },
	{ "alg nOnE", "{\"alg\":\"nOnE\"}", NULL, SIG, NULL, ERR_TOKEN,
	    "alg none" },
	{ "alg none, empty signature", "{\"alg\":\"none\"}", NULL, "", NULL,
	    ERR_TOKEN, "empty part" },
	{ "alg missing", "{\"typ\":\"JWT\"}", NULL, SIG, NULL, ERR_TOKEN,
	    "\"alg\"" },
	{ "alg a number", "{\"alg\":256}", NULL, SIG, NULL, ERR_TOKEN,
	    "\"alg\"" },
	{ "alg with a NUL", "{\"alg\":\"RS256\\u0000x\"}", NULL, SIG, NULL,
	    ERR_TOKEN, "\"alg\"" },
	{ "alg rs256", "{\"alg\":\"rs256\"}", NULL, SIG, NULL, ERR_TOKEN,
	    "alg rs256 is not supported" },
	{ "alg ES256K", "{\"alg\":\"ES256K\"}", NULL, SIG, NULL, ERR_TOKEN,
	    "not supported" },
	{ "alg empty", "{\"alg\":\"\"}", NULL, SIG, NULL, ERR_TOKEN,
	    "not supported" },
	{ "alg RSA-OAEP (a JWE alg)", "{\"alg\":\"RSA-OAEP\"}", NULL, SIG,
	    NULL, ERR_TOKEN, "not supported" },
	{ "alg unprintable", "{\"alg\":\"R\\nS256\"}", NULL, SIG, NULL,
	    ERR_TOKEN, "(unprintable) is not supported" },
	{ "crit", "{\"alg\":\"RS256\",\"crit\":[\"exp\"],\"exp\":1}", NULL,
	    SIG, NULL, ERR_TOKEN, "crit" },
	{ "crit empty", "{\"alg\":\"RS256\",\"crit\":[]}", NULL, SIG, NULL,
	    ERR_TOKEN, "crit" },
	{ "crit null", "{\"alg\":\"RS256\",\"crit\":null}", NULL, SIG, NULL,
	    ERR_TOKEN, "crit" },
	{ "kid a number", "{\"alg\":\"RS256\",\"kid\":1}", NULL, SIG, NULL,
	    ERR_TOKEN, "kid" },
	{ "typ at+jwt", "{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}", NULL, SIG,
	    NULL, ERR_TOKEN, "typ" },
	{ "typ JOSE", "{\"alg\":\"RS256\",\"typ\":\"JOSE\"}", NULL, SIG, NULL,
	    ERR_TOKEN, "typ" },
	{ "typ a number", "{\"alg\":\"RS256\",\"typ\":1}", NULL, SIG, NULL,
	    ERR_TOKEN, "typ" },
	{ "header not JSON", "RS256", NULL, SIG, NULL, ERR_TOKEN, "header" },
	{ "header an array", "[\"RS256\"]", NULL, SIG, NULL, ERR_TOKEN,
	    "header" },
	{ "header with trailing garbage", RS "x", NULL, SIG, NULL, ERR_TOKEN,
	    "header" },
	{ "payload not JSON", RS, "hello", SIG, NULL, ERR_TOKEN, "payload" },
	{ "payload an array", RS, "[1]", SIG, NULL, ERR_TOKEN, "payload" },
	{ "payload a string", RS, "\"sub\"", SIG, NULL, ERR_TOKEN, "payload" },
	{ "payload empty", RS, "", SIG, NULL, ERR_TOKEN, "empty part" },
	{ "header empty", "", NULL, SIG, NULL, ERR_TOKEN, "empty part" },
	{ "signature not base64url", RS, NULL, "c2ln+mF0dXJl", NULL,
	    ERR_TOKEN, "signature" },
	{ "signature padded", RS, NULL, SIG "==", NULL, ERR_TOKEN,
	    "signature" },
	{ "signature with bad trailing bits", RS, NULL, "c2lnbmF0dXJ", NULL,
	    ERR_TOKEN, "signature" },
	{ "signature with a space", RS, NULL, "c2lnbmF0 dXJl", NULL,
	    ERR_TOKEN, "signature" },
	{ "empty token", NULL, NULL, NULL, "", ERR_TOKEN, "fewer" },
	{ "one part", NULL, NULL, NULL, "eyJhbGciOiJSUzI1NiJ9", ERR_TOKEN,
	    "fewer" },
	{ "two parts", NULL, NULL, NULL, "eyJhbGciOiJSUzI1NiJ9.e30",
	    ERR_TOKEN, "fewer" },
	{ "two dots only", NULL, NULL, NULL, "..", ERR_TOKEN, "empty part" },
	{ "four parts", NULL, NULL, NULL,
	    "eyJhbGciOiJSUzI1NiJ9.e30." SIG "." SIG, ERR_TOKEN, "more" },
	{ "five parts (JWE)", NULL, NULL, NULL,
	    "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d", ERR_TOKEN, "more" },
	{ "header padded", NULL, NULL, NULL, "eyJhbGciOiJSUzI1NiJ9==.e30."
	    SIG, ERR_TOKEN, "header" },
	{ "header in standard base64", NULL, NULL, NULL,
	    "eyJhbGciOiJSUzI1NiJ9+.e30." SIG, ERR_TOKEN, "header" },
};

static void
test_parse_case(struct arena *a, const struct parse_case *c)
{
	struct jwt	 t;
	const char	*tok;

	tok = c->raw != NULL ? c->raw : compact(a, c->header,
	    c->payload != NULL ? c->payload : claims_json(a, NULL, NULL),
	    c->sig);
	is_int(parse(a, tok, &t), c->want, "parse %s", c->name);
	if (c->want != ERR_OK) {
		ok(t.alg == NULL && t.claims == NULL, "parse %s: output "
		    "cleared", c->name);
		ok(strstr(err_reason_get(), c->why) != NULL, "parse %s: "
		    "reason (%s)", c->name, err_reason_get());
	}
}

static void
test_parse(struct arena *a)
{
	struct jwt	 t;
	char		*tok, *big, *hdr, *kid;
	size_t		 i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++)
		test_parse_case(a, &parse_cases[i]);

	tok = compact(a, "{\"alg\":\"ES256\",\"kid\":\"k1\"}",
	    claims_json(a, NULL, NULL), SIG);
	if (ok(parse(a, tok, &t) == ERR_OK, "parse fields")) {
		is_str(t.alg, "ES256", "alg");
		is_str(t.kid, "k1", "kid");
		ok(t.siglen == 9 && memcmp(t.sig, "signature", 9) == 0,
		    "signature decoded");
		ok(t.signing_input_len == (size_t)(strrchr(tok, '.') - tok) &&
		    strncmp(t.signing_input, tok, t.signing_input_len) == 0 &&
		    t.signing_input[t.signing_input_len] == '\0',
		    "signing input is header.payload");
		ok(json_object_is_type(t.claims, json_type_object),
		    "claims are an object");
		ok(t.key_crv == NULL, "no key curve before jwt_verify");
	}
	tok = compact(a, RS, claims_json(a, NULL, NULL), SIG);
	if (ok(parse(a, tok, &t) == ERR_OK, "parse without kid"))
		ok(t.kid == NULL, "kid NULL when absent");

	kid = arena_alloc(a, BOUND_JWK_KID + 2);
	memset(kid, 'k', BOUND_JWK_KID + 1);
	hdr = arena_printf(a, "{\"alg\":\"RS256\",\"kid\":\"%s\"}", kid);
	tok = compact(a, hdr, claims_json(a, NULL, NULL), SIG);
	is_int(parse(a, tok, &t), ERR_TOKEN, "kid over BOUND_JWK_KID fails");

	big = arena_alloc(a, BOUND_JWT + 1);
	memset(big, 'A', BOUND_JWT);
	tok = compact(a, RS, claims_json(a, NULL, NULL), big);
	is_int(parse(a, tok, &t), ERR_TOKEN, "token over BOUND_JWT fails");
	ok(strstr(err_reason_get(), "bound") != NULL, "reason names the "
	    "bound (%s)", err_reason_get());

	err_reason_clear();
	is_int(jwt_parse(a, "", 0, &t), ERR_TOKEN, "an empty token fails");

	/* Only len bytes are read: the ".x" after them would be a 4th part. */
	tok = compact(a, RS, claims_json(a, NULL, NULL), SIG ".x");
	err_reason_clear();
	is_int(jwt_parse(a, tok, strlen(tok) - 2, &t), ERR_OK,
	    "len is honoured, not the NUL");
	is_int(t.siglen, 9, "signature within len read");
}

/* --- Published vectors. -------------------------------------------------- */

static void
test_vector(struct arena *a, const char *name, const char *jwks_json,
    const char *token, const struct jwk_set *wrong)
{
	struct jwk_set	*set = jwks(jwks_json);
	struct jwt	 t;
	char		*bad;
	const char	*iss;

	if (!ok(set != NULL, "%s: JWKS parses", name))
		return;
	if (ok(parse(a, token, &t) == ERR_OK, "%s: parses", name)) {
		is_int(jwt_verify(&t, set, NULL, 0, NULL), ERR_OK,
		    "%s: verifies", name);
		ok(jv_str(t.claims, "iss", &iss) == ERR_OK &&
		    strcmp(iss, "joe") == 0, "%s: iss is joe", name);
		is_int(jwt_verify(&t, wrong, NULL, 0, NULL), ERR_TOKEN,
		    "%s: fails with other keys", name);
	}
	/* The last character changes the signature's last byte. */
	bad = arena_strdup(a, token);
	bad[strlen(bad) - 1] = 'g';
	if (ok(parse(a, bad, &t) == ERR_OK, "%s tampered: parses", name))
		is_int(jwt_verify(&t, set, NULL, 0, NULL), ERR_TOKEN,
		    "%s tampered: fails", name);
	jwk_set_free(set);
}

static void
test_vectors(struct arena *a, const struct jwk_set *generated)
{
	struct jwk_set	*set;
	struct jwt	 t;

	test_vector(a, "RFC 7515 A.2 (RS256)", RFC7515_A2_JWKS,
	    RFC7515_A2_JWS, generated);
	test_vector(a, "RFC 7515 A.3 (ES256)", RFC7515_A3_JWKS,
	    RFC7515_A3_JWS, generated);

	/* RFC 8037 A.4 signs a payload that is not JSON: verify by hand. */
	set = jwks("{\"keys\":[" RFC8037_A2_OKP "]}");
	memset(&t, 0, sizeof(t));
	t.alg = "EdDSA";
	t.signing_input = RFC8037_A4_SIGNING_INPUT;
	t.signing_input_len = strlen(RFC8037_A4_SIGNING_INPUT);
	if (ok(set != NULL && b64_url_decode_arena(a, RFC8037_A4_SIG,
	    strlen(RFC8037_A4_SIG), &t.sig, &t.siglen) == ERR_OK,
	    "RFC 8037 A.4: set up")) {
		is_int(jwt_verify(&t, set, NULL, 0, NULL), ERR_OK,
		    "RFC 8037 A.4 (Ed25519): verifies");
		is_str(t.key_crv, "Ed25519", "RFC 8037 A.4: curve recorded");
		t.sig[0] ^= 0x80;
		is_int(jwt_verify(&t, set, NULL, 0, NULL), ERR_TOKEN,
		    "RFC 8037 A.4 tampered: fails");
		ok(t.key_crv == NULL, "RFC 8037 A.4 tampered: no curve");
	}
	jwk_set_free(set);
}

/* --- Claims. -------------------------------------------------------------- */

enum at_mode {
	AT_NONE = 0,	/* no at_hash */
	AT_RIGHT,	/* the hash the alg (and curve) calls for */
	AT_WRONG,	/* the right hash of another token */
	AT_SHA256,	/* SHA-256, whatever the alg */
	AT_FORGET_CRV,	/* right, but jwt_verify's curve is unknown */
};

struct claims_case {
	const char	*name;
	const char	*patch;
	enum at_mode	 at;
	const char	*alg;		/* NULL: RS256 */
	const char	*crv;		/* the EdDSA key's */
	int		 tenants;	/* 0: plain issuer; 1: template, any
					   tenant; 2: allowed; 3: not */
	int		 no_access;	/* no access token to check */
	const char	*why;		/* NULL: the claims hold */
};

#define S16	"aaaaaaaaaaaaaaaa"
#define S64	S16 S16 S16 S16
#define S255	S64 S64 S64 S16 S16 S16 "aaaaaaaaaaaaaaa"
#define X8	"\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\","
#define ENTRA_OK							\
	"{\"iss\":\"" ENTRA TID "/v2.0\",\"tid\":\"" TID "\"}"

static const struct claims_case claims_cases[] = {
	/* What holds. */
	{ "base claims", NULL, AT_NONE, NULL, NULL, 0, 0, NULL },
	{ "extra claims ignored", "{\"email\":\"a@b.example\","
	    "\"groups\":[\"x\"],\"amr\":[\"pwd\"]}", AT_NONE, NULL, NULL, 0, 0,
	    NULL },
	{ "aud array with the client only", "{\"aud\":[\"" CLIENT "\"]}",
	    AT_NONE, NULL, NULL, 0, 0, NULL },
	{ "aud array of two with azp", "{\"aud\":[\"api\",\"" CLIENT "\"],"
	    "\"azp\":\"" CLIENT "\"}", AT_NONE, NULL, NULL, 0, 0, NULL },
	{ "azp with a single aud", "{\"azp\":\"" CLIENT "\"}", AT_NONE, NULL,
	    NULL, 0, 0, NULL },
	{ "exp = now - skew + 1", "{\"exp\":1699999941}", AT_NONE, NULL,
	    NULL, 0, 0, NULL },
	{ "exp an integral float", "{\"exp\":1700000300.0}", AT_NONE, NULL,
	    NULL, 0, 0, NULL },
	{ "nbf = now + skew", "{\"nbf\":1700000060}", AT_NONE, NULL, NULL, 0,
	    0, NULL },
	{ "nbf in the past", "{\"nbf\":1699990000}", AT_NONE, NULL, NULL, 0,
	    0, NULL },
	{ "iat = now + skew", "{\"iat\":1700000060}", AT_NONE, NULL, NULL, 0,
	    0, NULL },
	{ "iat 0", "{\"iat\":0}", AT_NONE, NULL, NULL, 0, 0, NULL },
	{ "sub of 255 bytes", "{\"sub\":\"" S255 "\"}", AT_NONE, NULL, NULL,
	    0, 0, NULL },
	{ "at_hash RS256", NULL, AT_RIGHT, "RS256", NULL, 0, 0, NULL },
	{ "at_hash ES384", NULL, AT_RIGHT, "ES384", NULL, 0, 0, NULL },
	{ "at_hash PS512", NULL, AT_RIGHT, "PS512", NULL, 0, 0, NULL },
	{ "at_hash HS256", NULL, AT_RIGHT, "HS256", NULL, 0, 0, NULL },
	{ "at_hash EdDSA Ed25519", NULL, AT_RIGHT, "EdDSA", "Ed25519", 0, 0,
	    NULL },
	{ "at_hash EdDSA Ed448", NULL, AT_RIGHT, "EdDSA", "Ed448", 0, 0,
	    NULL },
	{ "at_hash Ed25519", NULL, AT_RIGHT, "Ed25519", "Ed25519", 0, 0,
	    NULL },
	{ "at_hash Ed448", NULL, AT_RIGHT, "Ed448", "Ed448", 0, 0, NULL },
	/* EdDSA alone: SHA-256 too (Glewlwyd's reading), see jwt.c. */
	{ "at_hash SHA-256 for Ed25519", NULL, AT_SHA256, "EdDSA", "Ed25519",
	    0, 0, NULL },
	{ "at_hash SHA-256 for Ed448", NULL, AT_SHA256, "EdDSA", "Ed448", 0,
	    0, NULL },
	{ "at_hash SHA-256 for alg Ed25519", NULL, AT_SHA256, "Ed25519",
	    "Ed25519", 0, 0, NULL },
	{ "at_hash wrong, no access token", NULL, AT_WRONG, "RS256", NULL,
	    0, 1, NULL },
	{ "at_hash not a string, no access token", "{\"at_hash\":1}",
	    AT_NONE, NULL, NULL, 0, 1, NULL },
	{ "tid substituted", ENTRA_OK, AT_NONE, NULL, NULL, 1, 0, NULL },
	{ "tenant allowed (any case)", ENTRA_OK, AT_NONE, NULL, NULL, 2, 0,
	    NULL },

	/* What fails, and the reason names the claim. */
	{ "iss missing", "{\"iss\":null}", AT_NONE, NULL, NULL, 0, 0,
	    "iss missing" },
	{ "iss another issuer", "{\"iss\":\"https://evil.example\"}",
	    AT_NONE, NULL, NULL, 0, 0, "iss is not the issuer" },
	{ "iss with a trailing slash", "{\"iss\":\"" ISSUER "/\"}", AT_NONE,
	    NULL, NULL, 0, 0, "iss is not the issuer" },
	{ "iss in another case", "{\"iss\":\"https://Issuer.example\"}",
	    AT_NONE, NULL, NULL, 0, 0, "iss is not the issuer" },
	{ "iss a number", "{\"iss\":5}", AT_NONE, NULL, NULL, 0, 0,
	    "iss missing or not a string" },
	{ "aud missing", "{\"aud\":null}", AT_NONE, NULL, NULL, 0, 0,
	    "aud missing" },
	{ "aud another client", "{\"aud\":\"client-2\"}", AT_NONE, NULL, NULL,
	    0, 0, "aud is not the client id" },
	{ "aud a prefix of the client", "{\"aud\":\"client-\"}", AT_NONE,
	    NULL, NULL, 0, 0, "aud is not the client id" },
	{ "aud array without the client", "{\"aud\":[\"a\",\"b\"],"
	    "\"azp\":\"" CLIENT "\"}", AT_NONE, NULL, NULL, 0, 0,
	    "aud does not contain the client id" },
	{ "aud array of two without azp", "{\"aud\":[\"" CLIENT "\",\"api\"]}",
	    AT_NONE, NULL, NULL, 0, 0, "azp missing" },
	{ "aud array of two, azp another", "{\"aud\":[\"" CLIENT "\","
	    "\"api\"],\"azp\":\"api\"}", AT_NONE, NULL, NULL, 0, 0,
	    "azp is not the client id" },
	{ "azp another with a single aud", "{\"azp\":\"other\"}", AT_NONE,
	    NULL, NULL, 0, 0, "azp is not the client id" },
	{ "azp a number", "{\"azp\":1}", AT_NONE, NULL, NULL, 0, 0,
	    "azp is not the client id" },
	{ "aud array with a non-string", "{\"aud\":[\"" CLIENT "\",5]}",
	    AT_NONE, NULL, NULL, 0, 0, "non-string" },
	{ "aud array with an array", "{\"aud\":[[\"" CLIENT "\"]]}", AT_NONE,
	    NULL, NULL, 0, 0, "non-string" },
	{ "aud empty array", "{\"aud\":[]}", AT_NONE, NULL, NULL, 0, 0,
	    "aud array has 0 entries" },
	{ "aud array of 33", "{\"aud\":[" X8 X8 X8 X8 "\"" CLIENT "\"],"
	    "\"azp\":\"" CLIENT "\"}", AT_NONE, NULL, NULL, 0, 0,
	    "aud array has 33 entries" },
	{ "aud an object", "{\"aud\":{\"" CLIENT "\":true}}", AT_NONE, NULL,
	    NULL, 0, 0, "neither a string nor an array" },
	{ "exp missing", "{\"exp\":null}", AT_NONE, NULL, NULL, 0, 0,
	    "exp missing" },
	{ "exp = now - skew - 1", "{\"exp\":1699999939}", AT_NONE, NULL, NULL,
	    0, 0, "token expired 61 s ago" },
	{ "exp = now - skew", "{\"exp\":1699999940}", AT_NONE, NULL, NULL, 0,
	    0, "token expired 60 s ago" },
	{ "exp 1e300", "{\"exp\":1e300}", AT_NONE, NULL, NULL, 0, 0,
	    "exp is not a valid time" },
	{ "exp \"123\"", "{\"exp\":\"123\"}", AT_NONE, NULL, NULL, 0, 0,
	    "exp is not a valid time" },
	{ "exp negative", "{\"exp\":-5}", AT_NONE, NULL, NULL, 0, 0,
	    "exp is not a valid time" },
	{ "exp 2^63", "{\"exp\":9223372036854775808}", AT_NONE, NULL, NULL,
	    0, 0, "exp is not a valid time" },
	{ "exp 2^64", "{\"exp\":18446744073709551616}", AT_NONE, NULL, NULL,
	    0, 0, "exp is not a valid time" },
	{ "exp past year 9999", "{\"exp\":253402300800}", AT_NONE, NULL,
	    NULL, 0, 0, "exp is not a valid time" },
	{ "exp with a fraction", "{\"exp\":1700000300.5}", AT_NONE, NULL,
	    NULL, 0, 0, "exp is not a valid time" },
	{ "exp true", "{\"exp\":true}", AT_NONE, NULL, NULL, 0, 0,
	    "exp is not a valid time" },
	{ "nbf ahead (now + skew + 1)", "{\"nbf\":1700000061}", AT_NONE, NULL,
	    NULL, 0, 0, "not valid for another 61 s" },
	{ "nbf a string", "{\"nbf\":\"x\"}", AT_NONE, NULL, NULL, 0, 0,
	    "nbf is not a valid time" },
	{ "iat missing", "{\"iat\":null}", AT_NONE, NULL, NULL, 0, 0,
	    "iat missing" },
	{ "iat in the future", "{\"iat\":1700000061}", AT_NONE, NULL, NULL, 0,
	    0, "61 s in the future" },
	{ "iat with a fraction", "{\"iat\":1699999990.25}", AT_NONE, NULL,
	    NULL, 0, 0, "iat is not a valid time" },
	{ "sub missing", "{\"sub\":null}", AT_NONE, NULL, NULL, 0, 0,
	    "sub missing" },
	{ "sub empty", "{\"sub\":\"\"}", AT_NONE, NULL, NULL, 0, 0,
	    "sub of 0 bytes" },
	{ "sub of 256 bytes", "{\"sub\":\"" S255 "a\"}", AT_NONE, NULL, NULL,
	    0, 0, "sub of 256 bytes" },
	{ "sub a number", "{\"sub\":42}", AT_NONE, NULL, NULL, 0, 0,
	    "sub missing or not a string" },
	{ "nonce missing", "{\"nonce\":null}", AT_NONE, NULL, NULL, 0, 0,
	    "nonce missing" },
	{ "nonce another", "{\"nonce\":\"n-0S6_WzA2Mk\"}", AT_NONE, NULL,
	    NULL, 0, 0, "nonce is not the login's" },
	{ "nonce a prefix", "{\"nonce\":\"n-0S6_WzA2M\"}", AT_NONE, NULL,
	    NULL, 0, 0, "nonce is not the login's" },
	{ "nonce longer", "{\"nonce\":\"" NONCE "0\"}", AT_NONE, NULL, NULL,
	    0, 0, "nonce is not the login's" },
	{ "nonce a number", "{\"nonce\":7}", AT_NONE, NULL, NULL, 0, 0,
	    "nonce missing or not a string" },
	{ "at_hash wrong RS256", NULL, AT_WRONG, "RS256", NULL, 0, 0,
	    "at_hash does not match" },
	{ "at_hash wrong ES384", NULL, AT_WRONG, "ES384", NULL, 0, 0,
	    "at_hash does not match" },
	{ "at_hash wrong PS512", NULL, AT_WRONG, "PS512", NULL, 0, 0,
	    "at_hash does not match" },
	{ "at_hash wrong EdDSA", NULL, AT_WRONG, "EdDSA", "Ed25519", 0, 0,
	    "at_hash does not match" },
	{ "at_hash SHA-256 for ES384", NULL, AT_SHA256, "ES384", NULL, 0, 0,
	    "at_hash does not match" },
	{ "at_hash SHA-256 for RS512", NULL, AT_SHA256, "RS512", NULL, 0, 0,
	    "at_hash does not match" },
	{ "at_hash SHA-384 half for Ed25519", NULL, AT_WRONG, "Ed25519",
	    "Ed25519", 0, 0, "at_hash does not match" },
	{ "at_hash EdDSA, curve unknown", NULL, AT_FORGET_CRV, "EdDSA",
	    "Ed25519", 0, 0, "at_hash cannot be computed" },
	{ "at_hash a number", "{\"at_hash\":1}", AT_NONE, NULL, NULL, 0, 0,
	    "at_hash is not a string" },
	{ "at_hash empty", "{\"at_hash\":\"\"}", AT_NONE, NULL, NULL, 0, 0,
	    "at_hash does not match" },
	{ "tid missing with a template", "{\"iss\":\"" ENTRA TID "/v2.0\"}",
	    AT_NONE, NULL, NULL, 1, 0, "tid missing" },
	{ "tid not the iss tenant", "{\"iss\":\"" ENTRA TID "/v2.0\","
	    "\"tid\":\"72f988bf-86f1-41af-91ab-2d7cd011db47\"}", AT_NONE, NULL,
	    NULL, 1, 0, "iss is not the issuer" },
	{ "tenant not allowed", ENTRA_OK, AT_NONE, NULL, NULL, 3, 0,
	    "tenant " TID " is not allowed" },
	{ "tid with a slash", "{\"iss\":\"" ENTRA "x/../" TID "/v2.0\","
	    "\"tid\":\"x/../" TID "\"}", AT_NONE, NULL, NULL, 1, 0,
	    "tid is not a tenant id" },
	{ "tid the placeholder", "{\"iss\":\"" ENTRA_ISSUER "\","
	    "\"tid\":\"{tenantid}\"}", AT_NONE, NULL, NULL, 1, 0,
	    "tid is not a tenant id" },
	{ "tid of 65 characters", "{\"tid\":\"" "0123456789abcdef"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0\"}", AT_NONE,
	    NULL, NULL, 1, 0, "tid is not a tenant id" },
	{ "tid empty", "{\"iss\":\"" ENTRA "/v2.0\",\"tid\":\"\"}", AT_NONE,
	    NULL, NULL, 1, 0, "tid is not a tenant id" },
	{ "tid a number", "{\"tid\":1}", AT_NONE, NULL, NULL, 1, 0,
	    "tid missing or not a string" },
	{ "template, plain iss", "{\"tid\":\"" TID "\"}", AT_NONE, NULL, NULL,
	    1, 0, "iss is not the issuer" },
};

static const char *const tenants_allowed[] = {
	"72f988bf-86f1-41af-91ab-2d7cd011db47",
	"9188040D-6C67-4C5B-B112-36A304B66DAD",
};
static const char *const tenants_other[] = {
	"72f988bf-86f1-41af-91ab-2d7cd011db47",
};

static const char *
claims_at_hash(struct arena *a, const struct claims_case *c, const char *alg)
{
	switch (c->at) {
	case AT_RIGHT:
	case AT_FORGET_CRV:
		return at_hash(a, at_hash_md(alg, c->crv), ACCESS);
	case AT_WRONG:
		return at_hash(a, at_hash_md(alg, c->crv), ACCESS "x");
	case AT_SHA256:
		return at_hash(a, "SHA256", ACCESS);
	default:
		return NULL;
	}
}

static void
claims_expect(const struct claims_case *c, struct jwt_expect *x)
{
	expect_init(x);
	if (c->tenants > 0)
		x->issuer = ENTRA_ISSUER;
	if (c->tenants == 2) {
		x->tenants = tenants_allowed;
		x->ntenants = 2;
	} else if (c->tenants == 3) {
		x->tenants = tenants_other;
		x->ntenants = 1;
	}
	if (c->no_access)
		x->access_token = NULL;
}

static void
test_claims_case(struct arena *a, const struct claims_case *c)
{
	const char		*alg = c->alg != NULL ? c->alg : "RS256";
	struct jwt_expect	 x;
	struct jwt		 t;
	char			*tok;
	enum err		 e;

	tok = compact(a, arena_printf(a, "{\"alg\":\"%s\"}", alg),
	    claims_json(a, c->patch, claims_at_hash(a, c, alg)), SIG);
	if (!ok(parse(a, tok, &t) == ERR_OK, "claims %s: parses", c->name))
		return;
	if (c->at != AT_FORGET_CRV)
		t.key_crv = c->crv;
	claims_expect(c, &x);
	err_reason_clear();
	e = jwt_check_claims(&t, &x);
	if (c->why == NULL) {
		is_int(e, ERR_OK, "claims %s: hold (%s)", c->name,
		    err_reason_get());
		return;
	}
	is_int(e, ERR_TOKEN, "claims %s: fail", c->name);
	ok(strstr(err_reason_get(), c->why) != NULL, "claims %s: reason (%s)",
	    c->name, err_reason_get());
}

static void
test_claims(struct arena *a)
{
	size_t	i;

	for (i = 0; i < sizeof(claims_cases) / sizeof(claims_cases[0]); i++)
		test_claims_case(a, &claims_cases[i]);
}

/* Bad arguments fail closed. */
static void
test_expect(struct arena *a)
{
	struct jwt_expect	 x;
	struct jwt		 t, empty;
	char			*tok, *long_issuer;

	tok = compact(a, RS, claims_json(a, NULL, NULL), SIG);
	if (!ok(parse(a, tok, &t) == ERR_OK, "expect: parses"))
		return;
	expect_init(&x);
	is_int(jwt_check_claims(&t, &x), ERR_OK, "expect: sane holds");
	x.nonce = NULL;
	is_int(jwt_check_claims(&t, &x), ERR_TOKEN, "expect: no nonce fails");
	expect_init(&x);
	x.nonce = "";
	is_int(jwt_check_claims(&t, &x), ERR_TOKEN, "expect: empty nonce "
	    "fails");
	expect_init(&x);
	x.skew = -1;
	is_int(jwt_check_claims(&t, &x), ERR_TOKEN, "expect: negative skew "
	    "fails");
	expect_init(&x);
	x.skew = BOUND_CLOCK_SKEW_MAX + 1;
	is_int(jwt_check_claims(&t, &x), ERR_TOKEN, "expect: huge skew fails");
	expect_init(&x);
	x.now = -1;
	is_int(jwt_check_claims(&t, &x), ERR_TOKEN, "expect: negative now "
	    "fails");
	expect_init(&x);
	x.issuer = NULL;
	is_int(jwt_check_claims(&t, &x), ERR_TOKEN, "expect: no issuer fails");
	expect_init(&x);
	x.client_id = NULL;
	is_int(jwt_check_claims(&t, &x), ERR_TOKEN, "expect: no client id "
	    "fails");
	expect_init(&x);
	x.issuer = long_issuer = arena_alloc(a, BOUND_URL + 2);
	memset(long_issuer, 'i', BOUND_URL + 1);
	err_reason_clear();
	is_int(jwt_check_claims(&t, &x), ERR_TOKEN, "expect: issuer over "
	    "BOUND_URL fails");
	ok(strstr(err_reason_get(), "over") != NULL, "expect: reason (%s)",
	    err_reason_get());
	memset(&empty, 0, sizeof(empty));
	expect_init(&x);
	is_int(jwt_check_claims(&empty, &x), ERR_TOKEN, "expect: unparsed "
	    "token fails");
	is_int(jwt_verify(&empty, NULL, all_hmac, 3, SECRET), ERR_TOKEN,
	    "verify: unparsed token fails");
}

int
main(void)
{
	struct arena	*a = arena_new();
	struct jwk_set	*set;
	size_t		 i;
	int		 ready = 1;

	for (i = 0; i < K__MAX; i++)
		ready &= ok(tkey_generate(&keys[i]), "key %s generated",
		    keys[i].kid);
	set = ready ? all_keys(a) : NULL;
	if (ok(set != NULL && set->n == K__MAX + 1, "JWKS of every key")) {
		test_algs(a, set);
		arena_reset(a);
		test_picks(a, set);
		test_selection(a);
		test_ecdsa_der(a, set);
		arena_reset(a);
		test_hmac(a, set);
		test_confusion(a, set);
		arena_reset(a);
		test_vectors(a, set);
	}
	arena_reset(a);
	test_parse(a);
	arena_reset(a);
	test_claims(a);
	arena_reset(a);
	test_expect(a);
	jwk_set_free(set);
	for (i = 0; i < K__MAX; i++)
		EVP_PKEY_free(keys[i].pkey);
	arena_free(a);
	return tap_done();
}
