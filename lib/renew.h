/*
 * Renewing a session with its provider, so that a user disabled there,
 * or who no longer meets the access rules, loses access within
 * revalidate_after -- without any state on the server: the times are in
 * the signed cookie, the answer comes from the provider.
 *
 * With a refresh token (use_refresh_token) the program asks the token
 * endpoint itself and checks the new ID token as strictly as at login;
 * without one, a browser goes through a silent sign-in (prompt=none)
 * and comes back to the same URL.  GET /renew?return_to=... does it
 * for a browser; the gate sends navigations there when a session is
 * due, since an Authorizer's 200 cannot set a cookie on every server.
 */
#ifndef RENEW_H
#define RENEW_H

#include "err.h"

struct app;
struct req;
struct resp;
struct session;

/*
 * Renews s with its refresh token: the token endpoint, the new ID token
 * (same sub), userinfo when configured, the identity and the access
 * rules.  On success s holds the new claims and tokens, vouched for now.
 * ERR_UNVERIFIED when the provider refuses the refresh token,
 * ERR_FORBIDDEN when the user no longer passes, ERR_TOKEN for a token
 * that fails a check, ERR_PROVIDER or ERR_TIMEOUT when it is down;
 * ERR_NOT_FOUND when s has no refresh token to use.
 */
enum err	renew_with_refresh(struct app *, struct req *, struct session *s);

/* GET /renew: renews the session (or starts a sign-in) and returns. */
enum err	renew_page(struct app *, struct req *, struct resp *,
		    const char *arg);

#endif /* RENEW_H */
