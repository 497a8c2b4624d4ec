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

#include <json-c/json.h>

#include "err.h"
#include "session.h"

struct arena;
struct cfg;
struct cfg_provider;
struct http;
struct memo;
struct provider;
struct replay;
struct req;
struct resp;
struct seal_keys;
struct tmpl;
struct tmpl_ctx;

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
	struct replay		*replay;	/* login states used on this host */
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

/* The handlers of lib/app.c; the others are in login.h, logout.h, gate.h. */
enum err	app_home(struct app *, struct req *, struct resp *, const char *);
enum err	app_user(struct app *, struct req *, struct resp *, const char *);
enum err	app_style(struct app *, struct req *, struct resp *,
		    const char *);
enum err	app_healthz(struct app *, struct req *, struct resp *,
		    const char *);

/* --- What the handlers share. ----------------------------------------- */

/* Returns the query parameter name (the request's), or NULL. */
const char	*app_param(const struct req *, const char *name);

/* Returns the context of a request's session calls (see session.h). */
struct session_ctx app_session_ctx(const struct app *, const struct req *);

/*
 * Reads the session into *s; returns 1 when there is a valid one.  A
 * cookie that fails verification is logged once, cleared, and treated
 * as absent.
 */
int		app_load_session(const struct session_ctx *, struct resp *,
		    struct session *s);

/* A session after its lifetimes (see app_session_get). */
enum app_session {
	APP_SESSION_NONE = 0,	/* absent, invalid, or over (cleared) */
	APP_SESSION_OK,		/* may be honoured */
	APP_SESSION_TOUCH,	/* honoured; its idle window should slide */
	APP_SESSION_RENEW,	/* the provider must vouch for it first */
};

/*
 * Reads the session and applies its lifetimes: one unused for
 * session_idle_timeout is over (cleared, logged); one its provider
 * vouched for more than revalidate_after ago is APP_SESSION_RENEW.
 * When the idle window is due to slide and can_set_cookie (a responder,
 * whose Set-Cookie reaches the browser), a new cookie is added to resp
 * and the answer is APP_SESSION_OK; otherwise APP_SESSION_TOUCH.
 * *until is when an OK answer stops holding (0 for none).
 */
enum app_session app_session_get(struct app *, const struct session_ctx *,
		    struct resp *, int can_set_cookie, struct session *s,
		    int64_t *until);

/* Returns the URL of the renewal route that comes back to return_to (arena). */
const char	*app_renew_url(struct arena *, const struct app *,
		    const char *return_to);

/* Returns the provider's configuration by name (the cfg's), or NULL. */
const struct cfg_provider *app_provider_cfg(const struct app *,
		    const char *name);

/* Returns a claim as text (strings as they are, others as JSON; arena), or NULL. */
const char	*app_claim_text(struct arena *, json_object *claims,
		    const char *name);

/* Returns v when it may go in a header (no control character), else NULL. */
const char	*app_header_safe(const char *v);

/* Returns the user's name for people: name, email, preferred_username or sub. */
const char	*app_user_display(struct arena *, const struct session *);

/*
 * Checks that the signed-in user of provider may pass: the identity
 * (lib/identity) and the access rules.  On success *user (may be NULL)
 * is the identity, owned by claims.  ERR_FORBIDDEN with the reason and
 * what the error page tells (naming the account) otherwise; the ways on
 * are the caller's (app_offer_account).
 */
enum err	app_check_access(struct app *, struct req *, const char *provider,
		    json_object *claims, const char **user);

/* Returns the URL that starts a login (arena); provider may be NULL. */
const char	*app_login_url(struct arena *, const struct app *,
		    const char *provider, const char *return_to);

/* Returns the URL of the provider-choice page (arena). */
const char	*app_home_url(struct arena *, const struct app *,
		    const char *return_to);

/* Returns a provider's name for people (its display_name), or name. */
const char	*app_provider_name(const struct app *, const char *name);

/*
 * Returns the URL that starts a login with another account, deliberately
 * (arena): GET /login/NAME?switch=1, see login_start.
 */
const char	*app_switch_url(struct arena *, const struct app *,
		    const char *provider, const char *return_to);

/*
 * Returns the prompt value that lets the person choose another account
 * at provider: its configured prompt when that already does
 * (select_account or login), else select_account or login as its
 * metadata's prompt_values_supported lists them (NULL when it lists
 * neither), else, without a list, select_account for Google and login
 * (OpenID Connect Core's) for the others.  Reads only the metadata
 * cached, never waits on the provider.
 */
const char	*app_account_prompt(struct app *, struct req *,
		    const char *provider);

/* Returns the absolute URL of the signed-out page (arena). */
const char	*app_signed_out_url(struct arena *, const struct app *);

/*
 * Returns the provider's RP-initiated logout URL (arena): its
 * end_session_endpoint with id_token_hint (unless NULL), client_id,
 * post_logout_redirect_uri, and state = the provider's name when that
 * is our signed-out page.  NULL, and a log line, when logout_mode is
 * local, the provider has no end_session_endpoint or its metadata
 * cannot be had: nobody stays signed in because a provider is down.
 */
const char	*app_provider_logout_url(struct app *, struct req *,
		    const char *provider, const char *id_token_hint);

/*
 * Returns the origin a sign-out form may lead to (the provider's
 * end-session endpoint's, for the CSP's form-action), or NULL.
 */
const char	*app_logout_form_action(struct app *, struct req *,
		    const char *provider);

/*
 * Tells the error page how to go on when the account provider signed in
 * was refused (after err_tell named it): "Use another account" (a login
 * asking the provider for an account choice), and signing out (ours
 * when signed_in, else the provider's own); when the provider cannot be
 * asked for another account, signing out comes first and the words say
 * why.  return_to is kept for the next login.
 */
void		app_offer_account(struct app *, struct req *,
		    const char *provider, const char *return_to,
		    int signed_in);

/*
 * Renders the signed-in page for s: who, with which provider, Continue
 * to return_to, a one-click sign-out form, another account at each
 * provider, the claims.  heading and notice (a line above the rest) may
 * be NULL.
 */
enum err	app_signed_in_page(struct app *, struct req *, struct resp *,
		    const struct session *s, const char *return_to,
		    const char *heading, const char *notice);

/* Returns a template context with what every page shows (arena). */
struct tmpl_ctx	*app_page_ctx(const struct app *, struct req *);

/* Renders page into resp as HTML with the security headers. */
enum err	app_render(struct app *, struct resp *, enum app_page,
		    struct tmpl_ctx *, const char *form_action);

/* Sends o as the JSON body of resp. */
enum err	app_send_json(struct req *, struct resp *, json_object *o);

/* Returns 1 when r is a browser's navigation (not XHR, JSON or non-GET). */
int		app_is_navigation(const struct req *);

/* Adds the headers every page carries: no-store, CSP, frame and referrer policies. */
void		app_security_headers(struct resp *, const char *form_action);

/*
 * Adds the providers to ctx's list named list (but the one named skip,
 * when not NULL), each with its login URL carrying return_to; returns
 * how many.  The strings live in r's arena.
 */
size_t		app_add_providers(struct app *, struct req *,
		    struct tmpl_ctx *, const char *list, const char *skip,
		    const char *return_to);

#endif /* APP_H */
