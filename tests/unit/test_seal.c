#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "cookie.h"
#include "seal.h"
#include "tap.h"

#define NOW	((int64_t)1700000000)

static struct cfg_secret
secret(const char *s)
{
	struct cfg_secret	sec = { (unsigned char *)s, strlen(s) };

	return sec;
}

#define S_CURRENT	"current-secret-0123456789abcdefghijklmnop"
#define S_OLD		"old-secret-0123456789abcdefghijklmnopqrstu"
#define S_OTHER		"other-secret-0123456789abcdefghijklmnopqr"

static struct seal_keys *
keys_for(const char *current, const char *previous)
{
	struct seal_keys	*k = NULL;
	struct cfg_secret	 cur = secret(current), prev;

	if (previous != NULL) {
		prev = secret(previous);
		if (seal_keys_new(&cur, &prev, 1, &k) != ERR_OK)
			return NULL;
	} else if (seal_keys_new(&cur, NULL, 0, &k) != ERR_OK)
		return NULL;
	return k;
}

static void
test_keys(void)
{
	struct seal_keys	*k = NULL;
	struct cfg_secret	 cur = secret(S_CURRENT);
	struct cfg_secret	 shortsec = secret("short");
	struct cfg_secret	 empty = { NULL, 0 };
	struct cfg_secret	 prev[BOUND_SECRETS_PREVIOUS + 1];
	size_t			 i;

	for (i = 0; i <= BOUND_SECRETS_PREVIOUS; i++)
		prev[i] = secret(S_OLD);
	ok(seal_keys_new(&cur, NULL, 0, &k) == ERR_OK && k != NULL,
	    "keys from the current secret");
	seal_keys_free(k);
	k = NULL;
	ok(seal_keys_new(&cur, prev, BOUND_SECRETS_PREVIOUS, &k) == ERR_OK,
	    "BOUND_SECRETS_PREVIOUS previous secrets");
	seal_keys_free(k);
	k = NULL;
	ok(seal_keys_new(&cur, prev, BOUND_SECRETS_PREVIOUS + 1, &k) ==
	    ERR_CONFIG && k == NULL, "too many previous secrets refused");
	ok(seal_keys_new(&shortsec, NULL, 0, &k) == ERR_CONFIG && k == NULL,
	    "short current secret refused");
	ok(seal_keys_new(NULL, NULL, 0, &k) == ERR_CONFIG, "no secret refused");
	ok(seal_keys_new(&cur, &empty, 1, &k) == ERR_CONFIG,
	    "empty previous secret refused");
	ok(seal_keys_new(&cur, NULL, 1, &k) == ERR_CONFIG,
	    "missing previous array refused");
	seal_keys_free(NULL);
	ok(1, "seal_keys_free(NULL)");
}

static void
test_round_trip(struct arena *a, const struct seal_keys *k)
{
	struct seal_opened	 o;
	char			*v = NULL;
	const char		*payload = "{\"sub\":\"alice\"}";

	ok(seal_seal(k, a, SEAL_SESSION, "sess", NOW, 3600, payload,
	    strlen(payload), &v) == ERR_OK && v != NULL, "seal");
	ok(v != NULL && strchr(v, '.') != NULL &&
	    strlen(strchr(v, '.') + 1) == 43, "value is body.mac");
	ok(seal_open(k, a, SEAL_SESSION, "sess", v, NOW, &o) == ERR_OK,
	    "open");
	is_str(o.payload, payload, "payload back");
	is_int(o.len, strlen(payload), "payload length");
	is_int(o.iat, NOW, "iat");
	is_int(o.exp, NOW + 3600, "exp");
	is_int(o.rotated, 0, "not rotated");
	ok(seal_open(k, a, SEAL_SESSION, "sess", v, NOW + 3599, &o) == ERR_OK,
	    "open one second before exp");

	ok(seal_seal(k, a, SEAL_FLOW, "flow", NOW, BOUND_FLOW_MAX_AGE, "", 0,
	    &v) == ERR_OK && seal_open(k, a, SEAL_FLOW, "flow", v, NOW, &o) ==
	    ERR_OK && o.len == 0 && o.payload[0] == '\0', "empty payload");
	{
		unsigned char bin[5] = { 0, 1, 0, 255, 0 };

		ok(seal_seal(k, a, SEAL_FLOW, "flow", NOW, 60, bin,
		    sizeof(bin), &v) == ERR_OK &&
		    seal_open(k, a, SEAL_FLOW, "flow", v, NOW, &o) == ERR_OK &&
		    o.len == 5 && memcmp(o.payload, bin, 5) == 0 &&
		    o.payload[5] == '\0', "binary payload");
	}
	ok(seal_seal(k, a, SEAL_SESSION, "sess", -5, 10, "x", 1, &v) ==
	    ERR_OK && seal_open(k, a, SEAL_SESSION, "sess", v, 0, &o) ==
	    ERR_OK && o.iat == -5, "negative times survive");
}

