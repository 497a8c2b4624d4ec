/*
 * Sealed cookies under fixed keys.  The first byte of the input picks
 * the cookie's purpose (bit 0: session or flow) and what is done with
 * the rest (bits 1-2); in ASCII:
 *
 *	'0' '1'	seal_open of the rest (session, flow)
 *	'2' '3'	seal_seal of the rest as a payload, then seal_open must
 *		give it back, and only under its own name and purpose; a
 *		session is also split into chunks and joined again
 *	'4'	seal_decrypt of the rest, and seal_encrypt of the rest
 *		as a token that seal_decrypt must give back
 *	'6'	seal_csrf_check of "binding token" (split at a space)
 *
 * gen_seeds makes genuinely sealed values, so the fuzzer starts past
 * the MAC.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bounds.h"
#include "cookie.h"
#include "seal.h"

#include "fuzz.h"

#define MODE_OPEN	0
#define MODE_ROUND_TRIP	1
#define MODE_TOKEN	2
#define MODE_CSRF	3

/* A lifetime well inside the bounds, so sealing fails only by size. */
#define ROUND_TRIP_MAX_AGE	600

static const char *
name_of(enum seal_purpose p)
{
	return p == SEAL_SESSION ? FUZZ_COOKIE : FUZZ_FLOW_COOKIE;
}

static void
open_value(struct arena *a, enum seal_purpose p, const char *value)
{
	struct seal_opened	o;

	if (seal_open(fuzz_seal_keys(), a, p, name_of(p), value, FUZZ_NOW,
	    &o) != ERR_OK)
		return;
	if (o.payload[o.len] != '\0' || FUZZ_NOW >= o.exp ||
	    o.len > BOUND_SESSION_SEALED)
		abort();
}

/* Splitting and joining a session gives back the sealed value. */
static void
check_chunks(struct arena *a, const char *sealed)
{
	struct seal_chunk	*chunks;
	struct cookie_jar	 jar;
	char			*joined;
	size_t			 n;

	if (seal_split(a, FUZZ_COOKIE, sealed, &chunks, &n) != ERR_OK ||
	    n < 1 || n > BOUND_SESSION_CHUNKS + 1)
		abort();
	jar.v = arena_calloc(a, n, sizeof(*jar.v));
	jar.n = n;
	for (size_t i = 0; i < n; i++) {
		if (strlen(chunks[i].value) > BOUND_COOKIE_CHUNK)
			abort();
		/* Reverse order: the browser's is not ours. */
		jar.v[n - 1 - i].name = chunks[i].name;
		jar.v[n - 1 - i].value = chunks[i].value;
	}
	if (seal_join(a, &jar, FUZZ_COOKIE, &joined) != ERR_OK ||
	    strcmp(joined, sealed) != 0)
		abort();
}

static void
round_trip(struct arena *a, enum seal_purpose p, const uint8_t *payload,
    size_t len)
{
	const struct seal_keys	*keys = fuzz_seal_keys();
	enum seal_purpose	 other = p == SEAL_SESSION ? SEAL_FLOW :
	    SEAL_SESSION;
	struct seal_opened	 o;
	char			*v;
	enum err		 e;

	e = seal_seal(keys, a, p, name_of(p), FUZZ_NOW, ROUND_TRIP_MAX_AGE,
	    payload, len, &v);
	if (e != ERR_OK) {
		if (e != (p == SEAL_SESSION ? ERR_SESSION_TOO_BIG :
		    ERR_TOO_BIG))
			abort();
		return;
	}
	if (seal_open(keys, a, p, name_of(p), v, FUZZ_NOW, &o) != ERR_OK ||
	    o.len != len || (len > 0 && memcmp(o.payload, payload, len) != 0) ||
	    o.iat != FUZZ_NOW || o.exp != FUZZ_NOW + ROUND_TRIP_MAX_AGE ||
	    o.rotated)
		abort();
	if (seal_open(keys, a, p, name_of(other), v, FUZZ_NOW, &o) == ERR_OK ||
	    seal_open(keys, a, other, name_of(p), v, FUZZ_NOW, &o) == ERR_OK ||
	    seal_open(keys, a, p, name_of(p), v,
	    FUZZ_NOW + ROUND_TRIP_MAX_AGE, &o) == ERR_OK)
		abort();
	if (p == SEAL_SESSION)
		check_chunks(a, v);
}

static void
token(struct arena *a, const uint8_t *data, size_t size)
{
	const struct seal_keys	*keys = fuzz_seal_keys();
	char			*plain, *enc;
	size_t			 n;

	if (seal_decrypt(keys, a, FUZZ_TOKEN_AAD, fuzz_cstr(a, data, size),
	    &plain, &n) == ERR_OK && plain[n] != '\0')
		abort();
	if (seal_encrypt(keys, a, FUZZ_TOKEN_AAD, data, size, &enc) != ERR_OK)
		return;
	if (seal_decrypt(keys, a, FUZZ_TOKEN_AAD, enc, &plain, &n) !=
	    ERR_OK || n != size || (size > 0 && memcmp(plain, data, size) != 0))
		abort();
	if (seal_decrypt(keys, a, "ta", enc, &plain, &n) == ERR_OK)
		abort();
}

static void
csrf(struct arena *a, const uint8_t *data, size_t size)
{
	const struct seal_keys	*keys = fuzz_seal_keys();
	char			*binding = fuzz_cstr(a, data, size), *sp, *mine;
	const char		*tok = "";

	if ((sp = strchr(binding, ' ')) != NULL) {
		*sp = '\0';
		tok = sp + 1;
	}
	seal_csrf_check(keys, binding, tok);
	if ((mine = seal_csrf_token(keys, a, binding)) != NULL &&
	    !seal_csrf_check(keys, binding, mine))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena		*a = fuzz_begin();
	enum seal_purpose	 p;

	if (size == 0)
		return 0;
	p = (data[0] & 1) ? SEAL_FLOW : SEAL_SESSION;
	switch ((data[0] >> 1) & 3) {
	case MODE_OPEN:
		open_value(a, p, fuzz_cstr(a, data + 1, size - 1));
		break;
	case MODE_ROUND_TRIP:
		round_trip(a, p, data + 1, size - 1);
		break;
	case MODE_TOKEN:
		token(a, data + 1, size - 1);
		break;
	default:
		csrf(a, data + 1, size - 1);
		break;
	}
	return 0;
}
