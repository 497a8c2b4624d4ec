/*
 * What the fuzz targets share: the libFuzzer entry point, the fixed
 * keys, names and times the seed generator uses too, and a per-input
 * arena.
 *
 * Each target is built twice: linked with libFuzzer (configure
 * --enable-fuzzers CC=clang), or with replay_main.c, which runs the
 * committed corpus once under make check.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct seal_keys;

/* The time every target calls now: 2023-11-14T22:13:20Z. */
#define FUZZ_NOW		((int64_t)1700000000)

/* Cookie secrets: the current one seals, the previous one only opens. */
#define FUZZ_SECRET		"fuzz-cookie-secret-0123456789abcdefghijklmn"
#define FUZZ_SECRET_PREVIOUS	"fuzz-previous-secret-0123456789abcdefghijk"
/* A secret the targets do not know (the generator's "unknown key"). */
#define FUZZ_SECRET_OTHER	"fuzz-other-secret-0123456789abcdefghijklmno"

/* The session cookie, as session_cookie_name gives it over http. */
#define FUZZ_COOKIE		"oidc_login"
/* A state parameter of the right shape, and its flow cookie's name. */
#define FUZZ_STATE		"fuzz-state-0123456789-abcdefghijklmnopqrstu"
#define FUZZ_FLOW_COOKIE	"oidc_login_flow_fuzz-sta"
/* The additional data of an encrypted ID token in a session. */
#define FUZZ_TOKEN_AAD		"ti"

/* What the ID tokens are checked against. */
#define FUZZ_ISSUER		"https://op.example.com"
#define FUZZ_TENANT_ISSUER	"https://login.example.com/{tenantid}/v2.0"
#define FUZZ_TENANT		"9188040d-6c67-4c5b-b112-36a304b66dad"
#define FUZZ_CLIENT_ID		"fuzz-client"
#define FUZZ_NONCE		"fuzz-nonce-0123456789"
#define FUZZ_ACCESS_TOKEN	"fuzz-access-token-0123456789"
#define FUZZ_HMAC_SECRET \
	"fuzz-client-secret-for-hs-algs-0123456789abcdef"

/*
 * The public keys of fuzz_keys.h (gen_seeds --jwks prints them): one
 * RSA key for RS* and PS*, P-256, P-384, P-521, Ed25519 and Ed448.
 */
#define FUZZ_JWKS \
	"{\"keys\":[{\"kty\":\"RSA\",\"n\":\"s5CjNAsdYSZXrqaJ-O5D_subaQlRAP" \
	"5g66r9ll8M39AmQdlL8UmofRmEkx-KHkOixZ5yNO6CbiDU9Lz1MjifUJSV7DRlrYIW" \
	"EN6kihhRqJNEb-tkry8gHPuVkEb4CMLnjJGiyYCSD6rtFaL2kvdmVvCYiLOOfLbzv2" \
	"B84zRV5cdeKCsOzZNnRU2cG8qLx2N8Tem9qgWZylThU-C2UDV7y9el7sIomgc8MDMc" \
	"jGX8gDq5PRP_Cm-qfIcAykDRQz7Ef2sv6y60JrODRN10c9Z3X0ZmdyXNvYA8J-lhgF" \
	"TOYqE0DLzkI3NMmYUdG_lj5ADysgS1iI0G6q8B1bTi8TNJdQ\",\"e\":\"AQAB\"," \
	"\"kid\":\"rsa-1\",\"use\":\"sig\"},{\"kty\":\"EC\",\"crv\":\"P-256" \
	"\",\"x\":\"xmAe1jqneGk5rS93DysmzkByBr4Lf9YZD32Kkl1A_Vg\",\"y\":\"R" \
	"aNksH8Wbvx00LyQTJe-E4ZONRxitWGSbs5y2RfqPKk\",\"kid\":\"ec-256\",\"" \
	"use\":\"sig\"},{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"WWn__n1FW" \
	"5hLtwevOa5UIuWEK0_oYWE1t3iQLo9CTl4kUr3_8QZqmRw6T2UWP-W3\",\"y\":\"" \
	"fJH4ITGdK_CSfcT55pfLr0oeQN8CYmBRuSsrTWfQXjBpWi3Hk7AvCZCNH-rZ9CX2\"" \
	",\"kid\":\"ec-384\",\"use\":\"sig\"},{\"kty\":\"EC\",\"crv\":\"P-5" \
	"21\",\"x\":\"ALFk6DGmG6-O16XMJzW3G9G-Zh0boG0hKn1YzsG7dd3ZTVHxaApDv" \
	"saZqWnyjad-0lNfqW-OFkOXSz4ktgmLtKBx\",\"y\":\"AQ8F_kf6SwcDY-hkv7jK" \
	"E46qCZLQ5KpiuJ8dJiZh18mltHURQPFmNjh7UQ0pPavG6R6NTyRfY8lsma_3-OOJC8" \
	"0U\",\"kid\":\"ec-521\",\"use\":\"sig\"},{\"kty\":\"OKP\",\"crv\":" \
	"\"Ed25519\",\"x\":\"dYwko0_ee_jI3lUdAXZqvbUBJ_PG5NvaJj4ITFF3yhw\"," \
	"\"kid\":\"ed25519\",\"use\":\"sig\"},{\"kty\":\"OKP\",\"crv\":\"Ed" \
	"448\",\"x\":\"6tC-KXrSPQMrsE751HrdH7_mXCcbm9vs9Y-GCXx8D5g8dlGvDFsg" \
	"eg1b-ZCBcY61_bA6jTnzGfqA\",\"kid\":\"ed448\",\"use\":\"sig\"}]}"

int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Returns the arena of this input, reset since the last one, with the
 * error reason cleared; made at the first call and freed at exit.
 */
struct arena	*fuzz_begin(void);

/* Returns the keys of FUZZ_SECRET and FUZZ_SECRET_PREVIOUS, made once. */
const struct seal_keys *fuzz_seal_keys(void);

/* Returns a NUL-terminated arena copy of the input. */
char		*fuzz_cstr(struct arena *, const uint8_t *, size_t);

#endif /* FUZZ_H */
