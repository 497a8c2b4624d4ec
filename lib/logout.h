/*
 * Signing out: GET /logout shows the confirmation form (with a CSRF
 * token bound to the session), unless the person clicked a link on a
 * page of this site (then that click was the confirmation); POST
 * /logout checks it, clears the session and sends the browser to the
 * provider's end-session endpoint or to the signed-out page.
 */
#ifndef LOGOUT_H
#define LOGOUT_H

#include "err.h"

struct app;
struct req;
struct resp;

/* The confirmation page. */
enum err	logout_page(struct app *, struct req *, struct resp *,
		    const char *arg);

/*
 * The form's POST: a valid session and a CSRF token, or a page of this
 * very site as the browser says (Sec-Fetch-Site, Origin), else nothing
 * changes.  Then the provider's sign-out when it has one, else the
 * signed-out page.
 */
enum err	logout_post(struct app *, struct req *, struct resp *,
		    const char *arg);

/*
 * GET /signed-out: says the sign-out is done (the end of a local one,
 * and of one at the provider when post_logout_redirect_uri points here;
 * the provider echoes its name in state).  Signed in again meanwhile:
 * the signed-in page.
 */
enum err	logout_signed_out(struct app *, struct req *, struct resp *,
		    const char *arg);

#endif /* LOGOUT_H */
