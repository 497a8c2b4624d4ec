/*
 * The one way to say what failed and why.
 *
 * Every fallible function returns an enum err and hands its results out
 * through pointers.  The codes separate what the client sent (ERR_INPUT,
 * ERR_TOO_BIG, ERR_TIMEOUT_CLIENT, ...), what a provider did (ERR_PROVIDER, ERR_TIMEOUT,
 * ERR_TOKEN) and what went wrong here (ERR_SYSTEM, ERR_NOMEM).  Only the
 * router turns them into HTTP statuses.
 *
 * Beside the code, this module holds the current failure: the reason,
 * for the one log line a failure gets (err_reason), and what the person
 * is told on the error page (err_tell, err_detail, err_retry).  One
 * process serves one request at a time, so there is one of each;
 * err_clear() forgets them all when a request starts.
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
	ERR_TIMEOUT_CLIENT,	/* the client did not send its request in time */
	ERR__MAX
};

/* The longest reason kept, its NUL included; longer ones are cut. */
#define ERR_REASON_MAX	1024

/* Returns a static, human-readable name for an error code. */
const char	*err_str(enum err);

/* Forgets the current failure, reason and page texts: a request starts so. */
void		 err_clear(void);

/*
 * Records why the current operation failed, for the log (a request's
 * failure line, a configuration message at start-up).  The first reason
 * recorded since the last clear wins: it comes from the place that knew
 * most.  Never put a secret, token, code or cookie value in a reason.
 */
void		 err_reason(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

/*
 * Replaces the recorded reason, whatever it holds; the new one may
 * quote the old through err_reason_get(), as in ("discovery: %s: %s",
 * member, err_reason_get()): for a caller that adds what it knows
 * around a reason recorded below it.
 */
void		 err_reason_rewrite(const char *, ...)
		    __attribute__((format(printf, 1, 2)));

/* Returns the recorded reason (owned here), or "" when there is none. */
const char	*err_reason_get(void);

/* Forgets the reason only: a failure that was handled, not reported. */
void		 err_reason_clear(void);

/*
 * What the error page tells the person, set by the handler that knows
 * better than the page's default for the code; the last call wins.  The
 * strings are not copied: they must live until the page is rendered (a
 * literal, or the request's arena).  NULL forgets the text.
 *
 * err_tell: a plain explanation, in place of the code's default one.
 * err_detail: more, such as the provider's own error text (the page
 * escapes it).  err_retry: the URL of a "Try again" link.
 */
void		 err_tell(const char *message);
void		 err_detail(const char *detail);
void		 err_retry(const char *url);

/* Return what err_tell, err_detail and err_retry set, or NULL. */
const char	*err_tell_get(void);
const char	*err_detail_get(void);
const char	*err_retry_get(void);

/*
 * What else the page offers, so that nobody is left at a dead end.
 * Like the texts above, nothing is copied and the last call wins.
 *
 * err_about: the provider the failure concerns (its configured name)
 * and the same-site path the person was on their way to, so that the
 * page can name the one and keep the other for every way on.
 * err_retry_label: the words of the err_retry link ("Try again" when
 * none).  err_action: one more way on, a URL and its words, shown after
 * the retry link; at most ERR_ACTIONS_MAX, more are ignored.
 * err_page: ERR_PAGE_* flags.
 */
#define ERR_PAGE_CALM	0x1	/* the person's own choice: no alarm */
#define ERR_PAGE_OTHERS	0x2	/* offer the other providers */

#define ERR_ACTIONS_MAX	2

void		 err_about(const char *provider, const char *return_to);
void		 err_retry_label(const char *label);
void		 err_action(const char *url, const char *label);
void		 err_page(unsigned flags);

/* Return what the calls above set: NULL (or 0) when nothing. */
const char	*err_about_provider(void);
const char	*err_about_return_to(void);
const char	*err_retry_label_get(void);
unsigned	 err_page_get(void);

/* Sets *url and *label to action i (from 0); returns 0 past the last. */
int		 err_action_get(unsigned i, const char **url,
		    const char **label);

#endif /* ERR_H */
