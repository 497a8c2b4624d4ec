/*
 * The application: long-lived state made once per process, and one
 * handler per route.  Handlers take a request and fill a response; on
 * failure they return an error code (and may say what the error page
 * should explain, with err_tell, err_detail and err_retry), and the
 * router picks the status.
 */
#ifndef APP_H
#define APP_H

#include <stddef.h>

#include "err.h"

struct cfg;
struct http;
struct memo;
struct provider;
struct req;
struct resp;
struct seal_keys;
struct tmpl;

enum app_page {
	APP_PAGE_CHOOSE = 0,
	APP_PAGE_SIGNED_IN,
	APP_PAGE_LOGOUT,
	APP_PAGE_ERROR,
	APP_PAGE__MAX
};

struct app {
	const struct cfg	*cfg;
	struct seal_keys	*keys;
	struct http		*http;
	struct provider		**providers;	/* as cfg->providers */
	size_t			 nproviders;
	struct tmpl		*pages[APP_PAGE__MAX];
	char			*style;		/* style.css, served as is */
	size_t			 style_len;
	struct memo		*memo;		/* the gate's recent answers */
};

/*
 * Builds the application for a loaded configuration: derives the
 * cookie keys, loads the templates, prepares the HTTP client and the
 * providers (nothing is fetched yet).  On failure the reason recorded
 * (err_reason_get) is a precise message for the administrator.  *out
 * is owned by the caller (app_free); cfg must outlive it.
 */
enum err	app_new(const struct cfg *, struct app **out);

/* Frees the application; accepts NULL. */
void		app_free(struct app *);

/* Returns the runtime provider named name, or NULL. */
struct provider	*app_provider(const struct app *, const char *name);

/* The route handlers; arg is the route's parameter (a provider name) or NULL. */
typedef enum err (*app_handler)(struct app *, struct req *, struct resp *,
		    const char *arg);

enum err	app_home(struct app *, struct req *, struct resp *, const char *);
enum err	app_login(struct app *, struct req *, struct resp *, const char *);
enum err	app_callback(struct app *, struct req *, struct resp *,
		    const char *);
enum err	app_logout_page(struct app *, struct req *, struct resp *,
		    const char *);
enum err	app_logout(struct app *, struct req *, struct resp *,
		    const char *);
enum err	app_user(struct app *, struct req *, struct resp *, const char *);
enum err	app_check(struct app *, struct req *, struct resp *,
		    const char *);
enum err	app_style(struct app *, struct req *, struct resp *,
		    const char *);
enum err	app_healthz(struct app *, struct req *, struct resp *,
		    const char *);
enum err	app_authorize(struct app *, struct req *, struct resp *,
		    const char *);

/*
 * The error document of a refused request (Apache's ErrorDocument 401,
 * nginx's error_page 401): without a session, the login page for a
 * navigation and a 401 for an API call, as app_authorize; with one, a
 * 403 page rather than a login loop.
 */
enum err	app_refused(struct app *, struct req *, struct resp *,
		    const char *);

/* Adds the headers every page carries: no-store, CSP, frame and referrer policies. */
void		app_security_headers(struct resp *, const char *form_action);

/*
 * Replaces resp with the error page (HTML, or JSON when the client asks
 * for it) for status and error e, saying what the handler told with
 * err_tell, err_detail and err_retry; keeps resp's Set-Cookie and Allow
 * headers.
 */
void		app_error_page(struct app *, struct req *, struct resp *,
		    int status, enum err e);

#endif /* APP_H */
