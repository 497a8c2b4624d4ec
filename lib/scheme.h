/*
 * A site set up for https reached over plain http.
 *
 * With an https redirect_uri every cookie is Secure and __Host- (or
 * __Secure-) prefixed.  Browsers keep such cookies from plain-http pages
 * (Chromium and curl make an exception for localhost and 127.0.0.1): a
 * login started over http sets a flow cookie the browser drops, and the
 * user goes round (login, provider, "sign-in could not be completed",
 * login again) without being told why.
 *
 * The server's parameters say whether it received the request over TLS,
 * not whether the browser used TLS: behind a TLS-terminating proxy the
 * server sees plain http while the browser is on https, and that must
 * keep working.  Headers a client may send (X-Forwarded-Proto, Forwarded)
 * are not trusted for it.  So when the server saw plain http, the login
 * start tests the one thing that matters before going to the provider:
 * it sets a small Secure cookie and sends the browser to the same login
 * URL again, marked; when the cookie comes back the login goes on, when
 * it does not the page says why and links to the https URL.
 */
#ifndef SCHEME_H
#define SCHEME_H

#include "err.h"

struct app;
struct req;
struct resp;

/* The query parameter that marks the second pass of the test. */
#define SCHEME_CHECK_PARAM	"cookie_check"

/*
 * Called by the login start, login being its own URL (path and query,
 * arena), before anything else is done.  Returns ERR_OK with *answered 0 when the login may go
 * on (the server saw TLS, redirect_uri is plain http, or the test cookie
 * came back: then resp deletes it); ERR_OK with *answered 1 when resp
 * holds the test (the cookie and a 302 to the login URL, marked); and
 * ERR_UNVERIFIED (400) when the cookie did not come back, with the
 * reason, what the page says and a retry link to the login at
 * redirect_uri's origin.
 */
enum err	scheme_login_check(const struct app *, const struct req *,
		    struct resp *, const char *login, int *answered);

#endif /* SCHEME_H */
