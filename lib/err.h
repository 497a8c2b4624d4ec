/*
 * The error codes every fallible function returns.
 *
 * They separate what the client sent (ERR_INPUT, ERR_TOO_BIG, ...),
 * what a provider did (ERR_PROVIDER, ERR_TIMEOUT, ERR_TOKEN) and what
 * went wrong here (ERR_SYSTEM, ERR_NOMEM).  Only the router turns them
 * into HTTP statuses.
 */
#ifndef ERR_H
#define ERR_H

enum err {
	ERR_OK = 0,
	ERR_NOMEM,		/* allocation failed */
	ERR_SYSTEM,		/* a system or library call failed */
	ERR_CONFIG,		/* the configuration is unusable */
	ERR_INPUT,		/* the client sent something malformed */
	ERR_TOO_BIG,		/* something is over its bound */
	ERR_NOT_FOUND,		/* no such route, provider, key, ... */
	ERR_METHOD,		/* the route exists, not with that method */
	ERR_UNVERIFIED,		/* a cookie or login state fails verification */
	ERR_UNAUTHENTICATED,	/* no valid session */
	ERR_FORBIDDEN,		/* signed in, or CSRF, but not allowed */
	ERR_DENIED,		/* the provider answered with an OAuth error */
	ERR_PROVIDER,		/* the provider misbehaved or is unreachable */
	ERR_TIMEOUT,		/* the provider did not answer in time */
	ERR_TOKEN,		/* the ID token failed a check */
	ERR_SESSION_TOO_BIG,	/* the identity does not fit in the cookies */
	ERR__MAX
};

/* Returns a static, human-readable name for an error code. */
const char	*err_str(enum err);

/*
 * The reason behind the current request's failure, for the one log
 * line the router writes.  The first reason recorded since the last
 * clear wins: it comes from the place that knew most.  Never put a
 * secret, token, code or cookie value in a reason.
 */
void		 err_reason(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

/* Returns the recorded reason, or "" when there is none. */
const char	*err_reason_get(void);

/* Forgets the recorded reason (at the start of each request). */
void		 err_reason_clear(void);

#endif /* ERR_H */
