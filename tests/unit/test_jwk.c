#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "err.h"
#include "jose/keys.h"
#include "jose/vectors.h"
#include "jwk.h"
#include "log.h"
#include "tap.h"

/* A JWKS holding the one key k (a JSON object text). */
#define ONE(k)		"{\"keys\":[" k "]}"

/* RFC 7517 A.1's EC key with other members. */
#define A1_EC(more)							\
	"{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" RFC7517_A1_EC_X	\
	"\",\"y\":\"" RFC7517_A1_EC_Y "\"" more "}"
#define A1_RSA(more)							\
	"{\"kty\":\"RSA\",\"n\":\"" RFC7517_A1_RSA_N "\","		\
	"\"e\":\"AQAB\"" more "}"

/* A document and what jwk_set_parse makes of it. */
struct doc_case {
	const char	*name;
	const char	*json;
	enum err	 want;
	size_t		 nkeys;
	int		 kty;		/* of the first key; -1: not checked */
	const char	*crv;		/* of the first key */
	const char	*kid;
	const char	*why;		/* in the reason of a failure */
};

static const struct doc_case doc_cases[] = {
	/* Good keys. */
	{ "RFC 7517 A.1 (EC use=enc skipped, RSA kept)", RFC7517_A1_JWKS,
	    ERR_OK, 1, JWK_KTY_RSA, NULL, "2011-04-29", NULL },
	{ "RFC 7517 A.1 RSA", ONE(RFC7517_A1_RSA), ERR_OK, 1, JWK_KTY_RSA,
	    NULL, "2011-04-29", NULL },
	{ "RFC 7517 A.1 EC with use=sig", ONE(A1_EC(",\"use\":\"sig\","
	    "\"kid\":\"1\"")), ERR_OK, 1, JWK_KTY_EC, "P-256", "1", NULL },
	{ "RFC 7517 A.1 EC without use", ONE(A1_EC("")), ERR_OK, 1,
	    JWK_KTY_EC, "P-256", NULL, NULL },
	{ "EC with alg ES256", ONE(A1_EC(",\"alg\":\"ES256\"")), ERR_OK, 1,
	    JWK_KTY_EC, "P-256", NULL, NULL },
	{ "EC with key_ops verify", ONE(A1_EC(",\"key_ops\":[\"verify\"]")),
	    ERR_OK, 1, JWK_KTY_EC, "P-256", NULL, NULL },
	{ "RFC 7515 A.2 RSA with private members", RFC7515_A2_JWKS, ERR_OK,
	    1, JWK_KTY_RSA, NULL, NULL, NULL },
	{ "RFC 7515 A.3 EC", RFC7515_A3_JWKS, ERR_OK, 1, JWK_KTY_EC, "P-256",
	    NULL, NULL },
	{ "RFC 8037 A.2 Ed25519", ONE(RFC8037_A2_OKP), ERR_OK, 1, JWK_KTY_OKP,
	    "Ed25519", NULL, NULL },
	{ "RSA with alg PS256", ONE(A1_RSA(",\"alg\":\"PS256\"")), ERR_OK, 1,
	    JWK_KTY_RSA, NULL, NULL, NULL },
	{ "one bad key, one good", "{\"keys\":[" A1_EC(",\"use\":\"enc\"")
	    "," RFC8037_A2_OKP "]}", ERR_OK, 1, JWK_KTY_OKP, "Ed25519", NULL,
	    NULL },
	{ "unknown members ignored", ONE(A1_EC(",\"x5t\":\"abc\","
	    "\"ext\":true")), ERR_OK, 1, JWK_KTY_EC, "P-256", NULL, NULL },

	/* Broken keys: each is skipped, and then no key is left. */
	{ "RSA without n", ONE("{\"kty\":\"RSA\",\"e\":\"AQAB\"}"), ERR_INPUT,
	    0, -1, NULL, NULL, "\"n\" missing" },
	{ "RSA without e", ONE("{\"kty\":\"RSA\",\"n\":\"" RFC7517_A1_RSA_N
	    "\"}"), ERR_INPUT, 0, -1, NULL, NULL, "\"e\" missing" },
	{ "RSA n not a string", ONE("{\"kty\":\"RSA\",\"n\":5,"
	    "\"e\":\"AQAB\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "\"n\" not a string" },
	{ "RSA n empty", ONE("{\"kty\":\"RSA\",\"n\":\"\",\"e\":\"AQAB\"}"),
	    ERR_INPUT, 0, -1, NULL, NULL, "\"n\" of 0 characters" },
	{ "RSA n in standard base64", ONE("{\"kty\":\"RSA\",\"n\":\"0vx7+/"
	    RFC7517_A1_RSA_N "\",\"e\":\"AQAB\"}"), ERR_INPUT, 0, -1, NULL,
	    NULL, "\"n\" is not base64url" },
	{ "RSA e padded", ONE("{\"kty\":\"RSA\",\"n\":\"" RFC7517_A1_RSA_N
	    "\",\"e\":\"AQAB==\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "\"e\" is not base64url" },
	{ "RSA e over its bound", ONE("{\"kty\":\"RSA\",\"n\":\""
	    RFC7517_A1_RSA_N "\",\"e\":\"AQABAQABAQABAQAB\"}"), ERR_INPUT, 0,
	    -1, NULL, NULL, "\"e\" of 16 characters" },
	{ "RSA e even", ONE("{\"kty\":\"RSA\",\"n\":\"" RFC7517_A1_RSA_N
	    "\",\"e\":\"AQAA\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "RSA parameters are invalid" },
	{ "RSA e = 1", ONE("{\"kty\":\"RSA\",\"n\":\"" RFC7517_A1_RSA_N
	    "\",\"e\":\"AQ\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "RSA parameters are invalid" },
	{ "RSA with alg ES256", ONE(A1_RSA(",\"alg\":\"ES256\"")), ERR_INPUT,
	    0, -1, NULL, NULL, "no signature algorithm" },
	{ "RSA with alg RSA-OAEP", ONE(A1_RSA(",\"alg\":\"RSA-OAEP\"")),
	    ERR_INPUT, 0, -1, NULL, NULL, "no signature algorithm" },
	{ "EC without crv", ONE("{\"kty\":\"EC\",\"x\":\"" RFC7517_A1_EC_X
	    "\",\"y\":\"" RFC7517_A1_EC_Y "\"}"), ERR_INPUT, 0, -1, NULL,
	    NULL, "\"crv\" missing" },
	{ "EC without x", ONE("{\"kty\":\"EC\",\"crv\":\"P-256\",\"y\":\""
	    RFC7517_A1_EC_Y "\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "\"x\" missing" },
	{ "EC without y", ONE("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\""
	    RFC7517_A1_EC_X "\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "\"y\" missing" },
	{ "EC x one byte short", ONE("{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7A\",\"y\":\""
	    RFC7517_A1_EC_Y "\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "coordinates must be 32 bytes" },
	{ "EC x one byte long", ONE("{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"AAAAMKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4\",\"y\":\""
	    RFC7517_A1_EC_Y "\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "\"x\" of 47 characters" },
	{ "EC y with bad trailing bits", ONE("{\"kty\":\"EC\",\"crv\":"
	    "\"P-256\",\"x\":\"" RFC7517_A1_EC_X "\",\"y\":"
	    "\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyN\"}"), ERR_INPUT, 0,
	    -1, NULL, NULL, "\"y\" is not base64url" },
	{ "EC point not on the curve", ONE("{\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"x\":\"" RFC7517_A1_EC_X "\",\"y\":"
	    "\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyQ\"}"), ERR_INPUT, 0,
	    -1, NULL, NULL, "not on P-256" },
	{ "EC P-256 coordinates named P-384", ONE("{\"kty\":\"EC\",\"crv\":"
	    "\"P-384\",\"x\":\"" RFC7517_A1_EC_X "\",\"y\":\"" RFC7517_A1_EC_Y
	    "\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "coordinates must be 48 bytes" },
	{ "EC unknown crv", ONE("{\"kty\":\"EC\",\"crv\":\"secp256k1\","
	    "\"x\":\"" RFC7517_A1_EC_X "\",\"y\":\"" RFC7517_A1_EC_Y "\"}"),
	    ERR_INPUT, 0, -1, NULL, NULL, "unsupported crv" },
	{ "EC with an OKP crv", ONE("{\"kty\":\"EC\",\"crv\":\"Ed25519\","
	    "\"x\":\"" RFC8037_A2_X "\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "unsupported crv" },
	{ "EC with alg ES384", ONE(A1_EC(",\"alg\":\"ES384\"")), ERR_INPUT, 0,
	    -1, NULL, NULL, "no signature algorithm" },
	{ "OKP without x", ONE("{\"kty\":\"OKP\",\"crv\":\"Ed25519\"}"),
	    ERR_INPUT, 0, -1, NULL, NULL, "\"x\" missing" },
	{ "OKP x too short", ONE("{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
	    "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUQ\"}"),
	    ERR_INPUT, 0, -1, NULL, NULL, "must be 32 bytes" },
	{ "OKP Ed25519 x with Ed448 length", ONE("{\"kty\":\"OKP\",\"crv\":"
	    "\"Ed448\",\"x\":\"" RFC8037_A2_X "\"}"), ERR_INPUT, 0, -1, NULL,
	    NULL, "must be 57 bytes" },
	{ "OKP X25519 (not for signatures)", ONE("{\"kty\":\"OKP\",\"crv\":"
	    "\"X25519\",\"x\":\"" RFC8037_A2_X "\"}"), ERR_INPUT, 0, -1, NULL,
	    NULL, "unsupported crv" },
	{ "OKP with an EC crv", ONE("{\"kty\":\"OKP\",\"crv\":\"P-256\","
	    "\"x\":\"" RFC8037_A2_X "\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "unsupported crv" },
	{ "OKP crv not a string", ONE("{\"kty\":\"OKP\",\"crv\":1,"
	    "\"x\":\"" RFC8037_A2_X "\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "\"crv\" missing or not a string" },
	{ "unknown kty oct", ONE("{\"kty\":\"oct\",\"k\":\"AyM1SysP\"}"),
	    ERR_INPUT, 0, -1, NULL, NULL, "unsupported kty" },
	{ "kty lower case", ONE("{\"kty\":\"rsa\",\"n\":\"" RFC7517_A1_RSA_N
	    "\",\"e\":\"AQAB\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "unsupported kty" },
	{ "kty missing", ONE("{\"crv\":\"Ed25519\",\"x\":\"" RFC8037_A2_X
	    "\"}"), ERR_INPUT, 0, -1, NULL, NULL, "\"kty\" missing" },
	{ "kty not a string", ONE("{\"kty\":[\"OKP\"],\"crv\":\"Ed25519\","
	    "\"x\":\"" RFC8037_A2_X "\"}"), ERR_INPUT, 0, -1, NULL, NULL,
	    "\"kty\" missing or not a string" },
	{ "use=enc", ONE(A1_EC(",\"use\":\"enc\"")), ERR_INPUT, 0, -1, NULL,
	    NULL, "\"use\" is not \"sig\"" },
	{ "use not a string", ONE(A1_EC(",\"use\":1")), ERR_INPUT, 0, -1, NULL,
	    NULL, "\"use\" is not \"sig\"" },
	{ "key_ops without verify", ONE(A1_EC(",\"key_ops\":[\"encrypt\"]")),
	    ERR_INPUT, 0, -1, NULL, NULL, "lacks \"verify\"" },
	{ "kid not a string", ONE(A1_EC(",\"kid\":7")), ERR_INPUT, 0, -1, NULL,
	    NULL, "\"kid\" is not a short string" },
	{ "kid empty", ONE(A1_EC(",\"kid\":\"\"")), ERR_INPUT, 0, -1, NULL,
	    NULL, "\"kid\" is not a short string" },
	{ "key not an object", "{\"keys\":[\"" RFC7517_A1_EC_X "\"]}",
	    ERR_INPUT, 0, -1, NULL, NULL, "not a JSON object" },
	{ "key null", "{\"keys\":[null]}", ERR_INPUT, 0, -1, NULL, NULL,
	    "not a JSON object" },

	/* Broken documents. */
	{ "empty keys array", "{\"keys\":[]}", ERR_INPUT, 0, -1, NULL, NULL,
	    "empty \"keys\" array" },
	{ "not an object", "[" RFC8037_A2_OKP "]", ERR_INPUT, 0, -1, NULL,
	    NULL, "not a JSON object" },
	{ "keys not an array", "{\"keys\":" RFC8037_A2_OKP "}", ERR_INPUT, 0,
	    -1, NULL, NULL, "no \"keys\" array" },
	{ "keys missing", "{\"key\":[" RFC8037_A2_OKP "]}", ERR_INPUT, 0, -1,
	    NULL, NULL, "no \"keys\" array" },
	{ "keys null", "{\"keys\":null}", ERR_INPUT, 0, -1, NULL, NULL,
	    "no \"keys\" array" },
	{ "truncated JSON", "{\"keys\":[" RFC8037_A2_OKP, ERR_INPUT, 0, -1,
	    NULL, NULL, "not a JSON object" },
	{ "trailing garbage", ONE(RFC8037_A2_OKP) "x", ERR_INPUT, 0, -1, NULL,
	    NULL, "not a JSON object" },
	{ "empty document", "", ERR_INPUT, 0, -1, NULL, NULL,
	    "not a JSON object" },
};

static void
test_doc(const struct doc_case *c, const char *json, size_t len)
{
	struct jwk_set	*set = (struct jwk_set *)1;
	enum err	 e;

	err_reason_clear();
	e = jwk_set_parse(json, len, &set);
	is_int(e, c->want, "%s: result", c->name);
	if (c->want != ERR_OK) {
		ok(set == NULL, "%s: no set", c->name);
		ok(c->why != NULL && strstr(err_reason_get(), c->why) != NULL,
		    "%s: the reason (%s)", c->name, err_reason_get());
		return;
	}
	if (set == NULL) {
		ok(0, "%s: a set", c->name);
		return;
	}
	is_int(set->n, c->nkeys, "%s: keys kept", c->name);
	if (set->n > 0 && c->kty >= 0) {
		is_int(set->keys[0].kty, c->kty, "%s: kty", c->name);
		is_str(set->keys[0].crv, c->crv, "%s: crv", c->name);
		is_str(set->keys[0].kid, c->kid, "%s: kid", c->name);
		ok(set->keys[0].pkey != NULL, "%s: a public key", c->name);
	}
	jwk_set_free(set);
}

static void
test_docs(void)
{
	size_t	i;

	for (i = 0; i < sizeof(doc_cases) / sizeof(doc_cases[0]); i++)
		test_doc(&doc_cases[i], doc_cases[i].json,
		    strlen(doc_cases[i].json));
}

static void
test_key_details(void)
{
	struct jwk_set	*set = NULL;

	if (!ok(jwk_set_parse(RFC7517_A1_JWKS, strlen(RFC7517_A1_JWKS),
	    &set) == ERR_OK && set != NULL, "A.1 parses"))
		return;
	is_str(set->keys[0].alg, "RS256", "A.1 RSA keeps its alg");
	is_int(EVP_PKEY_get_bits(set->keys[0].pkey), 2048, "A.1 RSA is 2048 "
	    "bits");
	ok(EVP_PKEY_is_a(set->keys[0].pkey, "RSA"), "A.1 RSA is an RSA key");
	jwk_set_free(set);

	set = NULL;
	if (!ok(jwk_set_parse(ONE(RFC8037_A2_OKP), strlen(ONE(RFC8037_A2_OKP)),
	    &set) == ERR_OK && set != NULL, "RFC 8037 A.2 parses"))
		return;
	ok(EVP_PKEY_is_a(set->keys[0].pkey, "ED25519"), "A.2 is Ed25519");
	ok(set->keys[0].alg == NULL, "A.2 has no alg");
	jwk_set_free(set);
}

/* An RSA modulus of the given bytes (top bit set, odd) as a JWKS. */
static char *
rsa_doc(struct arena *a, size_t bytes)
{
	unsigned char	*n = arena_alloc(a, bytes);

	memset(n, 0xc5, bytes);
	return arena_printf(a, "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"%s\","
	    "\"e\":\"AQAB\"}]}", b64_url_encode_arena(a, n, bytes));
}

static void
test_rsa_sizes(struct arena *a)
{
	static const struct doc_case	weak = { "RSA 1024 bits", NULL,
	    ERR_INPUT, 0, -1, NULL, NULL, "1024 bits is too weak" };
	static const struct doc_case	almost = { "RSA 2040 bits", NULL,
	    ERR_INPUT, 0, -1, NULL, NULL, "2040 bits is too weak" };
	static const struct doc_case	huge = { "RSA over the bound", NULL,
	    ERR_INPUT, 0, -1, NULL, NULL, "\"n\" of 2732 characters" };
	char				*doc;

	doc = rsa_doc(a, 128);
	test_doc(&weak, doc, strlen(doc));
	doc = rsa_doc(a, 255);
	test_doc(&almost, doc, strlen(doc));
	doc = rsa_doc(a, BOUND_RSA_BITS_MAX / 8 + 1);
	test_doc(&huge, doc, strlen(doc));
}

/*
 * A 2058-bit modulus made as Infineon's RSALib made its primes
 * (k * M + 65537^a mod M, M the product of the primes up to 167):
 * the ROCA fingerprint (CVE-2017-15361), with a kid beside a good key.
 */
#define ROCA_N \
    "Akbpv2NCQj__pWWcCNP-8AITrpotnN-HyU5hJyScmLLUkP8CZsgOUiy83MCO"	\
    "-pLh8frQIBNX_9j_sOYsmJGs69nqYExqlwTwMgAVuw53d7spclVyEsV_zK0Y"	\
    "SACvssCJ_v-FgyTlq-V7MDVlkrWPibvnCiV78lDT5ntqKPzGXWQZgd-mQy7U"	\
    "BY9BhWMaic3C7AyqnlaIHOH3WvhOKaf1hZJJAT8ETNJjb64ouQvBMsFnbRfl"	\
    "efM57EpMYOigIEBrYUfyDxZBAsUlr8N0JSqi6Dg5a4JhVWckVyT0Lw23EKnY"	\
    "3g4ZtcZ3oeMAsei6eS3BYNpWtjhQ1aRri-f0076crGMp"

static void
test_roca(void)
{
	static const struct doc_case	alone = { "a ROCA key alone", NULL,
	    ERR_INPUT, 0, -1, NULL, NULL, "ROCA fingerprint (CVE-2017-15361)" };
	static const struct doc_case	beside = { "a ROCA key beside a good "
	    "one", NULL, ERR_OK, 1, JWK_KTY_RSA, NULL, "good", NULL };
	const char	*one = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"roca\","
	    "\"n\":\"" ROCA_N "\",\"e\":\"AQAB\"}]}";
	const char	*two = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"roca\","
	    "\"n\":\"" ROCA_N "\",\"e\":\"AQAB\"}," A1_RSA(",\"kid\":\"good\"")
	    "]}";

	test_doc(&alone, one, strlen(one));
	test_doc(&beside, two, strlen(two));
}

static void
test_ed448(struct arena *a)
{
	static const struct doc_case	good = { "generated Ed448", NULL,
	    ERR_OK, 1, JWK_KTY_OKP, "Ed448", "ed448", NULL };
	static const struct doc_case	as25519 = { "Ed448 key named Ed25519",
	    NULL, ERR_INPUT, 0, -1, NULL, NULL, "\"x\" of 76 characters" };
	struct tkey			 k = { NULL, "ED448", "Ed448", 0,
					     NULL };
	char				*doc, *jwk;

	if (!ok(tkey_generate(&k), "Ed448 key generated"))
		return;
	jwk = tkey_jwk(a, &k, "ed448", ",\"use\":\"sig\",\"alg\":\"EdDSA\"");
	doc = arena_printf(a, "{\"keys\":[%s]}", jwk);
	test_doc(&good, doc, strlen(doc));
	k.crv = "Ed25519";
	jwk = tkey_jwk(a, &k, "ed448", "");
	doc = arena_printf(a, "{\"keys\":[%s]}", jwk);
	test_doc(&as25519, doc, strlen(doc));
	EVP_PKEY_free(k.pkey);
}

static void
test_bounds(struct arena *a)
{
	static const struct doc_case	capped = { "1000 keys", NULL, ERR_OK,
	    BOUND_JWKS_KEYS, JWK_KTY_OKP, "Ed25519", NULL, NULL };
	static const struct doc_case	big = { "JWKS over BOUND_JWKS_BODY",
	    NULL, ERR_TOO_BIG, 0, -1, NULL, NULL,
	    "over the 131072-byte bound" };
	static const struct doc_case	longkid = { "kid over BOUND_JWK_KID",
	    NULL, ERR_INPUT, 0, -1, NULL, NULL,
	    "\"kid\" is not a short string" };
	static const char		 head[] = "{\"keys\":[", tail[] = "]}";
	static const char		 key[] = RFC8037_A2_OKP ",";
	char				*doc, *kid, *p;
	size_t				 i, len;

	len = strlen(head) + 1000 * strlen(key) + strlen(tail);
	p = doc = arena_alloc(a, len + 1);
	memcpy(p, head, strlen(head));
	p += strlen(head);
	for (i = 0; i < 1000; i++, p += strlen(key))
		memcpy(p, key, strlen(key));
	memcpy(p - 1, tail, strlen(tail));	/* over the last comma */
	test_doc(&capped, doc, strlen(doc));

	len = BOUND_JWKS_BODY + 1;
	doc = arena_alloc(a, len + 1);
	memset(doc, ' ', len);
	memcpy(doc, ONE(RFC8037_A2_OKP), strlen(ONE(RFC8037_A2_OKP)));
	test_doc(&big, doc, len);

	kid = arena_alloc(a, BOUND_JWK_KID + 2);
	memset(kid, 'k', BOUND_JWK_KID + 1);
	doc = arena_printf(a, "{\"keys\":[{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
	    "\"x\":\"" RFC8037_A2_X "\",\"kid\":\"%s\"}]}", kid);
	test_doc(&longkid, doc, strlen(doc));
}

static void
test_free_null(void)
{
	jwk_set_free(NULL);
	ok(1, "jwk_set_free(NULL) is harmless");
}

int
main(void)
{
	struct arena	*a = arena_new();

	/* Each skipped key's reason goes to stderr, into the test's log. */
	log_set_level(LOG_LEVEL_DEBUG);
	test_docs();
	test_key_details();
	test_rsa_sizes(a);
	test_roca();
	test_ed448(a);
	test_bounds(a);
	test_free_null();
	arena_free(a);
	return tap_done();
}
