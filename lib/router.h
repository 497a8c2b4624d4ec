/*
 * The router: serves one request from end to end.  It picks the handler
 * for the method and path (one table), maps every failure to its HTTP
 * status (one table: the only place a failure's status is chosen),
 * writes the one log line a failure gets, and has the error page made.
 * The transports (FastCGI, CGI, the tests) only hand it callbacks.
 */
#ifndef ROUTER_H
#define ROUTER_H

#include "app.h"
#include "err.h"
#include "req.h"

struct arena;

/*
 * Serves one request: forgets the previous failure (err_clear), fills
 * the request from the transport's callbacks (everything copied into
 * the arena, which the caller resets afterwards), routes it and writes
 * the response with wr.
 */
void		router_serve(struct app *, struct arena *, req_getparam,
		    req_readbody, req_write wr, void *ctx);

/* Fills resp for r: routing, the handler, and on failure the error page. */
void		router_handle(struct app *, struct req *, struct resp *);

/*
 * Finds the route of r by method and path.  Sets *handler and *arg (the
 * route's parameter, a provider name, or NULL) and returns ERR_OK; or
 * returns ERR_NOT_FOUND when no route has that path, or ERR_METHOD when
 * some do, not with that method, and then sets *allow to the value of
 * the Allow header the 405 carries (static).  Reasons are recorded.
 */
enum err	router_route(const struct app *, const struct req *,
		    app_handler *handler, const char **arg,
		    const char **allow);

/* Returns the HTTP status for a failure of r with error e (500 for ERR_OK). */
int		router_status(const struct req *, enum err e);

#endif /* ROUTER_H */
