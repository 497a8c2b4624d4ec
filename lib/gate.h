/*
 * The gate in front of protected content: the FastCGI Authorizer role
 * (200 with Variable-REMOTE_USER and the claims, or a login redirect /
 * 401), /check for nginx auth_request and forward-auth proxies, and the
 * error document of a refused request.  Answers for a session cookie
 * are remembered per process (lib/memo), so the gate stays fast.
 */
#ifndef GATE_H
#define GATE_H

#include "err.h"

struct app;
struct req;
struct resp;

/* The Authorizer role: may this request to protected content pass? */
enum err	gate_authorize(struct app *, struct req *, struct resp *,
		    const char *arg);

/* GET /check: 200 with X-Auth-Request-* headers, or 401. */
enum err	gate_check(struct app *, struct req *, struct resp *,
		    const char *arg);

/*
 * The error document of a refused request (Apache's ErrorDocument 401,
 * nginx's error_page 401): without a session, the login page for a
 * navigation and a 401 for an API call, as gate_authorize; with one, a
 * 403 page rather than a login loop.
 */
enum err	gate_refused(struct app *, struct req *, struct resp *,
		    const char *arg);

#endif /* GATE_H */