/* Every single-byte change anywhere in the value must be refused. */
static void
test_tamper(struct arena *a, const struct seal_keys *k)
{
	struct seal_opened	 o;
	char			*v, *t;
	size_t			 i, len, bad = 0, bad_untouched = 0;
	const char		 subst[] = "AQg_-.=+ \x01";
	size_t			 j;

	seal_seal(k, a, SEAL_SESSION, "sess", NOW, 3600, "payload data", 12,
	    &v);
	len = strlen(v);
	t = arena_alloc(a, len + 1);
	for (i = 0; i < len; i++) {
		for (j = 0; j < sizeof(subst) - 1; j++) {
			if (v[i] == subst[j])
				continue;
			memcpy(t, v, len + 1);
			t[i] = subst[j];
			o.payload = NULL;
			if (seal_open(k, a, SEAL_SESSION, "sess", t, NOW, &o) !=
			    ERR_UNVERIFIED)
				bad++;
			if (o.payload != NULL)
				bad_untouched++;
		}
	}
	ok(bad == 0, "each byte of %zu tampered (%zu ways) refused", len,
	    sizeof(subst) - 1);
	ok(bad_untouched == 0, "nothing output on failure");

	for (i = 0, bad = 0; i < len; i++) {
		memcpy(t, v, len + 1);
		t[i] = '\0';
		if (seal_open(k, a, SEAL_SESSION, "sess", t, NOW, &o) !=
		    ERR_UNVERIFIED)
			bad++;
	}
	ok(bad == 0, "every truncation refused");
	t = arena_printf(a, "%sA", v);
	ok(seal_open(k, a, SEAL_SESSION, "sess", t, NOW, &o) == ERR_UNVERIFIED,
	    "one byte appended refused");
	t = arena_printf(a, "%s.", v);
	ok(seal_open(k, a, SEAL_SESSION, "sess", t, NOW, &o) == ERR_UNVERIFIED,
	    "trailing dot refused");
}

struct bad_value {
	const char	*value;
	const char	*why;
};

static const struct bad_value bad_values[] = {
	{ "", "empty" },
	{ ".", "only a dot" },
	{ "abc", "no dot" },
	{ "AAAA.AAAA", "short parts" },
	{ "..", "two dots" },
	{ "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAA."
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "zero MAC" },
	{ "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAA==."
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "padded" },
};

