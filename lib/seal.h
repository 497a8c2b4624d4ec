/*
 * Signed cookies (SPEC §4): keys derived per purpose from the cookie
 * secrets, the sealed value format, chunking of large sessions, CSRF
 * tokens bound to a session, and encryption of kept tokens.
 *
 * A sealed value is b64url(body) "." b64url(mac) with
 *   body = version (1 byte, 1) || kid (4) || iat (8, big-endian)
 *          || exp (8, big-endian) || payload
 *   mac  = HMAC-SHA256(purpose key, cookie name || 0x00 || body).
 * The MAC binds the cookie's name, so a flow cookie or a chunk cannot
 * be replayed under another name, and is checked before anything of
 * the body is read.
 */
#ifndef SEAL_H
#define SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "cookie.h"
#include "err.h"

struct arena;

enum seal_purpose {
	SEAL_SESSION = 0,
	SEAL_FLOW,
	SEAL__MAX
};

/* Long-lived: derived once per process, read-only afterwards. */
struct seal_keys;

/*
 * Derives in *out (owned by the caller, seal_keys_free), for the
 * current secret and each previous one, with HKDF-SHA256 (salt
 * "oidc-login/v1", info "session" / "flow" / "csrf" / "token" /
 * "key-id"), one key per purpose and a 4-byte key id.  Only the current
 * secret signs or encrypts; previous ones only verify and decrypt.
 * ERR_CONFIG when the current secret is shorter than BOUND_SECRET_MIN,
 * a previous one is empty, or there are over BOUND_SECRETS_PREVIOUS.
 */
enum err	seal_keys_new(const struct cfg_secret *current,
		    const struct cfg_secret *previous, size_t nprevious,
		    struct seal_keys **out);

/* Wipes and frees the keys; accepts NULL. */
void		seal_keys_free(struct seal_keys *);

/*
 * Seals len bytes of payload for the cookie called name, issued at now
 * and expiring at now + max_age; *value is an arena string.  Returns
 * ERR_INPUT for a max_age outside 0..BOUND_SESSION_MAX_AGE_MAX, and
 * when the result would be over its bound (BOUND_SESSION_SEALED or
 * BOUND_FLOW_SEALED) ERR_SESSION_TOO_BIG for a session, ERR_TOO_BIG for
 * a flow.
 */
enum err	seal_seal(const struct seal_keys *, struct arena *,
		    enum seal_purpose, const char *name, int64_t now,
		    int64_t max_age, const void *payload, size_t len,
		    char **value);

struct seal_opened {
	const char	*payload;	/* arena, NUL-terminated */
	size_t		 len;
	int64_t		 iat;
	int64_t		 exp;
	int		 rotated;	/* verified with a previous secret */
};

/*
 * Opens a sealed value of the cookie called name: length bound by
 * purpose, strict base64url, version, key id, MAC (constant time,
 * before the payload is looked at), iat not in the future beyond
 * BOUND_CLOCK_SKEW_DEFAULT, now < exp.  Any failure is ERR_UNVERIFIED with
 * a reason (ERR_SYSTEM only if the MAC cannot be computed) and leaves
 * *out untouched; on success *out points into the arena.
 */
enum err	seal_open(const struct seal_keys *, struct arena *,
		    enum seal_purpose, const char *name, const char *value,
		    int64_t now, struct seal_opened *out);

struct seal_chunk {
	char	*name;		/* arena */
	char	*value;		/* arena */
};

/*
 * Splits a sealed session into the cookies to set, in *chunks (arena
 * array of *n): one pair (base, sealed) when it fits in
 * BOUND_COOKIE_CHUNK, else (base, "<k>") followed by (base_1, part 1)
 * ... (base_k, part k).  ERR_SESSION_TOO_BIG over BOUND_SESSION_SEALED.
 */
enum err	seal_split(struct arena *, const char *base, const char *sealed,
		    struct seal_chunk **chunks, size_t *n);

/*
 * Reassembles a sealed session from the jar into *sealed (arena).
 * ERR_NOT_FOUND when the base cookie is absent; ERR_UNVERIFIED when the
 * count is not 2..BOUND_SESSION_CHUNKS, a chunk is missing, or the
 * whole is over BOUND_SESSION_SEALED.  Order and integrity are left to
 * seal_open's MAC.
 */
enum err	seal_join(struct arena *, const struct cookie_jar *,
		    const char *base, char **sealed);

/* Returns the name of chunk i (1-based) of base, "<base>_<i>" (arena). */
char		*seal_chunk_name(struct arena *, const char *base, size_t i);

/*
 * Returns the CSRF token bound to binding (the session cookie's MAC
 * part, say): b64url(HMAC(csrf key, "logout" 0x00 binding)), an arena
 * string, or NULL if the MAC fails.
 */
char		*seal_csrf_token(const struct seal_keys *, struct arena *,
		    const char *binding);

/*
 * Returns 1 when token is the CSRF token of binding under the current
 * or a previous secret (constant-time compare), else 0.
 */
int		seal_csrf_check(const struct seal_keys *, const char *binding,
		    const char *token);

/*
 * Encrypts n bytes with AES-256-GCM under the current "token" key into
 * *out (arena): b64url(kid (4) || IV || ciphertext || tag).  aad binds
 * it to its use ("id_token", "access_token").  ERR_TOO_BIG over
 * BOUND_TOKEN_BODY bytes.
 */
enum err	seal_encrypt(const struct seal_keys *, struct arena *,
		    const char *aad, const void *plain, size_t n, char **out);

/*
 * Decrypts what seal_encrypt wrote, with the key its kid names, into
 * *plain (arena, NUL-terminated) and *n.  ERR_UNVERIFIED when it is
 * malformed, the kid unknown, or it does not authenticate (ERR_SYSTEM
 * if the cipher itself fails).
 */
enum err	seal_decrypt(const struct seal_keys *, struct arena *,
		    const char *aad, const char *in, char **plain, size_t *n);

#endif /* SEAL_H */
