/*
 * What our cookies hold, and reading and writing them: the session
 * (provider, identity claims, tokens only when exposed, encrypted) and
 * the short-lived flow cookie of one login attempt (provider, state,
 * nonce, PKCE verifier, return_to).
 */
#ifndef SESSION_H
#define SESSION_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "err.h"

struct arena;
struct cfg;
struct cfg_provider;
struct cookie_jar;
struct resp;
struct seal_keys;

struct session {
	const char	*provider;
	json_object	*claims;	/* identity claims; arena-owned */
	const char	*id_token;	/* for logout's hint; shown when exposed */
	const char	*access_token;	/* NULL unless exposed */
	const char	*refresh_token;	/* NULL unless use_refresh_token */
	int64_t		 login_at;	/* the sign-in (0: now): its lifetime */
	int64_t		 seen_at;	/* last recorded use (idle timeout) */
	int64_t		 vouched_at;	/* the provider last vouched for it */
	int64_t		 iat;		/* this cookie's */
	int64_t		 exp;		/* login_at + cookie_max_age */
	const char	*binding;	/* the cookie's MAC, binds CSRF tokens */
	const char	*sealed;	/* the cookie's value, chunks joined */
	int		 rotated;	/* sealed with a previous secret */
};

struct flow {
	const char	*provider;
	const char	*state;
	const char	*nonce;
	const char	*verifier;
	const char	*return_to;
	/*
	 * A silent renewal (prompt=none) of the session of this sub, or
	 * NULL for a sign-in: the callback must find the same user.
	 */
	const char	*renew_sub;
	int64_t		 iat;
};

/* What a valid session needs before it may be honoured. */
enum session_due {
	SESSION_FRESH = 0,	/* nothing */
	SESSION_TOUCH,		/* its idle window should slide (a new cookie) */
	SESSION_RENEW,		/* the provider must vouch for it again */
	SESSION_IDLE,		/* unused too long: over */
};

/*
 * What every session call needs, made once per request by the handler
 * layer: the configuration, the cookie keys, the request's arena and
 * parsed cookies, and its time.  Nothing in it is owned by it.
 */
struct session_ctx {
	const struct cfg	*cfg;
	const struct seal_keys	*keys;
	struct arena		*arena;
	const struct cookie_jar	*jar;
	int64_t			 now;
};

/* What reading a cookie found. */
enum session_found {
	SESSION_ABSENT = 0,	/* no such cookie */
	SESSION_VALID,
	SESSION_INVALID,	/* present but bad: to be cleared */
};

/*
 * Returns a copy of claims (arena-owned) without the technical claims
 * of the token (aud, exp, iat, nbf, nonce, at_hash, ...), keeping the
 * identity (sub, email, name, groups, ...).
 */
json_object	*session_identity_claims(struct arena *, json_object *claims);

/* Returns the session cookie's name (arena): the configured name, prefixed __Host- or __Secure- over https. */
const char	*session_cookie_name(struct arena *, const struct cfg *);

/*
 * Reads the session from the request's cookies into *s and says what it
 * found.  Nothing of the payload is parsed before its MAC is verified;
 * a cookie that fails any check is SESSION_INVALID, with err_reason set.
 */
enum session_found session_load(const struct session_ctx *, struct session *s);

/*
 * Sets *sealed to the session cookie's value as the browser sent it
 * (chunks joined; arena), NOT verified -- only a key for a memo of
 * answers given to that exact value.  Returns 0 when there is none.
 */
int		session_peek(const struct session_ctx *, const char **sealed);

/*
 * Says what s needs at now, given the idle timeout of cfg and the
 * re-validation interval of its provider pc (NULL: none), and sets
 * *until to when that answer changes (for remembering gate answers).
 * An idle window slides when a quarter of it has passed, so a cookie is
 * written at most once per quarter.
 */
enum session_due session_due(const struct cfg *,
		    const struct cfg_provider *pc, const struct session *s,
		    int64_t now, int64_t *until);

/*
 * Seals s and adds its Set-Cookie headers to resp, split in chunks when
 * large, deleting chunk cookies of an older, larger session.  Returns
 * ERR_SESSION_TOO_BIG (nothing added) when it does not fit.
 */
enum err	session_store(const struct session_ctx *,
		    const struct session *s, struct resp *);

/* Adds Set-Cookie headers deleting the session and every possible chunk. */
void		session_clear(const struct session_ctx *, struct resp *);

/*
 * Seals f into a new flow cookie named after its state and adds it to
 * resp; expires the oldest flow cookies of the browser so that at most
 * BOUND_FLOWS_LIVE remain, and any that fail verification.
 */
enum err	session_flow_start(const struct session_ctx *,
		    const struct flow *f, struct resp *);

/*
 * Finds the flow cookie for state, verifies it, checks in constant time
 * that it was made for this state, and deletes it (one use).  Returns
 * ERR_UNVERIFIED, with err_reason set, when there is none or it is not valid.
 */
enum err	session_flow_take(const struct session_ctx *, const char *state,
		    struct flow *f, struct resp *);

#endif /* SESSION_H */
