#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "tap.h"

#define MAX_BYTES	256

/* Decodes hex into out; returns the length (the tables are trusted). */
static size_t
unhex(const char *hex, unsigned char *out)
{
	size_t	i, n = strlen(hex) / 2;

	for (i = 0; i < n; i++) {
		unsigned hi, lo;
		char c = hex[2 * i], d = hex[2 * i + 1];

		hi = (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
		lo = (unsigned)(d <= '9' ? d - '0' : d - 'a' + 10);
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return n;
}

static void
fill(unsigned char *p, unsigned char v, size_t n)
{
	memset(p, v, n);
}

/* RFC 4231 keys and data, built at run time: several are long runs. */
struct hmac_case {
	const char	*name;
	unsigned char	 key_byte;	/* 0: use key_hex */
	size_t		 key_len;
	const char	*key_hex;
	unsigned char	 data_byte;	/* 0: use data_str */
	size_t		 data_len;
	const char	*data_str;
	size_t		 trunc;		/* bytes compared (0: all) */
	const char	*sha256, *sha384, *sha512;
};

static const struct hmac_case hmac_cases[] = {
	{ "RFC 4231 case 1", 0x0b, 20, NULL, 0, 0, "Hi There", 0,
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	    "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
	    "faea9ea9076ede7f4af152e8b2fa9cb6",
	    "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	    "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
	{ "RFC 4231 case 2", 0, 0, "4a656665", 0, 0,
	    "what do ya want for nothing?", 0,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
	    "8e2240ca5e69e2c78b3239ecfab21649",
	    "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	    "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
	{ "RFC 4231 case 3", 0xaa, 20, NULL, 0xdd, 50, NULL, 0,
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
	    "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
	    "2a5ab39dc13814b94e3ab6e101a34f27",
	    "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	    "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
	{ "RFC 4231 case 4", 0, 0,
	    "0102030405060708090a0b0c0d0e0f10111213141516171819", 0xcd, 50,
	    NULL, 0,
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
	    "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
	    "6801dd23c4a7d679ccf8a386c674cffb",
	    "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	    "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd" },
	{ "RFC 4231 case 5 (truncated)", 0x0c, 20, NULL, 0, 0,
	    "Test With Truncation", 16,
	    "a3b6167473100ee06e0c796c2955552b",
	    "3abf34c3503b2a23a46efc619baef897",
	    "415fad6271580a531d4179bc891d87a6" },
	{ "RFC 4231 case 6", 0xaa, 131, NULL, 0, 0,
	    "Test Using Larger Than Block-Size Key - Hash Key First", 0,
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
	    "0c2ef6ab4030fe8296248df163f44952",
	    "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	    "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
	{ "RFC 4231 case 7", 0xaa, 131, NULL, 0, 0,
	    "This is a test using a larger than block-size key and a larger "
	    "than block-size data. The key needs to be hashed before being "
	    "used by the HMAC algorithm.", 0,
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	    "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
	    "a678cc31e799176d3860e6110c46523e",
	    "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	    "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58" },
};

/*
 * A prepared key gives the same MAC as crypto_hmac_sha256, on every
 * use: each restarts from the key, whatever the use before it hashed.
 */
static void
test_prepared(const char *name, const unsigned char *key, size_t keylen,
    const unsigned char *data, size_t datalen, const unsigned char *want,
    size_t cmp)
{
	struct crypto_mac_key	*pk = NULL;
	unsigned char		 mac[CRYPTO_MAC_LEN], other[CRYPTO_MAC_LEN];
	int			 same = 1;

	if (crypto_mac_key_new(key, keylen, &pk) != ERR_OK) {
		ok(0, "%s, prepared key", name);
		return;
	}
	for (int i = 0; i < 3; i++) {
		same &= crypto_mac_keyed(pk, data, datalen, mac) == ERR_OK &&
		    memcmp(mac, want, cmp) == 0;
		same &= crypto_mac_keyed(pk, "other", 5, other) == ERR_OK &&
		    memcmp(other, mac, sizeof(mac)) != 0;
	}
	ok(same, "%s, prepared key, three uses between others", name);
	crypto_mac_key_free(pk);
}

static unsigned char	mac256_unused[CRYPTO_MAC_LEN];

static void
test_hmac(void)
{
	const enum crypto_digest digests[] = {
	    CRYPTO_SHA256, CRYPTO_SHA384, CRYPTO_SHA512 };
	const size_t full[] = { 32, 48, 64 };
	size_t	i, j;

	for (i = 0; i < sizeof(hmac_cases) / sizeof(hmac_cases[0]); i++) {
		const struct hmac_case *c = &hmac_cases[i];
		unsigned char key[MAX_BYTES], data[MAX_BYTES];
		unsigned char want[64], mac[64], mac256[CRYPTO_MAC_LEN];
		const char *wants[] = { c->sha256, c->sha384, c->sha512 };
		size_t keylen, datalen, cmp, maclen;

		if (c->key_hex != NULL)
			keylen = unhex(c->key_hex, key);
		else {
			fill(key, c->key_byte, c->key_len);
			keylen = c->key_len;
		}
		if (c->data_str != NULL) {
			datalen = strlen(c->data_str);
			memcpy(data, c->data_str, datalen);
		} else {
			fill(data, c->data_byte, c->data_len);
			datalen = c->data_len;
		}
		for (j = 0; j < 3; j++) {
			cmp = unhex(wants[j], want);
			ok(crypto_hmac(digests[j], key, keylen, data, datalen,
			    mac, &maclen) == ERR_OK && maclen == full[j] &&
			    memcmp(mac, want, cmp) == 0,
			    "%s, HMAC-SHA%zu", c->name, full[j] * 8);
		}
		cmp = unhex(c->sha256, want);
		ok(crypto_hmac_sha256(key, keylen, data, datalen, mac256) ==
		    ERR_OK && memcmp(mac256, want, cmp) == 0,
		    "%s, crypto_hmac_sha256", c->name);
		test_prepared(c->name, key, keylen, data, datalen, want, cmp);
	}
	ok(crypto_mac_keyed(NULL, "m", 1, mac256_unused) == ERR_SYSTEM,
	    "prepared key: NULL refused");
	crypto_mac_key_free(NULL);
	ok(crypto_hmac(CRYPTO_DIGEST__MAX, "k", 1, "m", 1, NULL, NULL) ==
	    ERR_SYSTEM, "unknown digest refused");
	{
		unsigned char a[CRYPTO_MAC_LEN], b[CRYPTO_MAC_LEN];

		ok(crypto_hmac_sha256(NULL, 0, NULL, 0, a) == ERR_OK &&
		    crypto_hmac_sha256("", 0, "", 0, b) == ERR_OK &&
		    memcmp(a, b, sizeof(a)) == 0 &&
		    unhex("b613679a0814d9ec772f95d778c35fc5"
		    "ff1697c493715653c6c712144292c5ad", b) == 32 &&
		    memcmp(a, b, sizeof(a)) == 0,
		    "empty key and message");
	}
}

struct hkdf_case {
	const char	*name;
	const char	*ikm, *salt, *info, *okm;
};

static const struct hkdf_case hkdf_cases[] = {
	{ "RFC 5869 A.1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	    "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
	    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	    "34007208d5b887185865" },
	{ "RFC 5869 A.2",
	    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	    "404142434445464748494a4b4c4d4e4f",
	    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	    "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
	    "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
	    "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
	    "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
	    "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
	    "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
	    "cc30c58179ec3e87c14c01d5c1f3434f1d87" },
	{ "RFC 5869 A.3", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	    "", "",
	    "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	    "9d201395faa4b61a96c8" },
};

static void
test_hkdf(void)
{
	size_t	i;

	for (i = 0; i < sizeof(hkdf_cases) / sizeof(hkdf_cases[0]); i++) {
		const struct hkdf_case *c = &hkdf_cases[i];
		unsigned char ikm[MAX_BYTES], salt[MAX_BYTES], info[MAX_BYTES];
		unsigned char want[MAX_BYTES], out[MAX_BYTES];
		size_t ikmlen, saltlen, infolen, wantlen;

		ikmlen = unhex(c->ikm, ikm);
		saltlen = unhex(c->salt, salt);
		infolen = unhex(c->info, info);
		wantlen = unhex(c->okm, want);
		ok(crypto_hkdf_sha256(ikm, ikmlen, salt, saltlen, info,
		    infolen, out, wantlen) == ERR_OK &&
		    memcmp(out, want, wantlen) == 0, "%s", c->name);
	}
	{
		unsigned char out[8];

		/* HKDF can give at most 255 hash lengths. */
		unsigned char *big = malloc(255 * 32 + 1);
		ok(crypto_hkdf_sha256("k", 1, NULL, 0, NULL, 0, big,
		    255 * 32 + 1) == ERR_SYSTEM, "HKDF over 255*32 refused");
		free(big);
		ok(crypto_hkdf_sha256("k", 1, "s", 1, "i", 1, out,
		    sizeof(out)) == ERR_OK, "HKDF short output");
	}
}

struct digest_case {
	enum crypto_digest	 d;
	const char		*msg;
	const char		*hex;
};

static const struct digest_case digest_cases[] = {
	{ CRYPTO_SHA256, "",
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ CRYPTO_SHA256, "abc",
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ CRYPTO_SHA256,
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ CRYPTO_SHA384, "",
	    "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
	    "274edebfe76f65fbd51ad2f14898b95b" },
	{ CRYPTO_SHA384, "abc",
	    "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
	    "8086072ba1e7cc2358baeca134c825a7" },
	{ CRYPTO_SHA512, "",
	    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
	{ CRYPTO_SHA512, "abc",
	    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
};

static void
test_digest(void)
{
	size_t	i, n, wantlen;

	for (i = 0; i < sizeof(digest_cases) / sizeof(digest_cases[0]); i++) {
		const struct digest_case *c = &digest_cases[i];
		unsigned char out[64], want[64];

		wantlen = unhex(c->hex, want);
		ok(crypto_digest(c->d, c->msg, strlen(c->msg), out, &n) ==
		    ERR_OK && n == wantlen && memcmp(out, want, n) == 0,
		    "digest %d of \"%.8s\"", (int)c->d, c->msg);
	}
	{
		unsigned char out[64];

		ok(crypto_digest(CRYPTO_DIGEST__MAX, "", 0, out, &n) ==
		    ERR_SYSTEM, "unknown digest refused");
	}
}

static void
test_gcm(void)
{
	unsigned char	key[CRYPTO_KEY_LEN], other[CRYPTO_KEY_LEN];
	unsigned char	sealed[64 + CRYPTO_GCM_IV_LEN + CRYPTO_GCM_TAG_LEN];
	unsigned char	again[sizeof(sealed)], plain[64], out[64];
	size_t		i, n, outlen, len, bad;
	const char	*aad = "id_token";

	memset(key, 0x42, sizeof(key));
	memset(other, 0x43, sizeof(other));
	for (i = 0; i < sizeof(plain); i++)
		plain[i] = (unsigned char)(i * 7);
	for (n = 0; n <= 64; n += 16) {
		len = n + CRYPTO_GCM_IV_LEN + CRYPTO_GCM_TAG_LEN;
		ok(crypto_seal_gcm(key, aad, strlen(aad), plain, n, sealed) ==
		    ERR_OK, "GCM seal %zu bytes", n);
		outlen = 999;
		ok(crypto_open_gcm(key, aad, strlen(aad), sealed, len, out,
		    &outlen) == ERR_OK && outlen == n &&
		    memcmp(out, plain, n) == 0, "GCM round trip %zu bytes", n);
	}
	/* The 64-byte output of the last round: tamper every byte. */
	len = 64 + CRYPTO_GCM_IV_LEN + CRYPTO_GCM_TAG_LEN;
	bad = 0;
	for (i = 0; i < len; i++) {
		memcpy(again, sealed, len);
		again[i] ^= 0x01;
		memset(out, 0xee, sizeof(out));
		outlen = 999;
		if (crypto_open_gcm(key, aad, strlen(aad), again, len, out,
		    &outlen) != ERR_INPUT || outlen != 999 || out[0] != 0xee)
			bad++;
	}
	ok(bad == 0, "each of %zu tampered bytes refused, nothing written",
	    len);
	ok(crypto_open_gcm(key, "access_token", 12, sealed, len, out,
	    &outlen) == ERR_INPUT, "wrong aad refused");
	ok(crypto_open_gcm(key, NULL, 0, sealed, len, out, &outlen) ==
	    ERR_INPUT, "missing aad refused");
	ok(crypto_open_gcm(other, aad, strlen(aad), sealed, len, out,
	    &outlen) == ERR_INPUT, "wrong key refused");
	ok(crypto_open_gcm(key, aad, strlen(aad), sealed, len - 1, out,
	    &outlen) == ERR_INPUT, "truncated refused");
	ok(crypto_open_gcm(key, aad, strlen(aad), sealed,
	    CRYPTO_GCM_IV_LEN + CRYPTO_GCM_TAG_LEN - 1, out, &outlen) ==
	    ERR_INPUT, "shorter than IV and tag refused");
	ok(crypto_open_gcm(key, aad, strlen(aad), sealed, 0, out, &outlen) ==
	    ERR_INPUT, "empty refused");
	ok(crypto_seal_gcm(key, aad, strlen(aad), plain, 16, sealed) ==
	    ERR_OK && crypto_seal_gcm(key, aad, strlen(aad), plain, 16,
	    again) == ERR_OK && memcmp(sealed, again, CRYPTO_GCM_IV_LEN) != 0,
	    "fresh IV per seal");
}

struct equal_case {
	const char	*a;
	size_t		 alen;
	const char	*b;
	size_t		 blen;
	int		 want;
};

static const struct equal_case equal_str_cases[] = {
	{ "", 0, "", 0, 1 },
	{ NULL, 0, "", 0, 1 },
	{ "abc", 3, "abc", 3, 1 },
	{ "abc", 3, "abd", 3, 0 },
	{ "abd", 3, "abc", 3, 0 },
	{ "ab", 2, "abc", 3, 0 },
	{ "abc", 3, "ab", 2, 0 },
	{ "", 0, "a", 1, 0 },
	{ NULL, 0, "a", 1, 0 },
	{ "a", 1, "", 0, 0 },
	{ "abc\0", 4, "abc", 3, 0 },
	{ "abc", 3, "abc\0", 4, 0 },
	{ "\0", 1, "\0", 1, 1 },
	{ "\0\0", 2, "\0", 1, 0 },
	{ "\0", 1, "\0\0", 2, 0 },
	{ "Abc", 3, "abc", 3, 0 },
	{ "abcdefghijklmnopqrstuvwxyz0123456789", 36,
	    "abcdefghijklmnopqrstuvwxyz0123456789", 36, 1 },
	{ "abcdefghijklmnopqrstuvwxyz0123456789", 36,
	    "abcdefghijklmnopqrstuvwxyz012345678", 35, 0 },
	{ "abcdefghijklmnopqrstuvwxyz0123456788", 36,
	    "abcdefghijklmnopqrstuvwxyz0123456789", 36, 0 },
	{ "bbcdefghijklmnopqrstuvwxyz0123456789", 36,
	    "abcdefghijklmnopqrstuvwxyz0123456789", 36, 0 },
	{ "\x80", 1, "\x00", 1, 0 },
	{ "\xff", 1, "\xff", 1, 1 },
};

static void
test_equal(void)
{
	size_t	i;

	for (i = 0; i < sizeof(equal_str_cases) / sizeof(equal_str_cases[0]);
	    i++) {
		const struct equal_case *c = &equal_str_cases[i];

		is_int(crypto_equal_str(c->a, c->alen, c->b, c->blen), c->want,
		    "crypto_equal_str case %zu", i);
	}
	ok(crypto_equal("abc", "abc", 3), "crypto_equal same");
	ok(!crypto_equal("abc", "abd", 3), "crypto_equal last byte differs");
	ok(!crypto_equal("xbc", "abc", 3), "crypto_equal first byte differs");
	ok(crypto_equal("abc", "abd", 2), "crypto_equal compares n bytes only");
	ok(crypto_equal("a", "b", 0), "crypto_equal of nothing");
	ok(!crypto_equal("\x80", "\x00", 1), "crypto_equal high bit");
}

static void
test_random(void)
{
	unsigned char	a[32], b[32], zero[32];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	memset(zero, 0, sizeof(zero));
	ok(crypto_random(a, sizeof(a)) == ERR_OK &&
	    memcmp(a, zero, sizeof(a)) != 0, "random bytes are not all zero");
	ok(crypto_random(b, sizeof(b)) == ERR_OK &&
	    memcmp(a, b, sizeof(a)) != 0, "two draws differ");
	ok(crypto_random(a, 0) == ERR_OK, "zero bytes");
	crypto_wipe(a, sizeof(a));
	ok(memcmp(a, zero, sizeof(a)) == 0, "crypto_wipe zeroes");
	crypto_wipe(NULL, 10);
	ok(1, "crypto_wipe accepts NULL");
}

int
main(void)
{
	test_hmac();
	test_hkdf();
	test_digest();
	test_gcm();
	test_equal();
	test_random();
	return tap_done();
}
