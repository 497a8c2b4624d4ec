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

/* Finishes a login at the callback. */
enum err	login_callback(struct app *, struct req *, struct resp *,
		    const char *arg);

#endif /* LOGIN_H */
