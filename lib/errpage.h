/*
 * The error page every failed request ends with; only the router
 * (lib/router.c) calls it, with the status it picked.
 */
#ifndef ERRPAGE_H
#define ERRPAGE_H

#include "err.h"

struct app;
struct req;
struct resp;

/*
 * Replaces resp with the error page (HTML, or JSON when the client asks
 * for it) for status and error e, saying what the handler told with
 * err_tell, err_detail and err_retry and offering what it asked for
 * (err_about, err_action, err_page: the other providers, a calm page for
 * the person's own choice); names the provider concerned and shows the
 * failure's reference (r->ref); keeps resp's Set-Cookie and Allow
 * headers.
 */
void		errpage_send(struct app *, struct req *, struct resp *,
		    int status, enum err e);

#endif /* ERRPAGE_H */