static void
test_refusals(struct arena *a, const struct seal_keys *k)
{
	struct seal_keys	*other, *rot, *norot;
	struct seal_opened	 o;
	char			*v, *vold, *big;
	size_t			 i;

	for (i = 0; i < sizeof(bad_values) / sizeof(bad_values[0]); i++)
		ok(seal_open(k, a, SEAL_SESSION, "sess", bad_values[i].value,
		    NOW, &o) == ERR_UNVERIFIED, "refused: %s", bad_values[i].why);
	ok(seal_open(k, a, SEAL_SESSION, "sess", NULL, NOW, &o) == ERR_UNVERIFIED,
	    "refused: NULL");

	seal_seal(k, a, SEAL_SESSION, "sess", NOW, 3600, "x", 1, &v);
	ok(seal_open(k, a, SEAL_SESSION, "sess2", v, NOW, &o) == ERR_UNVERIFIED,
	    "other cookie name refused");
	ok(seal_open(k, a, SEAL_SESSION, "ses", v, NOW, &o) == ERR_UNVERIFIED,
	    "prefix of the cookie name refused");
	ok(seal_open(k, a, SEAL_FLOW, "sess", v, NOW, &o) == ERR_UNVERIFIED,
	    "other purpose refused");
	ok(seal_open(k, a, SEAL_SESSION, "sess", v, NOW + 3600, &o) ==
	    ERR_UNVERIFIED, "expired at exp");
	ok(seal_open(k, a, SEAL_SESSION, "sess", v, NOW + 100000, &o) ==
	    ERR_UNVERIFIED, "expired long after");
	ok(seal_open(k, a, SEAL_SESSION, "sess", v,
	    NOW - BOUND_CLOCK_SKEW_DEFAULT, &o) == ERR_OK,
	    "iat within the clock skew accepted");
	ok(seal_open(k, a, SEAL_SESSION, "sess", v,
	    NOW - BOUND_CLOCK_SKEW_DEFAULT - 1, &o) == ERR_UNVERIFIED,
	    "iat in the future refused");
	seal_seal(k, a, SEAL_SESSION, "sess", NOW, 0, "x", 1, &v);
	ok(seal_open(k, a, SEAL_SESSION, "sess", v, NOW, &o) == ERR_UNVERIFIED,
	    "max_age 0 is expired at once");

	seal_seal(k, a, SEAL_SESSION, "sess", NOW, 3600, "x", 1, &v);
	other = keys_for(S_OTHER, NULL);
	ok(seal_open(other, a, SEAL_SESSION, "sess", v, NOW, &o) == ERR_UNVERIFIED,
	    "wrong secret refused (unknown kid)");

	/* Rotation: sealed with the old secret. */
	norot = keys_for(S_OLD, NULL);
	seal_seal(norot, a, SEAL_SESSION, "sess", NOW, 3600, "old", 3, &vold);
	rot = keys_for(S_CURRENT, S_OLD);
	ok(seal_open(rot, a, SEAL_SESSION, "sess", vold, NOW, &o) == ERR_OK &&
	    o.rotated == 1 && strcmp(o.payload, "old") == 0,
	    "old secret in previous: opened, rotated");
	ok(seal_open(rot, a, SEAL_SESSION, "sess", v, NOW, &o) == ERR_OK &&
	    o.rotated == 0, "current secret with previous set: not rotated");
	ok(seal_open(k, a, SEAL_SESSION, "sess", vold, NOW, &o) == ERR_UNVERIFIED,
	    "old secret not in previous: refused");
	seal_seal(rot, a, SEAL_SESSION, "sess", NOW, 3600, "new", 3, &v);
	ok(seal_open(k, a, SEAL_SESSION, "sess", v, NOW, &o) == ERR_OK &&
	    o.rotated == 0, "keys with previous seal with the current secret");
	ok(seal_open(norot, a, SEAL_SESSION, "sess", v, NOW, &o) == ERR_UNVERIFIED,
	    "the old secret alone does not open the new");

	/* Bad arguments to seal. */
	ok(seal_seal(k, a, SEAL_SESSION, "sess", NOW, -1, "x", 1, &v) ==
	    ERR_INPUT, "negative max_age refused");
	ok(seal_seal(k, a, SEAL_SESSION, "sess", INT64_MAX, 10, "x", 1, &v) ==
	    ERR_INPUT, "exp overflow refused");
	ok(seal_seal(k, a, SEAL_SESSION, "", NOW, 10, "x", 1, &v) ==
	    ERR_INPUT, "empty name refused");
	ok(seal_seal(k, a, SEAL__MAX, "s", NOW, 10, "x", 1, &v) == ERR_INPUT,
	    "unknown purpose refused");
	ok(seal_open(k, a, SEAL__MAX, "s", v, NOW, &o) == ERR_UNVERIFIED,
	    "unknown purpose refused on open");

	/* Size bounds by purpose. */
	big = arena_alloc(a, BOUND_SESSION_SEALED + 1);
	memset(big, 'x', BOUND_SESSION_SEALED);
	ok(seal_seal(k, a, SEAL_SESSION, "s", NOW, 10, big,
	    BOUND_SESSION_SEALED, &v) == ERR_SESSION_TOO_BIG,
	    "session over BOUND_SESSION_SEALED: ERR_SESSION_TOO_BIG");
	ok(seal_seal(k, a, SEAL_FLOW, "f", NOW, 10, big, BOUND_FLOW_SEALED,
	    &v) == ERR_TOO_BIG, "flow over BOUND_FLOW_SEALED: ERR_TOO_BIG");
	ok(seal_seal(k, a, SEAL_SESSION, "s", NOW, 10, big, SIZE_MAX, &v) ==
	    ERR_SESSION_TOO_BIG, "SIZE_MAX payload refused");
	/* The largest payload that fits: 4/3 expansion, header and MAC. */
	{
		size_t n = (BOUND_SESSION_SEALED - 44) / 4 * 3 - 21;

		ok(seal_seal(k, a, SEAL_SESSION, "s", NOW, 10, big, n, &v) ==
		    ERR_OK && strlen(v) <= BOUND_SESSION_SEALED &&
		    seal_open(k, a, SEAL_SESSION, "s", v, NOW, &o) == ERR_OK &&
		    o.len == n, "largest session fits and opens");
		ok(seal_open(k, a, SEAL_FLOW, "s", v, NOW, &o) == ERR_UNVERIFIED,
		    "a session-sized value is over the flow bound");
	}
	big = arena_alloc(a, BOUND_SESSION_SEALED + 2);
	memset(big, 'A', BOUND_SESSION_SEALED + 1);
	ok(seal_open(k, a, SEAL_SESSION, "s", big, NOW, &o) == ERR_UNVERIFIED,
	    "value over BOUND_SESSION_SEALED refused");

	seal_keys_free(other);
	seal_keys_free(rot);
	seal_keys_free(norot);
	arena_reset(a);
}

