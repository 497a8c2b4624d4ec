/*
 * Signing out: GET /logout shows the confirmation form (with a CSRF
 * token bound to the session), POST /logout checks it, clears the
 * session and sends the browser to the provider's end-session endpoint
 * or back to the site.
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

/* The form's POST: a valid session and CSRF token, or nothing changes. */
enum err	logout_post(struct app *, struct req *, struct resp *,
		    const char *arg);

#endif /* LOGOUT_H */
