/*
 * The router: picks the handler for a request, and the HTTP status
 * for every failure, and writes the one log line a failure gets.
 */
#ifndef ROUTER_H
#define ROUTER_H

#include "err.h"

struct app;
struct req;
struct resp;

/* Fills resp for r: routing, the handler, and on failure the error page. */
void	router_handle(struct app *, struct req *, struct resp *);

/* Returns the HTTP status for a failure of r with error e. */
int	router_status(const struct req *, enum err e);

#endif /* ROUTER_H */
