#include "config.h"

#include <string.h>

#include "arena.h"
#include "b64.h"
#include "crypto.h"
#include "tap.h"

struct vector {
	const char	*plain;
	size_t		 len;
	const char	*url;		/* unpadded base64url */
	const char	*std;		/* padded standard base64 */
};

/* RFC 4648 §10, and bytes that differ between the two alphabets. */
static const struct vector vectors[] = {
	{ "", 0, "", "" },
	{ "f", 1, "Zg", "Zg==" },
	{ "fo", 2, "Zm8", "Zm8=" },
	{ "foo", 3, "Zm9v", "Zm9v" },
	{ "foob", 4, "Zm9vYg", "Zm9vYg==" },
	{ "fooba", 5, "Zm9vYmE", "Zm9vYmE=" },
	{ "foobar", 6, "Zm9vYmFy", "Zm9vYmFy" },
	{ "\xfb\xff", 2, "-_8", "+/8=" },
	{ "\xfb\xff\xbf", 3, "-_-_", "+/+/" },
	{ "\x00", 1, "AA", "AA==" },
	{ "\x00\x00\x00", 3, "AAAA", "AAAA" },
	{ "\xff\xff\xff\xff", 4, "_____w", "/////w==" },
};

static void
test_vectors(struct arena *a)
{
	unsigned char	out[16], *dec;
	char		enc[32];
	size_t		i, n;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *v = &vectors[i];

		is_int(b64_url_encoded_len(v->len), strlen(v->url),
		    "encoded length of vector %zu", i);
		b64_url_encode(v->plain, v->len, enc);
		is_str(enc, v->url, "url encode vector %zu", i);
		is_str(b64_url_encode_arena(a, v->plain, v->len), v->url,
		    "url encode (arena) vector %zu", i);
		is_str(b64_std_encode_arena(a, v->plain, v->len), v->std,
		    "std encode vector %zu", i);
		n = 99;
		ok(b64_url_decode(v->url, strlen(v->url), out, &n) == ERR_OK &&
		    n == v->len && memcmp(out, v->plain, n) == 0,
		    "url decode vector %zu", i);
		ok(b64_url_decode_arena(a, v->url, strlen(v->url), &dec, &n) ==
		    ERR_OK && n == v->len && memcmp(dec, v->plain, n) == 0 &&
		    dec[n] == '\0', "url decode (arena) vector %zu", i);
	}
}

static void
test_round_trips(struct arena *a)
{
	unsigned char	in[64], out[64], *dec;
	char		enc[128];
	size_t		n, outlen, bad = 0;

	for (n = 0; n <= sizeof(in); n++) {
		if (crypto_random(in, n) != ERR_OK)
			bad++;
		b64_url_encode(in, n, enc);
		if (strlen(enc) != b64_url_encoded_len(n) ||
		    strspn(enc, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(enc))
			bad++;
		if (b64_url_decode(enc, strlen(enc), out, &outlen) != ERR_OK ||
		    outlen != n || memcmp(in, out, n) != 0)
			bad++;
		if (b64_url_decode_arena(a, enc, strlen(enc), &dec,
		    &outlen) != ERR_OK || outlen != n ||
		    memcmp(in, dec, n) != 0)
			bad++;
	}
	ok(bad == 0, "round trips of random bytes, lengths 0..64");
}

struct bad {
	const char	*in;
	size_t		 len;
	const char	*why;
};

static const struct bad bad_inputs[] = {
	{ "Zg==", 4, "padding" },
	{ "Zg=", 3, "one pad" },
	{ "Zm8=", 4, "pad after three" },
	{ "=", 1, "only padding" },
	{ "====", 4, "four pads" },
	{ "+/8", 3, "standard alphabet" },
	{ "ab+c", 4, "'+'" },
	{ "ab/c", 4, "'/'" },
	{ "ab c", 4, "space inside" },
	{ " abc", 4, "leading space" },
	{ "abc ", 4, "trailing space" },
	{ "ab\nc", 4, "newline" },
	{ "ab\rc", 4, "carriage return" },
	{ "ab\tc", 4, "tab" },
	{ "ab.c", 4, "dot" },
	{ "ab%2", 4, "percent" },
	{ "Z", 1, "len % 4 == 1" },
	{ "ZZZZZ", 5, "len % 4 == 1 (5)" },
	{ "ZZZZZZZZZ", 9, "len % 4 == 1 (9)" },
	{ "QR", 2, "non-zero trailing bits (QR vs QQ)" },
	{ "Zh", 2, "non-zero trailing bits (Zh vs Zg)" },
	{ "Zm9", 3, "non-zero trailing bits (Zm9 vs Zm8)" },
	{ "AB", 2, "non-zero trailing bits (AB vs AA)" },
	{ "AAB", 3, "non-zero trailing bits (AAB vs AAA)" },
	{ "Zm\0v", 4, "NUL inside" },
	{ "Zm9v\0", 5, "NUL at the end" },
	{ "\0\0\0\0", 4, "only NULs" },
	{ "Zm9v\xc3\xa9", 6, "non-ASCII" },
	{ "\x80\x80", 2, "high bytes" },
};

static void
test_bad(struct arena *a)
{
	unsigned char	out[16], *dec;
	size_t		i, n;

	for (i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		const struct bad *b = &bad_inputs[i];

		n = 77;
		dec = NULL;
		ok(b64_url_decode(b->in, b->len, out, &n) == ERR_INPUT &&
		    n == 77, "refused: %s", b->why);
		ok(b64_url_decode_arena(a, b->in, b->len, &dec, &n) ==
		    ERR_INPUT && dec == NULL && n == 77,
		    "refused (arena): %s", b->why);
	}
	ok(b64_url_decode("QQ", 2, out, &n) == ERR_OK && n == 1 &&
	    out[0] == 'A', "QQ is the one encoding of \"A\"");
	ok(b64_url_decode("", 0, out, &n) == ERR_OK && n == 0,
	    "empty decodes to nothing");
}

int
main(void)
{
	struct arena	*a = arena_new();

	test_vectors(a);
	test_round_trips(a);
	test_bad(a);
	arena_free(a);
	return tap_done();
}
