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

static int
url_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

enum err
b64_url_decode(const char *in, size_t len, unsigned char *out, size_t *outlen)
{
	uint32_t	acc = 0;
	size_t		i, o = 0;
	int		bits = 0;

	if (len % 4 == 1)
		return ERR_INPUT;
	for (i = 0; i < len; i++) {
		int v = url_value((unsigned char)in[i]);
		if (v < 0)
			return ERR_INPUT;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* Left-over bits must be zero, or two strings decode alike. */
	if (acc != 0)
		return ERR_INPUT;
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