/* Makes a sealed session of exactly len bytes. */
static char *
sealed_of_len(struct arena *a, const struct seal_keys *k, size_t len)
{
	struct seal_opened	 o;
	char			*payload, *v = NULL;
	size_t			 n;

	/* len = b64(21 + n) + 1 + 43: try the sizes around the inverse. */
	if (len < 100 || len > BOUND_SESSION_SEALED)
		return NULL;
	payload = arena_alloc(a, BOUND_SESSION_SEALED + 1);
	memset(payload, 'p', BOUND_SESSION_SEALED);
	for (n = (len - 44) * 3 / 4 - 24; n < (len - 44) * 3 / 4; n++) {
		if (seal_seal(k, a, SEAL_SESSION, "s", NOW, 60, payload, n,
		    &v) != ERR_OK)
			return NULL;
		if (strlen(v) == len)
			break;
	}
	if (v == NULL || strlen(v) != len)
		return NULL;
	if (seal_open(k, a, SEAL_SESSION, "s", v, NOW, &o) != ERR_OK)
		return NULL;
	return v;
}

static struct cookie_jar *
jar_of(struct arena *a, const struct seal_chunk *c, size_t n)
{
	struct cookie_jar	*jar = arena_alloc(a, sizeof(*jar));
	size_t			 i;

	jar->v = arena_calloc(a, n, sizeof(*jar->v));
	for (i = 0; i < n; i++) {
		jar->v[i].name = c[i].name;
		jar->v[i].value = c[i].value;
	}
	jar->n = n;
	return jar;
}

