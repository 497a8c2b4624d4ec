#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "b64.h"
#include "bounds.h"
#include "buf.h"
#include "crypto.h"
#include "num.h"
#include "seal.h"

#define SEAL_VERSION	1
#define SEAL_KID_LEN	4
#define SEAL_TIME_LEN	8
/* version || kid || iat || exp */
#define SEAL_HEADER_LEN	(1 + SEAL_KID_LEN + 2 * SEAL_TIME_LEN)
#define SEAL_OFF_KID	1
#define SEAL_OFF_IAT	(SEAL_OFF_KID + SEAL_KID_LEN)
#define SEAL_OFF_EXP	(SEAL_OFF_IAT + SEAL_TIME_LEN)
/* b64url of a 32-byte MAC, unpadded. */
#define SEAL_MAC_B64	43
#define SEAL_SALT	"oidc-login/v1"
#define CSRF_CONTEXT	"logout"
/* kid || IV || tag around an encrypted token. */
#define TOKEN_OVERHEAD	(SEAL_KID_LEN + CRYPTO_GCM_IV_LEN + CRYPTO_GCM_TAG_LEN)

_Static_assert(BOUND_SESSION_SEALED <= BOUND_SESSION_CHUNKS *
    BOUND_COOKIE_CHUNK, "a full session must fit in the chunks");
_Static_assert(BOUND_SESSION_CHUNKS < 10,
    "the chunk count is one digit");

/* The keys one secret yields. */
struct seal_key {
	unsigned char	kid[SEAL_KID_LEN];
	unsigned char	mac[SEAL__MAX][CRYPTO_KEY_LEN];
	/* The same MAC keys, prepared: a MAC is checked on every request. */
	struct crypto_mac_key *prepared[SEAL__MAX];
	unsigned char	csrf[CRYPTO_KEY_LEN];
	unsigned char	token[CRYPTO_KEY_LEN];
};

struct seal_keys {
	struct seal_key	key[1 + BOUND_SECRETS_PREVIOUS]; /* [0]: current */
	size_t		n;
};

static const char *const purpose_info[SEAL__MAX] = {
	[SEAL_SESSION] = "session",
	[SEAL_FLOW] = "flow",
};

static const size_t purpose_bound[SEAL__MAX] = {
	[SEAL_SESSION] = BOUND_SESSION_SEALED,
	[SEAL_FLOW] = BOUND_FLOW_SEALED,
};

static enum err
derive(const struct cfg_secret *secret, const char *info, unsigned char *out,
    size_t outlen)
{
	return crypto_hkdf_sha256(secret->bytes, secret->len, SEAL_SALT,
	    strlen(SEAL_SALT), info, strlen(info), out, outlen);
}

static enum err
derive_key(const struct cfg_secret *secret, struct seal_key *k)
{
	enum err	e;
	int		p;

	for (p = 0; p < SEAL__MAX; p++)
		if ((e = derive(secret, purpose_info[p], k->mac[p],
		    CRYPTO_KEY_LEN)) != ERR_OK ||
		    (e = crypto_mac_key_new(k->mac[p], CRYPTO_KEY_LEN,
		    &k->prepared[p])) != ERR_OK)
			return e;
	if ((e = derive(secret, "csrf", k->csrf, CRYPTO_KEY_LEN)) != ERR_OK ||
	    (e = derive(secret, "token", k->token, CRYPTO_KEY_LEN)) != ERR_OK)
		return e;
	/* HKDF output is a prefix of any longer one: these are its first. */
	return derive(secret, "key-id", k->kid, SEAL_KID_LEN);
}

enum err
seal_keys_new(const struct cfg_secret *current,
    const struct cfg_secret *previous, size_t nprevious,
    struct seal_keys **out)
{
	struct seal_keys	*keys = NULL;
	enum err		 e = ERR_CONFIG;
	size_t			 i;

	if (current == NULL || current->bytes == NULL ||
	    current->len < BOUND_SECRET_MIN) {
		err_reason("cookie secret shorter than %d bytes",
		    BOUND_SECRET_MIN);
		goto out;
	}
	if (nprevious > BOUND_SECRETS_PREVIOUS ||
	    (nprevious > 0 && previous == NULL)) {
		err_reason("over %d previous cookie secrets",
		    BOUND_SECRETS_PREVIOUS);
		goto out;
	}
	for (i = 0; i < nprevious; i++)
		if (previous[i].bytes == NULL || previous[i].len == 0) {
			err_reason("previous cookie secret %zu is empty",
			    i + 1);
			goto out;
		}
	if ((keys = calloc(1, sizeof(*keys))) == NULL) {
		e = ERR_NOMEM;
		goto out;
	}
	if ((e = derive_key(current, &keys->key[0])) != ERR_OK)
		goto out;
	for (i = 0; i < nprevious; i++)
		if ((e = derive_key(&previous[i], &keys->key[i + 1])) != ERR_OK)
			goto out;
	keys->n = 1 + nprevious;
	*out = keys;
	keys = NULL;
	e = ERR_OK;
 out:
	seal_keys_free(keys);
	return e;
}

