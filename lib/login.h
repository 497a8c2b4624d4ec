/*
 * Signing in: GET /login[/NAME] starts a login at a provider (a flow
 * cookie, the authorization redirect with state, nonce and PKCE), and
 * the callback (redirect_uri's path) finishes it: the flow checked and
 * used once, the code exchanged, the ID token verified, userinfo, the
 * identity and the access rules, the session cookie.
 */
#ifndef LOGIN_H
#define LOGIN_H

#include "err.h"

struct app;
struct req;
struct resp;

/* Starts a login; arg is the provider's name from the path, or NULL. */
enum err	login_start(struct app *, struct req *, struct resp *,
		    const char *arg);

/*
 * Sends the browser to provider name's authorization endpoint with a new
 * flow cookie: prompt (NULL: the configured one), and for a silent
 * renewal (prompt "none") the sub the session is of, which the callback
 * must find again.  return_to is where the browser lands after it.
 */
enum err	login_begin(struct app *, struct req *, struct resp *,
		    const char *name, const char *return_to, const char *prompt,
		    const char *renew_sub);

/* Finishes a login at the callback. */
enum err	login_callback(struct app *, struct req *, struct resp *,
		    const char *arg);

#endif /* LOGIN_H */