static void
test_chunks(struct arena *a, const struct seal_keys *k)
{
	struct seal_chunk	*c;
	struct seal_opened	 o;
	struct cookie_jar	*jar, parsed;
	char			*v, *joined, *big;
	size_t			 n, len, i;
	const size_t		 sizes[] = { BOUND_COOKIE_CHUNK - 1,
	    BOUND_COOKIE_CHUNK, BOUND_COOKIE_CHUNK + 1, BOUND_SESSION_SEALED };

	is_str(seal_chunk_name(a, "s", 1), "s_1", "chunk name 1");
	is_str(seal_chunk_name(a, "__Host-oidc", 4), "__Host-oidc_4",
	    "chunk name 4");

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		len = sizes[i];
		/* b64 lengths are never 1 mod 4: aim one below if need be. */
		if ((v = sealed_of_len(a, k, len)) == NULL &&
		    (v = sealed_of_len(a, k, --len)) == NULL) {
			ok(0, "sealed value of %zu bytes", sizes[i]);
			continue;
		}
		ok(seal_split(a, "s", v, &c, &n) == ERR_OK,
		    "split %zu bytes", len);
		if (len <= BOUND_COOKIE_CHUNK)
			ok(n == 1 && strcmp(c[0].name, "s") == 0 &&
			    strcmp(c[0].value, v) == 0, "%zu bytes: one cookie",
			    len);
		else
			ok(n == 3 && strcmp(c[0].value, "2") == 0 &&
			    strcmp(c[1].name, "s_1") == 0 &&
			    strcmp(c[2].name, "s_2") == 0 &&
			    strlen(c[1].value) == BOUND_COOKIE_CHUNK &&
			    strlen(c[2].value) == len - BOUND_COOKIE_CHUNK,
			    "%zu bytes: count and two chunks", len);
		jar = jar_of(a, c, n);
		ok(seal_join(a, jar, "s", &joined) == ERR_OK &&
		    strcmp(joined, v) == 0 &&
		    seal_open(k, a, SEAL_SESSION, "s", joined, NOW, &o) ==
		    ERR_OK, "%zu bytes: join and open", len);
	}
	ok(BOUND_SESSION_SEALED <= BOUND_SESSION_CHUNKS * BOUND_COOKIE_CHUNK,
	    "the largest session fits in BOUND_SESSION_CHUNKS chunks");

	big = arena_alloc(a, BOUND_SESSION_SEALED + 2);
	memset(big, 'A', BOUND_SESSION_SEALED + 1);
	ok(seal_split(a, "s", big, &c, &n) == ERR_SESSION_TOO_BIG,
	    "split over BOUND_SESSION_SEALED: ERR_SESSION_TOO_BIG");
	big[BOUND_SESSION_SEALED] = '\0';
	ok(seal_split(a, "s", big, &c, &n) == ERR_OK && n == 3,
	    "split of exactly BOUND_SESSION_SEALED");

	/* Joins from a parsed Cookie header. */
	v = sealed_of_len(a, k, BOUND_COOKIE_CHUNK + 100);
	seal_split(a, "s", v, &c, &n);
	cookie_parse(a, arena_printf(a, "other=1; s_2=%s; s=2; s_1=%s",
	    c[2].value, c[1].value), &parsed);
	ok(seal_join(a, &parsed, "s", &joined) == ERR_OK &&
	    strcmp(joined, v) == 0, "join from a header in any cookie order");

	cookie_parse(a, arena_printf(a, "s=2; s_1=%s", c[1].value), &parsed);
	ok(seal_join(a, &parsed, "s", &joined) == ERR_UNVERIFIED,
	    "chunk missing refused");
	cookie_parse(a, arena_printf(a, "s=2; s_1=%s; s_2=%s", c[2].value,
	    c[1].value), &parsed);
	ok(seal_join(a, &parsed, "s", &joined) == ERR_OK &&
	    seal_open(k, a, SEAL_SESSION, "s", joined, NOW, &o) == ERR_UNVERIFIED,
	    "reordered chunks join but do not open");
	cookie_parse(a, arena_printf(a, "s=3; s_1=%s; s_2=%s; s_3=AAAA",
	    c[1].value, c[2].value), &parsed);
	ok(seal_join(a, &parsed, "s", &joined) == ERR_OK &&
	    seal_open(k, a, SEAL_SESSION, "s", joined, NOW, &o) == ERR_UNVERIFIED,
	    "an extra chunk joins but does not open");
	{
		const char *counts[] = { "0", "1", "99999999", "-1", "2x", "",
		    "+2", "5", "0x2", "2_", "9999999999999999999999999" };

		for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
			cookie_parse(a, arena_printf(a,
			    "s=%s; s_1=%s; s_2=%s; s_3=x; s_4=y; s_5=z",
			    counts[i], c[1].value, c[2].value), &parsed);
			ok(seal_join(a, &parsed, "s", &joined) == ERR_UNVERIFIED,
			    "count \"%s\" refused", counts[i]);
		}
	}
	cookie_parse(a, arena_printf(a, "s=2.0; s_1=%s; s_2=%s", c[1].value,
	    c[2].value), &parsed);
	ok(seal_join(a, &parsed, "s", &joined) == ERR_OK &&
	    seal_open(k, a, SEAL_SESSION, "s", joined, NOW, &o) == ERR_UNVERIFIED,
	    "count \"2.0\" is taken as a value and does not open");
	cookie_parse(a, "x=1", &parsed);
	ok(seal_join(a, &parsed, "s", &joined) == ERR_NOT_FOUND,
	    "no session cookie: ERR_NOT_FOUND");
	ok(seal_join(a, NULL, "s", &joined) == ERR_NOT_FOUND,
	    "NULL jar: ERR_NOT_FOUND");
	{
		char *part = arena_alloc(a, BOUND_COOKIE_CHUNK + 1);

		memset(part, 'A', BOUND_COOKIE_CHUNK);
		cookie_parse(a, arena_printf(a, "s=2; s_1=%s; s_2=%s", part,
		    part), &parsed);
		ok(seal_join(a, &parsed, "s", &joined) == ERR_UNVERIFIED,
		    "chunks over BOUND_SESSION_SEALED refused");
		cookie_parse(a, arena_printf(a, "s=%s.%s", part, part),
		    &parsed);
		ok(seal_join(a, &parsed, "s", &joined) == ERR_UNVERIFIED,
		    "single value over BOUND_SESSION_SEALED refused");
	}
	arena_reset(a);
}