void
seal_keys_free(struct seal_keys *keys)
{
	if (keys == NULL)
		return;
	for (size_t i = 0; i < sizeof(keys->key) / sizeof(keys->key[0]); i++)
		for (int p = 0; p < SEAL__MAX; p++)
			crypto_mac_key_free(keys->key[i].prepared[p]);
	crypto_wipe(keys, sizeof(*keys));
	free(keys);
}

static void
put_time(unsigned char *p, int64_t t)
{
	uint64_t	v = (uint64_t)t;
	int		i;

	for (i = SEAL_TIME_LEN - 1; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static int64_t
get_time(const unsigned char *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 0; i < SEAL_TIME_LEN; i++)
		v = v << 8 | p[i];
	/* Two's complement back, without an implementation-defined cast. */
	if (v > (uint64_t)INT64_MAX)
		return -(int64_t)(~v) - 1;
	return (int64_t)v;
}

/*
 * Returns an arena buffer holding name || 0x00 followed by room for
 * bodylen bytes (and a NUL), the message the MAC covers; *body points
 * at the room.
 */
static unsigned char *
mac_message(struct arena *a, const char *name, size_t namelen,
    size_t bodylen, unsigned char **body)
{
	unsigned char	*msg;

	msg = arena_alloc(a, namelen + 1 + bodylen + 1);
	memcpy(msg, name, namelen);
	msg[namelen] = '\0';
	*body = msg + namelen + 1;
	return msg;
}

static int
valid_name(const char *name, size_t *namelen)
{
	if (name == NULL)
		return 0;
	*namelen = strnlen(name, BOUND_COOKIE_NAME + 1);
	return *namelen > 0 && *namelen <= BOUND_COOKIE_NAME;
}

static enum err
too_big(enum seal_purpose purpose, const char *name)
{
	if (purpose == SEAL_SESSION) {
		err_reason("session for %s over %d bytes sealed", name,
		    BOUND_SESSION_SEALED);
		return ERR_SESSION_TOO_BIG;
	}
	err_reason("flow cookie %s over %d bytes sealed", name,
	    BOUND_FLOW_SEALED);
	return ERR_TOO_BIG;
}

enum err
seal_seal(const struct seal_keys *keys, struct arena *a,
    enum seal_purpose purpose, const char *name, int64_t now,
    int64_t max_age, const void *payload, size_t len, char **value)
{
	const struct seal_key	*k;
	unsigned char		 mac[CRYPTO_MAC_LEN], *msg, *body;
	size_t			 namelen, bodylen, bodyb64, total;
	char			*out;
	enum err		 e;

	if (keys == NULL || (unsigned)purpose >= SEAL__MAX ||
	    !valid_name(name, &namelen) || (payload == NULL && len > 0)) {
		err_reason("seal: bad arguments");
		return ERR_INPUT;
	}
	if (max_age < 0 || max_age > BOUND_SESSION_MAX_AGE_MAX ||
	    now > INT64_MAX - max_age) {
		err_reason("seal: max_age out of range");
		return ERR_INPUT;
	}
	/* The first test keeps the sums below from overflowing. */
	if (len > purpose_bound[purpose])
		return too_big(purpose, name);
	bodylen = SEAL_HEADER_LEN + len;
	bodyb64 = b64_url_encoded_len(bodylen);
	total = bodyb64 + 1 + SEAL_MAC_B64;
	if (total > purpose_bound[purpose])
		return too_big(purpose, name);

	k = &keys->key[0];
	msg = mac_message(a, name, namelen, bodylen, &body);
	body[0] = SEAL_VERSION;
	memcpy(body + SEAL_OFF_KID, k->kid, SEAL_KID_LEN);
	put_time(body + SEAL_OFF_IAT, now);
	put_time(body + SEAL_OFF_EXP, now + max_age);
	if (len > 0)
		memcpy(body + SEAL_HEADER_LEN, payload, len);
	if ((e = crypto_mac_keyed(k->prepared[purpose], msg,
	    namelen + 1 + bodylen, mac)) != ERR_OK)
		return e;
	out = arena_alloc(a, total + 1);
	b64_url_encode(body, bodylen, out);
	out[bodyb64] = '.';
	b64_url_encode(mac, sizeof(mac), out + bodyb64 + 1);
	*value = out;
	return ERR_OK;
}

/*
 * Verifies the MAC with each key carrying the body's kid (two secrets
 * may share a kid); returns the index of the key that verifies, -1
 * when none does, -2 when no key has that kid, -3 if the MAC fails.
 */
static int
verify(const struct seal_keys *keys, enum seal_purpose purpose,
    const unsigned char *msg, size_t msglen, const unsigned char *kid,
    const unsigned char *mac)
{
	unsigned char	want[CRYPTO_MAC_LEN];
	size_t		i;
	int		found = -2;

	for (i = 0; i < keys->n; i++) {
		if (!crypto_equal(keys->key[i].kid, kid, SEAL_KID_LEN))
			continue;
		if (crypto_mac_keyed(keys->key[i].prepared[purpose], msg,
		    msglen, want) != ERR_OK)
			return -3;
		if (crypto_equal(want, mac, CRYPTO_MAC_LEN))
			return (int)i;
		found = -1;
	}
	return found;
}

/* Fails closed: the only ERR_OK is at the end. */
enum err
seal_open(const struct seal_keys *keys, struct arena *a,
    enum seal_purpose purpose, const char *name, const char *value,
    int64_t now, struct seal_opened *out)
{
	unsigned char	 mac[CRYPTO_MAC_LEN], *msg, *body;
	const char	*dot;
	size_t		 namelen, len, bodyb64, bodylen, maclen;
	int64_t		 iat, exp;
	int		 which;

	if (keys == NULL || (unsigned)purpose >= SEAL__MAX ||
	    !valid_name(name, &namelen) || value == NULL) {
		err_reason("sealed cookie: bad arguments");
		return ERR_UNVERIFIED;
	}
	len = strnlen(value, purpose_bound[purpose] + 1);
	if (len > purpose_bound[purpose]) {
		err_reason("cookie %s: sealed value over %zu bytes", name,
		    purpose_bound[purpose]);
		return ERR_UNVERIFIED;
	}
	if ((dot = memchr(value, '.', len)) == NULL)
		goto malformed;
	bodyb64 = (size_t)(dot - value);
	if (len - bodyb64 - 1 != SEAL_MAC_B64 ||
	    bodyb64 < b64_url_encoded_len(SEAL_HEADER_LEN))
		goto malformed;
	if (b64_url_decode(dot + 1, SEAL_MAC_B64, mac, &maclen) != ERR_OK ||
	    maclen != CRYPTO_MAC_LEN)
		goto malformed;
	msg = mac_message(a, name, namelen, bodyb64 / 4 * 3 + 2, &body);
	if (b64_url_decode(value, bodyb64, body, &bodylen) != ERR_OK ||
	    bodylen < SEAL_HEADER_LEN)
		goto malformed;
	if (body[0] != SEAL_VERSION) {
		err_reason("cookie %s: unknown version %u", name,
		    (unsigned)body[0]);
		return ERR_UNVERIFIED;
	}
	which = verify(keys, purpose, msg, namelen + 1 + bodylen,
	    body + SEAL_OFF_KID, mac);
	if (which == -3)
		return ERR_SYSTEM;
	if (which == -2) {
		err_reason("cookie %s: unknown key", name);
		return ERR_UNVERIFIED;
	}
	if (which < 0) {
		err_reason("cookie %s: bad MAC", name);
		return ERR_UNVERIFIED;
	}
	/* Authentic from here on. */
	iat = get_time(body + SEAL_OFF_IAT);
	exp = get_time(body + SEAL_OFF_EXP);
	if (iat > now &&
	    (uint64_t)iat - (uint64_t)now > BOUND_CLOCK_SKEW_DEFAULT) {
		err_reason("cookie %s: issued in the future", name);
		return ERR_UNVERIFIED;
	}
	if (now >= exp) {
		err_reason("cookie %s: expired", name);
		return ERR_UNVERIFIED;
	}
	body[bodylen] = '\0';
	out->payload = (const char *)body + SEAL_HEADER_LEN;
	out->len = bodylen - SEAL_HEADER_LEN;
	out->iat = iat;
	out->exp = exp;
	out->rotated = which != 0;
	return ERR_OK;

 malformed:
	err_reason("cookie %s: malformed sealed value", name);
	return ERR_UNVERIFIED;
}

char *
seal_chunk_name(struct arena *a, const char *base, size_t i)
{
	return arena_printf(a, "%s_%zu", base, i);
}

enum err
seal_split(struct arena *a, const char *base, const char *sealed,
    struct seal_chunk **chunks, size_t *n)
{
	struct seal_chunk	*v;
	size_t			 len, k, i, off, part;

	if (base == NULL || sealed == NULL) {
		err_reason("split: bad arguments");
		return ERR_INPUT;
	}
	len = strnlen(sealed, BOUND_SESSION_SEALED + 1);
	if (len > BOUND_SESSION_SEALED) {
		err_reason("session over %d bytes sealed",
		    BOUND_SESSION_SEALED);
		return ERR_SESSION_TOO_BIG;
	}
	if (len <= BOUND_COOKIE_CHUNK) {
		v = arena_calloc(a, 1, sizeof(*v));
		v[0].name = arena_strdup(a, base);
		v[0].value = arena_strdup(a, sealed);
		*chunks = v;
		*n = 1;
		return ERR_OK;
	}
	k = (len + BOUND_COOKIE_CHUNK - 1) / BOUND_COOKIE_CHUNK;
	v = arena_calloc(a, k + 1, sizeof(*v));
	v[0].name = arena_strdup(a, base);
	v[0].value = arena_printf(a, "%zu", k);
	for (i = 0, off = 0; i < k; i++, off += part) {
		part = len - off < BOUND_COOKIE_CHUNK ? len - off :
		    BOUND_COOKIE_CHUNK;
		v[i + 1].name = seal_chunk_name(a, base, i + 1);
		v[i + 1].value = arena_strndup(a, sealed + off, part);
	}
	*chunks = v;
	*n = k + 1;
	return ERR_OK;
}

enum err
seal_join(struct arena *a, const struct cookie_jar *jar, const char *base,
    char **sealed)
{
	struct buf	 b;
	const char	*v, *part;
	long long	 k, i;

	if ((v = cookie_get(jar, base)) == NULL)
		return ERR_NOT_FOUND;
	/* A sealed value always holds a '.', a chunk count never does. */
	if (strchr(v, '.') != NULL) {
		if (strnlen(v, BOUND_SESSION_SEALED + 1) >
		    BOUND_SESSION_SEALED) {
			err_reason("cookie %s over %d bytes", base,
			    BOUND_SESSION_SEALED);
			return ERR_UNVERIFIED;
		}
		*sealed = arena_strdup(a, v);
		return ERR_OK;
	}
	if (num_parse_str(v, 2, BOUND_SESSION_CHUNKS, &k) != ERR_OK) {
		err_reason("cookie %s: bad chunk count", base);
		return ERR_UNVERIFIED;
	}
	buf_init(&b, a, BOUND_SESSION_SEALED);
	for (i = 1; i <= k; i++) {
		part = cookie_get(jar, seal_chunk_name(a, base, (size_t)i));
		if (part == NULL) {
			err_reason("cookie %s: chunk %lld missing", base, i);
			return ERR_UNVERIFIED;
		}
		if (buf_puts(&b, part) != ERR_OK) {
			err_reason("cookie %s: chunks over %d bytes", base,
			    BOUND_SESSION_SEALED);
			return ERR_UNVERIFIED;
		}
	}
	*sealed = b.data;
	return ERR_OK;
}

/* HMAC(csrf key, "logout" 0x00 binding), binding bounded by the caller. */
static enum err
csrf_mac(const struct seal_key *k, const char *binding, size_t bindinglen,
    unsigned char mac[CRYPTO_MAC_LEN])
{
	unsigned char	*msg;
	size_t		 ctxlen = sizeof(CSRF_CONTEXT);	/* with its NUL */
	enum err	 e;

	if ((msg = malloc(ctxlen + bindinglen)) == NULL)
		return ERR_NOMEM;
	memcpy(msg, CSRF_CONTEXT, ctxlen);
	memcpy(msg + ctxlen, binding, bindinglen);
	e = crypto_hmac_sha256(k->csrf, CRYPTO_KEY_LEN, msg,
	    ctxlen + bindinglen, mac);
	free(msg);
	return e;
}

/* A binding is a cookie's part: anything longer than a header is wrong. */
static int
valid_binding(const char *binding, size_t *len)
{
	if (binding == NULL)
		return 0;
	*len = strnlen(binding, BOUND_COOKIE_HEADER + 1);
	return *len <= BOUND_COOKIE_HEADER;
}

char *
seal_csrf_token(const struct seal_keys *keys, struct arena *a,
    const char *binding)
{
	unsigned char	mac[CRYPTO_MAC_LEN];
	size_t		len;

	if (keys == NULL || !valid_binding(binding, &len) ||
	    csrf_mac(&keys->key[0], binding, len, mac) != ERR_OK)
		return NULL;
	return b64_url_encode_arena(a, mac, sizeof(mac));
}

int
seal_csrf_check(const struct seal_keys *keys, const char *binding,
    const char *token)
{
	unsigned char	mac[CRYPTO_MAC_LEN];
	char		want[SEAL_MAC_B64 + 1];
	size_t		i, len, tokenlen;
	int		match = 0;

	if (keys == NULL || token == NULL || !valid_binding(binding, &len))
		return 0;
	tokenlen = strnlen(token, SEAL_MAC_B64 + 1);
	for (i = 0; i < keys->n; i++) {
		if (csrf_mac(&keys->key[i], binding, len, mac) != ERR_OK)
			return 0;
		b64_url_encode(mac, sizeof(mac), want);
		match |= crypto_equal_str(token, tokenlen, want, SEAL_MAC_B64);
	}
	crypto_wipe(want, sizeof(want));
	return match;
}

/* The additional data: kid || aad, so the kid cannot be swapped either. */
static unsigned char *
token_aad(struct arena *a, const unsigned char *kid, const char *aad,
    size_t *len)
{
	unsigned char	*p;
	size_t		 aadlen = aad == NULL ? 0 : strlen(aad);

	p = arena_alloc(a, SEAL_KID_LEN + aadlen + 1);
	memcpy(p, kid, SEAL_KID_LEN);
	if (aadlen > 0)
		memcpy(p + SEAL_KID_LEN, aad, aadlen);
	*len = SEAL_KID_LEN + aadlen;
	return p;
}

enum err
seal_encrypt(const struct seal_keys *keys, struct arena *a, const char *aad,
    const void *plain, size_t n, char **out)
{
	const struct seal_key	*k;
	unsigned char		*raw, *ad;
	size_t			 adlen;
	enum err		 e;

	if (keys == NULL || (plain == NULL && n > 0)) {
		err_reason("token encryption: bad arguments");
		return ERR_INPUT;
	}
	if (n > BOUND_TOKEN_BODY) {
		err_reason("token over %d bytes", BOUND_TOKEN_BODY);
		return ERR_TOO_BIG;
	}
	k = &keys->key[0];
	ad = token_aad(a, k->kid, aad, &adlen);
	raw = arena_alloc(a, TOKEN_OVERHEAD + n);
	memcpy(raw, k->kid, SEAL_KID_LEN);
	if ((e = crypto_seal_gcm(k->token, ad, adlen, plain, n,
	    raw + SEAL_KID_LEN)) != ERR_OK)
		return e;
	*out = b64_url_encode_arena(a, raw, TOKEN_OVERHEAD + n);
	return ERR_OK;
}

/* Fails closed: the only ERR_OK is at the end. */
enum err
seal_decrypt(const struct seal_keys *keys, struct arena *a, const char *aad,
    const char *in, char **plain, size_t *n)
{
	unsigned char	*raw, *ad, *out;
	size_t		 len, rawlen, adlen, outlen, i;
	enum err	 e;
	int		 known = 0;

	if (keys == NULL || in == NULL)
		goto malformed;
	len = strnlen(in, b64_url_encoded_len(TOKEN_OVERHEAD +
	    BOUND_TOKEN_BODY) + 1);
	if (len > b64_url_encoded_len(TOKEN_OVERHEAD + BOUND_TOKEN_BODY))
		goto malformed;
	if (b64_url_decode_arena(a, in, len, &raw, &rawlen) != ERR_OK ||
	    rawlen < TOKEN_OVERHEAD)
		goto malformed;
	ad = token_aad(a, raw, aad, &adlen);
	out = arena_alloc(a, rawlen - TOKEN_OVERHEAD + 1);
	e = ERR_INPUT;
	for (i = 0; i < keys->n && e == ERR_INPUT; i++) {
		if (!crypto_equal(keys->key[i].kid, raw, SEAL_KID_LEN))
			continue;
		known = 1;
		e = crypto_open_gcm(keys->key[i].token, ad, adlen,
		    raw + SEAL_KID_LEN, rawlen - SEAL_KID_LEN, out, &outlen);
	}
	if (e == ERR_INPUT) {
		err_reason(known ? "encrypted token does not authenticate" :
		    "encrypted token: unknown key");
		return ERR_UNVERIFIED;
	}
	if (e != ERR_OK)
		return e;
	out[outlen] = '\0';
	*plain = (char *)out;
	*n = outlen;
	return ERR_OK;

 malformed:
	err_reason("encrypted token malformed");
	return ERR_UNVERIFIED;
}
