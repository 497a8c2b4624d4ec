#include "config.h"

#include <stdint.h>

#include "arena.h"
#include "b64.h"

static const char url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char std_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
b64_url_encoded_len(size_t n)
{
	return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

static size_t
encode(const char *alphabet, int pad, const unsigned char *in, size_t n,
    char *out)
{
	size_t	i, o = 0;

	for (i = 0; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
		out[o++] = alphabet[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)in[i] << 16;
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		if (pad) {
			out[o++] = '=';
			out[o++] = '=';
		}
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
		if (pad)
			out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

void
b64_url_encode(const void *in, size_t n, char *out)
{
	encode(url_alphabet, 0, in, n, out);
}

char *
b64_url_encode_arena(struct arena *a, const void *in, size_t n)
{
	char	*out = arena_alloc(a, b64_url_encoded_len(n) + 1);

	b64_url_encode(in, n, out);
	return out;
}

char *
b64_std_encode_arena(struct arena *a, const void *in, size_t n)
{
	char	*out = arena_alloc(a, (n + 2) / 3 * 4 + 1);

	encode(std_alphabet, 1, in, n, out);
	return out;
}

/*
 * Each byte's base64url value; 64 for a byte outside the alphabet.  A
 * table, not a chain of ranges: the session cookie is decoded on every
 * request.
 */
static const unsigned char url_values[256] = {
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 62, 64, 64,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 64, 64, 64, 64, 64, 64,
	64,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 64, 64, 64, 64, 63,
	64, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 64, 64, 64, 64, 64,
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
	64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
};

enum err
b64_url_decode(const char *in, size_t len, unsigned char *out, size_t *outlen)
{
	const unsigned char	*p = (const unsigned char *)in;
	uint32_t		 v;
	size_t			 i, o = 0, rest = len % 4;

	if (rest == 1)
		return ERR_INPUT;
	/* Four characters make three bytes. */
	for (i = 0; i + 4 <= len; i += 4) {
		uint32_t a = url_values[p[i]], b = url_values[p[i + 1]],
		    c = url_values[p[i + 2]], d = url_values[p[i + 3]];
		if ((a | b | c | d) > 63)
			return ERR_INPUT;
		v = a << 18 | b << 12 | c << 6 | d;
		out[o++] = (unsigned char)(v >> 16);
		out[o++] = (unsigned char)(v >> 8);
		out[o++] = (unsigned char)v;
	}
	if (rest > 0) {
		uint32_t a = url_values[p[i]], b = url_values[p[i + 1]],
		    c = rest == 3 ? url_values[p[i + 2]] : 0;
		if ((a | b | c) > 63)
			return ERR_INPUT;
		v = a << 18 | b << 12 | c << 6;
		/* Left-over bits must be zero, or two strings decode alike. */
		if ((rest == 2 && (v & 0xffff)) || (rest == 3 && (v & 0xff)))
			return ERR_INPUT;
		out[o++] = (unsigned char)(v >> 16);
		if (rest == 3)
			out[o++] = (unsigned char)(v >> 8);
	}
	*outlen = o;
	return ERR_OK;
}

enum err
b64_url_decode_arena(struct arena *a, const char *in, size_t len,
    unsigned char **out, size_t *outlen)
{
	unsigned char	*p;
	enum err	 e;

	p = arena_alloc(a, len / 4 * 3 + 3);
	if ((e = b64_url_decode(in, len, p, outlen)) != ERR_OK)
		return e;
	p[*outlen] = '\0';
	*out = p;
	return ERR_OK;
}