static void
test_csrf(struct arena *a, const struct seal_keys *k)
{
	struct seal_keys	*old, *rot, *other;
	char			*t, *told, *cut;

	t = seal_csrf_token(k, a, "binding-mac");
	ok(t != NULL && strlen(t) == 43, "token is 43 characters");
	ok(seal_csrf_check(k, "binding-mac", t), "token checks");
	ok(!seal_csrf_check(k, "binding-mad", t), "other binding refused");
	ok(!seal_csrf_check(k, "", t), "empty binding refused");
	ok(!seal_csrf_check(k, NULL, t), "NULL binding refused");
	cut = arena_strndup(a, t, 42);
	ok(!seal_csrf_check(k, "binding-mac", cut), "truncated token refused");
	ok(!seal_csrf_check(k, "binding-mac", arena_printf(a, "%sA", t)),
	    "extended token refused");
	ok(!seal_csrf_check(k, "binding-mac", ""), "empty token refused");
	ok(!seal_csrf_check(k, "binding-mac", NULL), "NULL token refused");
	cut = arena_strdup(a, t);
	cut[0] = cut[0] == 'A' ? 'B' : 'A';
	ok(!seal_csrf_check(k, "binding-mac", cut), "changed token refused");
	ok(seal_csrf_token(k, a, NULL) == NULL, "no token for NULL binding");

	other = keys_for(S_OTHER, NULL);
	ok(!seal_csrf_check(other, "binding-mac", t), "other secret refused");
	old = keys_for(S_OLD, NULL);
	told = seal_csrf_token(old, a, "binding-mac");
	rot = keys_for(S_CURRENT, S_OLD);
	ok(seal_csrf_check(rot, "binding-mac", told),
	    "token of a previous secret accepted");
	ok(seal_csrf_check(rot, "binding-mac", t),
	    "token of the current secret accepted with previous set");
	ok(!seal_csrf_check(k, "binding-mac", told),
	    "token of an unknown old secret refused");
	seal_keys_free(other);
	seal_keys_free(old);
	seal_keys_free(rot);
	arena_reset(a);
}

static void
test_encrypt(struct arena *a, const struct seal_keys *k)
{
	struct seal_keys	*old, *rot, *other;
	const char		*tok;
	char			*enc, *dec, *t;
	size_t			 n, len, i, bad = 0;

	tok = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
	ok(seal_encrypt(k, a, "id_token", tok, strlen(tok), &enc) == ERR_OK,
	    "encrypt");
	ok(strstr(enc, "eyJ") == NULL, "ciphertext hides the token");
	ok(seal_decrypt(k, a, "id_token", enc, &dec, &n) == ERR_OK &&
	    n == strlen(tok) && strcmp(dec, tok) == 0, "decrypt");
	ok(seal_decrypt(k, a, "access_token", enc, &dec, &n) == ERR_UNVERIFIED,
	    "other aad refused");
	ok(seal_decrypt(k, a, NULL, enc, &dec, &n) == ERR_UNVERIFIED,
	    "missing aad refused");

	len = strlen(enc);
	t = arena_alloc(a, len + 1);
	for (i = 0; i < len; i++) {
		memcpy(t, enc, len + 1);
		t[i] = t[i] == 'A' ? 'B' : 'A';
		dec = NULL;
		if (seal_decrypt(k, a, "id_token", t, &dec, &n) != ERR_UNVERIFIED ||
		    dec != NULL)
			bad++;
	}
	ok(bad == 0, "each of %zu bytes tampered refused", len);
	for (i = 0, bad = 0; i < len; i++) {
		memcpy(t, enc, len + 1);
		t[i] = '\0';
		if (seal_decrypt(k, a, "id_token", t, &dec, &n) != ERR_UNVERIFIED)
			bad++;
	}
	ok(bad == 0, "every truncation refused");
	ok(seal_decrypt(k, a, "id_token", NULL, &dec, &n) == ERR_UNVERIFIED,
	    "NULL refused");
	ok(seal_decrypt(k, a, "id_token", "a+b", &dec, &n) == ERR_UNVERIFIED,
	    "not base64url refused");

	ok(seal_encrypt(k, a, "id_token", "", 0, &enc) == ERR_OK &&
	    seal_decrypt(k, a, "id_token", enc, &dec, &n) == ERR_OK && n == 0 &&
	    dec[0] == '\0', "empty plaintext");
	ok(seal_encrypt(k, a, "id_token", tok, BOUND_TOKEN_BODY + 1, &enc) ==
	    ERR_TOO_BIG, "over BOUND_TOKEN_BODY refused");

	seal_encrypt(k, a, "id_token", tok, strlen(tok), &enc);
	other = keys_for(S_OTHER, NULL);
	ok(seal_decrypt(other, a, "id_token", enc, &dec, &n) == ERR_UNVERIFIED,
	    "other secret refused");
	old = keys_for(S_OLD, NULL);
	seal_encrypt(old, a, "id_token", tok, strlen(tok), &enc);
	rot = keys_for(S_CURRENT, S_OLD);
	ok(seal_decrypt(rot, a, "id_token", enc, &dec, &n) == ERR_OK &&
	    strcmp(dec, tok) == 0, "previous secret decrypts");
	ok(seal_decrypt(k, a, "id_token", enc, &dec, &n) == ERR_UNVERIFIED,
	    "unknown old secret refused");
	seal_keys_free(other);
	seal_keys_free(old);
	seal_keys_free(rot);
	arena_reset(a);
}

int
main(void)
{
	struct arena		*a = arena_new();
	struct seal_keys	*k;

	test_keys();
	if ((k = keys_for(S_CURRENT, NULL)) == NULL) {
		ok(0, "keys");
		arena_free(a);
		return tap_done();
	}
	test_round_trip(a, k);
	test_tamper(a, k);
	test_refusals(a, k);
	test_chunks(a, k);
	test_csrf(a, k);
	test_encrypt(a, k);
	seal_keys_free(k);
	arena_free(a);
	return tap_done();
}
